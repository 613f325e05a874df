// `npm start`: the workbench on the embedded store, in one command. Builds the browser app when
// web/dist is missing or older than web/src, opens the store in ./lode-data, creates an admin with
// a random password printed once on a store without users, fills an empty store with a generated
// demo corpus (clearly marked synthetic; --demo adds it to a store that has data, --no-demo
// skips it), and serves API and workbench on loopback until Ctrl-C.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { homeDirectory, openPublicCheck, openStore, checkKey } from '../main.ts';
import { discoverInStore } from '../analyze/discover-store.ts';
import { ingest } from '../ingest/pipeline.ts';
import { writeCorpus } from '../generate/write-corpus.ts';
import { hashPassword, newPassword } from '../security/passwords.ts';
import { startServer } from '../server/listen.ts';
import { ensureWorkbenchBuilt } from '../server/static.ts';
import type { Store } from '../store/store.ts';
import { createProgress } from './progress.ts';

export const DEMO_DATASET = 'demo-encrochat-synthetic';
export const DEMO_MARKET = 'demo-leakmarket-synthetic';
export const DEMO_COMBOLIST = 'demo-combolist-synthetic';
const DEMO_PEOPLE = 2000;
const DEMO_CREDENTIALS = 5000;
const DEMO_CAMPAIGN = 'demo-nl';
const DEMO_BREACH = 'DemoCombolist';
const DEMO_MESSAGES = 50_000;
const DEMO_SEED = 2020;
const DEFAULT_PORT = 8080;
// loopback only: exposing evidence on a network is a decision for `lode serve --host` behind TLS
const HOST = '127.0.0.1';

const USAGE = `npm start [-- OPTIONS]      the Lode workbench in the browser, on the embedded store

  Builds the workbench (web/dist) when its sources changed, opens the store in ./lode-data
  (or --home / LODE_HOME), and serves the API and the workbench on http://${HOST}:PORT.
  On a store without users it creates "admin" with a random password, printed once.
  On an empty store it generates and ingests SYNTHETIC demo data (no real person in it): an
  EncroChat-like corpus of ${DEMO_MESSAGES} messages ("${DEMO_DATASET}"), a seized leak market's
  database of ${DEMO_PEOPLE} people ("${DEMO_MARKET}") with a campaign "${DEMO_CAMPAIGN}" on its Dutch
  paying users, and a combo list of ${DEMO_CREDENTIALS} credentials ("${DEMO_COMBOLIST}") published to
  the public check at /check. Mail from the check and campaigns is written as .eml files into
  HOME/outbox unless --smtp URL --mail-from ADDR says where to send it.

Options:
  --port P      port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --home DIR    where the store lives (default ./lode-data, or LODE_HOME)
  --demo        also load the synthetic demo dataset into a store that already has data
  --no-demo     start on an empty store without the demo dataset
  --smtp URL    send the check's and campaigns' mail through this server (or LODE_SMTP)
  --mail-from A the From: of those mails (or LODE_MAIL_FROM)
  -h, --help    this text

Examples:
  npm start                     # first run: builds, loads the demo, prints the admin password
  npm start -- --port 8081
  npm start -- --home /srv/lode --no-demo
Users and grants: bin/lode user --help, bin/lode grant --help. A forgotten admin password:
bin/lode user password admin.
`;

type StartOptions = { port: number; home: string | undefined; demo: 'auto' | 'yes' | 'no'; smtp?: string; mailFrom?: string };

