// `npm run bench:check -- [--credentials 1000000] [--duration 20] [--connections 50]`: the public
// side of issue 7 under load. A synthetic combo list of N credentials is ingested and published
// with the real CLI into a home kept in OUT (reused while N and the seed are the same), then:
//
// 1. the password range API (`GET /range/PREFIX`) of `lode serve`, run as a child process, side by
//    side with a static file server (bench/child-static-server.ts, also a child) serving the same
//    answers from files written with Lode's own formatRange: the same prefix sequence, the same
//    connections, alternating rounds so a drift of the shared machine hits both;
// 2. the range API alone with a mix of plain SHA-1, padded SHA-1 (`Add-Padding: true`) and NTLM;
// 3. the check (`POST /api/v1/check`) on bench/child-check-server.ts (the check as `lode serve`
//    runs it, with an easy challenge and raised limits), challenges fetched and solved first, half
//    the addresses in the list and half not: a burst that fits the notifier's queue and a flood
//    that does not, the answers to both kinds of address side by side, and the mails the notifier
//    writes to the outbox during and after each.
//
// Prints Markdown; a benchmark, it passes or fails nothing. It prints the bodies of non-2xx answers.
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeDemoCombolist } from '../src/generate/combolist.ts';
import { Rng } from '../src/generate/rng.ts';
import { formatRange, rangePrefixText } from '../src/breachcheck/range.ts';
import { solveChallenge } from '../src/breachcheck/proof-of-work.ts';
import { openSqliteCheckIndex } from '../src/store/sqlite/check-index.ts';
import { renderProfile, summariseProfile } from './cpu-profile.ts';
import { quantile, runLoad, startChildServer, stopChild, type ChildServer, type LoadRequest, type LoadRun } from './load.ts';
import { log } from './log.ts';
import { describeMachine } from './machine.ts';

const USAGE = `Usage: npm run bench:check -- [--credentials 1000000] [--duration 20] [--connections 50] [--rounds 2] [--prefixes 10000] [--bits 4] [--seed 42] [--out bench/out] [--cpu-prof DIR]
  --credentials  lines of the generated combo list; its home (store and public database) is kept in OUT and reused
  --duration     seconds of each range run; the flood of checks is sized to last about as long at the burst's rate
  --connections  concurrent clients, one keep-alive connection each
  --rounds       side-by-side rounds of Lode and the static server, alternating
  --prefixes     distinct random 5-hex prefixes the range runs ask for (their answers are the static files)
  --bits         proof-of-work difficulty of the check server (lode serve's default is 16; the server's cost is one hash whatever it is)
  --cpu-prof     write V8 CPU profiles of the servers into DIR and summarise them`;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LODE = join(ROOT, 'bin/lode');
const NODE_FLAGS = ['--disable-warning=ExperimentalWarning', '--max-semi-space-size=16'];
const DATASET = 'combo';
const BREACH = 'BenchCombo';
const MAIL_FROM = 'Lode check <check@lode.invalid>';
const PREFIX_SPACE = 0x100000;
/**
 * The range mix: a guess, not a measurement of real clients. Most range clients (password
 * managers, hibp libraries) ask SHA-1 without padding; some pad; NTLM is for administrators
 * auditing a Windows domain.
 */
const MIX = [{ label: 'sha1', share: 0.6 }, { label: 'sha1 padded', share: 0.25 }, { label: 'ntlm', share: 0.15 }] as const;
type RangeLabel = (typeof MIX)[number]['label'];
/** The side-by-side runs ask the mix without padding (padded answers are random: no file holds them). */
const SAME_ANSWERS = [{ label: 'sha1', share: 0.8 }, { label: 'ntlm', share: 0.2 }] as const;
const KNOWN_SHARE = 0.5;
/** Checks per connection of the warm-up run, and of the burst: 8,000 in all fits the notifier's queue. */
const CALIBRATION_PER_CONNECTION = 40;
const BURST_PER_CONNECTION = 160;
/** CheckService's default maxQueue (src/breachcheck/check-service.ts): beyond it a check is answered 429 "busy". */
const QUEUE_CAPACITY = 10_000;
const WARM_UP_SECONDS = 3;
const VERIFY_SAMPLE = 200;

