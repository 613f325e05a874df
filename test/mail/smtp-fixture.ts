// A real SMTP server on loopback (smtp-server from the registry) for the tests that send mail:
// STARTTLS with a certificate made for the run (its PEM is the CA the client trusts), login
// required, every message kept as received and parsed. It can refuse chosen recipients for
// good (550, a bounce) and fail the next messages for a while (451), as real relays do.
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { generate } from 'selfsigned';
import type { AddressInfo } from 'node:net';

export type ReceivedMail = { envelopeFrom: string; envelopeTo: string[]; raw: Buffer; mail: ParsedMail; isSecure: boolean; user?: string };

export type TestSmtp = {
  /** smtp://user:password@127.0.0.1:PORT */
  url: string;
  /** The server's certificate in PEM: pass it as the CA (--smtp-ca). */
  ca: string;
  received: ReceivedMail[];
  /** Recipients refused with 550 (lower case). */
  refuse: Set<string>;
  /** How many next messages get 451 (a relay that is busy for a while). */
  failNext: { count: number };
  /** Resolves when at least n messages have arrived (rejects after timeoutMs). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
};

export const SMTP_USER = 'lode';
export const SMTP_PASSWORD = 'mail-relay-secret';

export async function startTestSmtp(options: { requireTls?: boolean } = {}): Promise<TestSmtp> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048, algorithm: 'sha256',
    extensions: [{ name: 'basicConstraints', cA: true }, { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }],
  });
  const received: ReceivedMail[] = [];
  const refuse = new Set<string>();
  const failNext = { count: 0 };
  const waiters: { n: number; resolve(): void }[] = [];
  const settings: SMTPServerOptions = {
    key: pems.private,
    cert: pems.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    // the relay refuses logins over plain text, as a real one does
    allowInsecureAuth: options.requireTls === false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address.toLowerCase())) callback(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (failNext.count > 0) {
          failNext.count -= 1;
          callback(Object.assign(new Error('4.3.2 Try again later'), { responseCode: 451 }));
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then((mail) => {
          received.push({
            envelopeFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, mail, isSecure: session.secure, user: session.user as string | undefined,
          });
          for (const waiter of waiters.filter((w) => received.length >= w.n)) waiter.resolve();
          callback();
        }, callback);
      });
    },
  };
  const server = new SMTPServer(settings);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${port}`,
    ca: pems.cert,
    received,
    refuse,
    failNext,
    waitFor(n, timeoutMs = 10_000) {
      if (received.length >= n) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${received.length} of ${n} messages arrived within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ n, resolve: () => { clearTimeout(timer); resolve(received); } });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
