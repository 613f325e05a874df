// Search: the query box (syntax errors pointed at their position), facets that narrow the query,
// highlighted hits loaded page by page as the list scrolls.
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { SEARCH_SORTS, type Facets, type SearchAnswer, type SearchHit, type SearchSort } from '../api-types.ts';
import { fieldValue, formatNumber } from '../format.ts';
import { type MessageKey, useI18n, useT } from '../i18n.tsx';
import { Link, href, navigate } from '../router.tsx';
import { DatasetSelect, ErrorNote, Loading, PageHeader, useSentinel, useSession } from '../ui.tsx';
import { AddToCase } from './cases.tsx';
import { HitList } from './hit-list.tsx';

const PAGE = 50;

const EXAMPLES = [
  'kilo~1 AND (haven OR container)',
  '"geld cash"~5',
  'coke* date:[2020-04-01 TO 2020-05-01]',
  'from:tapeworm has:attachment',
  'phone:+31612345678',
  'wapen OR klappen -pizza',
];

type Results = { answer: SearchAnswer; hits: SearchHit[]; isLoadingMore: boolean; moreError?: unknown };

export function SearchView({ q, dataset, sort: sortParam }: { q: string; dataset: string | undefined; sort: string | undefined }) {
  const t = useT();
  const { language } = useI18n();
  const sort: SearchSort = (SEARCH_SORTS as readonly string[]).includes(sortParam ?? '') ? sortParam as SearchSort : 'newest';
  const { datasets } = useSession();
  const [draft, setDraft] = useState(q);
  const [results, setResults] = useState<Results | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(false);
  const generation = useRef(0);

  useEffect(() => setDraft(q), [q]);

  useEffect(() => {
    const run = ++generation.current;
    setError(undefined);
    if (!q.trim()) {
      setResults(undefined);
      return;
    }
    setLoading(true);
    const controller = new AbortController();
    api.search({ q, dataset, sort, limit: PAGE, offset: 0, facets: true }, controller.signal).then(
      (answer) => {
        if (run !== generation.current) return;
        setResults({ answer, hits: answer.hits, isLoadingMore: false });
        setLoading(false);
      },
      (failure: unknown) => {
        if (run !== generation.current || controller.signal.aborted) return;
        setResults(undefined);
        setError(failure);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [q, dataset, sort]);

  const latest = useRef(results);
  latest.current = results;
  const loadMore = useCallback(() => {
    const current = latest.current;
    if (!current || current.isLoadingMore || current.hits.length >= current.answer.total) return;
    const run = generation.current;
    const offset = current.hits.length;
    setResults({ ...current, isLoadingMore: true, moreError: undefined });
    api.search({ q, dataset, sort, limit: PAGE, offset, facets: false }).then(
      (page) => {
        if (run !== generation.current) return;
        setResults((now) => (now && now.hits.length === offset ? { ...now, hits: [...now.hits, ...page.hits], isLoadingMore: false } : now));
      },
      (failure: unknown) => {
        if (run !== generation.current) return;
        setResults((now) => (now ? { ...now, isLoadingMore: false, moreError: failure } : now));
      },
    );
  }, [q, dataset, sort]);

  const hasMore = results !== undefined && results.hits.length < results.answer.total && results.moreError === undefined;
  const sentinel = useSentinel(loadMore, hasMore, results?.hits.length ?? 0);

  const go = (next: { q?: string; dataset?: string | undefined; sort?: SearchSort }) => {
    const query = next.q ?? q;
    navigate(href('/search', { q: query, dataset: 'dataset' in next ? next.dataset : dataset, sort: (next.sort ?? sort) === 'newest' ? undefined : next.sort ?? sort }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    go({ q: draft.trim() });
  };

  const narrow = (clause: string) => go({ q: q.trim() ? `${q.trim()} ${clause}` : clause });
  const syntaxError = error instanceof ApiError && error.code === 'query_syntax' ? error : undefined;

  return (
    <div className="page page-search">
      <PageHeader title={t('search.title')}>
        {q.trim() ? <AddToCase query={q} dataset={dataset} label={t('cases.addHits')} /> : null}
        <Link to={href('/timeline', { q, dataset })} className="button">{t('search.timeline')}</Link>
      </PageHeader>
      <form className="query-bar" onSubmit={submit} role="search">
        <input
          id="query" className={`query-input ${syntaxError ? 'invalid' : ''}`} value={draft} onChange={(e) => setDraft(e.target.value)}
          placeholder={t('search.placeholder')} aria-label={t('search.query')} autoComplete="off" spellCheck={false}
          autoFocus={!q}
        />
        <DatasetSelect value={dataset} onChange={(d) => go({ dataset: d })} />
        <select className="select" value={sort} onChange={(e) => go({ sort: e.target.value as SearchSort })} aria-label={t('search.sort')}>
          {SEARCH_SORTS.map((s) => <option key={s} value={s}>{t(`sort.${s}`)}</option>)}
        </select>
        <button className="button button-primary" type="submit">{t('search.submit')}</button>
      </form>
      {syntaxError ? <SyntaxError query={q} error={syntaxError} /> : <ErrorNote error={error} />}
      {!q.trim() ? <SearchHelp onPick={(example) => go({ q: example })} /> : null}
      {loading && !results ? <Loading label={t('search.searching')} /> : null}
      {results ? (
        <div className="search-body">
          <section className="results" aria-label={t('search.results')}>
            <div className="result-summary" data-testid="result-summary">
              <strong>{formatNumber(results.answer.total, language)}</strong> {t('search.hits', { n: results.answer.total })}
              <span className="muted"> · {t('search.took', { ms: results.answer.took_ms })}</span>
              {loading ? <span className="muted"> · {t('search.searching')}</span> : null}
            </div>
            {results.answer.notice ? <div className="note note-warn">{results.answer.notice}</div> : null}
            {results.answer.expansions ? (
              <div className="expansions">
                {Object.entries(results.answer.expansions).map(([term, words]) => (
                  <div key={term}><code>{term}</code> → {words.length ? words.join(', ') : <em>{t('search.noExpansion')}</em>}</div>
                ))}
              </div>
            ) : null}
            {results.hits.length === 0 ? <p className="empty">{t('search.none')}</p> : null}
            <HitList hits={results.hits} q={q} showDataset={dataset === undefined && (datasets?.length ?? 0) > 1} />
            <div ref={sentinel} className="sentinel" />
            {results.isLoadingMore ? <Loading /> : null}
            <ErrorNote error={results.moreError} />
            {!hasMore && results.hits.length > 0 ? <p className="list-end">{t('search.end', { n: results.hits.length })}</p> : null}
          </section>
          {results.answer.facets ? <FacetPanel facets={results.answer.facets} onNarrow={narrow} showDataset={dataset === undefined} /> : null}
        </div>
      ) : null}
    </div>
  );
}

function SyntaxError({ query, error }: { query: string; error: ApiError }) {
  const t = useT();
  const position = error.position === undefined ? undefined : Math.max(0, Math.min(error.position, query.length));
  return (
    <div className="note note-error syntax-error" role="alert" data-testid="syntax-error">
      <strong>{t('search.syntax')}</strong> {error.message}
      {position !== undefined ? (
        <pre className="caret-line" aria-hidden="true">{query}{'\n'}{' '.repeat(position)}^</pre>
      ) : null}
    </div>
  );
}

const FACETS: { key: keyof Omit<Facets, 'sampled' | 'sampleSize'>; label: MessageKey; clause: (value: string) => string }[] = [
  { key: 'sender', label: 'facet.sender', clause: (v) => `from:${fieldValue(v)}` },
  { key: 'day', label: 'facet.day', clause: (v) => `date:${v}` },
  { key: 'dataset', label: 'facet.dataset', clause: (v) => `dataset:${fieldValue(v)}` },
  { key: 'platform', label: 'facet.platform', clause: (v) => `platform:${fieldValue(v)}` },
  { key: 'language', label: 'facet.language', clause: (v) => `lang:${fieldValue(v)}` },
];

function FacetPanel({ facets, onNarrow, showDataset }: { facets: Facets; onNarrow: (clause: string) => void; showDataset: boolean }) {
  const t = useT();
  const { language } = useI18n();
  return (
    <aside className="facets" aria-label={t('facet.title')} data-testid="facets">
      {facets.sampled ? <p className="muted small">{t('facet.sampled', { n: facets.sampleSize })}</p> : null}
      {FACETS.filter((f) => f.key !== 'dataset' || showDataset).map((f) => {
        const buckets = f.key === 'day' ? [...facets.day].sort((a, b) => (a.value < b.value ? 1 : -1)).slice(0, 12) : facets[f.key].slice(0, 10);
        if (buckets.length === 0) return null;
        const max = Math.max(...buckets.map((b) => b.count));
        return (
          <section key={f.key} className="facet">
            <h3>{t(f.label)}</h3>
            <ul>
              {buckets.map((b) => (
                <li key={b.value}>
                  <button type="button" onClick={() => onNarrow(f.clause(b.value))} title={f.clause(b.value)}>
                    <span className="facet-bar" aria-hidden="true"><span style={{ width: `${Math.round((b.count / max) * 100)}%` }} /></span>
                    <span className="facet-value">{b.value || '—'}</span>
                    <span className="facet-count">{formatNumber(b.count, language)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </aside>
  );
}

function SearchHelp({ onPick }: { onPick: (q: string) => void }) {
  const t = useT();
  const { language } = useI18n();
  const { datasets } = useSession();
  return (
    <div className="search-help">
      <section>
        <h2>{t('search.examples')}</h2>
        <ul className="examples">
          {EXAMPLES.map((e) => <li key={e}><button type="button" className="code-button" onClick={() => onPick(e)}>{e}</button></li>)}
        </ul>
        <p className="muted">{t('search.syntaxHelp')}</p>
      </section>
      <section>
        <h2>{t('search.datasets')}</h2>
        <table className="table">
          <thead><tr><th>{t('dataset')}</th><th className="num">{t('col.messages')}</th><th className="num">{t('col.accounts')}</th><th>{t('col.period')}</th></tr></thead>
          <tbody>
            {(datasets ?? []).map((d) => (
              <tr key={d.name}>
                <td><Link to={href('/search', { q: 'date:>=1000', dataset: d.name })}>{d.name}</Link></td>
                <td className="num">{formatNumber(d.messages, language)}</td>
                <td className="num">{formatNumber(d.accounts, language)}</td>
                <td>{d.firstTs ? `${d.firstTs.slice(0, 10)} – ${d.lastTs?.slice(0, 10) ?? ''}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
