import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import betweennessExports from 'graphology-metrics/centrality/betweenness.js';
import { buildAdjacency } from '../../../src/analyze/network/adjacency.ts';
import { analyseNetwork, percentiles, type AccountMetrics, type NetworkAnalysis } from '../../../src/analyze/network/analyse.ts';
import { exactBetweenness, sampledBetweenness } from '../../../src/analyze/network/betweenness.ts';
import { buildGraph, type CommunicationEdge } from '../../../src/analyze/network/graph.ts';
import { seededRandom } from '../../../src/analyze/network/seeded-random.ts';
import { clique, twoCrewsAndABroker } from './small-graphs.ts';

// CommonJS declared with an ES default export: Node hands over the function itself.
type GraphologyBetweenness = typeof betweennessExports.default;
const graphologyBetweenness = betweennessExports as unknown as GraphologyBetweenness;

function metricsOf(analysis: NetworkAnalysis, account: string): AccountMetrics {
  const metrics = analysis.accounts.find((m) => m.account === account);
  assert.ok(metrics, `no metrics for ${account}`);
  return metrics;
}

function randomEdges(accounts: number, ties: number, seed: number): CommunicationEdge[] {
  const random = seededRandom(seed);
  return Array.from({ length: ties }, () => ({
    from: `a${Math.floor(random() * accounts)}`,
    to: `a${Math.floor(random() * accounts)}`,
    messages: 1 + Math.floor(random() * 20),
  }));
}

describe('analyseNetwork on two crews joined by a broker', () => {
  const graph = buildGraph(twoCrewsAndABroker());
  const analysis = analyseNetwork(graph);

  it('gives the broker the highest betweenness', () => {
    const [top, second] = [...analysis.accounts].sort((a, b) => b.betweenness - a.betweenness);
    assert.equal(top?.account, 'broker');
    assert.ok((top?.betweenness ?? 0) > 2 * (second?.betweenness ?? 0));
  });

  it('finds the two crews as two communities', () => {
    assert.equal(analysis.totals.communities, 2);
    const west = new Set(['w1', 'w2', 'w3', 'w4', 'w5'].map((a) => metricsOf(analysis, a).community));
    const east = new Set(['e1', 'e2', 'e3', 'e4', 'e5'].map((a) => metricsOf(analysis, a).community));
    assert.equal(west.size, 1);
    assert.equal(east.size, 1);
    assert.notDeepEqual([...west], [...east]);
  });

  it('names the broker the first key player and sees it bridge both communities', () => {
    assert.equal(analysis.keyPlayers[0]?.account, 'broker');
    assert.equal(metricsOf(analysis, 'broker').bridging, 2);
    assert.equal(metricsOf(analysis, 'w3').bridging, 1);
  });

  it('has PageRank summing to one', () => {
    const total = analysis.accounts.reduce((sum, m) => sum + m.pagerank, 0);
    assert.ok(Math.abs(total - 1) < 1e-9, `sum ${total}`);
    assert.equal(analysis.producedBy.pagerank.hasConverged, true);
  });

  it('splits each community\'s messages into internal and external ones that add up', () => {
    const internal = analysis.communities.reduce((sum, c) => sum + c.internalMessages, 0);
    const external = analysis.communities.reduce((sum, c) => sum + c.externalMessages, 0);
    // An external tie is counted by both of its communities.
    assert.equal(internal + external / 2, analysis.totals.messages);
    assert.equal(analysis.totals.messages, 2 * 20 * 10 + 14);
    for (const community of analysis.communities) {
      assert.equal(community.members.length, community.size);
      assert.ok(community.internalMessages > community.externalMessages);
    }
  });

  it('lists community members most important first', () => {
    const withBroker = analysis.communities[metricsOf(analysis, 'broker').community];
    assert.equal(withBroker?.members[0], 'broker');
  });

  it('records what produced the result', () => {
    assert.deepEqual(analysis.producedBy.betweenness, { kind: 'exact', sources: 11 });
    assert.equal(analysis.producedBy.component, 'network');
    assert.equal(analysis.producedBy.seed, 1);
  });

  it('survives a JSON round trip unchanged', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(analysis)), analysis);
  });
});

describe('analyseNetwork', () => {
  it('gives a star\'s centre the highest PageRank and all the betweenness', () => {
    const leaves = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6'];
    const analysis = analyseNetwork(buildGraph(leaves.map((leaf) => ({ from: 'hub', to: leaf, messages: 2 }))));
    const hub = metricsOf(analysis, 'hub');
    assert.equal(hub.betweenness, 1, 'every pair of leaves passes through the hub');
    assert.ok(leaves.every((leaf) => metricsOf(analysis, leaf).pagerank < hub.pagerank));
    assert.ok(leaves.every((leaf) => metricsOf(analysis, leaf).betweenness === 0));
    assert.equal(hub.degree, 6);
    assert.equal(hub.messages, 12);
  });

  it('gives the same result for the same edges in another order', () => {
    const edges = randomEdges(60, 200, 5);
    const a = analyseNetwork(buildGraph(edges), { seed: 3 });
    const b = analyseNetwork(buildGraph([...edges].reverse()), { seed: 3 });
    assert.deepEqual(b, a);
  });

  it('analyses an empty graph without failing', () => {
    const analysis = analyseNetwork(buildGraph([]));
    assert.deepEqual(analysis.accounts, []);
    assert.deepEqual(analysis.communities, []);
    assert.equal(analysis.totals.accounts, 0);
  });

  it('keeps separate components in separate communities', () => {
    const analysis = analyseNetwork(buildGraph([...clique(['a', 'b', 'c'], 1), ...clique(['x', 'y', 'z'], 1)]));
    assert.equal(analysis.totals.communities, 2);
    assert.notEqual(metricsOf(analysis, 'a').community, metricsOf(analysis, 'x').community);
  });
});

describe('betweenness', () => {
  it('matches graphology-metrics\' exact betweenness (in hops) on a random graph', () => {
    const graph = buildGraph(randomEdges(80, 240, 11));
    const ours = exactBetweenness(buildAdjacency(graph));
    const theirs = graphologyBetweenness(graph, { getEdgeWeight: null, normalized: true });
    buildAdjacency(graph).keys.forEach((key, i) => {
      assert.ok(Math.abs((ours.scores[i] ?? 0) - (theirs[key] ?? 0)) < 1e-12, key);
    });
  });

  it('sampling every account as a pivot is exact', () => {
    const adjacency = buildAdjacency(buildGraph(randomEdges(50, 150, 2)));
    const sampled = sampledBetweenness(adjacency, 50, 9);
    const exact = exactBetweenness(adjacency);
    sampled.scores.forEach((score, i) => assert.ok(Math.abs(score - (exact.scores[i] ?? 0)) < 1e-12));
  });
});

describe('percentiles', () => {
  it('gives tied values one mid-rank percentile', () => {
    assert.deepEqual([...percentiles(Float64Array.from([0, 0, 5, 9]))], [1 / 6, 1 / 6, 2 / 3, 1]);
  });
});