type CheckHome = { home: string; list: string; credentials: number; seed: number; ingestSeconds: number; publishSeconds: number; reused: boolean };
type IndexFacts = { fileBytes: number; identifiers: number; byMode: Record<'sha1' | 'ntlm', { rows: number; prefixes: number; total: number }> };
type PoolFacts = { prefixes: number; meanRows: Record<'sha1' | 'ntlm', number>; emptyShare: Record<'sha1' | 'ntlm', number> };
type CheckRun = {
  run: LoadRun; solved: number; solveSeconds: number; knownAccepted: number;
  /** Mails in the outbox when the run ended, and when the notifier had caught up (drainSeconds later; undefined: it stalled). */
  mailsAtEnd: number; mails: number; drainSeconds: number | undefined;
  /** Mails written in each second of the run (sampled by the bench, so about a second each). */
  mailsPerSecond: number[];
};
type CheckFigures = { bits: number; warmUp: CheckRun; burst: CheckRun; flood: CheckRun; challenges: LoadRun; stats: Record<string, number> | undefined };

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      credentials: { type: 'string', default: '1000000' }, duration: { type: 'string', default: '20' }, connections: { type: 'string', default: '50' },
      rounds: { type: 'string', default: '2' }, prefixes: { type: 'string', default: '10000' }, bits: { type: 'string', default: '4' },
      seed: { type: 'string', default: '42' }, out: { type: 'string', default: 'bench/out' }, 'cpu-prof': { type: 'string' }, help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const credentials = Number(values.credentials.replace(/_/g, ''));
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const rounds = Number(values.rounds);
  const prefixCount = Math.min(PREFIX_SPACE, Number(values.prefixes));
  const bits = Number(values.bits);
  const seed = Number(values.seed);
  const out = resolve(values.out);
  const profileDirectory = values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']);
  await mkdir(out, { recursive: true });

  const checkHome = await ensureCheckHome(out, credentials, seed);
  const facts = describeIndex(join(checkHome.home, 'public', 'check.sqlite'));
  const pool = randomPrefixes(prefixCount, seed);
  const staticRoot = join(checkHome.home, 'static-answers');
  const poolFacts = await writeStaticAnswers(checkHome.home, staticRoot, pool);
  const loadBefore = loadavg();

  // ---- the range API
  const rangeProfiles = profileDirectory === undefined ? undefined : join(profileDirectory, 'range');
  const lode = await startChildServer(LODE, ['serve', '--port', '0', '--home', checkHome.home, '--outbox', join(checkHome.home, 'outbox-range'), '--mail-from', MAIL_FROM], {
    label: 'lode serve', env: childEnv(rangeProfiles),
  });
  const files = await startChildServer(process.execPath, [...NODE_FLAGS, join(ROOT, 'bench/child-static-server.ts'), staticRoot], { label: 'static server', env: childEnv(undefined) });
  const sideBySide: { lode: LoadRun; files: LoadRun }[] = [];
  let mix: LoadRun;
  try {
    await verifySameAnswers(lode.url, files.url, pool, seed);
    const same = (i: number) => rangeRequests(pool, i, connections, seed, SAME_ANSWERS);
    log(`warming up both servers, ${WARM_UP_SECONDS} s each`);
    await runLoad({ url: lode.url, title: 'warm-up', connections, duration: WARM_UP_SECONDS, requestsOf: (i) => rangeRequests(pool, i, connections, seed, MIX), serverPid: lode.child.pid! });
    await runLoad({ url: files.url, title: 'warm-up', connections, duration: WARM_UP_SECONDS, requestsOf: same, serverPid: files.child.pid! });
    for (let round = 1; round <= rounds; round++) {
      log(`round ${round}: Lode's range API, ${connections} connections for ${duration} s`);
      const onLode = await runLoad({ url: lode.url, title: 'lode', connections, duration, requestsOf: same, serverPid: lode.child.pid! });
      log(`round ${round}: the static file server, the same requests`);
      const onFiles = await runLoad({ url: files.url, title: 'static', connections, duration, requestsOf: same, serverPid: files.child.pid! });
      sideBySide.push({ lode: onLode, files: onFiles });
    }
    log(`the mix on Lode (${MIX.map((m) => `${Math.round(m.share * 100)}% ${m.label}`).join(', ')}) for ${duration} s`);
    mix = await runLoad({ url: lode.url, title: 'mix', connections, duration, requestsOf: (i) => rangeRequests(pool, i, connections, seed, MIX), serverPid: lode.child.pid! });
  } finally {
    await stopChild(lode.child);
    await stopChild(files.child);
  }

  // ---- the check
  const checkProfiles = profileDirectory === undefined ? undefined : join(profileDirectory, 'check');
  const check = await measureCheck({ checkHome, connections, duration, bits, seed, profileDirectory: checkProfiles });

  report({
    checkHome, facts, poolFacts, loadBefore, connections, duration, sideBySide, mix, check, lodeLog: lode.stderr,
    profiles: [
      ...(rangeProfiles ? [{ title: 'lode serve during the range runs (warm-up, side-by-side rounds, mix)', dir: rangeProfiles, inclusiveOf: ['formatRange', 'randomHex', 'range', 'dispatch'] }] : []),
      ...(checkProfiles ? [{ title: 'the check server during the check runs', dir: checkProfiles, inclusiveOf: ['submit', 'verifySolution', 'notify', 'findings', 'send', 'appendAudit', 'challenge'] }] : []),
    ],
  });
  return 0;
}

