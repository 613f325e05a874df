// An account: the names others saved for it, what it disclosed, its contacts, links to other
// accounts, and when it is active (hour × weekday, UTC).
import { api } from '../api.ts';
import { ApiError } from '../api.ts';
import type { Profile } from '../api-types.ts';
import { fieldValue, formatNumber, formatTime } from '../format.ts';
import { type MessageKey, useI18n, useT } from '../i18n.tsx';
import { Link, href } from '../router.tsx';
import { DatasetBadge, ErrorNote, Loading, PageHeader, useAsync } from '../ui.tsx';
import { AddToCase } from './cases.tsx';
import { accountPath } from './hit-list.tsx';
import { entityPath } from './item.tsx';

const WEEKDAYS: MessageKey[] = ['day.mon', 'day.tue', 'day.wed', 'day.thu', 'day.fri', 'day.sat', 'day.sun'];

export function AccountView({ handle, dataset, platform }: { handle: string; dataset: string | undefined; platform: string | undefined }) {
  const t = useT();
  const { language } = useI18n();
  const { data: profile, error } = useAsync(() => api.account(handle, { dataset, platform }), [handle, dataset, platform]);

  if (error) {
    return (
      <div className="page">
        <PageHeader title={handle} />
        <ErrorNote error={error} />
        {error instanceof ApiError && error.code === 'ambiguous' ? <AmbiguousChoices message={error.message} /> : null}
      </div>
    );
  }
  if (!profile) return <div className="page"><PageHeader title={handle} /><Loading /></div>;
  const fromQuery = `from:${fieldValue(profile.handle)}`;

  return (
    <div className="page page-account" data-testid="account">
      <PageHeader
        title={profile.handle}
        sub={<><DatasetBadge name={profile.dataset} /> <span className="muted">{profile.platform}</span>{profile.realName ? <> · <span title={t('account.realNameHint', { n: profile.realName.support })}>{t('account.realName')}: <strong>{profile.realName.name}</strong></span></> : null}</>}
      >
        <Link to={href('/search', { q: fromQuery, dataset: profile.dataset })} className="button">{t('account.messages')}</Link>
        <Link to={href('/timeline', { q: `(${fromQuery} OR to:${fieldValue(profile.handle)})`, dataset: profile.dataset })} className="button">{t('nav.timeline')}</Link>
        <AddToCase item={`account:${profile.dataset}/${profile.handle}`} />
      </PageHeader>
      <div className="stats">
        <Stat label={t('account.sent')} value={formatNumber(profile.sent, language)} />
        <Stat label={t('account.received')} value={formatNumber(profile.received, language)} />
        <Stat label={t('account.firstSeen')} value={formatTime(profile.firstSeen)} />
        <Stat label={t('account.lastSeen')} value={formatTime(profile.lastSeen)} />
        <Stat label={t('account.contacts')} value={formatNumber(profile.contacts.length, language)} />
      </div>
      <div className="grid-2">
        <section className="panel">
          <h2>{t('account.aliases')}</h2>
          {profile.aliases.length === 0 ? <p className="empty">{t('account.noAliases')}</p> : (
            <table className="table">
              <thead><tr><th>{t('col.alias')}</th><th className="num">{t('col.count')}</th><th>{t('col.savedBy')}</th></tr></thead>
              <tbody>
                {profile.aliases.map((a) => (
                  <tr key={a.alias}>
                    <td><strong>{a.alias}</strong></td>
                    <td className="num">{a.count}</td>
                    <td>{a.savedBy.slice(0, 6).map((h) => <Link key={h} to={accountPath(h, profile.dataset)} className="handle">{h}</Link>)}{a.savedBy.length > 6 ? <span className="muted"> +{a.savedBy.length - 6}</span> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="panel">
          <h2>{t('account.activity')}</h2>
          <HeatMap profile={profile} />
        </section>
        <section className="panel">
          <h2>{t('account.contactsTitle')}</h2>
          {profile.contacts.length === 0 ? <p className="empty">—</p> : (
            <table className="table">
              <thead><tr><th>{t('col.handle')}</th><th className="num">{t('account.sentTo')}</th><th className="num">{t('account.receivedFrom')}</th></tr></thead>
              <tbody>
                {profile.contacts.map((c) => (
                  <tr key={`${c.platform}:${c.handle}`}>
                    <td><Link to={accountPath(c.handle, profile.dataset)} className="handle">{c.handle}</Link></td>
                    <td className="num">{formatNumber(c.sent, language)}</td>
                    <td className="num">{formatNumber(c.received, language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="panel">
          <h2>{t('account.entities')}</h2>
          {profile.entities.length === 0 ? <p className="empty">—</p> : (
            <table className="table">
              <thead><tr><th>{t('col.type')}</th><th>{t('col.value')}</th><th className="num">{t('col.count')}</th></tr></thead>
              <tbody>
                {profile.entities.slice(0, 40).map((e) => (
                  <tr key={`${e.type}:${e.value}`}>
                    <td><span className={`chip-type entity-${e.type}`}>{e.type}</span></td>
                    <td><Link to={entityPath(e.type, e.value, profile.dataset)}>{e.value}</Link></td>
                    <td className="num">{e.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        {profile.devices?.length ? (
          <section className="panel">
            <h2>{t('account.devices')}</h2>
            <table className="table">
              <tbody>{profile.devices.map((d, i) => <tr key={i}><td><code>{d.imei ?? '—'}</code></td><td>{d.model ?? ''}</td><td>{formatTime(d.since)}</td></tr>)}</tbody>
            </table>
          </section>
        ) : null}
        {profile.links?.length || profile.person ? (
          <section className="panel">
            <h2>{t('account.links')}</h2>
            {profile.person ? <p>{t('account.person')} #{profile.person.id}{profile.person.name ? ` (${profile.person.name})` : ''}: {profile.person.accounts.map((a) => <Link key={`${a.dataset}/${a.handle}`} to={accountPath(a.handle, a.dataset)} className="handle">{a.handle}</Link>)}</p> : null}
            <table className="table">
              <thead><tr><th>{t('col.account')}</th><th>{t('col.kind')}</th><th className="num">{t('col.score')}</th><th>{t('col.status')}</th><th>{t('col.evidence')}</th></tr></thead>
              <tbody>
                {(profile.links ?? []).map((l) => {
                  const other = l.a.handle === profile.handle && l.a.dataset === profile.dataset ? l.b : l.a;
                  return (
                    <tr key={l.id}>
                      <td><Link to={accountPath(other.handle, other.dataset)} className="handle">{other.handle}</Link> <span className="muted small">{other.dataset}</span></td>
                      <td>{l.kind}</td>
                      <td className="num">{l.score.toFixed(2)}</td>
                      <td><span className={`status status-${l.status}`}>{l.status}</span></td>
                      <td className="small">{l.evidence.slice(0, 3).map((e) => `${e.what}: ${e.value}`).join('; ')}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        ) : null}
      </div>
    </div>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return <div className="stat"><div className="stat-value">{value}</div><div className="stat-label">{label}</div></div>;
}

function AmbiguousChoices({ message }: { message: string }) {
  const t = useT();
  // the server names the candidates as dataset/platform:handle in its message
  const places = [...message.matchAll(/([^\s,()]+)\/([^\s,():]+):([^\s,()]+)/g)].map((m) => ({ dataset: m[1]!, platform: m[2]!, handle: m[3]! }));
  if (places.length === 0) return null;
  return (
    <ul className="choices">
      {places.map((p) => (
        <li key={`${p.dataset}/${p.platform}`}><Link to={href(`/accounts/${encodeURIComponent(p.handle)}`, { dataset: p.dataset, platform: p.platform })}>{p.handle}</Link> <span className="muted">{t('dataset')} {p.dataset}, {p.platform}</span></li>
      ))}
    </ul>
  );
}

/** Mon..Sun × 0..23 (UTC) from the profile's [weekday: Sunday first][hour] counts. */
export function activityMatrix(byWeekdayHour: readonly (readonly number[])[]): number[][] {
  // rows start on Monday as European calendars do
  return Array.from({ length: 7 }, (_, d) => [...(byWeekdayHour[(d + 1) % 7] ?? new Array<number>(24).fill(0))]);
}

function HeatMap({ profile }: { profile: Profile }) {
  const t = useT();
  const { language } = useI18n();
  const activity = profile.activity;
  if (!activity) return null;
  const matrix = activityMatrix(activity.byWeekdayHour);
  const max = Math.max(1, ...matrix.flat());
  const byHour = activity.byHour;
  const total = byHour.reduce((n, x) => n + x, 0);
  return (
    <div className="heatmap-wrap" data-testid="heatmap">
      <table className="heatmap" aria-label={t('account.activity')}>
        <thead>
          <tr><th />{Array.from({ length: 24 }, (_, h) => <th key={h} className="heat-hour">{h % 3 === 0 ? String(h).padStart(2, '0') : ''}</th>)}</tr>
        </thead>
        <tbody>
          {matrix.map((row, d) => (
            <tr key={d}>
              <th className="heat-day">{t(WEEKDAYS[d]!)}</th>
              {row.map((n, h) => <td key={h} className={`heat heat-${n === 0 ? 0 : Math.max(1, Math.ceil((n / max) * 5))}`} title={`${t(WEEKDAYS[d]!)} ${String(h).padStart(2, '0')}:00 UTC: ${n}`} />)}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th className="heat-day" title={t('account.heatTotal')}>Σ</th>
            {byHour.map((n, h) => <td key={h} className={`heat heat-total heat-${n === 0 ? 0 : Math.max(1, Math.ceil((n / Math.max(1, ...byHour)) * 5))}`} title={`${String(h).padStart(2, '0')}:00 UTC: ${n}`} />)}
          </tr>
        </tfoot>
      </table>
      <p className="muted small">{t('account.heatAll', { n: formatNumber(total, language) })}</p>
    </div>
  );
}
