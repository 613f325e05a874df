// Where a V8 CPU profile (.cpuprofile, from node --cpu-prof) spends its time: self time per
// function and per area of the code, and inclusive time of chosen functions, as Markdown rows.
// Enough to say where a server's time goes without opening DevTools.
import { readFileSync } from 'node:fs';

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

export type ProfileSummary = {
  totalMs: number;
  /** Milliseconds not idle: what the shares below divide by. */
  busyMs: number;
  topSelf: { name: string; where: string; ms: number }[];
  byArea: { area: string; ms: number }[];
  inclusive: { name: string; ms: number }[];
};

/** Areas, first match wins: where a file lives says what it is. */
const AREAS: [string, (url: string, name: string) => boolean][] = [
  ['idle', (_url, name) => name === '(idle)'],
  ['garbage collection', (_url, name) => name === '(garbage collector)'],
  ['V8/native, no JS frame', (url, name) => url === '' && name.startsWith('(')],
  ['src/breachcheck', (url) => url.includes('/src/breachcheck/')],
  ['src/store', (url) => url.includes('/src/store/')],
  ['src/server', (url) => url.includes('/src/server/')],
  ['src/mail, src/campaigns', (url) => url.includes('/src/mail/') || url.includes('/src/campaigns/')],
  ['other src/', (url) => url.includes('/src/')],
  ['hono, @hono/*', (url) => url.includes('/node_modules/hono/') || url.includes('/node_modules/@hono/')],
  ['zod', (url) => url.includes('/node_modules/zod/')],
  ['nodemailer', (url) => url.includes('/node_modules/nodemailer/')],
  ['other node_modules', (url) => url.includes('/node_modules/')],
  ['node: internals (http, streams, fs, crypto)', (url) => url.startsWith('node:')],
  ['native (sqlite, crypto, ...)', (url) => url === ''],
];

export function summariseProfile(path: string, options: { top?: number; inclusiveOf?: readonly string[] } = {}): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const bySelf = new Map<string, { name: string; where: string; us: number }>();
  const byArea = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = functionName || '(anonymous)';
    totalUs += us;
    if (name === '(idle)') idleUs += us;
    const where = url === '' ? '' : `${url.replace(/^file:\/\/.*?\/(src|node_modules|bench)\//, '$1/')}:${lineNumber + 1}`;
    const key = `${name}@${where}`;
    const entry = bySelf.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    bySelf.set(key, entry);
    const area = AREAS.find(([, matches]) => matches(url, name))?.[0] ?? 'other';
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }

  // inclusive: a sample counts once for each chosen function on its stack
  const wanted = new Set(options.inclusiveOf ?? []);
  const inclusiveUs = new Map<string, number>();
  if (wanted.size > 0) {
    profile.samples.forEach((id, i) => {
      const seen = new Set<string>();
      for (let node: number | undefined = id; node !== undefined; node = parentOf.get(node)) {
        const name = byId.get(node)!.callFrame.functionName;
        if (wanted.has(name)) seen.add(name);
      }
      for (const name of seen) inclusiveUs.set(name, (inclusiveUs.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
  }

  return {
    totalMs: totalUs / 1000,
    busyMs: (totalUs - idleUs) / 1000,
    topSelf: [...bySelf.values()].filter((e) => e.name !== '(idle)').sort((a, b) => b.us - a.us).slice(0, options.top ?? 15).map((e) => ({ name: e.name, where: e.where, ms: e.us / 1000 })),
    byArea: [...byArea].filter(([area]) => area !== 'idle').sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, ms: us / 1000 })),
    inclusive: [...wanted].map((name) => ({ name, ms: (inclusiveUs.get(name) ?? 0) / 1000 })),
  };
}

/** The summary as Markdown tables, shares of the busy (non-idle) time. */
export function renderProfile(summary: ProfileSummary): string[] {
  const share = (ms: number): string => `${((100 * ms) / summary.busyMs).toFixed(1)}%`;
  return [
    `Busy ${(summary.busyMs / 1000).toFixed(1)} s of ${(summary.totalMs / 1000).toFixed(1)} s profiled (the rest idle).`, '',
    '| area (self time) | share of busy |', '| --- | ---: |',
    ...summary.byArea.map((a) => `| ${a.area} | ${share(a.ms)} |`),
    ...(summary.inclusive.length === 0 ? [] : ['', '| function (inclusive: itself and what it calls) | share of busy |', '| --- | ---: |',
      ...summary.inclusive.map((f) => `| \`${f.name}\` | ${share(f.ms)} |`)]),
    '', '| function (self time) | where | share of busy |', '| --- | --- | ---: |',
    ...summary.topSelf.map((f) => `| \`${f.name}\` | ${f.where} | ${share(f.ms)} |`),
  ];
}