/** The environment of a server child: no settings of the caller's own Lode, a CPU profile if asked. */
function childEnv(profileDirectory: string | undefined): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('LODE_')));
  return profileDirectory === undefined ? env : { ...env, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDirectory}` };
}

/**
 * The home of this size and seed: the combo list ingested and published with the real CLI,
 * reused while its meta file says the same; a home without one is a broken earlier run.
 */
async function ensureCheckHome(out: string, credentials: number, seed: number): Promise<CheckHome> {
  const home = join(out, `check-${credentials}`);
  const list = join(home, 'combolist.txt');
  const metaPath = join(home, 'bench-meta.json');
  const key = JSON.stringify({ credentials, seed, generator: 'writeDemoCombolist', dataset: DATASET, breach: BREACH });
  const found = await readFile(metaPath, 'utf8').then((text) => JSON.parse(text) as { key: string; ingestSeconds: number; publishSeconds: number }, () => undefined);
  if (found?.key === key) {
    log(`home ${home}: reused`);
    return { home, list, credentials, seed, ingestSeconds: found.ingestSeconds, publishSeconds: found.publishSeconds, reused: true };
  }
  await rm(home, { recursive: true, force: true });
  await mkdir(home, { recursive: true });
  log(`writing a combo list of ${credentials.toLocaleString('en')} credentials (seed ${seed})`);
  await writeDemoCombolist({ lines: credentials, seed, out: list });
  log('bin/lode ingest');
  const ingestSeconds = await runLode(['ingest', list, '--dataset', DATASET, '--home', home, '--json']);
  log('bin/lode check publish');
  const publishSeconds = await runLode(['check', 'publish', DATASET, '--name', BREACH, '--title', 'Bench combo list (synthetic)', '--breach-date', '2020-06-01', '--home', home]);
  await writeFile(metaPath, `${JSON.stringify({ key, ingestSeconds, publishSeconds })}\n`);
  return { home, list, credentials, seed, ingestSeconds, publishSeconds, reused: false };
}

/** Runs the CLI to the end; resolves with its wall time in seconds. */
async function runLode(args: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(LODE, args, { stdio: ['ignore', 'ignore', 'pipe'], env: childEnv(undefined) });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const code = await new Promise<number | null>((done) => child.once('close', done));
  if (code !== 0) throw new Error(`lode ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`);
  return (performance.now() - started) / 1000;
}

function describeIndex(path: string): IndexFacts {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const byMode = { sha1: { rows: 0, prefixes: 0, total: 0 }, ntlm: { rows: 0, prefixes: 0, total: 0 } };
    for (const row of db.prepare('SELECT mode, count(*) AS r, count(DISTINCT prefix) AS p, sum(count) AS t FROM ranges GROUP BY mode').all()) {
      byMode[Number(row.mode) === 0 ? 'sha1' : 'ntlm'] = { rows: Number(row.r), prefixes: Number(row.p), total: Number(row.t) };
    }
    const identifiers = Number(db.prepare('SELECT count(*) AS n FROM identifiers').get()?.n);
    return { fileBytes: statSync(path).size, identifiers, byMode };
  } finally {
    db.close();
  }
}

/** Distinct random prefixes, seeded: the same pool for every server and every run. */
function randomPrefixes(count: number, seed: number): number[] {
  const rng = new Rng(seed, 71);
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(rng.int(PREFIX_SPACE));
  return [...chosen];
}

/**
 * Each pool prefix's unpadded answer in both modes, as Lode computes it (the index's rows through
 * formatRange), written where the static server looks: DIR/MODE/PREFIX.
 */
async function writeStaticAnswers(home: string, root: string, pool: readonly number[]): Promise<PoolFacts> {
  await rm(root, { recursive: true, force: true });
  const index = openSqliteCheckIndex(join(home, 'public', 'check.sqlite'));
  const rows = { sha1: 0, ntlm: 0 };
  const empty = { sha1: 0, ntlm: 0 };
  try {
    for (const mode of ['sha1', 'ntlm'] as const) {
      await mkdir(join(root, mode), { recursive: true });
      for (const prefix of pool) {
        const found = await index.range(mode, prefix);
        rows[mode] += found.length;
        if (found.length === 0) empty[mode] += 1;
        await writeFile(join(root, mode, rangePrefixText(prefix)), formatRange(found, { mode, padding: false }));
      }
    }
  } finally {
    await index.close();
  }
  log(`wrote ${pool.length * 2} static answers into ${root}`);
  return {
    prefixes: pool.length,
    meanRows: { sha1: rows.sha1 / pool.length, ntlm: rows.ntlm / pool.length },
    emptyShare: { sha1: empty.sha1 / pool.length, ntlm: empty.ntlm / pool.length },
  };
}

/** The comparison is only fair if both answer alike: a sample, byte for byte, before any run. */
async function verifySameAnswers(lodeUrl: string, filesUrl: string, pool: readonly number[], seed: number): Promise<void> {
  const rng = new Rng(seed, 73);
  for (let i = 0; i < VERIFY_SAMPLE; i++) {
    const path = `/range/${rangePrefixText(rng.pick(pool))}${i % 2 === 0 ? '' : '?mode=ntlm'}`;
    const [fromLode, fromFiles] = await Promise.all([fetch(`${lodeUrl}${path}`), fetch(`${filesUrl}${path}`)]);
    const [a, b] = [await fromLode.text(), await fromFiles.text()];
    if (fromLode.status !== 200 || fromFiles.status !== 200 || a !== b) throw new Error(`${path}: Lode answered ${fromLode.status} (${a.length} chars), the files ${fromFiles.status} (${b.length} chars): not the same answers`);
  }
  log(`the static server answers ${VERIFY_SAMPLE} sampled prefixes byte for byte as Lode does`);
}

/**
 * Connection i's range requests: its own share of the pool, each prefix with a seeded draw of its
 * class; autocannon starts the list again after its last. Short lists on purpose: autocannon
 * builds them all before the later connections start (10,000 requests took it 0.15 s, 100,000
 * took 1.5 s).
 */
function rangeRequests(pool: readonly number[], i: number, connections: number, seed: number, mix: readonly { label: RangeLabel; share: number }[]): LoadRequest[] {
  const rng = new Rng(seed, 1000 + i);
  const start = Math.floor((i * pool.length) / connections);
  const share = Math.max(1, Math.floor(pool.length / connections));
  return Array.from({ length: share }, (_, k) => {
    const prefix = rangePrefixText(pool[(start + k) % pool.length]!);
    let draw = rng.next();
    const label = mix.find((m) => (draw -= m.share) < 0)?.label ?? mix[0]!.label;
    return {
      method: 'GET', label,
      path: `/range/${prefix}${label === 'ntlm' ? '?mode=ntlm' : ''}`,
      ...(label === 'sha1 padded' ? { headers: { 'add-padding': 'true' } } : {}),
    };
  });
}

// ---------------------------------------------------------------------------------- the check

async function measureCheck(options: { checkHome: CheckHome; connections: number; duration: number; bits: number; seed: number; profileDirectory: string | undefined }): Promise<CheckFigures> {
  const { checkHome, connections, duration, bits, seed } = options;
  const outbox = join(checkHome.home, 'outbox-check');
  await rm(outbox, { recursive: true, force: true });
  await mkdir(outbox, { recursive: true });
  const server = await startChildServer(process.execPath, [...NODE_FLAGS, join(ROOT, 'bench/child-check-server.ts'),
    '--home', checkHome.home, '--outbox', outbox, '--mail-from', MAIL_FROM, '--bits', String(bits), '--limit', '10000000'], {
    label: 'check server', env: childEnv(options.profileDirectory), stdout: 'pipe',
  });
  let stdout = '';
  server.child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  const addresses = new CheckAddresses(checkHome, seed);
  // each run's checks, then the mails they caused: counted in the outbox until all have come
  const checkRun = async (amount: number, runSeed: number, challengeRun?: (run: LoadRun) => void): Promise<CheckRun> => {
    const challenges = await fetchChallenges(server, connections, amount);
    challengeRun?.(challenges);
    const solved = solveAll(challenges.bodies, bits);
    const before = (await readdir(outbox)).length;
    // the notifier's progress while the checks come in, once a second
    const mailsPerSecond: number[] = [];
    let sampled = before;
    const sampler = setInterval(() => {
      void readdir(outbox).then((names) => {
        mailsPerSecond.push(names.length - sampled);
        sampled = names.length;
      });
    }, 1000);
    const run = await runChecks(server, connections, solved.solved, addresses, runSeed).finally(() => clearInterval(sampler));
    const atEnd = (await readdir(outbox)).length - before;
    const known = knownAccepted(run);
    const drainSeconds = await waitForMails(outbox, before + known);
    return { run, solved: solved.solved.length, solveSeconds: solved.seconds, knownAccepted: known, mailsAtEnd: atEnd, mails: (await readdir(outbox)).length - before, drainSeconds, mailsPerSecond };
  };
  try {
    log(`check: warming up with ${connections * CALIBRATION_PER_CONNECTION} checks`);
    const warmUp = await checkRun(connections * CALIBRATION_PER_CONNECTION, seed + 1);
    log(`check: a burst of ${connections * BURST_PER_CONNECTION} checks (the notifier's queue holds ${QUEUE_CAPACITY})`);
    const burst = await checkRun(connections * BURST_PER_CONNECTION, seed + 2);
    const rate = answered(burst.run) / burst.run.seconds;
    const perConnection = Math.max(CALIBRATION_PER_CONNECTION, Math.ceil((rate * duration) / connections));
    log(`check: a flood of ${perConnection * connections} checks, about ${duration} s at the burst's rate`);
    let challenges: LoadRun | undefined;
    const flood = await checkRun(perConnection * connections, seed + 3, (run) => (challenges = run));
    await stopChild(server.child, 120_000);
    const statsLine = stdout.trim().split('\n').pop();
    const stats = statsLine ? JSON.parse(statsLine) as Record<string, number> : undefined;
    return { bits, warmUp, burst, flood, challenges: challenges!, stats };
  } finally {
    await stopChild(server.child);
  }
}