function parseOptions(argv: string[]): StartOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', short: 'p' },
      home: { type: 'string' },
      demo: { type: 'boolean' },
      'no-demo': { type: 'boolean' },
      smtp: { type: 'string' },
      'mail-from': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port takes a number from 0 to 65535, got "${values.port}"`);
  if (values.demo && values['no-demo']) throw new UsageError('--demo and --no-demo contradict each other');
  const smtp = values.smtp ?? process.env.LODE_SMTP;
  const mailFrom = values['mail-from'] ?? process.env.LODE_MAIL_FROM;
  if (smtp && !mailFrom) throw new UsageError('--smtp needs --mail-from ADDR (or LODE_MAIL_FROM): the address mails come from');
  return { port, home: values.home, demo: values.demo ? 'yes' : values['no-demo'] ? 'no' : 'auto', ...(smtp ? { smtp } : {}), ...(mailFrom ? { mailFrom } : {}) };
}

class UsageError extends Error {}

/** The first start of a store has nobody to log in: an admin with a password shown only now. */
async function ensureAdmin(store: Store): Promise<string | undefined> {
  if ((await store.users()).length > 0) return undefined;
  const password = newPassword();
  // only the argon2id hash is stored; the password exists from here on only on the operator's screen
  const user = await store.createUser('admin', 'admin', await hashPassword(password));
  if (!user) return undefined;
  await store.appendAudit({ actor: 'npm start', action: 'user.create', target: 'admin', details: { role: 'admin', reason: 'first start: no users' } });
  return password;
}

async function loadDemo(store: Store, home: string): Promise<void> {
  const out = process.stdout;
  const isTTY = process.stderr.isTTY === true;
  const corpus = join(home, 'demo', 'encrochat-demo.jsonl');
  if (!existsSync(corpus)) {
    mkdirSync(join(home, 'demo'), { recursive: true });
    out.write(`Generating a SYNTHETIC demo corpus of ${DEMO_MESSAGES} messages (no real person in it)…\n`);
    const progress = createProgress(process.stderr, isTTY, 'generate', 'messages');
    await writeCorpus({ messages: DEMO_MESSAGES, seed: DEMO_SEED, out: corpus, onProgress: (done, total) => progress.update(done, total, done) });
    progress.finish();
  }
  const progress = createProgress(process.stderr, isTTY, 'ingest');
  const report = await ingest({ store, paths: [corpus], dataset: DEMO_DATASET, onProgress: (p) => progress.update(p.bytesDone, p.bytesTotal, p.records) });
  progress.finish();
  out.write(`Ingested ${report.messages} messages, ${report.notes} notes, ${report.accounts} accounts into dataset ${DEMO_DATASET} (SYNTHETIC)\n`);
  // the workbench opens on something to work: the alert queue is filled at ingest, candidate cases here
  const [run] = await discoverInStore(store, [DEMO_DATASET], { view: 'all' });
  out.write(`${report.alerts} alerts raised, ${run!.candidates.length} candidate cases found\n`);
}

/** A seized leak market's database and a campaign on its Dutch paying users (SYNTHETIC). */
async function loadMarketDemo(store: Store, home: string): Promise<void> {
  const out = process.stdout;
  const dump = join(home, 'demo', 'leakmarket-demo.sql');
  if (!existsSync(dump)) {
    const { writeMarketDump } = await import('../generate/write-market.ts');
    await writeMarketDump({ people: DEMO_PEOPLE, seed: DEMO_SEED, out: dump, database: 'leakmarket' });
  }
  const report = await ingest({ store, paths: [dump], dataset: DEMO_MARKET });
  out.write(`Ingested ${report.accounts} accounts, ${report.events} events of a seized leak market into ${DEMO_MARKET} (SYNTHETIC)\n`);
  const { selectRecipients } = await import('../campaigns/select.ts');
  const { storeCampaign } = await import('../campaigns/create.ts');
  const { createCountryResolver } = await import('../campaigns/country.ts');
  const criteria = { dataset: DEMO_MARKET, countries: ['NL'], paid: true };
  const selection = await selectRecipients({ store, criteria, countries: await createCountryResolver() });
  const stored = await storeCampaign(store, {
    name: DEMO_CAMPAIGN, title: 'Demo: Dutch paying customers (SYNTHETIC)', criteria, language: 'nl', createdBy: 'npm start',
    settings: { site: 'LeakMarket (demo)', sender: { organisation: 'Demo-eenheid (SYNTHETISCH)', unit: 'Team Cybercrime', address: 'Postbus 1\n1000 AA Demostad', phone: '0900-0000000', email: 'stopgesprek@demo.example', signatory: 'J. Demo' } },
  }, selection);
  if (stored) out.write(`Campaign ${DEMO_CAMPAIGN}: ${stored.people.length} recipients selected (Dutch paying users)\n`);
}

/** A combo list published to the public check, so /check and /range answer something (SYNTHETIC). */
async function loadCheckDemo(store: Store, home: string, settings: { home: string | undefined; env: NodeJS.ProcessEnv }): Promise<string> {
  const list = join(home, 'demo', 'combolist-demo.txt');
  const { writeDemoCombolist } = await import('../generate/combolist.ts');
  const { first } = await writeDemoCombolist({ lines: DEMO_CREDENTIALS, seed: DEMO_SEED, out: list });
  await ingest({ store, paths: [list], dataset: DEMO_COMBOLIST });
  const { publishDataset } = await import('../breachcheck/publish.ts');
  const { openCheckIndex } = await import('../main.ts');
  const index = await openCheckIndex(settings);
  try {
    const counts = await publishDataset({
      store, index, key: checkKey(settings, { create: true })!, at: new Date().toISOString(),
      meta: { name: DEMO_BREACH, title: 'Demo combolist (synthetic)', breachDate: '2020-06-01', dataset: DEMO_COMBOLIST, description: 'SYNTHETIC demo data: no real person is in it.' },
    });
    process.stdout.write(`Published ${counts.identifiers} synthetic addresses to the public check as ${DEMO_BREACH}\n`);
  } finally {
    await index.close();
  }
  return first;
}

async function start(options: StartOptions): Promise<void> {
  const out = process.stdout;
  await ensureWorkbenchBuilt((line) => process.stderr.write(`lode start: ${line}\n`));
  const settings = { home: options.home, env: process.env };
  const home = homeDirectory(settings);
  mkdirSync(home, { recursive: true });
  const store = await openStore(settings);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let check: Awaited<ReturnType<typeof openPublicCheck>> | undefined;
  try {
    const password = await ensureAdmin(store);
    let datasets = await store.summarise();
    const hasDemo = datasets.some((d) => d.name === DEMO_DATASET);
    if (!hasDemo && (options.demo === 'yes' || (options.demo === 'auto' && datasets.length === 0))) {
      await loadDemo(store, home);
      datasets = await store.summarise();
    }
    // a demo store from before campaigns and the check gets their demo data too
    const isDemo = datasets.some((d) => d.name === DEMO_DATASET);
    if (isDemo && !datasets.some((d) => d.name === DEMO_MARKET)) await loadMarketDemo(store, home);
    let checkExample: string | undefined;
    if (isDemo && !datasets.some((d) => d.name === DEMO_COMBOLIST)) checkExample = await loadCheckDemo(store, home, settings);
    datasets = await store.summarise();
    out.write(`\nLode store ${store.description}\n`);
    if (datasets.length === 0) out.write('  empty: `npm start -- --demo` loads a synthetic demo dataset; `bin/lode ingest PATH --dataset NAME` loads yours\n');
    for (const d of datasets) {
      const synthetic = [DEMO_DATASET, DEMO_MARKET, DEMO_COMBOLIST].includes(d.name) ? '  [SYNTHETIC demo data]' : '';
      const contents = d.messages > 0 ? `${d.messages} messages, ${d.accounts} accounts` : `${d.accounts} accounts, ${d.events} events, ${d.exposures} credential exposures`;
      out.write(`  ${d.name}: ${contents}${d.firstTs ? `, ${d.firstTs.slice(0, 10)} .. ${d.lastTs?.slice(0, 10) ?? ''}` : ''}${synthetic}\n`);
    }
    const outbox = join(home, 'outbox');
    check = await openPublicCheck(settings, {
      mail: options.smtp ? { url: options.smtp } : { outbox }, from: options.mailFrom ?? 'Lode check <check@lode.invalid>',
      log: (line) => process.stderr.write(`lode start: ${line}\n`),
      onNotified: async (event) => {
        await store.appendAudit({ actor: 'public check', action: 'check.notified', details: { digest: event.digest, breaches: event.breaches, language: event.language } });
      },
    });
    try {
      server = await startServer({
        store, host: HOST, port: options.port, log: (line) => process.stderr.write(`${line}\n`),
        exportDirectory: join(home, 'exports'),
        uploadDirectory: join(home, 'uploads'),
        campaignDirectory: join(home, 'campaigns'),
        check: check.service, checkIndex: check.index, ...(check.mailer ? { mailer: check.mailer, mailFrom: options.mailFrom ?? 'Lode <campaigns@lode.invalid>' } : {}),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(code === 'EADDRINUSE'
        ? `port ${options.port} is in use (another Lode?): npm start -- --port ${options.port + 1}`
        : `cannot listen on ${HOST}:${options.port}: ${(error as Error).message}`);
    }
    out.write(`\nPublic check:   ${server.url}/check${checkExample ? `   (try ${checkExample})` : ''}; mail goes to ${check.mailer?.description ?? 'nowhere'}\n`);
    out.write(`Lode workbench: ${server.url}   (Ctrl-C to stop)\n`);
    if (password) {
      out.write(`\n  Log in as admin with password:  ${password}\n`);
      out.write('  Shown only this once: note it now. Only its argon2id hash is stored.\n');
      out.write('  (bin/lode user password admin sets a new one.)\n');
    } else {
      out.write('Log in with your user; a forgotten password: bin/lode user password NAME\n');
    }
    await stopSignal();
    out.write('\nstopping…\n');
  } finally {
    await server?.close();
    await check?.close();
    await store.close();
  }
}

function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

let options: StartOptions | 'help';
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`npm start: ${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (options === 'help') {
  process.stdout.write(USAGE);
} else {
  try {
    await start(options);
  } catch (error) {
    process.stderr.write(`npm start: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
