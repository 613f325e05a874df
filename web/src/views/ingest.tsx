// What ingest did: datasets with their counts, every source file (hash, format, records,
// quarantined, unfinished ones with their checkpoint), and the quarantine itself (admins only:
// its excerpts are raw lines no privilege or scope screening can reach).
import { useState } from 'react';
import { api } from '../api.ts';
import { formatBytes, formatNumber, formatTime } from '../format.ts';
import { useI18n, useT } from '../i18n.tsx';
import { href, navigate } from '../router.tsx';
import { DatasetBadge, DatasetSelect, ErrorNote, Loading, PageHeader, useAsync, useSession } from '../ui.tsx';

const QUARANTINE_PAGE = 50;

export function IngestView({ dataset }: { dataset: string | undefined }) {
  const t = useT();
  const { language } = useI18n();
  const { me } = useSession();
  const status = useAsync(() => api.status(), []);
  const datasets = (status.data?.datasets ?? []).filter((d) => dataset === undefined || d.name === dataset);
  const sources = (status.data?.sources ?? []).filter((s) => dataset === undefined || s.dataset === dataset);
  return (
    <div className="page">
      <PageHeader title={t('ingest.title')} sub={status.data?.store ? <code className="muted">{status.data.store}</code> : undefined}>
        <DatasetSelect value={dataset} onChange={(d) => navigate(href('/ingest', { dataset: d }))} />
      </PageHeader>
      <ErrorNote error={status.error} />
      {status.loading && !status.data ? <Loading /> : null}
      <section className="panel">
        <h2>{t('ingest.datasets')}</h2>
        <table className="table" data-testid="datasets">
          <thead>
            <tr>
              <th>{t('dataset')}</th><th className="num">{t('col.sources')}</th><th className="num">{t('col.messages')}</th><th className="num">{t('col.notes')}</th>
              <th className="num">{t('col.accounts')}</th><th className="num">{t('col.contacts')}</th><th className="num">{t('col.events')}</th>
              <th className="num">{t('col.exposures')}</th><th className="num">{t('col.quarantined')}</th><th>{t('col.period')}</th>
            </tr>
          </thead>
          <tbody>
            {datasets.map((d) => (
              <tr key={d.name}>
                <td><DatasetBadge name={d.name} /></td>
                <td className="num">{formatNumber(d.sources, language)}</td>
                <td className="num">{formatNumber(d.messages, language)}</td>
                <td className="num">{formatNumber(d.notes, language)}</td>
                <td className="num">{formatNumber(d.accounts, language)}</td>
                <td className="num">{formatNumber(d.contacts, language)}</td>
                <td className="num">{formatNumber(d.events, language)}</td>
                <td className="num">{formatNumber(d.exposures, language)}</td>
                <td className={`num ${d.quarantined > 0 ? 'warn' : ''}`}>{formatNumber(d.quarantined, language)}</td>
                <td>{d.firstTs ? `${d.firstTs.slice(0, 10)} – ${d.lastTs?.slice(0, 10) ?? ''}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <h2>{t('ingest.sources')}</h2>
        <table className="table" data-testid="sources">
          <thead>
            <tr>
              <th>{t('col.file')}</th><th>{t('dataset')}</th><th>{t('col.format')}</th><th className="num">{t('col.size')}</th>
              <th className="num">{t('col.records')}</th><th className="num">{t('col.quarantined')}</th><th>{t('col.status')}</th><th>{t('col.finished')}</th><th>SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((s) => (
              <tr key={s.id}>
                <td className="path" title={s.path}>{s.path}</td>
                <td>{s.dataset}</td>
                <td>{s.format}</td>
                <td className="num">{formatBytes(s.sizeBytes, language)}</td>
                <td className="num">{formatNumber(s.records, language)}</td>
                <td className={`num ${s.quarantined > 0 ? 'warn' : ''}`}>{formatNumber(s.quarantined, language)}</td>
                <td>
                  <span className={`status status-${s.status}`}>{t(s.status === 'complete' ? 'ingest.complete' : 'ingest.unfinished')}</span>
                  {s.status === 'ingesting' ? <span className="muted small"> {t('ingest.checkpoint', { line: s.checkpoint.line })}</span> : null}
                </td>
                <td>{formatTime(s.finishedAt)}</td>
                <td><code className="hash" title={s.sha256}>{s.sha256.slice(0, 16)}…</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {me.user.role === 'admin' ? <Quarantine dataset={dataset} /> : <p className="muted">{t('ingest.quarantineAdmins')}</p>}
    </div>
  );
}

function Quarantine({ dataset }: { dataset: string | undefined }) {
  const t = useT();
  const { language } = useI18n();
  const [offset, setOffset] = useState(0);
  const { data, error, loading } = useAsync(() => api.quarantine({ dataset, limit: QUARANTINE_PAGE, offset }), [dataset, offset]);
  return (
    <section className="panel">
      <h2>{t('ingest.quarantine')} {data ? <span className="muted">({formatNumber(data.total, language)})</span> : null}</h2>
      <ErrorNote error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.total === 0 ? <p className="empty">{t('ingest.noQuarantine')}</p> : null}
      {data && data.entries.length > 0 ? (
        <>
          <table className="table" data-testid="quarantine">
            <thead><tr><th>{t('col.file')}</th><th className="num">{t('item.line')}</th><th className="num">{t('item.offset')}</th><th>{t('col.reason')}</th><th>{t('col.excerpt')}</th></tr></thead>
            <tbody>
              {data.entries.map((q) => (
                <tr key={q.id}>
                  <td className="path" title={`${q.sourcePath}\n${q.sourceSha256}`}>{q.sourcePath}</td>
                  <td className="num">{q.line}</td>
                  <td className="num">{q.offset}</td>
                  <td>{q.reason}</td>
                  <td><code className="excerpt">{q.excerpt}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager offset={offset} page={QUARANTINE_PAGE} total={data.total} onChange={setOffset} />
        </>
      ) : null}
    </section>
  );
}

export function Pager({ offset, page, total, onChange }: { offset: number; page: number; total: number; onChange: (offset: number) => void }) {
  const t = useT();
  const { language } = useI18n();
  if (total <= page) return null;
  return (
    <div className="pager">
      <button type="button" className="button" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - page))}>{t('pager.previous')}</button>
      <span className="muted">{t('pager.range', { from: formatNumber(offset + 1, language), to: formatNumber(Math.min(total, offset + page), language), total: formatNumber(total, language) })}</span>
      <button type="button" className="button" disabled={offset + page >= total} onClick={() => onChange(offset + page)}>{t('pager.next')}</button>
    </div>
  );
}