/** Issued challenges, each to be solved and spent once; the run that fetches them is measured too. */
async function fetchChallenges(server: ChildServer, connections: number, amount: number): Promise<LoadRun> {
  const run = await runLoad({
    url: server.url, title: 'challenges', connections, amount, keepBodies: true, serverPid: server.child.pid!,
    requestsOf: () => [{ method: 'POST', path: '/api/v1/check/challenge', label: 'challenge' }],
  });
  if (run.bodies.length < amount) throw new Error(`asked for ${amount} challenges, got ${run.bodies.length}: ${JSON.stringify(run.failures.slice(0, 3))}`);
  return run;
}

type Solved = { challenge: string; solution: string };

function solveAll(bodies: readonly string[], bits: number): { solved: Solved[]; seconds: number } {
  const started = performance.now();
  const solved = bodies.map((body) => {
    const issued = JSON.parse(body) as { challenge: string; bits: number };
    if (issued.bits !== bits) throw new Error(`the server issued ${issued.bits}-bit challenges, not ${bits}`);
    return { challenge: issued.challenge, solution: solveChallenge(issued.challenge, issued.bits) };
  });
  return { solved, seconds: (performance.now() - started) / 1000 };
}

/**
 * Addresses to check: known ones are lines of the combo list, each used once (so each earns its
 * own mail); unknown ones have the same shape with numbers past the list's last line.
 */
