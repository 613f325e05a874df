// Findings, alerts and watchlists in the PostgreSQL store (as the SQLite store's triage.ts; the
// findings and alerts of new messages are written by ingest.ts).
import type { Viewer } from '../../model/security.ts';
import type { Alert, Watchlist } from '../../model/triage.ts';
import type { QueryNode } from '../../search/ast.ts';
import type { AlertChange, AlertQuery, NewWatchlist, RescoreChunk, TriageRow, WatchlistRun } from '../store.ts';
import type { PostgresStore } from './pg-store.ts';

const TODO = (what: string): never => {
  throw new Error(`the PostgreSQL store's ${what} is not written yet`);
};
type S = PostgresStore;

export async function alerts(s: S, query: AlertQuery): Promise<{ total: number; alerts: Alert[] }> { return TODO(`alerts ${s}${query}`); }
export async function alert(s: S, id: number, viewer?: Viewer, datasets?: readonly string[]): Promise<Alert | undefined> { return TODO(`alert ${s}${id}${viewer}${datasets}`); }
export async function updateAlert(s: S, id: number, change: AlertChange, actor: string): Promise<Alert | undefined> { return TODO(`updateAlert ${s}${id}${change}${actor}`); }
export async function triageRows(s: S, dataset: string, afterKey: number, limit: number): Promise<TriageRow[]> { return TODO(`triageRows ${s}${dataset}${afterKey}${limit}`); }
export async function applyRescore(s: S, dataset: string, chunk: RescoreChunk, toolrun: { component: string; version: string }): Promise<{ alerts: number; removed: number }> { return TODO(`applyRescore ${s}${dataset}${chunk}${toolrun}`); }
export async function addWatchlist(s: S, watchlist: NewWatchlist): Promise<Watchlist | undefined> { return TODO(`addWatchlist ${s}${watchlist}`); }
export async function watchlists(s: S): Promise<Watchlist[]> { return TODO(`watchlists ${s}`); }
export async function removeWatchlist(s: S, name: string): Promise<boolean> { return TODO(`removeWatchlist ${s}${name}`); }
export async function runWatchlists(s: S, parse: (query: string) => QueryNode, backfill?: string): Promise<WatchlistRun> {
  if (!(await s.db.one('SELECT 1 AS x FROM watchlists LIMIT 1'))) {
    await s.db.run('DELETE FROM watch_queue');
    return { checked: 0, raised: 0, watchlists: [] };
  }
  return TODO(`runWatchlists ${s}${parse}${backfill}`);
}
