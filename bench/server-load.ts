// `npm run bench:server -- [--messages 200000] [--duration 30] [--items-duration 10] [--connections 50]`:
// the HTTP API under load. Many analysts searching at once, each on their own keep-alive
// connection with their own bearer token, against `lode serve` running as a child process (so
// the load generator does not share the server's event loop), then a shorter run opening items
// (the conversation view). Prints Markdown; a benchmark, it passes or fails nothing, but it
// prints the bodies of any non-2xx answers, since under load those are bugs to chase.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { ingest } from '../src/ingest/pipeline.ts';
import { hashPassword } from '../src/security/passwords.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { ensureCorpus, type Corpus } from './corpus.ts';
import { cpuSecondsOf, quantile, startChildServer, stopChild, type ChildServer } from './load.ts';
import { log } from './log.ts';
import { describeMachine } from './machine.ts';
import { pickHandles, queryMix } from './queries.ts';

const USAGE = `Usage: npm run bench:server -- [--messages 200000] [--duration 30] [--items-duration 10] [--connections 50] [--out bench/out] [--cpu-prof DIR]
  --messages        size of the generated corpus (seed 42); its store is kept in OUT and reused
  --duration        seconds of the search run
  --items-duration  seconds of the item (conversation view) run
  --connections     concurrent analysts: one user, one token and one keep-alive connection each
  --cpu-prof        write a V8 CPU profile of the server (logins and both runs) into DIR`;

const DATASET = 'bench';
// the same for every analyst: argon2id takes a good fraction of a second, so it is hashed once
const PASSWORD = 'bench analysts share this password';
// what the workbench asks for: the first page of 50 hits with facets, and 8 messages either side of an item
const SEARCH_PARAMETERS = { limit: '50', sort: 'newest', facets: 'true' };
const ITEM_CONTEXT = 8;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

type LoadRun = { result: autocannon.Result; failures: Failure[]; latencyByLabel: Map<string, number[]>; serverCpuSeconds: number; benchCpuSeconds: number };
type LoadRequest = { path: string; token: string; label: string };
type Failure = { status: number; path: string; body: string };
type Server = ChildServer;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '200000' }, duration: { type: 'string', default: '30' },
      'items-duration': { type: 'string', default: '10' }, connections: { type: 'string', default: '50' },
      out: { type: 'string', default: 'bench/out' }, 'cpu-prof': { type: 'string' }, help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const messages = Number(values.messages);
  const duration = Number(values.duration);
  const itemsDuration = Number(values['items-duration']);
  const connections = Number(values.connections);
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });

  const corpus = await ensureCorpus(out, messages);
  const home = await ensureStore(out, corpus);
  const phones = await prepareAnalysts(home, connections);
  const handles = await pickHandles(corpus.path);
  const queries = [
    ...queryMix(handles).map((q) => q.query),
    // entity filters: the numbers the store mentions most, as an analyst would follow them up
    ...phones.map((p) => `phone:${p}`),
  ];

  const profileDirectory = values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']);
  const server = await startServeChild(home, profileDirectory);
  try {
    log(`server at ${server.url}; logging in ${connections} analysts through POST /api/v1/auth/login`);
    const tokens: string[] = [];
    for (let i = 0; i < connections; i++) tokens.push(await login(server.url, analystName(i)));

    log(`warming up: each of the ${queries.length} queries 3 times, one at a time`);
    const warm = await warmUp(server.url, tokens[0]!, queries);
    const itemIds = [...new Set(warm.flatMap((w) => w.ids))].slice(0, 1000);

    const loadBefore = loadavg();
    log(`searching: ${connections} connections for ${duration} s`);
    const search = await runLoad(server, 'search', duration, connections, (i) =>
      rotate(queries, i).map((q) => ({ path: `/api/v1/search?${new URLSearchParams({ q, ...SEARCH_PARAMETERS })}`, token: tokens[i]!, label: q })));
    log(`opening items: ${connections} connections for ${itemsDuration} s over ${itemIds.length} ids from the hits`);
    const items = await runLoad(server, 'items', itemsDuration, connections, (i) =>
      rotate(itemIds, (i * 37) % Math.max(1, itemIds.length)).map((id) => ({ path: `/api/v1/items/${encodeURIComponent(id)}?context=${ITEM_CONTEXT}`, token: tokens[i]!, label: 'item' })));

    report({ loadBefore, corpus, connections, queries, warm, search, items, itemIds: itemIds.length, server });
  } finally {
    await stopChild(server.child);
  }
  return 0;
}

/**
 * The store of this corpus, ingested once and reused while the corpus is the same: its meta file
 * names the corpus's generator. A store without a meta file is a broken earlier run: rebuilt.
 */