class CheckAddresses {
  private readonly checkHome: CheckHome;
  private readonly rng: Rng;
  private known: string[] = [];
  private nextKnown = 0;
  private nextUnknown = 0;

  constructor(checkHome: CheckHome, seed: number) {
    this.checkHome = checkHome;
    this.rng = new Rng(seed, 77);
  }

  /** Reads the first `count` addresses of the list (all of it when shorter: then known ones repeat). */
  async load(count: number): Promise<void> {
    if (this.known.length >= Math.min(count, this.checkHome.credentials)) return;
    const known: string[] = [];
    const lines = createInterface({ input: createReadStream(this.checkHome.list) });
    for await (const line of lines) {
      known.push(line.slice(0, line.indexOf(':')));
      if (known.length >= count) break;
    }
    lines.close();
    this.known = known;
  }

  take(isKnown: boolean): string {
    if (isKnown) return this.known[this.nextKnown++ % this.known.length]!;
    const n = this.checkHome.credentials + 1 + this.nextUnknown++;
    const given = this.rng.pick(['jan', 'sanne', 'mohamed', 'emma', 'daan', 'fleur', 'noah', 'lotte']);
    const family = this.rng.pick(['devries', 'jansen', 'bakker', 'visser', 'smit', 'meijer']);
    return `${given}.${family}${n}@${this.rng.pick(['ziggo.example.nl', 'gmail.example.com', 'telenet.example.be'])}`;
  }

