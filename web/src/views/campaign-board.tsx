// A campaign's board: how many recipients stand at each status (a strip that filters), the
// recipients with their e-mail state, talk and re-offending, one recipient open beside the list,
// and the campaign's tools (settings, letters, e-mails). While e-mails go out in the background
// the board polls its own answer for the run's progress.
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api.ts';
import { RECIPIENT_STATUSES, type CampaignBoard, type RecipientStatus, type RecipientView, type SendingState } from '../api-types.ts';
import { formatNumber, formatTime } from '../format.ts';
import { useI18n, useT } from '../i18n.tsx';
import { useListKeys } from '../keyboard.ts';
import { Link, navigate } from '../router.tsx';
import { DatasetBadge, ErrorNote, Loading, PageHeader, useAsync } from '../ui.tsx';
import { Countries, StatusBadge, campaignPath, criteriaParts } from './campaigns.tsx';
import { PersonCell } from './campaign-new.tsx';
import { RecipientPanel } from './campaign-recipient.tsx';
import { SettingsPanel } from './campaign-settings.tsx';
import { LettersPanel, SendPanel, SendingProgress } from './campaign-outreach.tsx';

export const BOARD_PANELS = ['settings', 'letters', 'send'] as const;
export type BoardPanel = (typeof BOARD_PANELS)[number];
/** The status filter: a status, or everyone flagged for re-offending. */
type Filter = RecipientStatus | 'reoffending' | '';

const POLL_MS = 2000;

function matches(r: RecipientView, text: string): boolean {
  if (!text) return true;
  const needle = text.toLowerCase();
  return [r.reference, r.name ?? '', ...r.accounts.map((a) => a.handle), ...r.emails, ...r.phones].some((v) => v.toLowerCase().includes(needle));
}

