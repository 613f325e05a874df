// Entities found at ingest (most mentioned first), and one entity: the messages that mention it,
// who mentions it and when. Types with a query filter are found exactly through their mentions;
// the others (amounts, coordinates, containers, BICs) by their written form, and the view says so.
import { api } from '../api.ts';
import { fieldValue, formatNumber } from '../format.ts';
import { useI18n, useT } from '../i18n.tsx';
import { useListKeys } from '../keyboard.ts';
import { Link, href, navigate } from '../router.tsx';
import { DatasetBadge, DatasetSelect, ErrorNote, Loading, PageHeader, useAsync } from '../ui.tsx';
import { AddToCase } from './cases.tsx';
import { HitList, accountPath } from './hit-list.tsx';
import { entityPath } from './item.tsx';

const TYPES = ['phone', 'iban', 'bic', 'email', 'url', 'ipv4', 'ipv6', 'btc', 'eth', 'xmr', 'imei', 'plate', 'coordinates', 'container', 'amount'] as const;
const PAGE = 100;

/** The query that finds an entity's mentions, and whether it is exact (an entity filter). */
export function entityQuery(type: string, value: string): { q: string; isExact: boolean } {
  const filter = type === 'ipv4' || type === 'ipv6' ? 'ip' : type;
  if (['phone', 'iban', 'email', 'btc', 'eth', 'xmr', 'imei', 'ip', 'url', 'plate'].includes(filter)) return { q: `${filter}:${fieldValue(value)}`, isExact: true };
  return { q: `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`, isExact: false };
}

export function EntitiesView({ type, dataset }: { type: string | undefined; dataset: string | undefined }) {
  const t = useT();
  const { language } = useI18n();
  const { data, error, loading } = useAsync(() => api.entities({ type, dataset, limit: PAGE, offset: 0 }), [type, dataset]);
  const rows = data?.entities ?? [];
  const { selected, container } = useListKeys(rows.length, (i) => {
    const e = rows[i];
    if (e) navigate(entityPath(e.type, e.value, e.dataset));
  });
  return (
    <div className="page">
      <PageHeader title={t('entities.title')} sub={data ? t('entities.total', { n: formatNumber(data.total, language) }) : undefined}>
        <DatasetSelect value={dataset} onChange={(d) => navigate(href('/entities', { type, dataset: d }))} />
      </PageHeader>
      <div className="chip-filter" role="group" aria-label={t('col.type')}>
        <Link to={href('/entities', { dataset })} className={type === undefined ? 'chip active' : 'chip'}>{t('entities.allTypes')}</Link>
        {TYPES.map((ty) => <Link key={ty} to={href('/entities', { type: ty, dataset })} className={type === ty ? 'chip active' : 'chip'}>{ty}</Link>)}
      </div>
      <ErrorNote error={error} />
      {loading && !data ? <Loading /> : null}
      <table className="table table-rows" ref={(el) => { container.current = el; }} data-testid="entities">
        <thead><tr><th>{t('col.type')}</th><th>{t('col.value')}</th><th className="num">{t('col.mentions')}</th><th>{t('dataset')}</th></tr></thead>
        <tbody>
          {rows.map((e, i) => (
            <tr key={`${e.dataset}:${e.type}:${e.value}`} data-row={i} className={i === selected ? 'selected' : undefined}>
              <td><span className={`chip-type entity-${e.type}`}>{e.type}</span></td>
              <td><Link to={entityPath(e.type, e.value, e.dataset)}>{e.value}</Link></td>
              <td className="num">{formatNumber(e.count, language)}</td>
              <td><DatasetBadge name={e.dataset} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && data.total > rows.length ? <p className="list-end">{t('entities.more', { n: rows.length, total: formatNumber(data.total, language) })}</p> : null}
    </div>
  );
}

export function EntityView({ type, value, dataset }: { type: string; value: string; dataset: string | undefined }) {
  const t = useT();
  const { language } = useI18n();
  const { q, isExact } = entityQuery(type, value);
  const { data, error } = useAsync((signal) => api.search({ q, dataset, limit: 100, offset: 0, facets: true }, signal), [q, dataset]);
  return (
    <div className="page" data-testid="entity">
      <PageHeader title={value} sub={<><span className={`chip-type entity-${type}`}>{type}</span> {dataset ? <DatasetBadge name={dataset} /> : null}</>}>
        <Link to={href('/search', { q, dataset })} className="button">{t('entity.search')}</Link>
        <Link to={href('/timeline', { q, dataset })} className="button">{t('nav.timeline')}</Link>
        <AddToCase item={`entity:${type}:${value}`} />
      </PageHeader>
      {!isExact ? <div className="note note-warn">{t('entity.textMatch')}</div> : null}
      <ErrorNote error={error} />
      {!data && !error ? <Loading /> : null}
      {data ? (
        <div className="search-body">
          <section className="results">
            <div className="result-summary"><strong>{formatNumber(data.total, language)}</strong> {t('entity.occurrences', { n: data.total })} <code className="muted">{q}</code></div>
            <HitList hits={data.hits} q={q} showDataset={dataset === undefined} />
            {data.total > data.hits.length ? <p className="list-end"><Link to={href('/search', { q, dataset })}>{t('entity.all', { n: formatNumber(data.total, language) })}</Link></p> : null}
          </section>
          {data.facets ? (
            <aside className="facets">
              <section className="facet">
                <h3>{t('entity.who')}</h3>
                <ul>
                  {data.facets.sender.slice(0, 15).map((b) => (
                    <li key={b.value}><Link to={accountPath(b.value, dataset)} className="facet-link"><span className="facet-value">{b.value}</span><span className="facet-count">{b.count}</span></Link></li>
                  ))}
                </ul>
              </section>
              <section className="facet">
                <h3>{t('facet.day')}</h3>
                <ul>
                  {[...data.facets.day].sort((a, b) => (a.value < b.value ? -1 : 1)).slice(0, 20).map((b) => (
                    <li key={b.value}><Link to={href('/search', { q: `${q} date:${b.value}`, dataset })} className="facet-link"><span className="facet-value">{b.value}</span><span className="facet-count">{b.count}</span></Link></li>
                  ))}
                </ul>
              </section>
            </aside>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
