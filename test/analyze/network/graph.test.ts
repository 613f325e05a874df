import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildGraph, isEdgeWithinWindow, type CommunicationEdge } from '../../../src/analyze/network/graph.ts';

describe('buildGraph', () => {
  it('merges both directions of a pair into one tie and keeps the directed counts', () => {
    const graph = buildGraph([
      { from: 'p:b', to: 'p:a', messages: 3 },
      { from: 'p:a', to: 'p:b', messages: 5 },
      { from: 'p:a', to: 'p:b', messages: 1 },
    ]);
    assert.equal(graph.order, 2);
    assert.equal(graph.size, 1);
    const edge = graph.edge('p:a', 'p:b');
    assert.ok(edge !== undefined);
    assert.equal(graph.source(edge), 'p:a');
    assert.deepEqual(graph.getEdgeAttributes(edge), { messages: 9, sourceToTarget: 6, targetToSource: 3 });
  });

  it('counts the messages each account sent and received', () => {
    const graph = buildGraph([
      { from: 'a', to: 'b', messages: 2 },
      { from: 'c', to: 'a', messages: 7 },
      { from: 'b', to: 'a', messages: 1 },
    ]);
    assert.deepEqual(graph.getNodeAttributes('a'), { sent: 2, received: 8 });
    assert.deepEqual(graph.getNodeAttributes('b'), { sent: 1, received: 2 });
    assert.deepEqual(graph.getNodeAttributes('c'), { sent: 7, received: 0 });
  });

  it('skips messages to oneself and edges without messages', () => {
    const graph = buildGraph([
      { from: 'a', to: 'a', messages: 4 },
      { from: 'a', to: 'b', messages: 0 },
      { from: 'b', to: 'c', messages: 1 },
    ]);
    assert.deepEqual(graph.nodes().sort(), ['b', 'c']);
  });

  it('keeps the earliest first and latest last time of the merged edges', () => {
    const graph = buildGraph([
      { from: 'a', to: 'b', messages: 1, firstMs: 500, lastMs: 900 },
      { from: 'b', to: 'a', messages: 1, firstMs: 100, lastMs: 600 },
    ]);
    const tie = graph.getEdgeAttributes(graph.edge('a', 'b') ?? '');
    assert.equal(tie.firstMs, 100);
    assert.equal(tie.lastMs, 900);
  });

  it('a time window keeps edges whose span overlaps it and drops the others', () => {
    const edges: CommunicationEdge[] = [
      { from: 'before', to: 'x', messages: 1, firstMs: 0, lastMs: 99 },
      { from: 'overlapping', to: 'x', messages: 1, firstMs: 50, lastMs: 150 },
      { from: 'inside', to: 'x', messages: 1, firstMs: 120, lastMs: 180 },
      { from: 'after', to: 'x', messages: 1, firstMs: 201, lastMs: 300 },
      { from: 'undated', to: 'x', messages: 1 },
    ];
    const graph = buildGraph(edges, { fromMs: 100, toMs: 200 });
    assert.deepEqual(graph.nodes().sort(), ['inside', 'overlapping', 'x']);
    assert.equal(buildGraph(edges).order, 6, 'without a window every edge counts');
    assert.equal(buildGraph(edges, { fromMs: 200 }).hasNode('after'), true, 'an open end is unbounded');
  });

  it('an edge with only one time is treated as happening at that time', () => {
    assert.equal(isEdgeWithinWindow({ from: 'a', to: 'b', messages: 1, lastMs: 150 }, { fromMs: 100, toMs: 200 }), true);
    assert.equal(isEdgeWithinWindow({ from: 'a', to: 'b', messages: 1, firstMs: 250 }, { fromMs: 100, toMs: 200 }), false);
  });

  it('gives the same graph whatever the order of the edges', () => {
    const edges: CommunicationEdge[] = [
      { from: 'd', to: 'a', messages: 2 },
      { from: 'a', to: 'b', messages: 1 },
      { from: 'c', to: 'b', messages: 4 },
      { from: 'b', to: 'a', messages: 3 },
    ];
    const forward = buildGraph(edges).export();
    const backward = buildGraph([...edges].reverse()).export();
    assert.deepEqual(backward, forward);
  });
});
