// The audit log for auditors and admins: who searched, read, exported and changed what, newest
// first, and the check of its hash chain (the server recomputes it: GET /audit/verify).
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api.ts';
import type { AuditVerdict } from '../api-types.ts';
import { formatNumber, formatTime } from '../format.ts';
import { useI18n, useT } from '../i18n.tsx';
import { useListKeys } from '../keyboard.ts';
import { href, navigate } from '../router.tsx';
import { ErrorNote, Loading, PageHeader, errorMessage, useAsync } from '../ui.tsx';
import { Pager } from './ingest.tsx';

const PAGE = 100;

export function AuditView({ actor, action }: { actor: string | undefined; action: string | undefined }) {
  const t = useT();
  const { language } = useI18n();
  const [offset, setOffset] = useState(0);
  const [draftActor, setDraftActor] = useState(actor ?? '');
  const [draftAction, setDraftAction] = useState(action ?? '');
  const [verdict, setVerdict] = useState<AuditVerdict | undefined>(undefined);
  const [verifyError, setVerifyError] = useState<string | undefined>(undefined);
  const [isVerifying, setVerifying] = useState(false);
  const [open, setOpen] = useState<number | undefined>(undefined);
  useEffect(() => setOffset(0), [actor, action]);
  const { data, error, loading } = useAsync(() => api.audit({ actor, action, limit: PAGE, offset }), [actor, action, offset]);
  const events = data?.events ?? [];
  const { selected, container } = useListKeys(events.length, (i) => setOpen((o) => (o === events[i]?.seq ? undefined : events[i]?.seq)));

  const filter = (event: FormEvent) => {
    event.preventDefault();
    navigate(href('/audit', { actor: draftActor.trim(), action: draftAction.trim() }));
  };
  const verify = async () => {
    setVerifying(true);
    setVerifyError(undefined);
    try {
      setVerdict(await api.verifyAudit());
    } catch (failure) {
      setVerifyError(errorMessage(failure));
    } finally {
      setVerifying(false);
    }
  };

  return (
    <div className="page">
      <PageHeader title={t('audit.title')} sub={data ? t('audit.total', { n: formatNumber(data.total, language) }) : undefined}>
        <button type="button" className="button button-primary" onClick={() => void verify()} disabled={isVerifying}>{isVerifying ? t('audit.verifying') : t('audit.verify')}</button>
      </PageHeader>
      {verdict ? (
        <div className={`note ${verdict.ok ? 'note-ok' : 'note-error'}`} role="status" data-testid="audit-verdict">
          {verdict.ok
            ? t('audit.intact', { n: formatNumber(verdict.events, language) })
            : t('audit.broken', { seq: verdict.firstBadSeq ?? '?', reason: verdict.reason ?? '' })}
        </div>
      ) : null}
      {verifyError ? <div className="note note-error">{verifyError}</div> : null}
      <form className="filter-bar" onSubmit={filter}>
        <input value={draftActor} onChange={(e) => setDraftActor(e.target.value)} placeholder={t('audit.actor')} aria-label={t('audit.actor')} />
        <input value={draftAction} onChange={(e) => setDraftAction(e.target.value)} placeholder={t('audit.action')} aria-label={t('audit.action')} />
        <button type="submit" className="button">{t('filter')}</button>
      </form>
      <ErrorNote error={error} />
      {loading && !data ? <Loading /> : null}
      <table className="table table-rows" ref={(el) => { container.current = el; }} data-testid="audit">
        <thead><tr><th className="num">#</th><th>{t('col.time')}</th><th>{t('audit.actor')}</th><th>{t('audit.action')}</th><th>{t('col.target')}</th><th>{t('col.details')}</th></tr></thead>
        <tbody>
          {events.map((e, i) => (
            <tr key={e.seq} data-row={i} className={i === selected ? 'selected' : undefined} onClick={() => setOpen(open === e.seq ? undefined : e.seq)}>
              <td className="num">{e.seq}</td>
              <td className="nowrap">{formatTime(e.at)}</td>
              <td><button type="button" className="link-button" onClick={(ev) => { ev.stopPropagation(); navigate(href('/audit', { actor: e.actor, action })); }}>{e.actor}</button></td>
              <td><code>{e.action}</code></td>
              <td className="path">{e.target ?? ''}</td>
              <td className="details">
                {open === e.seq
                  ? <pre className="raw">{JSON.stringify(e.details, null, 2)}{'\n'}prev {e.prevHash}{'\n'}hash {e.hash}</pre>
                  : <span className="muted small">{summarise(e.details)}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data ? <Pager offset={offset} page={PAGE} total={data.total} onChange={setOffset} /> : null}
    </div>
  );
}

function summarise(details: Record<string, unknown>): string {
  const text = JSON.stringify(details);
  return text.length > 140 ? `${text.slice(0, 140)}…` : text;
}
