import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildGraph } from '../../../src/analyze/network/graph.ts';
import { shortestPath } from '../../../src/analyze/network/shortest-path.ts';
import { clique, twoCrewsAndABroker } from './small-graphs.ts';

describe('shortestPath', () => {
  it('leads from one crew to the other through the broker', () => {
    const path = shortestPath(buildGraph(twoCrewsAndABroker()), 'w4', 'e5');
    assert.ok(path);
    assert.equal(path.hops, 4);
    assert.equal(path.accounts[2], 'broker');
    assert.equal(path.accounts[0], 'w4');
    assert.equal(path.accounts.at(-1), 'e5');
  });

  it('prefers the heavier ties among paths of equal length', () => {
    const graph = buildGraph(twoCrewsAndABroker());
    // w1 and w2 both reach the broker in one hop; w1's tie (4) is heavier than w2's (3).
    const path = shortestPath(graph, 'w4', 'e5');
    assert.deepEqual(path?.accounts, ['w4', 'w1', 'broker', 'e1', 'e5']);
    assert.ok(Math.abs((path?.weight ?? 0) - (1 / 20 + 1 / 4 + 1 / 4 + 1 / 20)) < 1e-12);
  });

  it('takes fewer hops over heavier ties', () => {
    const graph = buildGraph([
      { from: 'a', to: 'b', messages: 1 },
      { from: 'a', to: 'x', messages: 1000 },
      { from: 'x', to: 'y', messages: 1000 },
      { from: 'y', to: 'b', messages: 1000 },
    ]);
    assert.deepEqual(shortestPath(graph, 'a', 'b')?.accounts, ['a', 'b']);
  });

  it('describes each step with its messages in both directions and its weight', () => {
    const graph = buildGraph([
      { from: 'a', to: 'b', messages: 3 },
      { from: 'b', to: 'a', messages: 1 },
      { from: 'c', to: 'b', messages: 5 },
    ]);
    assert.deepEqual(shortestPath(graph, 'a', 'c'), {
      accounts: ['a', 'b', 'c'],
      hops: 2,
      steps: [
        { from: 'a', to: 'b', messages: 4, sentForward: 3, sentBack: 1, weight: 0.25 },
        { from: 'b', to: 'c', messages: 5, sentForward: 0, sentBack: 5, weight: 0.2 },
      ],
      weight: 0.45,
    });
  });

  it('finds no path between disconnected accounts', () => {
    const graph = buildGraph([...clique(['a', 'b'], 1), ...clique(['x', 'y'], 1)]);
    assert.equal(shortestPath(graph, 'a', 'y'), undefined);
  });

  it('finds no path from or to an unknown account', () => {
    const graph = buildGraph(clique(['a', 'b'], 1));
    assert.equal(shortestPath(graph, 'a', 'nobody'), undefined);
    assert.equal(shortestPath(graph, 'nobody', 'a'), undefined);
  });

  it('the path from an account to itself has no steps', () => {
    assert.deepEqual(shortestPath(buildGraph(clique(['a', 'b'], 1)), 'a', 'a'), { accounts: ['a'], hops: 0, steps: [], weight: 0 });
  });
});
