// `npm run bench:campaign -- [--people 100000] [--messages 1000]`: an intervention campaign at the
// scale of a seized leak market. The market is generated and ingested with the real CLI into a
// store kept in OUT (reused while N and the seed are the same); each run works on a fresh copy of
// it. Each step runs in a child process of its own (bench/child-campaign.ts), so its peak memory
// is its own:
//   1. selectRecipients for the Dutch paying users (accounts/s, peak RSS), stored as campaigns;
//   2. a PDF letter for every recipient (letters/s, bytes per PDF);
//   3. e-mails to the first --messages recipients, unthrottled, side by side through the real
//      SMTP server of the tests on loopback (STARTTLS, login; in a process of its own), through
//      the same with one pooled connection (not Lode's mailer: what pooling would change), and
//      through the outbox mailer (.eml files).
// Prints Markdown; a benchmark, it passes or fails nothing.
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createReadStream, existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchScript, runChild, type ChildRun } from './child.ts';
import { stopChild } from './load.ts';
import { log } from './log.ts';
import { describeMachine } from './machine.ts';

const USAGE = `Usage: npm run bench:campaign -- [--people 100000] [--messages 1000] [--seed 42] [--out bench/out]
  --people    people of the generated leak market (each holds 1-3 accounts); its store is kept in OUT and reused
  --messages  e-mails each mailer sends (the first recipients with an address)`;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LODE = join(ROOT, 'bin/lode');
const DATASET = 'market';
const CAMPAIGNS = { smtp: 'bench-smtp', pooled: 'bench-pooled', outbox: 'bench-outbox' } as const;

type MarketStore = { dir: string; dump: string; storePath: string; people: number; seed: number; dumpBytes: number; generateSeconds: number; ingestSeconds: number; accounts: number; events: number; reused: boolean; plantedNlPaying: number | undefined };
type Smtp = { url: string; ca: string; stop(): Promise<{ received: number; bytes: number; secure: number } | undefined> };

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '100000' }, messages: { type: 'string', default: '1000' }, seed: { type: 'string', default: '42' },
      out: { type: 'string', default: 'bench/out' }, help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const people = Number(values.people.replace(/_/g, ''));
  const messages = Number(values.messages);
  const seed = Number(values.seed);
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });

  const market = await ensureMarketStore(out, people, seed);
  const run = join(market.dir, 'run');
  await rm(run, { recursive: true, force: true });
  await mkdir(run, { recursive: true });
  const store = join(run, 'lode.sqlite');
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(market.storePath + suffix)) await copyFile(market.storePath + suffix, store + suffix);
  const loadBefore = loadavg();

  log(`select: Dutch paying users of ${people.toLocaleString('en')} people`);
  const select = await runChild(benchScript('child-campaign.ts'), ['select', '--store', store, '--dataset', DATASET, '--campaigns', Object.values(CAMPAIGNS).join(',')], 'select');
  log('letters');
  const letters = await runChild(benchScript('child-campaign.ts'), ['letters', '--store', store, '--campaign', CAMPAIGNS.smtp, '--out', join(run, 'letters')], 'letters');

  log('starting the SMTP server (test/mail/smtp-fixture.ts) in a child process');
  const smtp = await startSmtp(run);
  const sends: { name: string; child: ChildRun }[] = [];
  let received;
  try {
    const smtpArgs = ['--url', `${smtp.url}?requireTLS=true`, '--ca', join(run, 'smtp-ca.pem'), '--messages', String(messages)];
    log(`send: ${messages} e-mails through Lode's SMTP mailer`);
    sends.push({ name: 'SMTP, Lode\'s mailer (a connection, STARTTLS and login per message)', child: await runChild(benchScript('child-campaign.ts'), ['send', '--store', store, '--campaign', CAMPAIGNS.smtp, '--mailer', 'smtp', ...smtpArgs], 'send smtp') });
    log(`send: ${messages} e-mails through one pooled SMTP connection`);
    sends.push({ name: 'SMTP, one pooled connection (bench only, not Lode\'s mailer)', child: await runChild(benchScript('child-campaign.ts'), ['send', '--store', store, '--campaign', CAMPAIGNS.pooled, '--mailer', 'smtp-pooled', ...smtpArgs], 'send pooled') });
  } finally {
    received = await smtp.stop();
  }
  log(`send: ${messages} e-mails into the outbox`);
  sends.push({ name: 'outbox mailer (.eml files)', child: await runChild(benchScript('child-campaign.ts'), ['send', '--store', store, '--campaign', CAMPAIGNS.outbox, '--mailer', 'outbox', '--outbox', join(run, 'outbox'), '--messages', String(messages)], 'send outbox') });

  report({ market, loadBefore, select, letters, sends, received, messages });
  return 0;
}

