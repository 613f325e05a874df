// Messages over time for a query (or a whole dataset). Counts are exact: the search counts every
// hit per day (days=true) in one request, and the bars add those days up by day, week or month.
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api.ts';
import { formatNumber } from '../format.ts';
import { type MessageKey, useI18n, useT } from '../i18n.tsx';
import { href, navigate } from '../router.tsx';
import { DatasetSelect, ErrorNote, Loading, PageHeader, useAsync } from '../ui.tsx';

/** Matches every message with a time: the timeline of a dataset without a query. */
const ALL_DATED = 'date:>=1000';
const MAX_BUCKETS = 120;

export const GRAINS = ['day', 'week', 'month'] as const;
export type Grain = (typeof GRAINS)[number];

export type Bucket = { start: string; end: string; count: number };

const DAY_MS = 86_400_000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The start of the bucket holding `ms` (weeks start on Monday, UTC). */
export function bucketStart(ms: number, grain: Grain): number {
  const d = new Date(ms);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (grain === 'day') return day;
  if (grain === 'week') return day - ((d.getUTCDay() + 6) % 7) * DAY_MS;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextStart(ms: number, grain: Grain): number {
  if (grain === 'day') return ms + DAY_MS;
  if (grain === 'week') return ms + 7 * DAY_MS;
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** Empty buckets from the first to the last time, at most MAX_BUCKETS of them. */
export function bucketsBetween(firstMs: number, lastMs: number, grain: Grain): Bucket[] {
  const buckets: Bucket[] = [];
  for (let s = bucketStart(firstMs, grain); s <= lastMs && buckets.length < MAX_BUCKETS; s = nextStart(s, grain)) {
    buckets.push({ start: isoDay(s), end: isoDay(nextStart(s, grain)), count: 0 });
  }
  return buckets;
}

/** The finest grain that keeps the period within a readable number of bars. */
export function chooseGrain(firstMs: number, lastMs: number): Grain {
  const days = (lastMs - firstMs) / DAY_MS;
  if (days < MAX_BUCKETS) return 'day';
  if (days < 7 * MAX_BUCKETS) return 'week';
  return 'month';
}

/** Bars from the exact per-day counts of every hit (one request: GET /search with days=true). */
async function countBuckets(q: string, dataset: string | undefined, grainChoice: Grain | undefined, signal: AbortSignal): Promise<{ total: number; grain: Grain; buckets: Bucket[]; undated: number }> {
  const answer = await api.search({ q, dataset, limit: 1, offset: 0, facets: false, days: true }, signal);
  const dated = (answer.days ?? []).filter((b) => /^\d{4}-\d{2}-\d{2}$/.test(b.value));
  const undated = (answer.days ?? []).find((b) => b.value === 'undated')?.count ?? 0;
  if (dated.length === 0) return { total: answer.total, grain: grainChoice ?? 'day', buckets: [], undated };
  const days = dated.map((b) => Date.parse(`${b.value}T00:00:00Z`));
  const firstMs = Math.min(...days);
  const lastMs = Math.max(...days);
  const grain = grainChoice ?? chooseGrain(firstMs, lastMs);
  const buckets = bucketsBetween(firstMs, lastMs, grain);
  const index = new Map(buckets.map((b, i) => [b.start, i]));
  for (const b of dated) {
    const i = index.get(isoDay(bucketStart(Date.parse(`${b.value}T00:00:00Z`), grain)));
    if (i !== undefined) buckets[i]!.count += b.count;
  }
  return { total: answer.total, grain, buckets, undated };
}

export function TimelineView({ q, dataset }: { q: string; dataset: string | undefined }) {
  const t = useT();
  const { language } = useI18n();
  const [draft, setDraft] = useState(q);
  const [grain, setGrain] = useState<Grain | undefined>(undefined);
  useEffect(() => setDraft(q), [q]);
  const query = q.trim() || ALL_DATED;
  const { data, error } = useAsync((signal) => countBuckets(query, dataset, grain, signal), [query, dataset, grain]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(href('/timeline', { q: draft.trim(), dataset }));
  };

  const max = Math.max(1, ...(data?.buckets.map((b) => b.count) ?? [1]));
  const width = 1000;
  const height = 260;
  const barWidth = data && data.buckets.length ? width / data.buckets.length : width;

  return (
    <div className="page">
      <PageHeader title={t('timeline.title')} sub={data ? t('timeline.sub', { n: formatNumber(data.total, language) }) : undefined}>
        <DatasetSelect value={dataset} onChange={(d) => navigate(href('/timeline', { q, dataset: d }))} />
        <select className="select" value={grain ?? ''} onChange={(e) => setGrain((e.target.value || undefined) as Grain | undefined)} aria-label={t('timeline.grain')}>
          <option value="">{t('timeline.auto')}</option>
          {GRAINS.map((g) => <option key={g} value={g}>{t(`grain.${g}` as MessageKey)}</option>)}
        </select>
      </PageHeader>
      <form className="query-bar" onSubmit={submit}>
        <input id="query" className="query-input" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder={t('timeline.placeholder')} aria-label={t('search.query')} spellCheck={false} />
        <button type="submit" className="button button-primary">{t('timeline.show')}</button>
      </form>
      <ErrorNote error={error} />
      {!data && !error ? <Loading /> : null}
      {data ? (
        data.buckets.length === 0 ? <p className="empty">{t('timeline.empty')}</p> : (
          <figure className="timeline" data-testid="timeline">
            <div className="timeline-y" aria-hidden="true">
              <span>{formatNumber(max, language)}</span>
              <span>{formatNumber(Math.round(max / 2), language)}</span>
              <span>0</span>
            </div>
            <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={t('timeline.title')}>
              {data.buckets.map((b, i) => {
                const h = (b.count / max) * height;
                return (
                  <g key={b.start} className="bar" onClick={() => navigate(href('/search', { q: `${q.trim() ? `(${q.trim()}) ` : ''}date:[${b.start} TO ${b.end}}`, dataset }))}>
                    <rect x={i * barWidth + 0.5} y={height - h} width={Math.max(1, barWidth - 1)} height={h} />
                    <rect className="bar-hit" x={i * barWidth} y={0} width={barWidth} height={height} />
                    <title>{`${b.start}${data.grain === 'day' ? '' : ` – ${b.end}`}: ${formatNumber(b.count, language)}`}</title>
                  </g>
                );
              })}
              <line x1={0} x2={width} y1={0.5} y2={0.5} className="grid" />
              <line x1={0} x2={width} y1={height / 2} y2={height / 2} className="grid" />
              <line x1={0} x2={width} y1={height + 0.5} y2={height + 0.5} className="axis" />
            </svg>
            <div className="timeline-axis">
              <span>{data.buckets[0]!.start}</span>
              <span>{data.buckets[Math.floor(data.buckets.length / 2)]!.start}</span>
              <span>{data.buckets[data.buckets.length - 1]!.start}</span>
            </div>
            <figcaption className="muted small">{t(`grain.${data.grain}` as MessageKey)} · {t('timeline.peak', { n: formatNumber(max, language) })} · {t('timeline.fromFacet')}{data.undated > 0 ? ` · ${t('timeline.undated', { n: formatNumber(data.undated, language) })}` : ''}</figcaption>
          </figure>
        )
      ) : null}
    </div>
  );
}
