// A synthetic communication network with known structure, for tests and the benchmark: accounts
// in crews of 4–15 who mostly write to each other, heavy-tailed activity (a few busy phones, a
// long tail), a little noise between crews, and brokers with real ties into 2–4 other crews —
// the shape GENERATOR.md describes for the corpus, without generating message text.
import type { CommunicationEdge } from '../../../src/analyze/network/graph.ts';
import { seededRandom } from '../../../src/analyze/network/seeded-random.ts';

export type CrewsOptions = {
  accounts: number;
  /** Roughly how many messages in total; each tie gets at least one. */
  messages: number;
  seed?: number;
  /** Share of accounts that are brokers. */
  brokerShare?: number;
  /** Share of accounts with one stray contact outside their crew. */
  strayShare?: number;
};

export type CrewsNetwork = {
  edges: CommunicationEdge[];
  /** The crew of every account. */
  crewOf: Map<string, number>;
  brokers: Set<string>;
  crews: number;
};

const START_MS = Date.UTC(2020, 2, 1);
const DAY_MS = 86_400_000;
const WINDOW_DAYS = 105;

type Tie = { a: number; b: number; strength: number };

export function generateCrews(options: CrewsOptions): CrewsNetwork {
  const random = seededRandom(options.seed ?? 1);
  const n = options.accounts;
  const keys = Array.from({ length: n }, (_, i) => `encrochat:acct${i.toString(36)}`);
  const crewOfIndex = assignCrews(n, random);
  const crews = (crewOfIndex[n - 1] ?? 0) + 1;
  const membersOf = groupMembers(crewOfIndex, crews);
  // Pareto activity (shape 1.3): the busiest phones write hundreds of times more than the quietest.
  const activity = Float64Array.from({ length: n }, () => Math.min(200, (1 - random()) ** (-1 / 1.3)));
  const ties: Tie[] = [];
  for (const members of membersOf) linkCrew(members, activity, random, ties);
  const brokers = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (random() < (options.brokerShare ?? 0.045)) {
      brokers.add(i);
      linkBroker(i, crewOfIndex, membersOf, activity, random, ties);
    } else if (random() < (options.strayShare ?? 0.1)) {
      const other = Math.floor(random() * n);
      if (crewOfIndex[other] !== crewOfIndex[i]) ties.push({ a: i, b: other, strength: 0.05 });
    }
  }
  const edges = spreadMessages(ties, keys, activity, options.messages, random);
  const crewOf = new Map(keys.map((key, i) => [key, crewOfIndex[i] ?? 0]));
  return { edges, crewOf, brokers: new Set([...brokers].map((i) => keys[i] ?? '')), crews };
}

/** Consecutive accounts form a crew; sizes 4–15, most 4–8. */
function assignCrews(n: number, random: () => number): Int32Array {
  const crewOf = new Int32Array(n);
  let crew = 0;
  for (let start = 0; start < n; crew++) {
    const size = random() < 0.75 ? 4 + Math.floor(random() * 5) : 9 + Math.floor(random() * 7);
    const end = Math.min(n, start + size);
    crewOf.fill(crew, start, end);
    start = end;
  }
  return crewOf;
}

function groupMembers(crewOf: Int32Array, crews: number): number[][] {
  const members: number[][] = Array.from({ length: crews }, () => []);
  crewOf.forEach((crew, i) => members[crew]?.push(i));
  return members;
}

/** A ring keeps the crew connected; most other pairs talk too, busy members more likely. */
function linkCrew(members: number[], activity: Float64Array, random: () => number, ties: Tie[]): void {
  for (let x = 0; x < members.length; x++) {
    for (let y = x + 1; y < members.length; y++) {
      const a = members[x] ?? 0;
      const b = members[y] ?? 0;
      const isRing = y === x + 1 || (x === 0 && y === members.length - 1);
      const chance = Math.min(0.9, 0.35 + 0.05 * ((activity[a] ?? 1) + (activity[b] ?? 1)));
      if (isRing || random() < chance) ties.push({ a, b, strength: 1 });
    }
  }
}

/** A broker writes regularly to one to three members of each of 2–4 other crews. */
function linkBroker(
  broker: number,
  crewOf: Int32Array,
  membersOf: number[][],
  activity: Float64Array,
  random: () => number,
  ties: Tie[],
): void {
  const otherCrews = 2 + Math.floor(random() * 3);
  activity[broker] = Math.max(activity[broker] ?? 1, 3);
  for (let k = 0; k < otherCrews; k++) {
    const crew = Math.floor(random() * membersOf.length);
    if (crew === crewOf[broker]) continue;
    const members = membersOf[crew] ?? [];
    const contacts = 1 + Math.floor(random() * 3);
    for (let c = 0; c < contacts; c++) {
      const member = members[Math.floor(random() * members.length)];
      if (member !== undefined) ties.push({ a: broker, b: member, strength: 0.5 });
    }
  }
}

/** Messages on a tie follow both ends' activity; the direction split and the time span are random. */
function spreadMessages(
  ties: Tie[],
  keys: string[],
  activity: Float64Array,
  totalMessages: number,
  random: () => number,
): CommunicationEdge[] {
  const weights = ties.map((t) => t.strength * Math.sqrt((activity[t.a] ?? 1) * (activity[t.b] ?? 1)));
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const edges: CommunicationEdge[] = [];
  ties.forEach((tie, i) => {
    const messages = Math.max(1, Math.round(((weights[i] ?? 0) / totalWeight) * totalMessages));
    const forward = Math.round(messages * (0.2 + 0.6 * random()));
    const firstDay = Math.floor(random() * WINDOW_DAYS);
    const lastDay = Math.min(WINDOW_DAYS, firstDay + Math.floor(random() * WINDOW_DAYS));
    const span = { firstMs: START_MS + firstDay * DAY_MS, lastMs: START_MS + lastDay * DAY_MS };
    const from = keys[tie.a] ?? '';
    const to = keys[tie.b] ?? '';
    if (forward > 0) edges.push({ from, to, messages: forward, ...span });
    if (messages - forward > 0) edges.push({ from: to, to: from, messages: messages - forward, ...span });
  });
  return edges;
}
