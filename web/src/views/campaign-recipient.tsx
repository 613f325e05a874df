// One recipient beside the board: who they are on the site, why they count as of the country,
// what they did, their letter and e-mail, the talk, re-offences and every step taken. The steps an
// officer records are checked by the server; a refused step shows the server's reason as it is.
// A correction (a step back on purpose) asks for a reason and a second confirmation.
import { type FormEvent, useState } from 'react';
import { api } from '../api.ts';
import { MANUAL_STATUSES, type Campaign, type ManualStatus, type MarkStep, type RecipientHistoryEntry, type RecipientView } from '../api-types.ts';
import { formatTime } from '../format.ts';
import { type MessageKey, useT } from '../i18n.tsx';
import { ErrorNote, Loading, useAsync } from '../ui.tsx';
import { ActivityFacts, Countries, EvidenceList, StatusBadge } from './campaigns.tsx';

/** The letter's download address, from where the server wrote it (…/CAMPAIGN/RUN/FILE). */

/** A datetime-local value (the officer's own clock) as an ISO time; undefined when empty or invalid. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** A time in UTC as the workbench writes it, and on the officer's clock when that differs. */
function TalkTime({ iso }: { iso: string }) {
  const t = useT();
  const d = new Date(iso);
  const local = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  const utc = formatTime(iso).slice(0, 16);
  return <span>{utc} UTC{local !== utc ? <span className="muted"> ({t('camp.localTime', { time: local })})</span> : null}</span>;
}

