// GET /graph analyses in a worker thread: a large analysis leaves the server answering other
// requests, the worker's answer is the main thread's, and a stopped analysis says why.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyseNetwork } from '../../src/analyze/network/analyse.ts';
import { AnalysisUnavailableError, analyseInWorker } from '../../src/analyze/network/analyse-in-worker.ts';
import { packEdges, shapeAnalysis, unpackEdges } from '../../src/analyze/network/analysis-answer.ts';
import { buildGraph } from '../../src/analyze/network/graph.ts';
import { ingest } from '../../src/ingest/pipeline.ts';
import { generateCrews } from '../analyze/network/crews.ts';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';
import { getJson, login, startTestServer, type Login, type TestServer } from './server-fixture.ts';

// ~20k directed edges over 4,000 accounts: hundreds of milliseconds of analysis
const network = generateCrews({ accounts: 4000, messages: 30_000, seed: 7 });

describe('analyseInWorker', () => {
  test('answers as the main thread does for the same edges', async () => {
    assert.ok(network.edges.length >= 15_000, `${network.edges.length} edges`);
    for (const limit of [20, 100]) {
      const inWorker = await analyseInWorker(network.edges, { limit });
      const onMainThread = shapeAnalysis(analyseNetwork(buildGraph(network.edges)), limit);
      assert.deepEqual(inWorker, onMainThread);
      assert.equal(inWorker.keyPlayers.length, limit);
      assert.ok(inWorker.totals.accounts > 3000);
    }
  });

  test('applies a time window as buildGraph does', async () => {
    const window = { fromMs: Date.UTC(2020, 3, 1), toMs: Date.UTC(2020, 4, 1) };
    const inWorker = await analyseInWorker(network.edges, { ...window, limit: 10 });
    const onMainThread = shapeAnalysis(analyseNetwork(buildGraph(network.edges, window)), 10);
    assert.deepEqual(inWorker, onMainThread);
    assert.ok(inWorker.totals.accounts < shapeAnalysis(analyseNetwork(buildGraph(network.edges)), 1).totals.accounts);
  });

  test('edges survive packing, times missing or not', () => {
    const edges = [{ from: 'a', to: 'b', messages: 3 }, { from: 'b', to: 'a', messages: 1, firstMs: 5, lastMs: 9 }, { from: 'c', to: 'a', messages: 2, lastMs: 0 }];
    assert.deepEqual(unpackEdges(packEdges(edges)), edges);
  });

  test('a timeout stops the worker and rejects with a clear error', async () => {
    await assert.rejects(analyseInWorker(network.edges, { timeoutMs: 1 }), (error: unknown) => {
      assert.ok(error instanceof AnalysisUnavailableError);
      assert.equal(error.reason, 'timeout');
      assert.match(error.message, /took longer than 1 ms and was stopped/);
      return true;
    });
  });

  test('an abort stops the worker', async () => {
    const controller = new AbortController();
    const running = analyseInWorker(network.edges, { signal: controller.signal });
    controller.abort(new Error('client went away'));
    await assert.rejects(running, /client went away/);
    await assert.rejects(analyseInWorker(network.edges, { signal: controller.signal }), /client went away/);
  });
});

describe('GET /graph on a large dataset', () => {
  let server: TestServer;
  let api: string;
  let root: Login;

  before(async () => {
    server = await startTestServer();
    api = `${server.url}/api/v1`;
    root = await login(server.url, 'root');
    // each generated tie as that many messages, spread over its span
    const records: object[] = [];
    for (const edge of network.edges) {
      const first = edge.firstMs ?? Date.UTC(2020, 2, 1);
      const step = ((edge.lastMs ?? first) - first) / Math.max(1, edge.messages - 1);
      for (let k = 0; k < edge.messages; k++) {
        records.push(message(`c-${records.length}`, new Date(first + Math.round(k * step)).toISOString(), edge.from.replace('encrochat:', ''), [edge.to.replace('encrochat:', '')], 'ok'));
      }
    }
    await ingest({ store: server.store, dataset: 'crews', paths: [writeJsonl(join(temporaryDirectory(), 'crews.jsonl'), records)] });
  });
  after(() => server.close());

  test('other requests are answered while the analysis runs, and the answer is the main thread\'s', async () => {
    const started = performance.now();
    let graphDoneAt = Number.POSITIVE_INFINITY;
    const graph = getJson<{ totals: { accounts: number }; keyPlayers: { account: string }[] }>(`${api}/graph?dataset=crews&limit=25`, root.token)
      .then((answer) => {
        graphDoneAt = performance.now();
        return answer;
      });
    const meLatencies: number[] = [];
    let meDoneAt = 0;
    await new Promise((resolve) => setTimeout(resolve, 30));
    for (let i = 0; i < 5; i++) {
      const asked = performance.now();
      const me = await getJson(`${api}/me`, root.token);
      assert.equal(me.status, 200);
      meDoneAt = performance.now();
      meLatencies.push(meDoneAt - asked);
    }
    const { status, body } = await graph;
    assert.equal(status, 200);
    const graphMs = graphDoneAt - started;
    assert.ok(meDoneAt < graphDoneAt, `/me x5 done at ${Math.round(meDoneAt - started)} ms, /graph at ${Math.round(graphMs)} ms`);
    assert.ok(Math.max(...meLatencies) < graphMs / 2, `/me took up to ${Math.round(Math.max(...meLatencies))} ms while /graph took ${Math.round(graphMs)} ms`);

    const edges = await server.store.communicationEdges({ dataset: 'crews' });
    const onMainThread = shapeAnalysis(analyseNetwork(buildGraph(edges)), 25);
    assert.ok(body.totals.accounts > 3000);
    assert.deepEqual(body.totals, onMainThread.totals);
    assert.deepEqual(body.keyPlayers, onMainThread.keyPlayers);
  });
});
