// The alert queue of the duty officer: highest score first, each alert with the reasons that
// raised it marked in the message, and the decisions on it (acknowledge, escalate, dismiss,
// reopen) with a note. Watchlists (saved queries and entity lists) raise alerts of their own.
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { ALERT_KINDS, ALERT_STATUSES, type Alert, type AlertStatus, type Watchlist } from '../api-types.ts';
import { formatTime } from '../format.ts';
import { RangeText } from '../highlight.tsx';
import { type MessageKey, useT } from '../i18n.tsx';
import { useListKeys } from '../keyboard.ts';
import { Link, href, navigate } from '../router.tsx';
import { DatasetBadge, DatasetSelect, ErrorNote, Loading, PageHeader, useAsync, useSession } from '../ui.tsx';
import { accountPath, itemPath } from './hit-list.tsx';
import { Pager } from './ingest.tsx';

const PAGE = 50;
const STATUS_FILTERS = ['open', ...ALERT_STATUSES, 'all'] as const;
const ACTIONS: { status: AlertStatus; label: MessageKey; primary?: boolean }[] = [
  { status: 'acknowledged', label: 'alerts.acknowledge' },
  { status: 'escalated', label: 'alerts.escalate', primary: true },
  { status: 'dismissed', label: 'alerts.dismiss' },
  { status: 'new', label: 'alerts.reopen' },
];

export function AlertsView({ kind, status }: { kind: string | undefined; status: string }) {
  const t = useT();
  const [offset, setOffset] = useState(0);
  const [openId, setOpenId] = useState<number | undefined>(undefined);
  const [changed, setChanged] = useState<Map<number, Alert>>(new Map());
  useEffect(() => {
    setOffset(0);
    setChanged(new Map());
  }, [kind, status]);
  const { data, error, loading, reload } = useAsync(() => api.alerts({ kind, status, limit: PAGE, offset }), [kind, status, offset]);
  const alerts = (data?.alerts ?? []).map((a) => changed.get(a.id) ?? a);
  const { selected, setSelected, container } = useListKeys(alerts.length, (i) => setOpenId(alerts[i]?.id));
  const current = alerts.find((a) => a.id === openId) ?? (selected >= 0 ? alerts[selected] : undefined);
  const unavailable = error instanceof ApiError && error.status === 404 && error.code === 'not_found' && /no route/.test(error.message);

  return (
    <div className="page page-alerts">
      <PageHeader title={t('alerts.title')} sub={data ? t('alerts.total', { n: data.total }) : undefined}>
        <select className="select" value={kind ?? ''} onChange={(e) => navigate(href('/alerts', { kind: e.target.value, status }))} aria-label={t('alerts.kind')}>
          <option value="">{t('alerts.allKinds')}</option>
          {ALERT_KINDS.map((k) => <option key={k} value={k}>{t(`alertKind.${k}`)}</option>)}
        </select>
        <select className="select" value={status} onChange={(e) => navigate(href('/alerts', { kind, status: e.target.value }))} aria-label={t('col.status')}>
          {STATUS_FILTERS.map((s) => <option key={s} value={s}>{t(`alertStatus.${s}`)}</option>)}
        </select>
        <button type="button" className="button" onClick={reload}>{t('refresh')}</button>
      </PageHeader>
      {unavailable ? <div className="note note-warn">{t('alerts.unavailable')}</div> : <ErrorNote error={error} />}
      {loading && !data ? <Loading /> : null}
      <div className="split split-alerts">
        <section className="alert-list">
          {data && alerts.length === 0 ? <p className="empty">{t('alerts.none')}</p> : null}
          <ol ref={(el) => { container.current = el; }} data-testid="alerts">
            {alerts.map((a, i) => (
              <li key={a.id} data-row={i} className={`alert-row ${i === selected ? 'selected' : ''} ${a.id === current?.id ? 'open' : ''}`} onClick={() => { setSelected(i); setOpenId(a.id); }}>
                <div className="alert-head">
                  <span className={`score score-${a.score >= 0.8 ? 'high' : a.score >= 0.5 ? 'mid' : 'low'}`}>{Math.round(a.score * 100)}</span>
                  <span className={`kind kind-${a.kind}`}>{t(`alertKind.${a.kind}`)}{a.category ? ` · ${a.category}` : ''}{a.watchlist ? ` · ${a.watchlist}` : ''}</span>
                  <span className={`status status-${a.status}`}>{t(`alertStatus.${a.status}`)}</span>
                  <time className="muted small">{formatTime(a.item.ts)}</time>
                </div>
                <div className="alert-body"><span className="handle">{a.item.from}</span>: {a.item.body.length > 160 ? `${a.item.body.slice(0, 160)}…` : a.item.body}</div>
              </li>
            ))}
          </ol>
          {data ? <Pager offset={offset} page={PAGE} total={data.total} onChange={setOffset} /> : null}
        </section>
        {current ? <AlertDetail alert={current} onChanged={(a) => setChanged(new Map(changed).set(a.id, a))} /> : <section className="detail empty">{t('alerts.pick')}</section>}
      </div>
      <Watchlists onRaised={reload} />
    </div>
  );
}

