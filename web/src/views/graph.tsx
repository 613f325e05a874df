// The communication network on WebGL (sigma): accounts sized by key-player score and coloured by
// community, laid out by ForceAtlas2 in a worker. Click an account to open it; hover shows its
// neighbours; the path tool marks the shortest chain of contacts between two accounts.
import Graph from 'graphology';
import Sigma from 'sigma';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api.ts';
import type { GraphAnswer, KeyPlayer, Tie } from '../api-types.ts';
import { formatNumber } from '../format.ts';
import { useI18n, useT } from '../i18n.tsx';
import { href, navigate } from '../router.tsx';
import { DatasetSelect, ErrorNote, Loading, PageHeader, errorMessage, useAsync } from '../ui.tsx';
import type { LayoutJob, LayoutResult } from './layout-worker.ts';

const LIMITS = [100, 300, 1000] as const;
const PALETTE = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#ea580c', '#4f46e5', '#0d9488', '#9333ea'];
const OTHER = '#94a3b8';

type NodeInfo = { key: string; handle: string; platform: string; community: number; score: number; metrics?: KeyPlayer };
type Network = { nodes: NodeInfo[]; ties: readonly Tie[] };

export function splitKey(key: string): { platform: string; handle: string } {
  const colon = key.indexOf(':');
  return colon > 0 ? { platform: key.slice(0, colon), handle: key.slice(colon + 1) } : { platform: '', handle: key };
}

/** The accounts of the answer (key players, then group members) and its ties. */
export function networkOf(answer: GraphAnswer): Network {
  const nodes = new Map<string, NodeInfo>();
  for (const p of answer.keyPlayers) nodes.set(p.account, { key: p.account, ...splitKey(p.account), community: p.community, score: p.score, metrics: p });
  for (const g of answer.groups) for (const m of g.members) if (!nodes.has(m)) nodes.set(m, { key: m, ...splitKey(m), community: g.id, score: 0 });
  const ties = answer.ties;
  for (const tie of ties) {
    for (const k of [tie.from, tie.to]) if (!nodes.has(k)) nodes.set(k, { key: k, ...splitKey(k), community: -1, score: 0 });
  }
  return { nodes: [...nodes.values()], ties };
}

/** ForceAtlas2 iterations by size: enough to settle small graphs, bounded on 10k nodes. */
export function layoutIterations(nodes: number): number {
  if (nodes <= 500) return 300;
  if (nodes <= 2000) return 150;
  if (nodes <= 10_000) return 60;
  return 30;
}

export function GraphView({ dataset, limit: requested }: { dataset: string | undefined; limit: number }) {
  const t = useT();
  const { language } = useI18n();
  const limit = (LIMITS as readonly number[]).includes(requested) ? requested : 300;
  const { data, error } = useAsync(async (signal) => {
    const answer = await api.graph({ dataset, limit }, signal);
    return { answer, network: networkOf(answer) };
  }, [dataset, limit]);

  return (
    <div className="page page-graph">
      <PageHeader title={t('graph.title')} sub={data ? <span data-testid="graph-count">{t('graph.count', { nodes: formatNumber(data.network.nodes.length, language), ties: formatNumber(data.network.ties.length, language) })}</span> : undefined}>
        <DatasetSelect value={dataset} onChange={(d) => navigate(href('/graph', { dataset: d, limit }))} />
        <select className="select" value={limit} onChange={(e) => navigate(href('/graph', { dataset, limit: e.target.value }))} aria-label={t('graph.limit')}>
          {LIMITS.map((l) => <option key={l} value={l}>{t('graph.top', { n: l })}</option>)}
        </select>
      </PageHeader>
      <ErrorNote error={error} />
      {!data && !error ? <Loading label={t('graph.loading')} /> : null}
      {data ? (
        data.network.nodes.length === 0 ? <p className="empty">{t('graph.empty')}</p> : <NetworkCanvas answer={data.answer} network={data.network} dataset={dataset} />
      ) : null}
    </div>
  );
}

