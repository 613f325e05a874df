import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import louvainExports from 'graphology-communities-louvain';
import { generateCorpus } from '../../../src/generate/corpus.ts';
import { buildAdjacency } from '../../../src/analyze/network/adjacency.ts';
import { analyseNetwork, type NetworkAnalysis } from '../../../src/analyze/network/analyse.ts';
import { exactBetweenness, sampledBetweenness } from '../../../src/analyze/network/betweenness.ts';
import { buildGraph, type CommunicationEdge } from '../../../src/analyze/network/graph.ts';
import { louvain } from '../../../src/analyze/network/louvain.ts';
import { seededRandom } from '../../../src/analyze/network/seeded-random.ts';
import { normalisedMutualInformation, purity } from './agreement.ts';
import { generateCrews } from './crews.ts';

function agreementWithCrews(analysis: NetworkAnalysis, crewOf: Map<string, number>): { nmi: number; purity: number } {
  const known = analysis.accounts.filter((m) => crewOf.has(m.account));
  const found = known.map((m) => m.community);
  const truth = known.map((m) => crewOf.get(m.account) ?? -1);
  return { nmi: normalisedMutualInformation(found, truth), purity: purity(found, truth) };
}

function topAccounts(scores: Float64Array, keys: string[], count: number): Set<string> {
  const order = keys.map((key, i) => ({ key, score: scores[i] ?? 0 })).sort((a, b) => b.score - a.score);
  return new Set(order.slice(0, count).map((entry) => entry.key));
}

describe('on a generated crews network (3,000 accounts)', () => {
  const network = generateCrews({ accounts: 3000, messages: 120_000, seed: 4 });
  const graph = buildGraph(network.edges);
  const analysis = analyseNetwork(graph, { seed: 1, keyPlayers: 50 });

  it('recovers the crews as communities', () => {
    const { nmi, purity: purityScore } = agreementWithCrews(analysis, network.crewOf);
    assert.ok(nmi >= 0.95, `NMI ${nmi}`);
    assert.ok(purityScore >= 0.95, `purity ${purityScore}`);
  });

  it('does much worse without splitting communities again (the resolution limit)', () => {
    const unsplit = analyseNetwork(graph, { seed: 1, splitModularity: Infinity });
    const split = agreementWithCrews(analysis, network.crewOf);
    const plain = agreementWithCrews(unsplit, network.crewOf);
    assert.ok(unsplit.totals.communities < analysis.totals.communities / 2);
    assert.ok(plain.nmi < split.nmi - 0.05, `plain ${plain.nmi} vs split ${split.nmi}`);
  });

  it('puts mostly brokers among the key players', () => {
    const brokers = analysis.keyPlayers.filter((m) => network.brokers.has(m.account)).length;
    assert.ok(brokers >= 0.8 * analysis.keyPlayers.length, `${brokers} of ${analysis.keyPlayers.length}`);
  });

  it('sees brokers bridge more communities than other accounts', () => {
    const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;
    const ofBrokers = analysis.accounts.filter((m) => network.brokers.has(m.account)).map((m) => m.bridging);
    const ofOthers = analysis.accounts.filter((m) => !network.brokers.has(m.account)).map((m) => m.bridging);
    assert.ok(mean(ofBrokers) > 2 * mean(ofOthers), `${mean(ofBrokers)} vs ${mean(ofOthers)}`);
  });

  it('samples betweenness that ranks the top bridges like exact betweenness', () => {
    const adjacency = buildAdjacency(graph);
    const exact = exactBetweenness(adjacency);
    const sampled = sampledBetweenness(adjacency, 300, 7);
    const sampledWithin = (sampledCount: number, exactCount: number): number => {
      const exactTop = topAccounts(exact.scores, adjacency.keys, exactCount);
      return [...topAccounts(sampled.scores, adjacency.keys, sampledCount)].filter((key) => exactTop.has(key)).length;
    };
    // Near-equal scores around a cut swap places under sampling; the leaders do not.
    assert.equal(sampledWithin(10, 30), 10, 'the sampled top 10 are all in the exact top 30');
    assert.ok(sampledWithin(30, 60) >= 28, 'the sampled top 30 are in the exact top 60');
    assert.ok(sampledWithin(30, 30) >= 20, 'the top 30 mostly agree');
    assert.equal(sampled.method.kind, 'sampled');
    assert.equal(sampled.method.sources, 300);
  });

  it('reaches the modularity of graphology-communities-louvain with its own Louvain', () => {
    // CommonJS declared with an ES default export: Node hands over the function itself.
    const reference = (louvainExports as unknown as typeof louvainExports.default).detailed(graph, {
      getEdgeWeight: 'messages',
      rng: seededRandom(1),
    });
    const adjacency = buildAdjacency(graph);
    const ours = louvain(
      { nodeCount: adjacency.keys.length, starts: adjacency.starts, neighbours: adjacency.neighbours, weights: adjacency.messages },
      { random: seededRandom(1) },
    );
    assert.ok(ours.modularity > 0.995 * reference.modularity, `${ours.modularity} vs ${reference.modularity}`);
  });

  it('switches to sampled betweenness above the exact limit', () => {
    const sampledAnalysis = analyseNetwork(graph, { exactBetweennessUpTo: 1000, betweennessPivots: 200, seed: 2 });
    assert.deepEqual(sampledAnalysis.producedBy.betweenness, { kind: 'sampled', sources: 200, seed: 2 });
  });
});