function AlertDetail({ alert, onChanged }: { alert: Alert; onChanged: (alert: Alert) => void }) {
  const t = useT();
  const { me } = useSession();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    setNote('');
    setError(undefined);
  }, [alert.id]);

  const change = async (body: { status?: AlertStatus; assignee?: string; note?: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const withNote = note.trim() ? { ...body, note: note.trim() } : body;
      onChanged(await api.updateAlert(alert.id, withNote));
      setNote('');
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const ranges = alert.reasons.filter((r) => r.start !== undefined && r.end !== undefined && r.item === undefined).map((r) => ({ start: r.start!, end: r.end!, title: r.text }));
  return (
    <section className="detail alert-detail" data-testid="alert-detail">
      <div className="alert-title">
        <span className={`score score-${alert.score >= 0.8 ? 'high' : alert.score >= 0.5 ? 'mid' : 'low'}`}>{Math.round(alert.score * 100)}</span>
        <h2>{t(`alertKind.${alert.kind}`)} #{alert.id}</h2>
        <span className={`status status-${alert.status}`} data-testid="alert-status">{t(`alertStatus.${alert.status}`)}</span>
      </div>
      <div className="muted small">
        <DatasetBadge name={alert.item.dataset} /> {formatTime(alert.item.ts)} UTC · <Link to={accountPath(alert.item.from, alert.item.dataset)} className="handle">{alert.item.from}</Link> → {alert.item.to.map((h) => <Link key={h} to={accountPath(h, alert.item.dataset)} className="handle">{h}</Link>)}
        {alert.assignee ? <> · {t('alerts.assignee')}: <strong>{alert.assignee}</strong></> : null}
      </div>
      <p className="body-text"><RangeText text={alert.item.body} ranges={ranges} /></p>
      <p><Link to={itemPath(alert.item.id)}>{t('alerts.conversation')}</Link></p>
      <h3>{t('alerts.reasons')}</h3>
      <table className="table table-compact">
        <thead><tr><th>{t('alerts.signal')}</th><th>{t('alerts.why')}</th><th className="num">{t('alerts.weight')}</th></tr></thead>
        <tbody>
          {alert.reasons.map((r, i) => (
            <tr key={i}>
              <td><code>{r.signal}</code></td>
              <td>{r.text}{r.item ? <> (<Link to={itemPath(r.item)}>{t('alerts.context')}</Link>)</> : null}</td>
              <td className="num">{r.weight.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('alerts.notes')}</h3>
      {alert.notes.length === 0 ? <p className="muted small">—</p> : (
        <ul className="notes" data-testid="alert-notes">
          {alert.notes.map((n, i) => <li key={i}><span className="muted small">{formatTime(n.at)} · {n.author}</span><div>{n.text}</div></li>)}
        </ul>
      )}
      <label className="field">
        <span>{t('alerts.note')}</span>
        <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} placeholder={t('alerts.notePlaceholder')} data-testid="alert-note" />
      </label>
      <div className="actions">
        {ACTIONS.filter((a) => a.status !== alert.status).map((a) => (
          <button key={a.status} type="button" className={`button ${a.primary ? 'button-danger' : ''}`} disabled={busy} onClick={() => void change({ status: a.status })}>{t(a.label)}</button>
        ))}
        {alert.assignee !== me.user.name ? <button type="button" className="button" disabled={busy} onClick={() => void change({ assignee: me.user.name })}>{t('alerts.assignMe')}</button> : null}
        <button type="button" className="button" disabled={busy || !note.trim()} onClick={() => void change({})}>{t('alerts.addNote')}</button>
      </div>
      <ErrorNote error={error} />
    </section>
  );
}

function Watchlists({ onRaised }: { onRaised: () => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const { data, error, reload } = useAsync(() => (open ? api.watchlists() : Promise.resolve({ watchlists: [] as Watchlist[] })), [open]);
  const [name, setName] = useState('');
  const [query, setQuery] = useState('');
  const [dataset, setDataset] = useState<string | undefined>(undefined);
  const [backfill, setBackfill] = useState(true);
  const [result, setResult] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(undefined);
    setResult(undefined);
    try {
      const answer = await api.addWatchlist({ name: name.trim(), query: query.trim(), dataset, backfill });
      setResult(t('watch.added', { name: answer.watchlist.name, n: answer.backfilled ?? 0 }));
      setName('');
      setQuery('');
      reload();
      onRaised();
    } catch (error) {
      setFailure(error);
    }
  };

  return (
    <section className="panel watchlists">
      <h2><button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>{open ? '▾' : '▸'} {t('watch.title')}</button></h2>
      {open ? (
        <>
          <ErrorNote error={error} />
          <table className="table table-compact">
            <thead><tr><th>{t('watch.name')}</th><th>{t('watch.query')}</th><th>{t('dataset')}</th><th>{t('watch.by')}</th><th className="num">{t('nav.alerts')}</th></tr></thead>
            <tbody>
              {(data?.watchlists ?? []).map((w) => (
                <tr key={w.id}><td>{w.name}</td><td><code>{w.query ?? '—'}</code></td><td>{w.dataset ?? t('dataset.all')}</td><td>{w.createdBy}</td><td className="num">{w.alerts}</td></tr>
              ))}
            </tbody>
          </table>
          <form className="filter-bar" onSubmit={(e) => void add(e)}>
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('watch.name')} aria-label={t('watch.name')} required />
            <input className="grow" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('watch.query')} aria-label={t('watch.query')} required spellCheck={false} />
            <DatasetSelect value={dataset} onChange={setDataset} />
            <label className="check"><input type="checkbox" checked={backfill} onChange={(e) => setBackfill(e.target.checked)} /> {t('watch.backfill')}</label>
            <button type="submit" className="button button-primary">{t('watch.add')}</button>
          </form>
          {result ? <div className="note note-ok" role="status">{result}</div> : null}
          <ErrorNote error={failure} />
        </>
      ) : null}
    </section>
  );
}