  get neededSoFar(): number {
    return this.nextKnown;
  }
}

async function runChecks(server: ChildServer, connections: number, solved: readonly Solved[], addresses: CheckAddresses, seed: number): Promise<LoadRun> {
  const perConnection = Math.floor(solved.length / connections);
  await addresses.load(addresses.neededSoFar + solved.length);
  const lists = Array.from({ length: connections }, (_, i) => {
    const rng = new Rng(seed, 2000 + i);
    return Array.from({ length: perConnection }, (_, k): LoadRequest => {
      const { challenge, solution } = solved[i * perConnection + k]!;
      const isKnown = rng.chance(KNOWN_SHARE);
      return {
        method: 'POST', path: '/api/v1/check', label: isKnown ? 'known' : 'unknown', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: addresses.take(isKnown), language: rng.chance(0.8) ? 'nl' : 'en', challenge, solution }),
      };
    });
  });
  return runLoad({ url: server.url, title: 'checks', connections, amount: perConnection * connections, requestsOf: (i) => lists[i]!, serverPid: server.child.pid! });
}

/** Answers measured (those left out at the start not counted). */
function answered(run: LoadRun): number {
  let count = 0;
  for (const figures of run.byLabel.values()) count += figures.latencyMs.length;
  return count;
}

function knownAccepted(run: LoadRun): number {
  const known = run.byLabel.get('known');
  return known ? known.bodyBytes.length : 0;
}

/**
 * Waits until the outbox holds `expected` mails; resolves with the seconds from the call (the end
 * of a run) to the last of them, or undefined when the outbox stopped growing for 15 s short of it.
 */
