// The case board: cases with their evidence, people, entities, annotations and timeline; the
// candidates case discovery proposes; export of a court bundle (files with their SHA-256 and the
// manifest's own hash). "Add to case" on items, accounts and entities links evidence to a case.
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api.ts';
import type { CaseDetail, CaseExport, DiscoverCandidate } from '../api-types.ts';
import { formatBytes, formatNumber, formatTime } from '../format.ts';
import { useI18n, useT } from '../i18n.tsx';
import { useListKeys } from '../keyboard.ts';
import { Link, navigate } from '../router.tsx';
import { ErrorNote, Loading, PageHeader, errorMessage, useAsync, useSession } from '../ui.tsx';
import { accountPath, itemPath } from './hit-list.tsx';
import { entityPath } from './item.tsx';

export function casePath(name: string): string {
  return `/cases/${encodeURIComponent(name)}`;
}

function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && /no route/.test(error.message);
}

export function CasesView() {
  const t = useT();
  const { me } = useSession();
  const { data, error, loading, reload } = useAsync(() => api.cases(), []);
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [failure, setFailure] = useState<unknown>(undefined);
  const cases = data?.cases ?? [];
  const { selected, container } = useListKeys(cases.length, (i) => {
    const c = cases[i];
    if (c) navigate(casePath(c.name));
  });

  const create = async (event: FormEvent, from?: { name: string; title?: string; fromCandidate?: string }) => {
    event.preventDefault();
    setFailure(undefined);
    const body = from ?? { name: name.trim(), ...(title.trim() ? { title: title.trim() } : {}) };
    try {
      await api.createCase(body);
      navigate(casePath(body.name));
    } catch (error) {
      setFailure(error);
      reload();
    }
  };

  return (
    <div className="page">
      <PageHeader title={t('cases.title')} />
      {isMissingRoute(error) ? <div className="note note-warn">{t('cases.unavailable')}</div> : <ErrorNote error={error} />}
      {me.user.role !== 'investigator' ? (
        <form className="filter-bar" onSubmit={(e) => void create(e)}>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('cases.name')} aria-label={t('cases.name')} required />
          <input className="grow" value={title} onChange={(e) => setTitle(e.target.value)} placeholder={t('cases.titleField')} aria-label={t('cases.titleField')} />
          <button type="submit" className="button button-primary">{t('cases.create')}</button>
        </form>
      ) : null}
      <ErrorNote error={failure} />
      {loading && !data ? <Loading /> : null}
      <table className="table table-rows" ref={(el) => { container.current = el; }} data-testid="cases">
        <thead><tr><th>{t('cases.name')}</th><th>{t('cases.titleField')}</th><th>{t('col.status')}</th><th>{t('cases.by')}</th><th>{t('users.created')}</th></tr></thead>
        <tbody>
          {cases.map((c, i) => (
            <tr key={c.name} data-row={i} className={i === selected ? 'selected' : undefined}>
              <td><Link to={casePath(c.name)}><strong>{c.name}</strong></Link></td>
              <td>{c.title ?? ''}</td>
              <td>{c.status ? <span className={`status status-${c.status}`}>{c.status}</span> : null}</td>
              <td>{c.createdBy ?? ''}</td>
              <td className="nowrap">{formatTime(c.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && cases.length === 0 ? <p className="empty">{t('cases.none')}</p> : null}
      {me.user.role !== 'investigator' ? <Candidates onOpen={(c, e) => void create(e, c)} /> : null}
    </div>
  );
}

function handlesOf(c: DiscoverCandidate): string[] {
  return (c.accounts ?? []).map((a) => (typeof a === 'string' ? a : a.handle));
}

function topicsOf(c: DiscoverCandidate): string[] {
  return (c.topics ?? []).map((x) => (typeof x === 'string' ? x : x.topic));
}

/** A case name from a candidate: its main topic and first account, as a slug. */
export function candidateCaseName(c: DiscoverCandidate): string {
  const parts = [topicsOf(c)[0], handlesOf(c)[0], c.id.slice(0, 6)].filter((p): p is string => Boolean(p));
  return parts.join('-').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
}

function Candidates({ onOpen }: { onOpen: (c: { name: string; title?: string; fromCandidate?: string }, event: FormEvent) => void }) {
  const t = useT();
  const { language } = useI18n();
  const { datasets } = useSession();
  const [open, setOpen] = useState(false);
  const [dataset, setDataset] = useState<string | undefined>(undefined);
  const [run, setRun] = useState<{ candidates: DiscoverCandidate[] } | undefined>(undefined);
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<unknown>(undefined);
  const stored = useAsync(() => (open ? api.discover() : Promise.resolve({ total: 0, candidates: [] })), [open]);
  const data = run ?? stored.data;
  const error = runError ?? stored.error;
  const discover = async () => {
    const target = dataset ?? datasets?.[0]?.name;
    if (!target) return;
    setRunning(true);
    setRunError(undefined);
    try {
      setRun(await api.runDiscovery(target));
    } catch (failure) {
      setRunError(failure);
    } finally {
      setRunning(false);
    }
  };
  return (
    <section className="panel">
      <h2><button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>{open ? '▾' : '▸'} {t('cases.discover')}</button></h2>
      {open ? (
        <>
          <div className="filter-bar">
            <select className="select" value={dataset ?? datasets?.[0]?.name ?? ''} onChange={(e) => setDataset(e.target.value)} aria-label={t('dataset')}>
              {(datasets ?? []).map((d) => <option key={d.name} value={d.name}>{d.name}</option>)}
            </select>
            <button type="button" className="button" disabled={running || !datasets?.length} onClick={() => void discover()}>{running ? t('cases.discovering') : t('cases.runDiscovery')}</button>
          </div>
          {isMissingRoute(error) ? <div className="note note-warn">{t('cases.discoverUnavailable')}</div> : <ErrorNote error={error} />}
          {stored.loading || running ? <Loading /> : null}
          {data && data.candidates.length === 0 && !error ? <p className="empty">{t('cases.noCandidates')}</p> : null}
          {data && data.candidates.length > 0 ? (
            <table className="table" data-testid="candidates">
              <thead><tr><th className="num">{t('col.score')}</th><th>{t('cases.titleField')}</th><th>{t('cases.participants')}</th><th>{t('cases.topics')}</th><th className="num">{t('col.messages')}</th><th>{t('col.period')}</th><th /></tr></thead>
              <tbody>
                {data.candidates.map((c) => {
                  const people = handlesOf(c);
                  const topics = topicsOf(c);
                  return (
                    <tr key={c.id}>
                      <td className="num">{c.score === undefined ? '' : c.score.toFixed(2)}</td>
                      <td>{c.title ?? ''}{c.reasons?.length ? <div className="muted small">{c.reasons.slice(0, 3).join(' · ')}</div> : null}</td>
                      <td>{people.slice(0, 6).join(', ')}{people.length > 6 ? ` +${people.length - 6}` : ''}</td>
                      <td>{topics.slice(0, 4).join(', ')}</td>
                      <td className="num">{c.messages === undefined ? '' : formatNumber(c.messages, language)}</td>
                      <td className="nowrap">{c.from?.slice(0, 10) ?? ''} – {c.to?.slice(0, 10) ?? ''}</td>
                      <td><button type="button" className="button button-small" onClick={(e) => onOpen({ name: candidateCaseName(c), title: c.title, fromCandidate: c.id }, e)}>{t('cases.open')}</button></td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

export function CaseView({ name }: { name: string }) {
  const t = useT();
  const { language } = useI18n();
  const { data, error, loading, reload } = useAsync(() => api.caseDetail(name), [name]);
  const [exported, setExported] = useState<CaseExport | undefined>(undefined);
  const [exporting, setExporting] = useState(false);
  const [failure, setFailure] = useState<unknown>(undefined);

  const runExport = async () => {
    setExporting(true);
    setFailure(undefined);
    try {
      setExported(await api.exportCase(name));
    } catch (error) {
      setFailure(error);
    } finally {
      setExporting(false);
    }
  };

  if (error) return <div className="page"><PageHeader title={name} />{isMissingRoute(error) ? <div className="note note-warn">{t('cases.unavailable')}</div> : <ErrorNote error={error} />}</div>;
  if (!data || loading && !data) return <div className="page"><PageHeader title={name} /><Loading /></div>;
  return (
    <div className="page page-case" data-testid="case">
      <PageHeader title={data.case.title ? `${data.case.name} · ${data.case.title}` : data.case.name} sub={data.case.description}>
        <button type="button" className="button button-primary" onClick={() => void runExport()} disabled={exporting}>{exporting ? t('cases.exporting') : t('cases.export')}</button>
      </PageHeader>
      <ErrorNote error={failure} />
      {exported ? <ExportResult exported={exported} /> : null}
      <div className="stats">
        <div className="stat"><div className="stat-value">{formatNumber(data.items.length, language)}</div><div className="stat-label">{t('cases.items')}</div></div>
        <div className="stat"><div className="stat-value">{formatNumber(data.messages.length, language)}</div><div className="stat-label">{t('col.messages')}</div></div>
        <div className="stat"><div className="stat-value">{formatNumber(data.accounts.length, language)}</div><div className="stat-label">{t('col.accounts')}</div></div>
        <div className="stat"><div className="stat-value">{formatNumber(data.entities.length, language)}</div><div className="stat-label">{t('nav.entities')}</div></div>
        <div className="stat"><div className="stat-value">{formatNumber(data.annotations.length, language)}</div><div className="stat-label">{t('cases.annotations')}</div></div>
      </div>
      <div className="grid-2">
        <section className="panel panel-wide">
          <h2>{t('cases.timeline')}</h2>
          <CaseTimeline detail={data} />
        </section>
        <section className="panel">
          <h2>{t('col.accounts')}</h2>
          <table className="table table-compact">
            <tbody>
              {data.accounts.map((a) => (
                <tr key={`${a.dataset}/${a.platform}:${a.handle}`}>
                  <td><Link to={accountPath(a.handle, a.dataset)} className="handle">{a.handle}</Link>{a.name ? <span className="muted"> {a.name}</span> : null}</td>
                  <td className="muted small">{a.dataset}</td>
                  <td className="num">{a.messages ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel">
          <h2>{t('nav.entities')}</h2>
          {data.entities.length === 0 ? <p className="empty">—</p> : null}
          <table className="table table-compact">
            <tbody>
              {data.entities.map((e) => (
                <tr key={`${e.type}:${e.value}`}>
                  <td><span className={`chip-type entity-${e.type}`}>{e.type}</span></td>
                  <td><Link to={entityPath(e.type, e.value)}>{e.value}</Link></td>
                  <td className="num">{e.mentions ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel">
          <h2>{t('cases.annotations')}</h2>
          {data.withheld ? <p className="note note-warn">{t('cases.withheld', { n: data.withheld })}</p> : null}
          <ul className="notes">
            {data.annotations.map((a, i) => (
              <li key={a.id ?? i}>
                <span className="muted small">{formatTime(a.at)} · {a.author ?? ''}{a.kind && a.kind !== 'note' ? ` · ${a.kind}` : ''}{a.target ? ` · ${a.target.kind} ${a.target.ref}` : ''}</span>
                <div>{a.text}</div>
              </li>
            ))}
          </ul>
          <Annotate name={name} onDone={reload} />
        </section>
        <section className="panel">
          <h2>{t('cases.queries')}</h2>
          <table className="table table-compact">
            <tbody>
              {data.queries.map((q, i) => <tr key={i}><td>{q.kind}</td><td><code>{q.text}</code></td><td className="num">{q.hits ?? ''}</td></tr>)}
            </tbody>
          </table>
        </section>
      </div>
      <section className="panel">
        <h2>{t('col.messages')}</h2>
        <table className="table">
          <thead><tr><th>{t('col.time')}</th><th>{t('item.from')}</th><th>{t('item.to')}</th><th>{t('item.body')}</th></tr></thead>
          <tbody>
            {data.messages.map((m) => (
              <tr key={m.id}>
                <td className="nowrap"><Link to={itemPath(m.id)}>{formatTime(m.ts)}</Link></td>
                <td><Link to={accountPath(m.from, m.dataset)} className="handle">{m.from}</Link></td>
                <td>{m.to.join(', ')}</td>
                <td>{m.body}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function CaseTimeline({ detail }: { detail: CaseDetail }) {
  const t = useT();
  if (detail.timeline.length === 0) return <p className="empty">{t('cases.noTimeline')}</p>;
  return (
    <ol className="case-timeline">
      {detail.timeline.map((e, i) => (
        <li key={`${e.ref}-${i}`} className={`tl tl-${e.kind}`}>
          <time>{formatTime(e.ts)}</time>
          <span className="tag">{e.kind}</span>
          {e.kind === 'message' ? <Link to={itemPath(e.ref)}>{e.summary}</Link> : <span>{e.summary}</span>}
        </li>
      ))}
    </ol>
  );
}

function ExportResult({ exported }: { exported: CaseExport }) {
  const t = useT();
  const { language } = useI18n();
  return (
    <div className="note note-ok" role="status" data-testid="case-export">
      <div><strong>{t('cases.exported', { n: exported.files.length })}</strong> {t('cases.manifest')} <code className="hash">{exported.manifestSha256}</code></div>
      {exported.withheld ? <div className="muted">{t('cases.withheld', { n: exported.withheld })}</div> : null}
      <table className="table table-compact">
        <tbody>
          {exported.files.map((f) => (
            <tr key={f.path}>
              <td>{exported.download && !f.path.includes('/') ? <a href={`${exported.download}${encodeURIComponent(f.path)}`} download={f.path}><code>{f.path}</code></a> : <code>{f.path}</code>}</td>
              <td className="num">{formatBytes(f.bytes, language)}</td>
              <td><code className="hash">{f.sha256}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Annotate({ name, onDone }: { name: string; onDone: () => void }) {
  const t = useT();
  const [text, setText] = useState('');
  const [kind, setKind] = useState<'note' | 'translation'>('note');
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await api.annotateCase(name, { text: text.trim(), kind });
      setText('');
      onDone();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="annotate">
      <textarea value={text} onChange={(e) => setText(e.target.value)} rows={2} required placeholder={t('cases.annotate')} aria-label={t('cases.annotate')} />
      <div className="row">
        <select className="select select-small" value={kind} onChange={(e) => setKind(e.target.value as 'note' | 'translation')}>
          <option value="note">{t('cases.note')}</option>
          <option value="translation">{t('cases.translation')}</option>
        </select>
        <button type="submit" className="button button-small">{t('cases.addAnnotation')}</button>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}

/**
 * "Add to case" beside a message, account or entity (`item`, in the forms the server resolves:
 * a message id, `account:DATASET/HANDLE`, `entity:TYPE:VALUE`), or every hit of a query.
 */
export function AddToCase({ item, query, dataset, label }: { item?: string; query?: string; dataset?: string; label?: string }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [target, setTarget] = useState('');
  const [message, setMessage] = useState<string | undefined>(undefined);
  const { data, error } = useAsync(() => (open ? api.cases() : Promise.resolve({ cases: [] })), [open]);
  if (!open) return <button type="button" className="button" onClick={() => setOpen(true)}>{label ?? t('cases.add')}</button>;
  const add = async () => {
    setMessage(undefined);
    try {
      const answer = await api.addCaseItems(target, item !== undefined ? { items: [item] } : { query, dataset });
      setMessage(t('cases.added', { name: target, n: answer.added }));
    } catch (failure) {
      setMessage(errorMessage(failure));
    }
  };
  return (
    <span className="add-to-case">
      <select className="select" value={target} onChange={(e) => setTarget(e.target.value)} aria-label={label ?? t('cases.add')}>
        <option value="">{t('cases.pick')}</option>
        {(data?.cases ?? []).filter((c) => c.status !== 'closed').map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}
      </select>
      <button type="button" className="button" disabled={!target} onClick={() => void add()}>{t('cases.addShort')}</button>
      {message ? <span className="muted small" role="status">{message}</span> : null}
      {error ? <span className="muted small">{errorMessage(error)}</span> : null}
    </span>
  );
}
