// Small pieces every view uses: loading state of a request, error lines, the dataset picker, the
// signed-in user (role decides which views are offered).
import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { ApiError } from './api.ts';
import type { DatasetSummary, Me } from './api-types.ts';
import { isSynthetic } from './format.ts';
import { useT } from './i18n.tsx';

export type Session = { me: Me; datasets: DatasetSummary[] | undefined; reloadDatasets: () => void };

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in shell');
  return session;
}

export type Async<T> = { data: T | undefined; error: unknown; loading: boolean; reload: () => void };

/** Runs `load` when `deps` change; an answer that arrives after newer deps is dropped. */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Async<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ data: s.data, error: undefined, loading: true }));
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ data: undefined, error, loading: false });
      },
    );
    return () => controller.abort();
    // `load` is read through a ref: the deps say when to run it again
  }, [...deps, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function ErrorNote({ error }: { error: unknown }) {
  const t = useT();
  if (error === undefined || error === null) return null;
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <div className={`note ${forbidden ? 'note-warn' : 'note-error'}`} role="alert">
      <strong>{forbidden ? t('error.forbidden') : t('error.title')}</strong> {errorMessage(error)}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const t = useT();
  return <div className="loading" aria-busy="true">{label ?? t('loading')}</div>;
}

export function PageHeader({ title, children, sub }: { title: string; children?: ReactNode; sub?: ReactNode }) {
  return (
    <header className="page-header">
      <div className="page-title">
        <h1>{title}</h1>
        {sub ? <div className="page-sub">{sub}</div> : null}
      </div>
      {children ? <div className="page-tools">{children}</div> : null}
    </header>
  );
}

export function DatasetBadge({ name }: { name: string }) {
  const t = useT();
  return (
    <span className={`badge ${isSynthetic(name) ? 'badge-synthetic' : ''}`} title={isSynthetic(name) ? t('synthetic.title') : undefined}>
      {name}
      {isSynthetic(name) ? <span className="badge-flag">{t('synthetic')}</span> : null}
    </span>
  );
}

export function DatasetSelect({ value, onChange, id }: { value: string | undefined; onChange: (value: string | undefined) => void; id?: string }) {
  const t = useT();
  const { datasets } = useSession();
  return (
    <select id={id} className="select" value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)} aria-label={t('dataset')}>
      <option value="">{t('dataset.all')}</option>
      {(datasets ?? []).map((d) => <option key={d.name} value={d.name}>{d.name}</option>)}
    </select>
  );
}

/**
 * Calls `onVisible` when the returned element scrolls into view (infinite lists). `page` changes
 * with every page loaded: a new observer reports a sentinel that is still in view, which the old
 * one would not (it reports changes only).
 */
export function useSentinel(onVisible: () => void, enabled: boolean, page: number) {
  const ref = useRef<HTMLDivElement | null>(null);
  const latest = useRef(onVisible);
  latest.current = onVisible;
  useEffect(() => {
    const element = ref.current;
    if (!element || !enabled) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) latest.current();
    }, { rootMargin: '400px' });
    observer.observe(element);
    return () => observer.disconnect();
  }, [enabled, page]);
  return ref;
}

export function canSeeEvidence(me: Me): boolean {
  return me.user.role === 'admin' || me.user.role === 'analyst';
}