/** The market of this size and seed, generated and ingested with the real CLI; reused while its meta file says the same. */
async function ensureMarketStore(out: string, people: number, seed: number): Promise<MarketStore> {
  const dir = join(out, `campaign-${people}`);
  const dump = join(dir, 'market.sql');
  const storePath = join(dir, 'base', 'lode.sqlite');
  const metaPath = join(dir, 'bench-meta.json');
  const key = JSON.stringify({ people, seed, generator: 'writeMarketDump', dataset: DATASET });
  type Meta = { key: string; generateSeconds: number; ingestSeconds: number; accounts: number; events: number };
  const found = await readFile(metaPath, 'utf8').then((text) => JSON.parse(text) as Meta, () => undefined);
  let meta: Meta;
  if (found?.key === key) {
    log(`store ${storePath}: reused`);
    meta = found;
  } else {
    await rm(dir, { recursive: true, force: true });
    await mkdir(join(dir, 'base'), { recursive: true });
    log(`bin/lode generate --market --people ${people}`);
    const generated = await runLode(['generate', '--market', '--people', String(people), '--seed', String(seed), '--out', dump]);
    log('bin/lode ingest');
    const ingested = await runLode(['ingest', dump, '--dataset', DATASET, '--home', join(dir, 'base'), '--json']);
    const report = JSON.parse(ingested.stdout) as { accounts: number; events: number };
    meta = { key, generateSeconds: generated.seconds, ingestSeconds: ingested.seconds, accounts: report.accounts, events: report.events };
    await writeFile(metaPath, `${JSON.stringify(meta)}\n`);
  }
  return {
    dir, dump, storePath, people, seed, dumpBytes: (await stat(dump)).size, reused: found?.key === key, ...meta,
    plantedNlPaying: await plantedDutchPaying(`${dump}.truth.jsonl`),
  };
}

/** The generator's own count of Dutch paying people (the truth file's last line): context for the selection. */
async function plantedDutchPaying(truthPath: string): Promise<number | undefined> {
  let last = '';
  for await (const line of createInterface({ input: createReadStream(truthPath) })) if (line.trim()) last = line;
  const summary = JSON.parse(last) as { kind: string; countries?: { NL?: { paying: number } } };
  return summary.kind === 'summary' ? summary.countries?.NL?.paying : undefined;
}

async function runLode(args: string[]): Promise<{ seconds: number; stdout: string }> {
  const started = performance.now();
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('LODE_')));
  const child = spawn(LODE, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const code = await new Promise<number | null>((done) => child.once('close', done));
  if (code !== 0) throw new Error(`lode ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`);
  return { seconds: (performance.now() - started) / 1000, stdout };
}

/** bench/child-smtp.ts: resolves when it listens; its CA goes to a file for the senders. */
async function startSmtp(run: string): Promise<Smtp> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', benchScript('child-smtp.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const received: string[] = [];
  const first = await new Promise<string>((done, fail) => {
    lines.on('line', (line) => {
      received.push(line);
      if (received.length === 1) done(line);
    });
    child.once('exit', (code) => fail(new Error(`the SMTP server exited with ${code}`)));
  });
  const { url, ca } = JSON.parse(first) as { url: string; ca: string };
  await writeFile(join(run, 'smtp-ca.pem'), ca);
  return {
    url, ca,
    async stop() {
      await stopChild(child, 30_000);
      const last = received.at(-1);
      return received.length > 1 && last ? JSON.parse(last) as { received: number; bytes: number; secure: number } : undefined;
    },
  };
}

// ---------------------------------------------------------------------------------- the report

