// Campaigns: from a seized site's database to warning letters, e-mails and "stop talks". This
// file holds the list of campaigns and the pieces the other campaign views share (status badges,
// country evidence, activity); campaign-new.tsx selects and creates, campaign-board.tsx tracks.
// Campaign officers land here: they see campaigns of the site datasets they are granted, and
// nothing else of the evidence.
import { api } from '../api.ts';
import { RECIPIENT_STATUSES, type CampaignCriteria, type CountryEvidence, type RecipientActivity, type RecipientStatus } from '../api-types.ts';
import { formatDay, formatNumber, formatTime } from '../format.ts';
import { type Language, type Translate, useI18n, useT } from '../i18n.tsx';
import { useListKeys } from '../keyboard.ts';
import { Link, href, navigate } from '../router.tsx';
import { DatasetBadge, ErrorNote, Loading, PageHeader, useAsync } from '../ui.tsx';

export function campaignPath(name: string, reference?: string, query: Record<string, string | undefined> = {}): string {
  return href(`/campaigns/${encodeURIComponent(name)}${reference ? `/${encodeURIComponent(reference)}` : ''}`, query);
}

export function StatusBadge({ status }: { status: RecipientStatus }) {
  const t = useT();
  return <span className={`status status-r-${status}`} data-status={status}>{t(`camp.status.${status}`)}</span>;
}

