// `node bench/network.ts [--accounts N] [--messages N] [--pivots K] [--seed S]`: network analysis
// at investigation scale (default 50,000 accounts, 2M messages in crews with brokers). Prints the
// time of each step and how well communities and key players match the planted crews and brokers.
// A benchmark: it prints figures, it does not pass or fail.
import { parseArgs } from 'node:util';
import { analyseNetwork } from '../src/analyze/network/analyse.ts';
import { toGexf } from '../src/analyze/network/gexf.ts';
import { buildGraph } from '../src/analyze/network/graph.ts';
import { toGraphML } from '../src/analyze/network/graphml.ts';
import { shortestPath } from '../src/analyze/network/shortest-path.ts';
import { seededRandom } from '../src/analyze/network/seeded-random.ts';
import { normalisedMutualInformation, purity } from '../test/analyze/network/agreement.ts';
import { generateCrews } from '../test/analyze/network/crews.ts';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '50000' },
    messages: { type: 'string', default: '2000000' },
    pivots: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
const accounts = Number(values.accounts);
const messages = Number(values.messages);
const seed = Number(values.seed);

function timed<T>(run: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = run();
  return { result, ms: performance.now() - started };
}

const figure = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

const generated = timed(() => generateCrews({ accounts, messages, seed }));
const network = generated.result;
const totalMessages = network.edges.reduce((sum, edge) => sum + edge.messages, 0);
process.stdout.write(
  `# network analysis: ${accounts.toLocaleString('en')} accounts, ${totalMessages.toLocaleString('en')} messages, ` +
    `${network.edges.length.toLocaleString('en')} directed edges, ${network.crews} crews, ${network.brokers.size} brokers\n` +
    `(generating the edges took ${figure(generated.ms)}; not counted below)\n\n`,
);

const built = timed(() => buildGraph(network.edges));
const graph = built.result;
const analysed = timed(() =>
  analyseNetwork(graph, { seed, keyPlayers: 100, ...(values.pivots ? { betweennessPivots: Number(values.pivots) } : {}) }),
);
const analysis = analysed.result;

const random = seededRandom(seed + 1);
const keys = graph.nodes();
const pathRuns = Array.from({ length: 20 }, () => {
  const from = keys[Math.floor(random() * keys.length)] ?? '';
  const to = keys[Math.floor(random() * keys.length)] ?? '';
  return timed(() => shortestPath(graph, from, to));
});
const pathMs = pathRuns.reduce((sum, run) => sum + run.ms, 0);
const hops = pathRuns.flatMap((run) => (run.result ? [run.result.hops] : []));

const gexf = timed(() => toGexf(graph, analysis));
const graphml = timed(() => toGraphML(graph, analysis));

const truthOf = analysis.accounts.map((m) => network.crewOf.get(m.account) ?? -1);
const foundOf = analysis.accounts.map((m) => m.community);
const brokersAmongKeyPlayers = analysis.keyPlayers.filter((m) => network.brokers.has(m.account)).length;
const { betweenness } = analysis.producedBy;

const rows: [string, string][] = [
  ['buildGraph', `${figure(built.ms)} (${graph.order.toLocaleString('en')} accounts, ${graph.size.toLocaleString('en')} ties)`],
  ['analyseNetwork', `${figure(analysed.ms)} (betweenness ${betweenness.kind}, ${betweenness.sources} sources)`],
  ['build + analyse', figure(built.ms + analysed.ms)],
  ['20 shortest paths (random pairs)', `${figure(pathMs)} total, ${hops.length} connected, hops ${Math.min(...hops)}–${Math.max(...hops)}`],
  ['toGexf', `${figure(gexf.ms)} (${(gexf.result.length / 2 ** 20).toFixed(1)} MiB)`],
  ['toGraphML', `${figure(graphml.ms)} (${(graphml.result.length / 2 ** 20).toFixed(1)} MiB)`],
  ['communities', `${analysis.totals.communities} found for ${network.crews} crews, modularity ${analysis.totals.modularity.toFixed(3)}`],
  ['NMI / purity vs crews', `${normalisedMutualInformation(foundOf, truthOf).toFixed(3)} / ${purity(foundOf, truthOf).toFixed(3)}`],
  ['brokers among top 100 key players', `${brokersAmongKeyPlayers}`],
  ['PageRank', `${analysis.producedBy.pagerank.iterations} iterations, converged: ${analysis.producedBy.pagerank.hasConverged}`],
  ['heap in use at the end', `${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB (graph, analysis and both exports alive)`],
];
process.stdout.write(`| step | figure |\n| --- | --- |\n${rows.map(([a, b]) => `| ${a} | ${b} |`).join('\n')}\n`);
