// `lode serve`: the HTTP API on the embedded store. Loopback by default: exposing evidence on a
// network is a decision (--host), and then it belongs behind TLS (--secure-cookies).
import { hashPassword, newPassword } from '../security/passwords.ts';
import { startServer } from '../server/listen.ts';
import type { Store } from '../store/store.ts';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { homeDirectory, openPublicCheck, StoreSettingsError } from '../main.ts';
import { UsageError, UserError, integerOption, stringOption, withStore, type CliIO, type Command } from './command.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the HTTP API (/api/v1, OpenAPI at /api/v1/openapi.json) until Ctrl-C.',
  usage: 'serve [--port P] [--host ADDRESS] [--secure-cookies] [--smtp URL --mail-from ADDR]',
  details: [
    'Listens on 127.0.0.1:8080 unless told otherwise. On a store without users it creates "admin"',
    'with a random password, printed once on stderr.',
    'Behind an HTTPS proxy, pass --secure-cookies so session cookies are only ever sent over TLS.',
    'Public, without a login: the victim check page /check (its mails go out through --smtp, or LODE_SMTP,',
    'from --mail-from, or LODE_MAIL_FROM), the password range API /range/PREFIX and /api/v3/breaches, all',
    'answered from the public database that `lode check publish` fills. The same --smtp sends campaign e-mails.',
  ].join('\n'),
  options: {
    port: { type: 'string', short: 'p', description: 'port (default 8080; 0 picks a free one)', valueName: 'P' },
    host: { type: 'string', description: 'address to listen on (default 127.0.0.1)', valueName: 'ADDRESS' },
    'secure-cookies': { type: 'boolean', description: 'mark cookies Secure (__Host- names): for HTTPS' },
    smtp: { type: 'string', description: 'mail server for the check and campaigns: smtp://user:pass@host:587 (or LODE_SMTP)', valueName: 'URL' },
    'smtp-ca': { type: 'string', description: 'PEM file of the CA that signed the mail server\'s certificate', valueName: 'FILE' },
    outbox: { type: 'string', description: 'write mails as .eml files into this folder instead of sending them', valueName: 'DIR' },
    'mail-from': { type: 'string', description: 'the From: of the check\'s and campaigns\' mails (or LODE_MAIL_FROM)', valueName: 'ADDR' },
    'check-bits': { type: 'string', description: 'proof-of-work difficulty of the check page, 0-24 (default 16, or LODE_CHECK_BITS)', valueName: 'N' },
    organisation: { type: 'string', description: 'who the check\'s mails are from, by name (or LODE_ORGANISATION)', valueName: 'NAME' },
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(args, io) {
    const port = integerOption(args, 'port', 8080, 0, 65_535);
    const host = stringOption(args, 'host') ?? '127.0.0.1';
    const secureCookies = args.values['secure-cookies'] === true;
    const smtpUrl = stringOption(args, 'smtp') ?? io.env.LODE_SMTP;
    const mailFrom = stringOption(args, 'mail-from') ?? io.env.LODE_MAIL_FROM;
    if (smtpUrl && !mailFrom) throw new UsageError('--mail-from ADDR (or LODE_MAIL_FROM) is needed with --smtp: the address mails come from');
    const caFile = stringOption(args, 'smtp-ca');
    const challengeBits = stringOption(args, 'check-bits') === undefined && io.env.LODE_CHECK_BITS === undefined ? undefined
      : integerOption({ ...args, values: { ...args.values, 'check-bits': stringOption(args, 'check-bits') ?? io.env.LODE_CHECK_BITS } }, 'check-bits', 16, 0, 24);
    const outbox = stringOption(args, 'outbox');
    if (smtpUrl && outbox) throw new UsageError('--smtp and --outbox: mail goes to one of them');
    if (outbox && !mailFrom) throw new UsageError('--mail-from ADDR (or LODE_MAIL_FROM) is needed with --outbox: the address mails come from');
    const settings = { home: stringOption(args, 'home'), store: stringOption(args, 'store'), env: io.env };
    await withStore(args, io, async (store) => {
      await ensureAdmin(store, io);
      let check;
      try {
        check = await openPublicCheck(settings, {
          ...(smtpUrl ? { mail: { url: smtpUrl, ...(caFile ? { ca: await readFile(caFile, 'utf8') } : {}) } } : outbox ? { mail: { outbox } } : {}),
          from: mailFrom, organisation: stringOption(args, 'organisation') ?? io.env.LODE_ORGANISATION, challengeBits,
          log: (line) => io.stderr.write(`lode serve: ${line}\n`),
          onNotified: async (event) => {
            await store.appendAudit({ actor: 'public check', action: 'check.notified', details: { digest: event.digest, breaches: event.breaches, language: event.language } });
          },
        });
      } catch (error) {
        if (error instanceof StoreSettingsError || (error as Error).name === 'SmtpUrlError') throw new UserError((error as Error).message);
        throw error;
      }
      let server;
      try {
        server = await startServer({
          store, host, port, secureCookies, log: (line) => io.stderr.write(`${line}\n`),
          check: check.service, checkIndex: check.index, ...(check.mailer && mailFrom ? { mailer: check.mailer, mailFrom } : {}),
          // exports are evidence: they stay in the home, beside the store
          exportDirectory: join(homeDirectory({ home: stringOption(args, 'home'), env: io.env }), 'exports'),
          uploadDirectory: join(homeDirectory({ home: stringOption(args, 'home'), env: io.env }), 'uploads'),
          campaignDirectory: join(homeDirectory({ home: stringOption(args, 'home'), env: io.env }), 'campaigns'),
        });
      } catch (error) {
        throw new UserError(`cannot listen on ${host}:${port}: ${(error as Error).message}`);
      }
      io.stderr.write(`lode serve: listening on ${server.url} (API at ${server.url}/api/v1, Ctrl-C to stop)\n`);
      if (!isLoopback(host) && !secureCookies) {
        io.stderr.write('lode serve: warning: listening beyond this machine without --secure-cookies; put it behind HTTPS\n');
      }
      if (!check.mailer) io.stderr.write('lode serve: no --smtp or --outbox: the check page and campaign e-mails cannot send mail\n');
      else io.stderr.write(`lode serve: mail goes to ${check.mailer.description}\n`);
      await stopped(io.signal);
      await server.close();
      await check.close();
      io.stderr.write('lode serve: stopped\n');
    });
    return 0;
  },
};

/** The first start of a store has nobody to log in: an admin with a password shown only now. */
async function ensureAdmin(store: Store, io: CliIO): Promise<void> {
  if ((await store.users()).length > 0) return;
  const password = newPassword();
  const user = await store.createUser('admin', 'admin', await hashPassword(password));
  if (!user) return;
  await store.appendAudit({ actor: 'lode serve', action: 'user.create', target: 'admin', details: { role: 'admin', reason: 'first start: no users' } });
  io.stderr.write(`lode serve: created user "admin" with password ${password}\n  (shown only this once: note it now)\n`);
}

function stopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