async function ensureStore(out: string, corpus: Corpus): Promise<string> {
  const home = join(out, `server-${corpus.messages}`);
  const metaPath = join(home, 'bench-meta.json');
  const expected = JSON.stringify({ messages: corpus.messages, seed: corpus.seed, generator: corpus.generator, dataset: DATASET });
  const found = await readFile(metaPath, 'utf8').catch(() => undefined);
  if (found?.trim() === expected) {
    log(`store ${home}: reused`);
    return home;
  }
  await rm(home, { recursive: true, force: true });
  await mkdir(home, { recursive: true });
  log(`store ${home}: ingesting ${corpus.path}`);
  const started = performance.now();
  const store = openSqliteStore({ path: join(home, 'lode.sqlite') });
  try {
    const result = await ingest({ store, dataset: DATASET, paths: [corpus.path] });
    log(`  ${result.messages} messages, ${result.mentions} entity mentions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await store.close();
  }
  await writeFile(metaPath, `${expected}\n`);
  return home;
}

function analystName(i: number): string {
  return `analyst-${String(i + 1).padStart(3, '0')}`;
}

/** Creates the analysts a reused store lacks, granted the dataset; answers the most mentioned phone numbers. */
async function prepareAnalysts(home: string, count: number): Promise<string[]> {
  const store = openSqliteStore({ path: join(home, 'lode.sqlite') });
  try {
    const existing = new Set((await store.users()).map((u) => u.name));
    const missing = Array.from({ length: count }, (_, i) => analystName(i)).filter((name) => !existing.has(name));
    if (missing.length > 0) {
      log(`creating ${missing.length} analysts`);
      const hash = await hashPassword(PASSWORD);
      for (const name of missing) {
        await store.createUser(name, 'analyst', hash);
        await store.grant(name, 'dataset', DATASET, 'bench');
      }
    }
    const { entities } = await store.entities({ dataset: DATASET, type: 'phone', limit: 3, offset: 0 });
    return entities.map((e) => e.value);
  } finally {
    await store.close();
  }
}

/** `bin/lode serve` on a free port; resolves with the URL it prints on stderr. */
async function startServeChild(home: string, profileDirectory: string | undefined): Promise<Server> {
  const env = profileDirectory === undefined ? process.env : { ...process.env, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDirectory}` };
  return startChildServer(join(ROOT, 'bin/lode'), ['serve', '--port', '0', '--home', home], { env, label: 'lode serve' });
}

async function login(url: string, username: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (response.status !== 200) throw new Error(`login of ${username} gave ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

type Warm = { query: string; total: number; medianMs: number; ids: string[] };

/** Each query alone, three times: checks it answers 200, and gives its unloaded latency and hit ids. */
async function warmUp(url: string, token: string, queries: string[]): Promise<Warm[]> {
  const warm: Warm[] = [];
  for (const query of queries) {
    const times: number[] = [];
    let body: { total: number; hits: { id: string }[] } | undefined;
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      const response = await fetch(`${url}/api/v1/search?${new URLSearchParams({ q: query, ...SEARCH_PARAMETERS })}`, { headers: { authorization: `Bearer ${token}` } });
      const text = await response.text();
      times.push(performance.now() - started);
      if (response.status !== 200) throw new Error(`warm-up: ${query} gave ${response.status}: ${text.slice(0, 500)}`);
      body = JSON.parse(text) as { total: number; hits: { id: string }[] };
    }
    warm.push({ query, total: body!.total, medianMs: times.sort((a, b) => a - b)[1]!, ids: body!.hits.map((h) => h.id) });
  }
  return warm;
}

function rotate<T>(list: readonly T[], by: number): T[] {
  const k = list.length === 0 ? 0 : by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

/** One autocannon run: connection i sends `requestsOf(i)` in a loop. */
async function runLoad(server: Server, title: string, duration: number, connections: number, requestsOf: (i: number) => LoadRequest[]): Promise<LoadRun> {
  const failures: Failure[] = [];
  const latencyByLabel = new Map<string, number[]>();
  // autocannon calls a request's onResponse and then, in the same tick, emits 'response' with
  // the latency: the label of the one carries over to the other
  let lastLabel = '';
  const toRequest = ({ path, token, label }: LoadRequest): autocannon.Request => ({
    method: 'GET', path, headers: { authorization: `Bearer ${token}` },
    // autocannon buffers every body anyway; only failures are kept
    onResponse: (status, body) => {
      lastLabel = label;
      if ((status < 200 || status > 299) && failures.length < 20) failures.push({ status, path, body: body.slice(0, 1000) });
    },
  });
  const perClient = Array.from({ length: connections }, (_, i) => requestsOf(i).map(toRequest));
  let next = 0;
  const serverCpuBefore = cpuSecondsOf(server.child.pid!);
  const benchCpuBefore = process.cpuUsage();
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon({
      url: server.url, title, connections, duration, timeout: 10, requests: perClient[0]!,
      // each connection is one analyst: their own token, starting at their own place in the mix
      setupClient: (client) => client.setRequests(perClient[next++ % connections]!),
    }, (error: unknown, finished) => (error ? fail(error) : done(finished)));
    instance.on('response', (_client, _status, _bytes, responseMs) => {
      const times = latencyByLabel.get(lastLabel) ?? [];
      times.push(responseMs);
      latencyByLabel.set(lastLabel, times);
    });
  });
  const benchCpu = process.cpuUsage(benchCpuBefore);
  return {
    result, failures, latencyByLabel,
    serverCpuSeconds: cpuSecondsOf(server.child.pid!) - serverCpuBefore,
    benchCpuSeconds: (benchCpu.user + benchCpu.system) / 1e6,
  };
}

type Report = { loadBefore: number[]; corpus: Corpus; connections: number; queries: string[]; warm: Warm[]; search: LoadRun; items: LoadRun; itemIds: number; server: Server };

function report(r: Report): void {
  const machine = describeMachine();
  const number = (n: number): string => Math.round(n).toLocaleString('en');
  const ms = (n: number): string => (n < 10 ? n.toFixed(1) : n.toFixed(0));
  const lines: string[] = [
    `# Lode server under load: ${r.connections} analysts, ${number(r.corpus.messages)} messages (seed ${r.corpus.seed})`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB} GiB, ${machine.kernel}, Node ${machine.node}, SQLite ${machine.sqlite}; ` +
      `load average ${r.loadBefore.map((l) => l.toFixed(1)).join(' ')} before the runs (a shared machine); the load generator (autocannon) runs on it too, in another process.`,
    '',
    `| run | duration | requests | req/s mean | req/s p50 | latency p50 | p90 | p99 | max | errors | timeouts | non-2xx | server CPU | autocannon CPU |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [name, run] of [[`GET /api/v1/search (${r.queries.length} queries in rotation, limit 50, facets)`, r.search], [`GET /api/v1/items/{id} (context ${ITEM_CONTEXT}, ${r.itemIds} ids from hits)`, r.items]] as const) {
    const x = run.result;
    lines.push(`| ${name} | ${x.duration.toFixed(1)} s | ${number(x.requests.total)} | ${number(x.requests.mean)} | ${number(x.requests.p50)} | ` +
      `${ms(x.latency.p50)} ms | ${ms(x.latency.p90)} ms | ${ms(x.latency.p99)} ms | ${ms(x.latency.max)} ms | ${x.errors} | ${x.timeouts} | ${x.non2xx} | ` +
      `${Math.round((100 * run.serverCpuSeconds) / x.duration)}% | ${Math.round((100 * run.benchCpuSeconds) / x.duration)}% |`);
  }
  lines.push('', '(CPU: seconds of CPU per second of wall time; 100% is one core busy.)', '',
    'Per query: alone before the runs (median of 3, wall time through HTTP), then under load:', '',
    '| query | hits | alone ms | under load: requests | p50 ms | p99 ms | max ms |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const w of r.warm) {
    const times = (r.search.latencyByLabel.get(w.query) ?? []).sort((a, b) => a - b);
    lines.push(`| \`${w.query.replaceAll('|', '\\|')}\` | ${number(w.total)} | ${ms(w.medianMs)} | ${number(times.length)} | ` +
      `${ms(quantile(times, 0.5))} | ${ms(quantile(times, 0.99))} | ${ms(times.at(-1) ?? 0)} |`);
  }
  for (const [name, run] of [['search', r.search], ['items', r.items]] as const) {
    if (run.result.non2xx === 0 && run.failures.length === 0) continue;
    lines.push('', `Non-2xx answers in the ${name} run: ${JSON.stringify(run.result.statusCodeStats)}`);
    for (const f of run.failures.slice(0, 5)) lines.push(`- ${f.status} ${f.path}: ${f.body}`);
  }
  // the server logs every 5xx (a bug) with its cause
  const serverLog = r.server.stderr.filter((line) => !/listening on|created user/.test(line));
  if (serverLog.length > 0) lines.push('', 'The server said:', '', '```', ...serverLog.slice(0, 40), '```');
  process.stdout.write(`${lines.join('\n')}\n`);
}

process.exitCode = await main();
