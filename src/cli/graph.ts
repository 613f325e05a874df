import { writeFile } from 'node:fs/promises';
import { analyseNetwork, type NetworkAnalysis } from '../analyze/network/analyse.ts';
import { buildGraph, type CommunicationGraph } from '../analyze/network/graph.ts';
import { shortestPath } from '../analyze/network/shortest-path.ts';
import { shapeAnalysis, tiesAmong, type AnalysisAnswer } from '../analyze/network/analysis-answer.ts';
import type { CommunicationEdge } from '../model/entities.ts';
import { toGexf } from '../analyze/network/gexf.ts';
import { toGraphML } from '../analyze/network/graphml.ts';
import type { Store } from '../store/store.ts';
import { UsageError, UserError, integerOption, stringOption, withAuditedRead, writeJson, type Command, type ParsedCommand } from './command.ts';

const WINDOW_OPTIONS = {
  dataset: { type: 'string', short: 'd', description: 'only this dataset', valueName: 'NAME' },
  from: { type: 'string', description: 'only messages from this date (ISO, inclusive)', valueName: 'DATE' },
  to: { type: 'string', description: 'only messages before this date (ISO, exclusive)', valueName: 'DATE' },
} as const;

export const graphCommand: Command = {
  name: 'graph',
  summary: 'The communication network: key players (PageRank, betweenness, bridging) and groups (communities).',
  usage: 'graph [--dataset NAME] [--from DATE] [--to DATE] [--limit N] [--gexf FILE] [--graphml FILE]',
  details: [
    'Accounts are nodes; two accounts are tied when they exchanged messages, weighted by how many.',
    'Key players rank by PageRank and betweenness together (sampled above 2,000 accounts); bridging counts the',
    'communities an account talks to. --gexf (Gephi) and --graphml write the whole graph with these metrics.',
  ].join('\n'),
  options: {
    ...WINDOW_OPTIONS,
    limit: { type: 'string', short: 'n', description: 'key players and groups to list (default 20)', valueName: 'N' },
    gexf: { type: 'string', description: 'write the graph as GEXF 1.3 for Gephi', valueName: 'FILE' },
    graphml: { type: 'string', description: 'write the graph as GraphML', valueName: 'FILE' },
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(args, io) {
    const limit = integerOption(args, 'limit', 20, 1, 100_000);
    const started = performance.now();
    const graph = await withAuditedRead(args, io, { action: 'graph.view', details: () => ({ dataset: stringOption(args, 'dataset') ?? null }) }, (store) => loadGraph(store, args));
    const analysis = analyseNetwork(graph);
    const gexf = stringOption(args, 'gexf');
    const graphml = stringOption(args, 'graphml');
    if (gexf) await writeFile(gexf, toGexf(graph, analysis));
    if (graphml) await writeFile(graphml, toGraphML(graph, analysis));
    const tookMs = Math.round(performance.now() - started);
    const answer = shapeAnalysis(analysis, limit);
    // the ties among the listed accounts, as GET /graph gives them (one undirected tie per pair here)
    const ties: CommunicationEdge[] = [];
    graph.forEachEdge((_, attributes, source, target) => ties.push({ from: source, to: target, messages: Number(attributes.messages) }));
    if (args.json) writeJson(io, { ...answer, took_ms: tookMs, ties: tiesAmong(answer, ties) });
    else io.stdout.write(describe(analysis, answer, tookMs));
    return 0;
  },
};

export const pathCommand: Command = {
  name: 'path',
  summary: 'The shortest chain of contacts between two accounts (fewest hops, then the heaviest ties).',
  usage: 'path A B [--dataset NAME] [--from DATE] [--to DATE]',
  details: 'A and B are handles, or platform:handle when a handle is on several platforms.',
  options: { ...WINDOW_OPTIONS },
  positionals: { min: 2, max: 2, names: 'A B' },
  async run(args, io) {
    const [a, b] = args.positionals as [string, string];
    const { graph, from, to } = await withAuditedRead(args, io, { action: 'path.view', target: `${a} ${b}` }, async (store) => ({
      graph: await loadGraph(store, args), from: await accountKey(store, a, args), to: await accountKey(store, b, args),
    }));
    const path = shortestPath(graph, from, to);
    if (args.json) {
      writeJson(io, { from, to, found: path !== undefined, ...(path ?? {}) });
      return 0;
    }
    if (!path) {
      io.stdout.write(`no chain of contacts links ${from} and ${to}\n`);
      return 0;
    }
    io.stdout.write(`${path.hops} hops: ${path.accounts.join(' -> ')}\n`);
    for (const s of path.steps) io.stdout.write(`  ${s.from} -> ${s.to}: ${s.messages} messages (${s.sentForward} one way, ${s.sentBack} back)\n`);
    return 0;
  },
};

async function loadGraph(store: Store, args: ParsedCommand): Promise<CommunicationGraph> {
  const fromMs = dateOption(args, 'from');
  const toMs = dateOption(args, 'to');
  const edges = await store.communicationEdges({ dataset: stringOption(args, 'dataset'), fromMs, toMs });
  if (edges.length === 0) throw new UserError('no messages between accounts in this selection');
  return buildGraph(edges);
}

/** The graph's key for a handle: `platform:handle`, checked against the store. */
async function accountKey(store: Store, given: string, args: ParsedCommand): Promise<string> {
  let found = await store.findAccounts(given, stringOption(args, 'dataset'));
  const colon = given.indexOf(':');
  if (found.length === 0 && colon > 0) found = await store.findAccounts(given.slice(colon + 1), stringOption(args, 'dataset'), given.slice(0, colon));
  const keys = [...new Set(found.map((f) => `${f.platform}:${f.handle}`))];
  if (keys.length === 0) throw new UserError(`no account "${given}"`);
  if (keys.length > 1) throw new UserError(`"${given}" is an account on several platforms: ${keys.join(', ')}; write platform:handle`);
  return keys[0]!;
}

function dateOption(args: ParsedCommand, name: string): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw new UsageError(`--${name} takes an ISO date such as 2020-04-01, got "${text}"`);
  return ms;
}

function describe(a: NetworkAnalysis, answer: AnalysisAnswer, tookMs: number): string {
  const t = a.totals;
  const lines = [`${t.accounts} accounts, ${t.ties} ties, ${t.messages} messages, ${t.communities} groups (modularity ${t.modularity.toFixed(3)}) in ${(tookMs / 1000).toFixed(1)} s`];
  lines.push(`betweenness: ${a.producedBy.betweenness.kind === 'exact' ? 'exact' : `sampled from ${a.producedBy.betweenness.sources} accounts`}`, '', 'key players:');
  for (const p of answer.keyPlayers) {
    lines.push(`  ${p.account.padEnd(28)} score ${p.score.toFixed(3)}  pagerank ${p.pagerank.toExponential(2)}  betweenness ${p.betweenness.toFixed(4)}  ` +
      `${p.degree} contacts, ${p.messages} messages, group ${p.community}${p.bridging > 1 ? `, bridges ${p.bridging} groups` : ''}`);
  }
  lines.push('', 'groups:');
  for (const c of answer.groups) {
    lines.push(`  #${c.id} ${c.size} accounts, ${c.internalMessages} messages inside, ${c.externalMessages} outside: ${c.members.slice(0, 8).join(', ')}${c.size > 8 ? ', ...' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