export function RecipientPanel({ campaign, reference, onChanged, onClose }: { campaign: Campaign; reference: string; onChanged: () => void; onClose: () => void }) {
  const t = useT();
  const { data, error, loading, reload } = useAsync(() => api.recipient(campaign.name, reference), [campaign.name, reference]);
  const changed = () => {
    reload();
    onChanged();
  };
  if (error && !data) return <aside className="detail recipient-detail"><ErrorNote error={error} /></aside>;
  if (!data) return <aside className="detail recipient-detail"><Loading /></aside>;
  const r = data.recipient;
  const letter = r.letter?.download ? { href: r.letter.download, file: r.letter.file } : undefined;
  return (
    <aside className="detail recipient-detail" data-testid="recipient" aria-labelledby="recipient-title">
      <div className="detail-head">
        <h2 id="recipient-title"><code>{r.reference}</code> {r.name ? <span className="person-name">{r.name}</span> : null}</h2>
        <button type="button" className="button button-small" onClick={onClose} aria-label={t('close')}>×</button>
      </div>
      <div className="row">
        <span data-testid="recipient-status"><StatusBadge status={r.status} /></span>
        <span className="muted small">{t('camp.since', { time: formatTime(r.statusAt) })}</span>
        {r.reoffending ? <span className="flag-reoffending">{t('camp.reoffendingFlag')}</span> : null}
        {loading ? <span className="muted small">{t('loading')}</span> : null}
      </div>

      <Steps campaign={campaign} recipient={r} onDone={changed} />

      <h3>{t('camp.identity')}</h3>
      <dl className="facts">
        <dt>{t('camp.usernames')}</dt><dd>{r.accounts.map((a) => <span key={a.id} className="handle" title={a.platform}>{a.handle}</span>)}</dd>
        <dt>{t('camp.email')}</dt><dd>{r.emails.join(', ') || '—'}</dd>
        <dt>{t('camp.phone')}</dt><dd>{r.phones.join(', ') || '—'}</dd>
        <dt>{t('camp.address')}</dt><dd>{r.addresses.length > 0 ? r.addresses.map((a) => <div key={a}>{a}</div>) : <span className="warn">{t('camp.noAddress')}</span>}</dd>
        {r.ibans.length > 0 ? <><dt>IBAN</dt><dd>{r.ibans.join(', ')}</dd></> : null}
        {r.ips.length > 0 ? <><dt>IP</dt><dd>{r.ips.join(', ')}</dd></> : null}
        <dt>{t('camp.countriesCol')}</dt><dd><Countries codes={r.countries} wanted={campaign.criteria.countries} /></dd>
      </dl>

      <h3>{t('camp.evidence')}</h3>
      <EvidenceList evidence={r.evidence} wanted={campaign.criteria.countries} />

      <h3>{t('camp.activity')}</h3>
      <ActivityFacts activity={r.activity} />

      <h3>{t('camp.letter')}</h3>
      {r.letter ? (
        <dl className="facts" data-testid="recipient-letter">
          <dt>{t('camp.file')}</dt><dd>{letter ? <a href={letter.href} download={letter.file}>{letter.file}</a> : '—'}</dd>
          <dt>SHA-256</dt><dd><code className="hash">{r.letter.sha256}</code></dd>
          <dt>{t('camp.generated')}</dt><dd>{formatTime(r.letter.generatedAt)} · {r.letter.language} · {r.letter.template}</dd>
        </dl>
      ) : <p className="muted">{t('camp.noLetter')}</p>}

      <h3>{t('camp.emailTitle')}</h3>
      {r.email ? (
        <dl className="facts" data-testid="recipient-email">
          <dt>{t('camp.to')}</dt><dd>{r.email.to}</dd>
          <dt>{t('col.status')}</dt><dd><span className={`mail-state mail-${r.email.state}`}>{t(`camp.email.${r.email.state}`)}</span> · {t('camp.attempts', { n: r.email.attempts })}</dd>
          {r.email.sentAt ? <><dt>{t('camp.sentAt')}</dt><dd>{formatTime(r.email.sentAt)}</dd></> : null}
          {r.email.bouncedAt ? <><dt>{t('camp.bouncedAt')}</dt><dd>{formatTime(r.email.bouncedAt)}</dd></> : null}
          {r.email.bounceReason ? <><dt>{t('camp.bounceReason')}</dt><dd className="warn">{r.email.bounceReason}</dd></> : null}
          {r.email.lastError ? <><dt>{t('camp.lastError')}</dt><dd>{r.email.lastError}</dd></> : null}
          {r.email.messageId ? <><dt>Message-ID</dt><dd><code>{r.email.messageId}</code></dd></> : null}
        </dl>
      ) : <p className="muted">{t('camp.noEmail')}</p>}

      <h3>{t('camp.talk')}</h3>
      {r.talk ? <p data-testid="recipient-talk"><TalkTime iso={r.talk.at} />{r.talk.place ? ` · ${r.talk.place}` : ''}</p> : <p className="muted">{t('camp.noTalk')}</p>}

      {r.reoffences.length > 0 ? (
        <>
          <h3>{t('camp.reoffences')}</h3>
          <table className="table table-compact">
            <thead><tr><th>{t('dataset')}</th><th>{t('col.account')}</th><th>{t('camp.matched')}</th><th>{t('camp.lastActive')}</th><th>{t('camp.afterContact')}</th></tr></thead>
            <tbody>
              {r.reoffences.map((o) => (
                <tr key={`${o.dataset}/${o.account.id}`}>
                  <td>{o.dataset}</td><td className="handle">{o.account.handle}</td><td><code>{o.matched}</code></td><td className="nowrap">{formatTime(o.lastActive)}</td>
                  <td>{o.afterContact ? <span className="flag-reoffending">{t('camp.yes')}</span> : t('camp.no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}

      <h3>{t('camp.history')}</h3>
      <History entries={data.history} />
    </aside>
  );
}

const STEP_LABELS: Record<ManualStatus, MessageKey> = {
  'letter-sent': 'camp.step.letterSent',
  'email-sent': 'camp.step.emailSent',
  'talk-scheduled': 'camp.step.scheduleTalk',
  'talk-held': 'camp.step.talkHeld',
  'no-response': 'camp.step.noResponse',
};

function Steps({ campaign, recipient, onDone }: { campaign: Campaign; recipient: RecipientView; onDone: () => void }) {
  const t = useT();
  const [note, setNote] = useState('');
  const [at, setAt] = useState('');
  const [talkAt, setTalkAt] = useState('');
  const [place, setPlace] = useState(recipient.talk?.place ?? '');
  const [isScheduling, setScheduling] = useState(false);
  const [refused, setRefused] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [correcting, setCorrecting] = useState(false);

  const mark = async (step: MarkStep): Promise<boolean> => {
    setRefused(undefined);
    setBusy(true);
    try {
      await api.markRecipient(campaign.name, recipient.reference, step);
      setNote('');
      setAt('');
      onDone();
      return true;
    } catch (failure) {
      setRefused(failure);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const withNote = (step: MarkStep): MarkStep => {
    const when = localToIso(at);
    return { ...step, ...(note.trim() ? { note: note.trim() } : {}), ...(when ? { at: when } : {}) };
  };
  const schedule = async (event: FormEvent) => {
    event.preventDefault();
    const when = localToIso(talkAt);
    if (!when) return;
    if (await mark(withNote({ status: 'talk-scheduled', talk: { at: when, ...(place.trim() ? { place: place.trim() } : {}) } }))) setScheduling(false);
  };
  const talkIso = localToIso(talkAt);

  return (
    <section className="steps" aria-label={t('camp.steps')} data-testid="steps">
      <div className="row">
        {MANUAL_STATUSES.map((s) => s === 'talk-scheduled' ? (
          <button key={s} type="button" className={`button button-small${isScheduling ? ' button-primary' : ''}`} aria-expanded={isScheduling} disabled={busy} onClick={() => setScheduling(!isScheduling)}>{t(STEP_LABELS[s])}</button>
        ) : (
          <button key={s} type="button" className="button button-small" disabled={busy || recipient.status === s} onClick={() => void mark(withNote({ status: s }))}>{t(STEP_LABELS[s])}</button>
        ))}
      </div>
      {isScheduling ? (
        <form className="talk-form" onSubmit={(e) => void schedule(e)} data-testid="talk-form">
          <label className="field" htmlFor="talk-at">
            <span>{t('camp.talkAt')}</span>
            <input id="talk-at" type="datetime-local" value={talkAt} onChange={(e) => setTalkAt(e.target.value)} required />
            <small className="muted">{talkIso ? t('camp.talkUtc', { time: formatTime(talkIso).slice(0, 16) }) : t('camp.talkLocal')}</small>
          </label>
          <label className="field" htmlFor="talk-place"><span>{t('camp.talkPlace')}</span><input id="talk-place" value={place} onChange={(e) => setPlace(e.target.value)} maxLength={300} /></label>
          <button type="submit" className="button button-primary" disabled={busy || !talkIso}>{t('camp.scheduleTalk')}</button>
        </form>
      ) : null}
      <div className="step-extra">
        <label className="field" htmlFor="step-note">
          <span>{t('camp.note')}</span>
          <textarea id="step-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} maxLength={4000} placeholder={t('camp.notePlaceholder')} />
        </label>
        <div className="row">
          <label className="field field-inline" htmlFor="step-at">
            <span>{t('camp.happenedAt')}</span>
            <input id="step-at" type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
          </label>
          <button type="button" className="button button-small" disabled={busy || !note.trim()} onClick={() => void mark({ note: note.trim() })}>{t('camp.addNote')}</button>
          <button type="button" className="link-button small" aria-expanded={correcting} onClick={() => setCorrecting(!correcting)}>{t('camp.correct')}</button>
        </div>
      </div>
      {refused ? <div data-testid="step-refused"><ErrorNote error={refused} /></div> : null}
      {correcting ? <Correction recipient={recipient} busy={busy} onCorrect={async (step) => { if (await mark(step)) setCorrecting(false); }} /> : null}
    </section>
  );
}

function Correction({ recipient, busy, onCorrect }: { recipient: RecipientView; busy: boolean; onCorrect: (step: MarkStep) => Promise<void> }) {
  const t = useT();
  const [status, setStatus] = useState<ManualStatus>(MANUAL_STATUSES.find((s) => s !== recipient.status) ?? 'letter-sent');
  const [reason, setReason] = useState('');
  const [talkAt, setTalkAt] = useState('');
  const [isConfirming, setConfirming] = useState(false);
  // a correction back to a scheduled talk keeps the talk the recipient had, unless a new time is given
  const talk = status === 'talk-scheduled' ? (localToIso(talkAt) ? { at: localToIso(talkAt)!, ...(recipient.talk?.place ? { place: recipient.talk.place } : {}) } : recipient.talk) : undefined;
  const isReady = reason.trim() !== '' && status !== recipient.status && (status !== 'talk-scheduled' || talk !== undefined);
  return (
    <form className="correction" onSubmit={(e) => { e.preventDefault(); if (isReady) setConfirming(true); }} data-testid="correction">
      <p className="muted small">{t('camp.correctHelp')}</p>
      <div className="row">
        <label className="field field-inline" htmlFor="correct-status">
          <span>{t('camp.correctTo')}</span>
          <select id="correct-status" className="select" value={status} onChange={(e) => { setStatus(e.target.value as ManualStatus); setConfirming(false); }}>
            {MANUAL_STATUSES.filter((s) => s !== recipient.status).map((s) => <option key={s} value={s}>{t(`camp.status.${s}`)}</option>)}
          </select>
        </label>
        {status === 'talk-scheduled' ? (
          <label className="field field-inline" htmlFor="correct-talk"><span>{t('camp.talkAt')}</span><input id="correct-talk" type="datetime-local" value={talkAt} onChange={(e) => setTalkAt(e.target.value)} required={!recipient.talk} /></label>
        ) : null}
      </div>
      <label className="field" htmlFor="correct-reason">
        <span>{t('camp.correctReason')}</span>
        <textarea id="correct-reason" rows={2} value={reason} onChange={(e) => { setReason(e.target.value); setConfirming(false); }} required maxLength={4000} />
      </label>
      {isConfirming ? (
        <div className="note note-warn" role="alertdialog" aria-labelledby="correct-confirm">
          <p id="correct-confirm">{t('camp.correctConfirm', { reference: recipient.reference, from: t(`camp.status.${recipient.status}`), to: t(`camp.status.${status}`) })}</p>
          <div className="row">
            <button type="button" className="button button-danger" disabled={busy} onClick={() => void onCorrect({ status, correction: true, note: reason.trim(), ...(talk ? { talk } : {}) })}>{t('camp.correctYes')}</button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>{t('camp.cancel')}</button>
          </div>
        </div>
      ) : <button type="submit" className="button button-small" disabled={!isReady}>{t('camp.correctSubmit')}</button>}
    </form>
  );
}

function History({ entries }: { entries: readonly RecipientHistoryEntry[] }) {
  const t = useT();
  const label = (status: RecipientHistoryEntry['status']) => (status === 'note' || status === 'bounced' || status === 'reoffended' ? t(`camp.history.${status}`) : t(`camp.status.${status}`));
  return (
    <ol className="history" data-testid="history">
      {[...entries].reverse().map((e, i) => {
        const details = e.details ?? {};
        const talk = details.talk as { at?: string; place?: string } | undefined;
        return (
          <li key={`${e.at}-${i}`} className={details.correction ? 'history-correction' : undefined}>
            <div className="history-head">
              <time>{formatTime(e.at)}</time>
              <span className="history-status">{label(e.status)}</span>
              {details.correction ? <span className="tag tag-warn">{t('camp.correction', { from: typeof details.from === 'string' ? details.from : '?' })}</span> : null}
              <span className="muted">{e.actor}</span>
            </div>
            {talk?.at ? <div className="small"><TalkTime iso={talk.at} />{talk.place ? ` · ${talk.place}` : ''}</div> : null}
            {typeof details.file === 'string' ? <div className="small muted">{details.file}{typeof details.sha256 === 'string' ? <> · <code className="hash">{details.sha256.slice(0, 16)}…</code></> : null}</div> : null}
            {e.note ? <div className="history-note">{e.note}</div> : null}
          </li>
        );
      })}
    </ol>
  );
}
