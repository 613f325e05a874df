// What the HTTP load benchmarks share: a server runs as a child process (so the load generator
// does not share its event loop) and says where it listens on stderr; its CPU time is read from
// /proc; autocannon runs from the bench process with a list of requests per connection, and
// latencies are kept per label so classes of request can be compared within one run.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

// Linux reports process CPU time in USER_HZ ticks, 100 a second on every mainstream build
const TICKS_PER_SECOND = 100;
const LISTENING = /listening on (http:\/\/\S+)/;

export type ChildServer = { url: string; child: ChildProcess; stderr: string[] };

/** Spawns a server and resolves with the URL it prints on stderr ("listening on http://..."). */
export async function startChildServer(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; label: string; stdout?: 'ignore' | 'pipe' }): Promise<ChildServer> {
  const child = spawn(command, args, { stdio: ['ignore', options.stdout ?? 'ignore', 'pipe'], env: options.env ?? process.env });
  const stderr: string[] = [];
  const lines = createInterface({ input: child.stderr! });
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${options.label} printed no URL within 120 s:\n${stderr.join('\n')}`)), 120_000);
    lines.on('line', (line) => {
      stderr.push(line);
      const match = LISTENING.exec(line);
      if (match) {
        clearTimeout(timer);
        done(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${options.label} exited with ${code}:\n${stderr.join('\n')}`));
    });
  });
  return { url, child, stderr };
}

/** SIGTERM, then SIGKILL after 10 s; resolves when the child has exited. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** User plus system CPU time of a process so far (all its threads), from /proc. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name may hold spaces: the fields after it are counted from its closing parenthesis
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** The q-quantile of sorted values (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export type LoadRequest = { method: 'GET' | 'POST'; path: string; label: string; headers?: Record<string, string>; body?: string };
export type Failure = { status: number; label: string; path: string; body: string };
/** Per label: latencies (ms, autocannon's measure) of 2xx and of other answers, sorted; body bytes of each 2xx. */
export type LabelFigures = { latencyMs: number[]; non2xxLatencyMs: number[]; bodyBytes: number[]; non2xx: number };

export type LoadRun = {
  result: autocannon.Result;
  /**
   * Seconds from the moment every connection was set up to the end. autocannon's own duration
   * also counts the set-up, and while it builds the later connections' request lists the earlier
   * ones have sent their first request: those answers are left out of the latencies
   * (`leftOutAtStart`), since they measure the bench process, not the server.
   */
  seconds: number;
  /** Seconds from the call to the end, set-up included: what the CPU times are divided by. */
  wallSeconds: number;
  leftOutAtStart: number;
  /** 2xx and other answers per second of the run (index: whole seconds from the set-up). */
  perSecond: { ok: number[]; refused: number[] };
  byLabel: Map<string, LabelFigures>;
  failures: Failure[];
  /** The slowest answer and when it came, in seconds from the set-up. */
  slowest: { ms: number; atSeconds: number; label: string };
  /** Bodies of 2xx answers, when asked for (challenges to solve). */
  bodies: string[];
  serverCpuSeconds: number;
  benchCpuSeconds: number;
};

export type LoadOptions = {
  url: string;
  title: string;
  connections: number;
  /** Seconds; or `amount` requests in all, split evenly over the connections. */
  duration?: number;
  amount?: number;
  /** The requests connection i sends, in order; autocannon starts again at the first when they run out. */
  requestsOf(connection: number): LoadRequest[];
  /** The server's process, for its CPU time. */
  serverPid: number;
  keepBodies?: boolean;
};

/** One autocannon run, each connection with its own list of requests. */
export async function runLoad(options: LoadOptions): Promise<LoadRun> {
  const failures: Failure[] = [];
  const bodies: string[] = [];
  const byLabel = new Map<string, LabelFigures>();
  const figuresOf = (label: string): LabelFigures => {
    let figures = byLabel.get(label);
    if (!figures) {
      figures = { latencyMs: [], non2xxLatencyMs: [], bodyBytes: [], non2xx: 0 };
      byLabel.set(label, figures);
    }
    return figures;
  };
  // autocannon calls a request's onResponse and then, in the same tick, emits 'response' with the
  // latency: the label of the one carries over to the other
  let lastLabel = '';
  const toRequest = (request: LoadRequest): autocannon.Request => ({
    method: request.method, path: request.path, ...(request.headers ? { headers: request.headers } : {}), ...(request.body === undefined ? {} : { body: request.body }),
    onResponse: (status, body) => {
      lastLabel = request.label;
      const figures = figuresOf(request.label);
      if (status >= 200 && status <= 299) {
        // every answer here is ASCII (range lines, JSON of base64url): characters are bytes
        figures.bodyBytes.push(body.length);
        if (options.keepBodies) bodies.push(body);
      } else {
        figures.non2xx += 1;
        if (failures.length < 20) failures.push({ status, label: request.label, path: request.path, body: body.slice(0, 500) });
      }
    },
  });
  const perClient = Array.from({ length: options.connections }, (_, i) => options.requestsOf(i).map(toRequest));
  let next = 0;
  let setUpAtMs = Number.POSITIVE_INFINITY;
  let leftOutAtStart = 0;
  const perSecond = { ok: [] as number[], refused: [] as number[] };
  const slowest = { ms: 0, atSeconds: 0, label: '' };
  const calledAtMs = performance.now();
  const serverCpuBefore = cpuSecondsOf(options.serverPid);
  const benchCpuBefore = process.cpuUsage();
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon({
      url: options.url, title: options.title, connections: options.connections, timeout: 10, requests: perClient[0]!,
      ...(options.amount === undefined ? { duration: options.duration ?? 10 } : { amount: options.amount }),
      setupClient: (client) => {
        client.setRequests(perClient[next++ % options.connections]!);
        if (next === options.connections) setUpAtMs = performance.now();
      },
    }, (error: unknown, finished) => (error ? fail(error) : done(finished)));
    instance.on('response', (_client, status, _bytes, responseMs) => {
      const nowMs = performance.now();
      if (nowMs - responseMs < setUpAtMs) {
        leftOutAtStart += 1;
        return;
      }
      const figures = figuresOf(lastLabel);
      const isOk = status >= 200 && status <= 299;
      if (isOk) figures.latencyMs.push(responseMs);
      else figures.non2xxLatencyMs.push(responseMs);
      const second = Math.floor((nowMs - setUpAtMs) / 1000);
      const counts = isOk ? perSecond.ok : perSecond.refused;
      counts[second] = (counts[second] ?? 0) + 1;
      if (responseMs > slowest.ms) Object.assign(slowest, { ms: responseMs, atSeconds: (nowMs - setUpAtMs) / 1000, label: lastLabel });
    });
  });
  const seconds = (performance.now() - setUpAtMs) / 1000;
  const benchCpu = process.cpuUsage(benchCpuBefore);
  for (const figures of byLabel.values()) {
    figures.latencyMs.sort((a, b) => a - b);
    figures.non2xxLatencyMs.sort((a, b) => a - b);
  }
  return {
    result, seconds, wallSeconds: (performance.now() - calledAtMs) / 1000, leftOutAtStart, perSecond, byLabel, failures, bodies, slowest,
    serverCpuSeconds: cpuSecondsOf(options.serverPid) - serverCpuBefore,
    benchCpuSeconds: (benchCpu.user + benchCpu.system) / 1e6,
  };
}