export function NetworkCanvas({ answer, network, dataset }: { answer: GraphAnswer; network: Network; dataset: string | undefined }) {
  const t = useT();
  const { language } = useI18n();
  const container = useRef<HTMLDivElement | null>(null);
  const sigmaRef = useRef<Sigma | null>(null);
  const graphRef = useRef<Graph | null>(null);
  const [hovered, setHovered] = useState<string | undefined>(undefined);
  const [marked, setMarked] = useState<ReadonlySet<string>>(new Set());
  const [layoutState, setLayoutState] = useState<'running' | 'done'>('running');
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const markedRef = useRef(marked);
  markedRef.current = marked;
  const hoveredRef = useRef(hovered);
  hoveredRef.current = hovered;

  const colourOf = useMemo(() => {
    // communities by size: the largest get the clearest colours
    const order = [...answer.groups].sort((a, b) => b.size - a.size).map((g) => g.id);
    const index = new Map(order.map((id, i) => [id, i]));
    return (community: number) => {
      const i = index.get(community);
      return i === undefined || i >= PALETTE.length ? OTHER : PALETTE[i]!;
    };
  }, [answer]);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const graph = new Graph({ type: 'undirected', multi: false });
    const { x, y } = initialPositions(network);
    // size by messages: key-player scores are percentiles, close to 1 for every top account
    const maxMessages = network.nodes.reduce((m, n) => Math.max(m, n.metrics?.messages ?? 0), 1);
    // thousands of nodes need smaller discs to stay apart
    const [minSize, span] = network.nodes.length > 2000 ? [1.5, 5] : network.nodes.length > 500 ? [2, 8] : [2.5, 11];
    network.nodes.forEach((n, i) => {
      graph.addNode(n.key, {
        x: x[i], y: y[i], label: n.handle, color: colourOf(n.community),
        size: minSize + span * Math.sqrt((n.metrics?.messages ?? 0) / maxMessages),
      });
    });
    const index = new Map(network.nodes.map((n, i) => [n.key, i]));
    const maxTie = network.ties.reduce((m, e) => Math.max(m, e.messages), 1);
    for (const tie of network.ties) {
      if (tie.from === tie.to || graph.hasEdge(tie.from, tie.to)) continue;
      graph.addEdge(tie.from, tie.to, { size: 0.5 + 3 * Math.log1p(tie.messages) / Math.log1p(maxTie), color: '#cbd5e1', messages: tie.messages });
    }
    graphRef.current = graph;
    let renderer: Sigma;
    try {
      renderer = new Sigma(graph, element, {
        renderEdgeLabels: false, labelRenderedSizeThreshold: 7, labelFont: 'system-ui, sans-serif', labelSize: 11,
        defaultEdgeColor: '#cbd5e1', zIndex: true,
        nodeReducer: (node, attributes) => {
          const focus = hoveredRef.current;
          const path = markedRef.current;
          if (path.size > 0) return path.has(node) ? { ...attributes, highlighted: true, zIndex: 1 } : { ...attributes, color: '#e2e8f0', label: '' };
          if (focus && node !== focus && !graph.areNeighbors(node, focus)) return { ...attributes, color: '#e2e8f0', label: '' };
          if (focus === node) return { ...attributes, highlighted: true, zIndex: 1 };
          return attributes;
        },
        edgeReducer: (edge, attributes) => {
          const focus = hoveredRef.current;
          const path = markedRef.current;
          const [a, b] = graph.extremities(edge);
          if (path.size > 0) return path.has(a) && path.has(b) ? { ...attributes, color: '#f59e0b', size: 3 } : { ...attributes, hidden: true };
          if (focus && a !== focus && b !== focus) return { ...attributes, hidden: true };
          if (focus) return { ...attributes, color: '#64748b' };
          return attributes;
        },
      });
    } catch (error) {
      setFailure(errorMessage(error));
      return;
    }
    sigmaRef.current = renderer;
    renderer.on('clickNode', ({ node }) => {
      const { platform, handle } = splitKey(node);
      navigate(href(`/accounts/${encodeURIComponent(handle)}`, { dataset, platform: platform || undefined }));
    });
    renderer.on('enterNode', ({ node }) => {
      setHovered(node);
      element.classList.add('pointer');
    });
    renderer.on('leaveNode', () => {
      setHovered(undefined);
      element.classList.remove('pointer');
    });

    const worker = new Worker(new URL('./layout-worker.ts', import.meta.url), { type: 'module' });
    const from = new Uint32Array(network.ties.length);
    const to = new Uint32Array(network.ties.length);
    const weight = new Float64Array(network.ties.length);
    network.ties.forEach((tie, i) => {
      from[i] = index.get(tie.from)!;
      to[i] = index.get(tie.to)!;
      weight[i] = Math.log1p(tie.messages);
    });
    const job: LayoutJob = { x, y, from, to, weight, iterations: layoutIterations(network.nodes.length) };
    worker.onmessage = (event: MessageEvent<LayoutResult>) => {
      network.nodes.forEach((n, i) => graph.mergeNodeAttributes(n.key, { x: event.data.x[i], y: event.data.y[i] }));
      renderer.refresh();
      setLayoutState('done');
      worker.terminate();
    };
    worker.onerror = () => {
      setLayoutState('done');
      worker.terminate();
    };
    worker.postMessage(job, [x.buffer, y.buffer, from.buffer, to.buffer, weight.buffer]);

    return () => {
      worker.terminate();
      renderer.kill();
      sigmaRef.current = null;
      graphRef.current = null;
    };
  }, [network, colourOf, dataset]);

  useEffect(() => {
    sigmaRef.current?.refresh({ skipIndexation: true });
  }, [hovered]);

  // a path may run through ties (or accounts) the picture does not hold: they are added while it is shown
  useEffect(() => {
    const graph = graphRef.current;
    const renderer = sigmaRef.current;
    if (!graph || !renderer) return;
    graph.forEachEdge((edge, attributes) => {
      if (attributes.isPathOnly) graph.dropEdge(edge);
    });
    graph.forEachNode((node, attributes) => {
      if (attributes.isPathOnly) graph.dropNode(node);
    });
    const keys = [...marked];
    keys.forEach((key, i) => {
      if (graph.hasNode(key)) return;
      const near = [keys[i - 1], keys[i + 1]].filter((k): k is string => k !== undefined && graph.hasNode(k)).map((k) => graph.getNodeAttributes(k));
      const x = near.length ? near.reduce((sum, a) => sum + (a.x as number), 0) / near.length + 1 : 0;
      const y = near.length ? near.reduce((sum, a) => sum + (a.y as number), 0) / near.length + 1 : 0;
      graph.addNode(key, { x, y, size: 4, label: splitKey(key).handle, color: OTHER, isPathOnly: true });
    });
    for (let i = 1; i < keys.length; i++) {
      if (!graph.hasEdge(keys[i - 1]!, keys[i]!)) graph.addEdge(keys[i - 1]!, keys[i]!, { size: 3, color: '#f59e0b', isPathOnly: true });
    }
    renderer.refresh();
  }, [marked]);

  const focusNode = (key: string) => {
    const renderer = sigmaRef.current;
    if (!renderer || !graphRef.current?.hasNode(key)) return;
    const position = renderer.getNodeDisplayData(key);
    if (position) void renderer.getCamera().animate({ x: position.x, y: position.y, ratio: 0.35 }, { duration: 400 });
    setHovered(key);
  };

  const players = answer.keyPlayers.slice(0, 40);
  return (
    <div className="graph-layout">
      <div className="graph-stage">
        {failure ? <div className="note note-error">{t('graph.webgl')} ({failure})</div> : null}
        <div ref={container} className="graph-canvas" data-testid="graph-canvas" aria-label={t('graph.title')} />
        <div className="graph-legend">
          <span>{layoutState === 'running' ? t('graph.layout') : t('graph.hint')}</span>
          <span className="muted"> · {t('graph.totals', { accounts: formatNumber(answer.totals.accounts, language), communities: formatNumber(answer.totals.communities, language) })}</span>
        </div>
      </div>
      <aside className="graph-side">
        <PathTool dataset={dataset} onPath={(keys) => setMarked(new Set(keys))} />
        <h3>{t('graph.keyPlayers')}</h3>
        <table className="table table-compact">
          <thead><tr><th>{t('col.account')}</th><th className="num">{t('graph.score')}</th><th className="num">{t('col.messages')}</th></tr></thead>
          <tbody>
            {players.map((p) => {
              const { handle } = splitKey(p.account);
              return (
                <tr key={p.account} className={hovered === p.account ? 'selected' : undefined}>
                  <td>
                    <span className="swatch" aria-hidden="true" style={{ background: colourOf(p.community) }} />
                    <button type="button" className="link-button handle" onClick={() => focusNode(p.account)} onDoubleClick={() => navigate(href(`/accounts/${encodeURIComponent(handle)}`, { dataset }))}>{handle}</button>
                  </td>
                  <td className="num">{p.score.toFixed(2)}</td>
                  <td className="num">{formatNumber(p.messages, language)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </aside>
    </div>
  );
}

function PathTool({ dataset, onPath }: { dataset: string | undefined; onPath: (keys: string[]) => void }) {
  const t = useT();
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const [result, setResult] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setResult(undefined);
    try {
      const path = await api.path({ a: a.trim(), b: b.trim(), dataset });
      if (!path.found || !path.accounts) {
        setResult(t('graph.noPath'));
        onPath([]);
      } else {
        setResult(path.accounts.map((k) => splitKey(k).handle).join(' → '));
        onPath(path.accounts);
      }
    } catch (failure) {
      setError(failure);
      onPath([]);
    }
  };
  return (
    <form className="path-tool" onSubmit={(e) => void submit(e)}>
      <h3>{t('graph.path')}</h3>
      <div className="row">
        <input value={a} onChange={(e) => setA(e.target.value)} placeholder={t('graph.pathFrom')} aria-label={t('graph.pathFrom')} />
        <input value={b} onChange={(e) => setB(e.target.value)} placeholder={t('graph.pathTo')} aria-label={t('graph.pathTo')} />
        <button type="submit" className="button">{t('graph.pathFind')}</button>
        <button type="button" className="button" onClick={() => { setResult(undefined); onPath([]); }}>×</button>
      </div>
      {result ? <p className="path-result">{result}</p> : null}
      <ErrorNote error={error} />
    </form>
  );
}

/** Communities on a spiral, members around their community's centre: a readable start for ForceAtlas2. */
function initialPositions(network: Network): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(network.nodes.length);
  const y = new Float64Array(network.nodes.length);
  const members = new Map<number, number[]>();
  network.nodes.forEach((n, i) => {
    const list = members.get(n.community) ?? [];
    list.push(i);
    members.set(n.community, list);
  });
  const groups = [...members.values()].sort((p, q) => q.length - p.length);
  const golden = Math.PI * (3 - Math.sqrt(5));
  groups.forEach((group, g) => {
    const r = 40 * Math.sqrt(g);
    const cx = r * Math.cos(g * golden);
    const cy = r * Math.sin(g * golden);
    const spread = 4 * Math.sqrt(group.length);
    group.forEach((node, j) => {
      const angle = j * golden;
      const d = spread * Math.sqrt((j + 0.5) / group.length);
      x[node] = cx + d * Math.cos(angle);
      y[node] = cy + d * Math.sin(angle);
    });
  });
  return { x, y };
}