describe('on the lode generate corpus', () => {
  // The generator plants crews and brokers (GENERATOR.md): its truth is what the analysis should find.
  function corpusNetwork(seed: number): { edges: CommunicationEdge[]; crewOf: Map<string, number>; brokers: Set<string> } {
    const counts = new Map<string, number>();
    const crewOf = new Map<string, number>();
    const brokers = new Set<string>();
    let crews = 0;
    for (const item of generateCorpus({ messages: 60_000, seed })) {
      const { record, truth } = item;
      if (record?.['kind'] === 'message') {
        for (const to of strings(record['to'])) {
          const pair = `encrochat:${String(record['from'])}\u0000encrochat:${to}`;
          counts.set(pair, (counts.get(pair) ?? 0) + 1);
        }
      }
      if (truth?.['kind'] === 'crew') {
        crews++;
        for (const member of strings(truth['members'])) crewOf.set(`encrochat:${member}`, crews);
        for (const broker of strings(truth['brokers'])) brokers.add(`encrochat:${broker}`);
      }
    }
    const edges = [...counts].map(([pair, messages]) => {
      const [from = '', to = ''] = pair.split('\u0000');
      return { from, to, messages };
    });
    return { edges, crewOf, brokers };
  }

  function strings(value: unknown): string[] {
    return Array.isArray(value) ? value.map(String) : [];
  }

  for (const seed of [7, 42]) {
    it(`recovers the planted crews (seed ${seed})`, () => {
      const { edges, crewOf } = corpusNetwork(seed);
      const analysis = analyseNetwork(buildGraph(edges), { seed: 1 });
      const { nmi } = agreementWithCrews(analysis, crewOf);
      assert.ok(nmi >= 0.9, `NMI ${nmi}`);
    });

    it(`ranks the planted brokers high on betweenness (seed ${seed})`, () => {
      const { edges, brokers } = corpusNetwork(seed);
      const analysis = analyseNetwork(buildGraph(edges), { seed: 1 });
      const byBetweenness = [...analysis.accounts].sort((a, b) => b.betweenness - a.betweenness).map((m) => m.account);
      const ranks = byBetweenness.flatMap((account, rank) => (brokers.has(account) ? [rank / byBetweenness.length] : []));
      ranks.sort((a, b) => a - b);
      const median = ranks[Math.floor(ranks.length / 2)] ?? 1;
      assert.ok(ranks.length > 0);
      assert.ok(median < 0.3, `median broker betweenness rank at ${median} of the accounts`);
    });
  }
});