export function CampaignView({ name, reference, panel, status, q }: { name: string; reference?: string; panel?: string; status?: string; q?: string }) {
  const t = useT();
  const { language } = useI18n();
  const board = useAsync((signal) => api.campaign(name, signal), [name]);
  const { data, error, reload } = board;
  const filter: Filter = status === 'reoffending' || (RECIPIENT_STATUSES as readonly string[]).includes(status ?? '') ? status as Filter : '';
  const [text, setText] = useState(q ?? '');
  const openPanel = (BOARD_PANELS as readonly string[]).includes(panel ?? '') ? panel as BoardPanel : undefined;
  const query = (changes: { panel?: string | undefined; status?: string | undefined; q?: string | undefined }) => ({
    panel: 'panel' in changes ? changes.panel : openPanel, status: 'status' in changes ? changes.status : filter || undefined, q: 'q' in changes ? changes.q : text || undefined,
  });
  const go = (ref: string | undefined, changes: Parameters<typeof query>[0] = {}) => navigate(campaignPath(name, ref, query(changes)), { replace: true });

  const shown = useMemo(() => (data?.recipients ?? []).filter((r) =>
    (filter === '' || (filter === 'reoffending' ? r.reoffending : r.status === filter)) && matches(r, text)), [data, filter, text]);
  const { selected, container } = useListKeys(shown.length, (i) => {
    const r = shown[i];
    if (r) navigate(campaignPath(name, r.reference, query({})));
  });

  const running = data?.sending && !data.sending.finishedAt;
  const [progress, setProgress] = useState<SendingState | null>(null);
  // while e-mails go out, poll the light progress answer (counts only, not audited); the whole
  // board (every recipient, re-offending looked up, an audit event) is read again once at the end
  useEffect(() => {
    if (!running) return;
    let stopped = false;
    const poll = () => {
      api.campaignSending(name).then((answer) => {
        if (stopped) return;
        setProgress(answer.sending);
        if (answer.sending?.finishedAt) reload();
        else timer = window.setTimeout(poll, POLL_MS);
      }, () => {
        if (!stopped) timer = window.setTimeout(poll, POLL_MS);
      });
    };
    let timer = window.setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [running, name, reload]);

  if (error && !data) return <div className="page"><PageHeader title={name} /><ErrorNote error={error} /></div>;
  if (!data) return <div className="page"><PageHeader title={name} /><Loading /></div>;
  const { campaign } = data;
  const togglePanel = (which: BoardPanel) => go(reference, { panel: openPanel === which ? undefined : which });

  return (
    <div className="page page-campaign" data-testid="campaign-board">
      <PageHeader
        title={campaign.title ? `${campaign.name} · ${campaign.title}` : campaign.name}
        sub={<>
          <DatasetBadge name={campaign.dataset} />
          <span>{criteriaParts(campaign.criteria, t).join(' · ')}</span>
          <span className="muted">· {t('camp.code')} <code>{campaign.code}</code> · {t(campaign.language === 'en' ? 'camp.language.en' : 'camp.language.nl')} · {campaign.createdBy}, {formatTime(campaign.createdAt)}</span>
        </>}
      >
        <Link to="/campaigns" className="button">{t('camp.all')}</Link>
        {BOARD_PANELS.map((p) => (
          <button key={p} type="button" className={`button${openPanel === p ? ' button-primary' : ''}`} aria-expanded={openPanel === p} onClick={() => togglePanel(p)}>{t(`camp.panel.${p}`)}</button>
        ))}
      </PageHeader>
      <ErrorNote error={error} />
      {data.sending ? <SendingProgress sending={running && progress ? progress : data.sending} /> : null}
      <StatusStrip board={data} filter={filter} onFilter={(f) => go(reference, { status: f || undefined })} />
      {openPanel === 'settings' ? <SettingsPanel key={campaign.name} campaign={campaign} onSaved={reload} /> : null}
      {openPanel === 'letters' ? <LettersPanel campaign={campaign} onDone={reload} /> : null}
      {openPanel === 'send' ? <SendPanel campaign={campaign} canSend={data.canSend} isRunning={Boolean(running)} onStarted={reload} /> : null}
      <div className={reference ? 'split board-split' : ''}>
        {/* with a recipient open the list keeps what tells rows apart; the panel has the rest */}
        <section className="board-list" aria-label={t('camp.recipients')}>
          <div className="filter-bar">
            <select className="select" value={filter} onChange={(e) => go(reference, { status: e.target.value || undefined })} aria-label={t('camp.filterStatus')}>
              <option value="">{t('camp.allStatuses')}</option>
              {RECIPIENT_STATUSES.map((s) => <option key={s} value={s}>{t(`camp.status.${s}`)}</option>)}
              <option value="reoffending">{t('camp.reoffending')}</option>
            </select>
            <input className="grow" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('camp.filterText')} aria-label={t('camp.filterText')} />
            <span className="muted" data-testid="recipient-count">{t('camp.shown', { n: formatNumber(shown.length, language), total: formatNumber(data.recipients.length, language) })}</span>
          </div>
          <table className="table table-rows recipients-table" ref={(el) => { container.current = el; }} data-testid="recipients">
            <thead>
              <tr>
                <th>{t('camp.reference')}</th><th>{t('camp.person')}</th><th className="col-optional">{t('camp.email')}</th><th className="col-optional">{t('camp.countriesCol')}</th>
                <th>{t('col.status')}</th><th className="col-optional">{t('camp.emailState')}</th><th>{t('camp.talk')}</th><th title={t('camp.reoffending')}>{t('camp.reoffendingShort')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r, i) => (
                <tr key={r.reference} data-row={i} data-reference={r.reference} className={[i === selected ? 'selected' : '', r.reference === reference ? 'open' : ''].join(' ').trim() || undefined}>
                  <td className="nowrap"><Link to={campaignPath(name, r.reference, query({}))}><code>{r.reference}</code></Link></td>
                  <td><PersonCell name={r.name} handles={r.accounts.map((a) => a.handle)} /></td>
                  <td className="small cell-email col-optional">{r.emails[0] ?? <span className="muted">—</span>}{r.emails.length > 1 ? <span className="muted"> +{r.emails.length - 1}</span> : null}</td>
                  <td className="col-optional"><Countries codes={r.countries} wanted={campaign.criteria.countries} /></td>
                  <td><StatusBadge status={r.status} /></td>
                  <td className="col-optional">{r.email ? <span className={`mail-state mail-${r.email.state}`} title={r.email.bounceReason ?? r.email.lastError}>{t(`camp.email.${r.email.state}`)}</span> : <span className="muted">—</span>}</td>
                  <td className="small">{r.talk ? <><span className="nowrap">{formatTime(r.talk.at).slice(0, 10)}</span> <span className="nowrap">{formatTime(r.talk.at).slice(11, 16)}</span></> : ''}</td>
                  <td>{r.reoffending ? <span className="flag-reoffending" title={t('camp.reoffendingTitle')}>{t('camp.reoffendingFlag')}</span> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length === 0 ? <p className="empty">{t('camp.noneShown')}</p> : null}
        </section>
        {reference ? (
          <RecipientPanel key={reference} campaign={campaign} reference={reference} onChanged={reload} onClose={() => go(undefined)} />
        ) : null}
      </div>
    </div>
  );
}

function StatusStrip({ board, filter, onFilter }: { board: CampaignBoard; filter: Filter; onFilter: (filter: Filter) => void }) {
  const t = useT();
  const { language } = useI18n();
  const total = board.recipients.length;
  return (
    <div className="status-strip" role="group" aria-label={t('camp.byStatus')} data-testid="status-strip">
      {RECIPIENT_STATUSES.map((s) => (
        <button key={s} type="button" className={`strip-cell strip-${s}${filter === s ? ' active' : ''}`} aria-pressed={filter === s} onClick={() => onFilter(filter === s ? '' : s)} data-status={s}>
          <span className="strip-count">{formatNumber(board.counts[s] ?? 0, language)}</span>
          <span className="strip-label">{t(`camp.status.${s}`)}</span>
          <StripBar part={board.counts[s] ?? 0} total={total} />
        </button>
      ))}
      <button type="button" className={`strip-cell strip-reoffending${filter === 'reoffending' ? ' active' : ''}`} aria-pressed={filter === 'reoffending'} onClick={() => onFilter(filter === 'reoffending' ? '' : 'reoffending')} data-status="reoffending"
        title={t('camp.reoffendingCheck', { datasets: board.reoffendingCheck.datasetsRead.join(', ') || '—', accounts: formatNumber(board.reoffendingCheck.accountsRead, language) })}>
        <span className="strip-count">{formatNumber(board.reoffending, language)}</span>
        <span className="strip-label">{t('camp.reoffending')}</span>
        <StripBar part={board.reoffending} total={total} />
      </button>
    </div>
  );
}

/** The share of recipients as a bar (React sets the width through the CSSOM, which the CSP allows). */
function StripBar({ part, total }: { part: number; total: number }) {
  const width = total === 0 ? 0 : Math.max(part > 0 ? 3 : 0, (100 * part) / total);
  return <span className="strip-bar" aria-hidden="true"><span style={{ width: `${width}%` }} /></span>;
}