type Report = {
  market: MarketStore; loadBefore: number[]; select: ChildRun; letters: ChildRun; sends: { name: string; child: ChildRun }[];
  received: { received: number; bytes: number; secure: number } | undefined; messages: number;
};

const number = (n: number): string => Math.round(n).toLocaleString('en');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const mib = (kib: number): string => `${number(kib / 1024)} MiB`;

function report(r: Report): void {
  const machine = describeMachine();
  const m = r.market;
  const s = r.select.output as { accounts: number; peopleConsidered: number; ofCountry: number; selected: number; withEmail: number; excluded: Record<string, number>; selectMs: number; rssBeforeKiB: number; storeMsEach: number };
  const l = r.letters.output as { letters: number; withoutAddress: number; ms: number; bytes: number };
  const peak = (run: ChildRun): string => mib(run.memory.vmHwmKiB ?? run.memory.maxRssKiB);
  const lines = [
    `# An intervention campaign: a leak market of ${number(m.people)} people (seed ${m.seed})`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB} GiB, ${machine.kernel}, Node ${machine.node}, SQLite ${machine.sqlite}; ` +
      `load average ${r.loadBefore.map((x) => x.toFixed(1)).join(' ')} before the steps.`,
    '',
    `Data: \`bin/lode generate --market\` wrote a ${number(m.dumpBytes / 2 ** 20)} MiB mysqldump in ${m.generateSeconds.toFixed(1)} s; \`bin/lode ingest\` took ` +
      `${m.ingestSeconds.toFixed(1)} s for its ${number(m.accounts)} accounts and ${number(m.events)} events${m.reused ? ' (an earlier run; reused)' : ''}. ` +
      `The generator planted ${m.plantedNlPaying === undefined ? '?' : number(m.plantedNlPaying)} Dutch paying people (by their true country, whatever evidence they left).`,
    '',
    '| step | what | wall time | rate | peak RSS of the process |',
    '| --- | --- | ---: | ---: | ---: |',
    `| \`selectRecipients\` (NL, paid) | ${number(s.accounts)} accounts, ${number(s.peopleConsidered)} people; ${number(s.ofCountry)} with Dutch evidence; ${number(s.selected)} selected ` +
      `(${Object.entries(s.excluded).map(([k, v]) => `${number(v)} left out by --${k}`).join(', ') || 'none left out'}) | ${seconds(s.selectMs)} | ${number(s.accounts / (s.selectMs / 1000))} accounts/s | ` +
      `${peak(r.select)} (${mib(s.rssBeforeKiB)} before it: Node and geoip-lite) |`,
    `| \`storeCampaign\` | the ${number(s.selected)} recipients as one campaign | ${seconds(s.storeMsEach)} | ${number(s.selected / (s.storeMsEach / 1000))} recipients/s | |`,
    `| \`generateLetters\` | ${number(l.letters)} PDF letters, ${number(l.bytes / l.letters)} bytes each (${number(l.bytes / 2 ** 20)} MiB), recipients updated | ${seconds(l.ms)} | ` +
      `${(l.letters / (l.ms / 1000)).toFixed(0)} letters/s | ${peak(r.letters)} |`,
  ];
  for (const send of r.sends) {
    const o = send.child.output as { sent: number; bounced: number; failed: number; ms: number };
    lines.push(`| \`sendCampaignEmails\`, ${send.name} | ${number(o.sent)} sent, ${o.bounced} bounced, ${o.failed} failed, recipients updated | ${seconds(o.ms)} | ` +
      `${(o.sent / (o.ms / 1000)).toFixed(0)} messages/s | ${peak(send.child)} |`);
  }
  lines.push('', `(${number(s.withEmail)} of the ${number(s.selected)} selected have an e-mail address; each mailer sent to the first ${number(r.messages)} of them, ` +
    'from its own campaign of the same selection. The times are of the step\'s own function, without the process start; peak RSS is VmHWM of the step\'s process.)');
  if (r.received) lines.push('', `The SMTP server received ${number(r.received.received)} messages (${number(r.received.bytes / r.received.received)} bytes each), ${number(r.received.secure)} of them over TLS.`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

process.exitCode = await main();