/** "NL Netherlands": the code as the data says it, the name for the reader. */
export function countryName(code: string, language: Language): string {
  try {
    return new Intl.DisplayNames([language], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function Countries({ codes, wanted }: { codes: readonly string[]; wanted?: readonly string[] }) {
  const { language } = useI18n();
  return (
    <span className="countries">
      {codes.map((c) => (
        <abbr key={c} title={countryName(c, language)} className={wanted && !wanted.includes(c) ? 'country other' : 'country'}>{c}</abbr>
      ))}
    </span>
  );
}

/**
 * Why someone counts as of a country: every piece of evidence with how it was decided. Evidence
 * for a campaign country is set apart from evidence for others, so a mixed case reads as one.
 */
export function EvidenceList({ evidence, wanted }: { evidence: readonly CountryEvidence[]; wanted: readonly string[] }) {
  const t = useT();
  const { language } = useI18n();
  if (evidence.length === 0) return <span className="muted">{t('camp.noEvidence')}</span>;
  const ordered = [...evidence].sort((a, b) => Number(wanted.includes(b.country)) - Number(wanted.includes(a.country)));
  return (
    <table className="evidence" data-testid="evidence">
      <colgroup><col className="ev-kind" /><col /><col className="ev-country" /><col className="ev-method" /></colgroup>
      <thead className="sr-only"><tr><th>{t('camp.evidenceKind')}</th><th>{t('col.value')}</th><th>{t('camp.country')}</th><th>{t('camp.evidenceMethod')}</th></tr></thead>
      <tbody>
        {ordered.map((e) => (
          <tr key={`${e.kind}:${e.value}:${e.country}`} className={wanted.includes(e.country) ? 'evidence-for' : 'evidence-other'}>
            <td><span className="chip-type">{t(`camp.kind.${e.kind}`)}</span></td>
            <td><code>{e.value}</code></td>
            <td className="nowrap"><span className="arrow" aria-hidden="true">→ </span><abbr className="country" title={countryName(e.country, language)}>{e.country}</abbr></td>
            <td className="muted small">{e.method}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function formatAmounts(paid: readonly { currency: string; amount: number }[], language: Language): string {
  return paid.map(({ currency, amount }) => {
    try {
      return new Intl.NumberFormat(language === 'nl' ? 'nl-NL' : 'en-GB', { style: 'currency', currency, maximumFractionDigits: 8 }).format(amount);
    } catch {
      return `${amount} ${currency}`;
    }
  }).join(' + ');
}

/** One line of activity for tables: payments, amount, searches, period. */
export function ActivityLine({ activity }: { activity: RecipientActivity }) {
  const t = useT();
  const { language } = useI18n();
  return (
    <span className="activity-line">
      <span>{t('camp.payments', { n: activity.payments })}{activity.paid.length > 0 ? ` (${formatAmounts(activity.paid, language)})` : ''}</span>
      <span>{t('camp.searches', { n: activity.searches })}</span>
      <span className="muted nowrap">{formatDay(activity.firstActive ?? activity.registered)} – {formatDay(activity.lastActive)}</span>
    </span>
  );
}

/** Everything the site logged of a person, as a letter tells it. */
export function ActivityFacts({ activity }: { activity: RecipientActivity }) {
  const t = useT();
  const { language } = useI18n();
  const types = Object.entries(activity.eventTypes).sort((a, b) => b[1] - a[1]);
  return (
    <dl className="facts" data-testid="activity">
      <dt>{t('camp.registered')}</dt><dd>{formatTime(activity.registered)}</dd>
      <dt>{t('camp.firstActive')}</dt><dd>{formatTime(activity.firstActive)}</dd>
      <dt>{t('camp.lastActive')}</dt><dd>{formatTime(activity.lastActive)}</dd>
      <dt>{t('camp.paymentsLabel')}</dt><dd>{formatNumber(activity.payments, language)}{activity.paid.length > 0 ? ` · ${formatAmounts(activity.paid, language)}` : ''}</dd>
      <dt>{t('camp.searchesLabel')}</dt>
      <dd>
        {formatNumber(activity.searches, language)}
        {activity.searchExamples.length > 0 ? <ul className="examples-list">{activity.searchExamples.map((s) => <li key={s}><code>{s}</code></li>)}</ul> : null}
      </dd>
      <dt>{t('camp.events')}</dt>
      <dd>{formatNumber(activity.events, language)}{types.length > 0 ? <span className="muted"> ({types.map(([type, n]) => `${type} ${formatNumber(n, language)}`).join(', ')})</span> : null}</dd>
    </dl>
  );
}

/** The criteria as a sentence of parts: "NL · paid · ≥ 3 searches · 2020-01-01 – 2021-01-01". */
export function criteriaParts(criteria: CampaignCriteria, t: Translate): string[] {
  const parts = [criteria.countries.join(', ')];
  if (criteria.paid) parts.push(t('camp.criteria.paid'));
  if (criteria.minPayments !== undefined) parts.push(t('camp.criteria.minPayments', { n: criteria.minPayments }));
  if (criteria.minSearches !== undefined) parts.push(t('camp.criteria.minSearches', { n: criteria.minSearches }));
  if (criteria.minEvents !== undefined) parts.push(t('camp.criteria.minEvents', { n: criteria.minEvents }));
  if (criteria.minEvidence !== undefined) parts.push(t('camp.criteria.minEvidence', { n: criteria.minEvidence }));
  if (criteria.from !== undefined || criteria.to !== undefined) parts.push(`${formatDay(criteria.from)} – ${criteria.to ? formatDay(new Date(Date.parse(criteria.to) - 86_400_000).toISOString()) : ''}`);
  return parts;
}

/** Recipients by status as one stacked bar, in campaign order (widths through the CSSOM, which the CSP allows). */
export function StatusBar({ counts, total }: { counts: Partial<Record<RecipientStatus, number>>; total: number }) {
  return (
    <span className="status-bar" aria-hidden="true">
      {RECIPIENT_STATUSES.filter((s) => (counts[s] ?? 0) > 0).map((s) => (
        <span key={s} className={`bar-${s}`} style={{ width: `${(100 * (counts[s] ?? 0)) / Math.max(1, total)}%` }} />
      ))}
    </span>
  );
}

export function CampaignsView() {
  const t = useT();
  const { language } = useI18n();
  const { data, error, loading } = useAsync(() => api.campaigns(), []);
  const campaigns = data?.campaigns ?? [];
  const { selected, container } = useListKeys(campaigns.length, (i) => {
    const c = campaigns[i];
    if (c) navigate(campaignPath(c.name));
  });
  return (
    <div className="page">
      <PageHeader title={t('camp.title')} sub={t('camp.sub')}>
        <Link to="/campaigns/new" className="button button-primary">{t('camp.new')}</Link>
      </PageHeader>
      <ErrorNote error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.datasets.length === 0 ? <div className="note note-warn">{t('camp.noDatasets')}</div> : null}
      {data && !data.canSend ? <p className="muted small">{t('camp.noMailServer')}</p> : null}
      {campaigns.length > 0 ? (
        <table className="table table-rows table-spaced" ref={(el) => { container.current = el; }} data-testid="campaigns">
          <thead>
            <tr>
              <th>{t('camp.name')}</th>
              <th>{t('dataset')}</th>
              <th className="num">{t('camp.recipients')}</th>
              <th>{t('camp.byStatus')}</th>
              <th className="num">{t('camp.reoffending')}</th>
              <th>{t('camp.created')}</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.map((c, i) => (
              <tr key={c.name} data-row={i} className={i === selected ? 'selected' : undefined}>
                <td className="nowrap"><Link to={campaignPath(c.name)}><strong>{c.name}</strong></Link>{c.title ? <div className="muted small">{c.title}</div> : null}</td>
                <td><DatasetBadge name={c.dataset} /><div className="muted small">{criteriaParts(c.criteria, t).join(' · ')}</div></td>
                <td className="num"><strong>{formatNumber(c.recipients, language)}</strong></td>
                <td className="by-status">
                  <StatusBar counts={c.byStatus} total={c.recipients} />
                  <div className="status-counts">
                    {RECIPIENT_STATUSES.filter((s) => (c.byStatus[s] ?? 0) > 0).map((s) => (
                      <span key={s} className="status-count" data-status={s}><StatusBadge status={s} /> <span className="count">{formatNumber(c.byStatus[s] ?? 0, language)}</span></span>
                    ))}
                  </div>
                </td>
                <td className="num">{c.reoffending > 0 ? <span className="flag-reoffending">{formatNumber(c.reoffending, language)}</span> : <span className="muted">0</span>}</td>
                <td className="nowrap small">{c.createdBy}<div className="muted">{formatTime(c.createdAt)}</div></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {data && campaigns.length === 0 ? <p className="empty">{t('camp.none')}</p> : null}
      {data && data.datasets.length > 0 ? (
        <section className="panel">
          <h2>{t('camp.datasets')}</h2>
          <table className="table table-compact">
            <thead><tr><th>{t('dataset')}</th><th className="num">{t('col.accounts')}</th><th className="num">{t('camp.events')}</th><th className="num">{t('camp.exposures')}</th><th /></tr></thead>
            <tbody>
              {data.datasets.map((d) => (
                <tr key={d.name}>
                  <td><DatasetBadge name={d.name} /></td>
                  <td className="num">{formatNumber(d.accounts, language)}</td>
                  <td className="num">{formatNumber(d.events, language)}</td>
                  <td className="num">{formatNumber(d.exposures, language)}</td>
                  <td><Link to={href('/campaigns/new', { dataset: d.name })}>{t('camp.newFrom')}</Link></td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}