async function waitForMails(outbox: string, expected: number): Promise<number | undefined> {
  const started = performance.now();
  let count = -1;
  let lastChange = performance.now();
  for (;;) {
    const now = (await readdir(outbox)).length;
    if (now !== count) {
      count = now;
      lastChange = performance.now();
    }
    if (count >= expected) return (lastChange - started) / 1000;
    if (performance.now() - lastChange > 15_000) {
      log(`the outbox stopped at ${count} of ${expected} mails`);
      return undefined;
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}

// ---------------------------------------------------------------------------------- the report

type Report = {
  checkHome: CheckHome; facts: IndexFacts; poolFacts: PoolFacts; loadBefore: number[]; connections: number; duration: number;
  sideBySide: { lode: LoadRun; files: LoadRun }[]; mix: LoadRun; check: CheckFigures; lodeLog: string[];
  profiles: { title: string; dir: string; inclusiveOf: string[] }[];
};

const number = (n: number): string => Math.round(n).toLocaleString('en');
const ms = (n: number): string => (n < 1 ? n.toFixed(2) : n < 10 ? n.toFixed(1) : n.toFixed(0));
const percent = (part: number, whole: number): string => `${Math.round((100 * part) / whole)}%`;

/** All latencies of a run, over its labels, sorted. */
function allLatencies(run: LoadRun): number[] {
  return [...run.byLabel.values()].flatMap((f) => f.latencyMs).sort((a, b) => a - b);
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}

const HEADER = [
  '| 2xx answers | 2xx/s | latency p50 | p90 | p99 | max | errors / timeouts / non-2xx | body bytes per answer | server CPU | autocannon CPU |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];

/** The header of a table whose first column is `first`. */
function header(first: string): string[] {
  return [`| ${first} ${HEADER[0]}`, `| --- ${HEADER[1]}`];
}

/** One table row of a run (or of one label of it): 2xx answers, their rate and latencies, failures, bytes, CPU. */
function row(name: string, run: LoadRun, label?: string): string {
  const figures = label === undefined ? [...run.byLabel.values()] : [run.byLabel.get(label)].filter((x) => x !== undefined);
  const latencies = figures.flatMap((f) => f.latencyMs).sort((a, b) => a - b);
  const bytes = figures.flatMap((f) => f.bodyBytes);
  const non2xx = figures.reduce((sum, f) => sum + f.non2xxLatencyMs.length, 0);
  const failures = label === undefined ? `${run.result.errors} / ${run.result.timeouts} / ${number(non2xx)}` : `- / - / ${number(non2xx)}`;
  const cpu = label === undefined ? `${percent(run.serverCpuSeconds, run.wallSeconds)} | ${percent(run.benchCpuSeconds, run.wallSeconds)}` : ' | ';
  return `| ${name} | ${number(latencies.length)} in ${run.seconds.toFixed(1)} s | ${number(latencies.length / run.seconds)} | ${ms(quantile(latencies, 0.5))} ms | ` +
    `${ms(quantile(latencies, 0.9))} ms | ${ms(quantile(latencies, 0.99))} ms | ${ms(latencies.at(-1) ?? 0)} ms | ${failures} | ${number(mean(bytes))} | ${cpu} |`;
}

/** Latencies of the non-2xx answers of a run, per label: how fast a refusal is. */
function refusals(run: LoadRun): string {
  return [...run.byLabel].filter(([, f]) => f.non2xxLatencyMs.length > 0)
    .map(([label, f]) => `${label} ${number(f.non2xxLatencyMs.length)} (p50 ${ms(quantile(f.non2xxLatencyMs, 0.5))} ms, p99 ${ms(quantile(f.non2xxLatencyMs, 0.99))} ms)`).join(', ') || 'none';
}

function report(r: Report): void {
  const machine = describeMachine();
  const f = r.facts;
  const lines: string[] = [
    `# The public check under load: ${number(r.checkHome.credentials)} credentials (seed ${r.checkHome.seed}), ${r.connections} connections`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB} GiB, ${machine.kernel}, Node ${machine.node}, SQLite ${machine.sqlite}; ` +
      `load average ${r.loadBefore.map((l) => l.toFixed(1)).join(' ')} before the runs; autocannon runs on it too, in the bench process.`,
    '',
    `Data: a synthetic combo list (\`writeDemoCombolist\`) of ${number(r.checkHome.credentials)} lines, ingested with \`bin/lode ingest\` in ${r.checkHome.ingestSeconds.toFixed(1)} s ` +
      `and published with \`bin/lode check publish\` in ${r.checkHome.publishSeconds.toFixed(1)} s${r.checkHome.reused ? ' (an earlier run; reused)' : ''} ` +
      `into a check.sqlite of ${number(f.fileBytes / 2 ** 20)} MiB: ${number(f.identifiers)} keyed addresses; ${number(f.byMode.sha1.rows)} distinct SHA-1 and ${number(f.byMode.ntlm.rows)} NTLM hashes, ` +
      `in ${number(f.byMode.sha1.prefixes)} and ${number(f.byMode.ntlm.prefixes)} of the 1,048,576 prefixes. ` +
      `The runs ask ${number(r.poolFacts.prefixes)} random prefixes: their unpadded answers hold ${r.poolFacts.meanRows.sha1.toFixed(2)} (SHA-1) and ` +
      `${r.poolFacts.meanRows.ntlm.toFixed(2)} (NTLM) rows on average, ${Math.round(100 * r.poolFacts.emptyShare.sha1)}% and ${Math.round(100 * r.poolFacts.emptyShare.ntlm)}% of them empty.`,
    '',
    `## Range API: Lode and a static file server, the same answers (${SAME_ANSWERS.map((m) => `${Math.round(m.share * 100)}% ${m.label}`).join(', ')}, unpadded)`,
    '',
    ...header('run'),
  ];
  r.sideBySide.forEach((round, i) => {
    lines.push(row(`round ${i + 1}: Lode \`GET /range/{prefix}\``, round.lode), row(`round ${i + 1}: static files (node:http)`, round.files));
  });
  lines.push('', r.sideBySide.map((round, i) => {
    const lodeRate = answered(round.lode) / round.lode.seconds;
    const filesRate = answered(round.files) / round.files.seconds;
    return `Round ${i + 1}: the static server answered ${(filesRate / lodeRate).toFixed(2)}x Lode's requests a second, ` +
      `Lode's p99 ${(quantile(allLatencies(round.lode), 0.99) / quantile(allLatencies(round.files), 0.99)).toFixed(2)}x the static server's.`;
  }).join(' '));
  lines.push('', slowestNote(r.sideBySide.flatMap((round, i) => [[`round ${i + 1} Lode`, round.lode], [`round ${i + 1} static`, round.files]] as const)));
  lines.push('', `## Range API: the mix on Lode (${MIX.map((m) => `${Math.round(m.share * 100)}% ${m.label}`).join(', ')})`, '',
    ...header('class'),
    row('all', r.mix),
    ...MIX.map((m) => row(m.label, r.mix, m.label)), '', slowestNote([['mix', r.mix]]));

  const c = r.check;
  const mailLine = (name: string, x: CheckRun): string => `${name}: ${number(x.knownAccepted)} checks of known addresses accepted, ${number(x.mailsAtEnd)} mails in the outbox when the run ended, ` +
    (x.drainSeconds === undefined ? `${number(x.mails)} when it stopped growing (short of all)` : `all ${number(x.mails)} ${x.drainSeconds.toFixed(1)} s later`) +
    ` (${((x.mails - x.mailsAtEnd) / Math.max(0.1, x.drainSeconds ?? 0)).toFixed(0)} mails/s after the run).`;
  lines.push('', `## The check (\`POST /api/v1/check\`, challenges of ${c.bits} bits, ${Math.round(KNOWN_SHARE * 100)}% of the addresses in the list)`, '',
    ...header('run'),
    row('challenges (`POST /api/v1/check/challenge`)', c.challenges),
    row(`burst of ${number(c.burst.solved)} checks: all`, c.burst.run),
    row('burst: known addresses', c.burst.run, 'known'),
    row('burst: unknown addresses', c.burst.run, 'unknown'),
    row(`flood of ${number(c.flood.solved)} checks: all`, c.flood.run),
    row('flood: known addresses', c.flood.run, 'known'),
    row('flood: unknown addresses', c.flood.run, 'unknown'),
    '', slowestNote([['challenges', c.challenges], ['burst', c.burst.run], ['flood', c.flood.run]]),
    '', `Refused (non-2xx) answers: burst ${refusals(c.burst.run)}; flood ${refusals(c.flood.run)}.`,
    '', ...[['burst', c.burst] as const, ['flood', c.flood] as const].map(([name, x]) => `Each second of the ${name}: accepted ${seriesText(x.run.perSecond.ok)}; ` +
      `refused ${seriesText(x.run.perSecond.refused)}; mails written ${seriesText(x.mailsPerSecond)}.`),
    '', `Mails. ${mailLine('Burst', c.burst)} ${mailLine('Flood', c.flood)} ` +
      `The service counted ${c.stats ? Object.entries(c.stats).map(([k, v]) => `${k} ${number(v)}`).join(', ') : '(no counts)'}, the warm-up's ` +
      `${number(c.warmUp.solved)} checks included. Solving the flood's ${number(c.flood.solved)} challenges took the bench ${c.flood.solveSeconds.toFixed(1)} s.`);

  for (const [name, run] of [...r.sideBySide.flatMap((round, i) => [[`round ${i + 1} Lode`, round.lode], [`round ${i + 1} static`, round.files]] as const), ['mix', r.mix] as const,
    ['challenges', c.challenges] as const, ['burst', c.burst.run] as const, ['flood', c.flood.run] as const]) {
    if (run.result.non2xx === 0 && run.failures.length === 0 && run.result.errors === 0) continue;
    lines.push('', `Failures in the ${name} run: ${JSON.stringify(run.result.statusCodeStats)}, ${run.result.errors} errors, ${run.result.timeouts} timeouts`);
    for (const failure of run.failures.slice(0, 3)) lines.push(`- ${failure.status} ${failure.label} ${failure.path}: ${failure.body}`);
  }
  const serverLog = r.lodeLog.filter((line) => !/listening on|created user|mail goes to/.test(line));
  if (serverLog.length > 0) lines.push('', 'lode serve said:', '', '```', ...serverLog.slice(0, 40), '```');
  for (const profile of r.profiles) {
    const file = existsSync(profile.dir) ? newestProfile(profile.dir) : undefined;
    if (!file) continue;
    lines.push('', `### CPU profile: ${profile.title}`, '', `(\`${file}\`)`, '', ...renderProfile(summariseProfile(file, { inclusiveOf: profile.inclusiveOf })));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function seriesText(values: readonly (number | undefined)[]): string {
  return values.length === 0 ? '-' : Array.from(values, (v) => number(v ?? 0)).join(' ');
}

/** Where each run's slowest answer came: at the start it is connection set-up, later a pause of a process. */
function slowestNote(runs: readonly (readonly [string, LoadRun])[]): string {
  return `Slowest answer (the max column) and when it came: ${runs.map(([name, run]) => `${name} ${ms(run.slowest.ms)} ms (${run.slowest.label}) at ${run.slowest.atSeconds.toFixed(1)} s`).join('; ')}. ` +
    `Left out as set-up of the bench (sent before autocannon had set up every connection): ${runs.map(([name, run]) => `${name} ${run.leftOutAtStart}`).join(', ')} answers.`;
}

/** The profile a child wrote last (node names them CPU.DATE.TIME.PID...: they sort by time). */
function newestProfile(dir: string): string | undefined {
  const names = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile')).sort();
  return names.length === 0 ? undefined : join(dir, names.at(-1)!);
}

process.exitCode = await main();
