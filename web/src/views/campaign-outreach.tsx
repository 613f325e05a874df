// Letters and e-mails of a campaign. Letters are generated on the server into its campaign folder
// (they carry personal data) and downloaded file by file, each download audited. E-mails are
// always planned first (a dry run lists every message); the real run goes out in the background
// through the server's mail server, and the board shows its progress.
import { type FormEvent, useState } from 'react';
import { api } from '../api.ts';
import { RECIPIENT_STATUSES, type Campaign, type LetterRun, type RecipientStatus, type SendPlan, type SendingState } from '../api-types.ts';
import { formatNumber, formatTime } from '../format.ts';
import { useI18n, useT } from '../i18n.tsx';
import { ErrorNote } from '../ui.tsx';

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function LanguageSelect({ id, value, onChange }: { id: string; value: 'nl' | 'en'; onChange: (value: 'nl' | 'en') => void }) {
  const t = useT();
  return (
    <label className="field field-inline" htmlFor={id}>
      <span>{t('camp.language')}</span>
      <select id={id} className="select" value={value} onChange={(e) => onChange(e.target.value === 'en' ? 'en' : 'nl')}>
        <option value="nl">{t('camp.language.nl')}</option>
        <option value="en">{t('camp.language.en')}</option>
      </select>
    </label>
  );
}

export function LettersPanel({ campaign, onDone }: { campaign: Campaign; onDone: () => void }) {
  const t = useT();
  const [language, setLanguage] = useState<'nl' | 'en'>(campaign.language === 'en' ? 'en' : 'nl');
  const [date, setDate] = useState(today);
  const [status, setStatus] = useState<RecipientStatus | ''>('');
  const [run, setRun] = useState<LetterRun | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const generate = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      setRun(await api.generateLetters(campaign.name, { language, ...(date ? { date } : {}), ...(status ? { status } : {}) }));
      onDone();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" data-testid="letters-panel" aria-labelledby="letters-title">
      <h2 id="letters-title">{t('camp.panel.letters')}</h2>
      <p className="muted small">{t('camp.lettersHelp')}</p>
      <form className="row" onSubmit={(e) => void generate(e)}>
        <LanguageSelect id="letters-language" value={language} onChange={setLanguage} />
        <label className="field field-inline" htmlFor="letters-date"><span>{t('camp.letterDate')}</span><input id="letters-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} /></label>
        <label className="field field-inline" htmlFor="letters-status">
          <span>{t('camp.lettersFor')}</span>
          <select id="letters-status" className="select" value={status} onChange={(e) => setStatus(e.target.value as RecipientStatus | '')}>
            <option value="">{t('camp.everyone')}</option>
            {RECIPIENT_STATUSES.map((s) => <option key={s} value={s}>{t(`camp.status.${s}`)}</option>)}
          </select>
        </label>
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? t('camp.generating') : t('camp.generate')}</button>
      </form>
      <ErrorNote error={error} />
      {run ? <LetterFiles run={run} /> : null}
    </section>
  );
}

function LetterFiles({ run }: { run: LetterRun }) {
  const t = useT();
  const { language } = useI18n();
  const link = (file: string) => `${run.download}${encodeURIComponent(file)}`;
  return (
    <div className="note note-ok" role="status" data-testid="letter-files">
      <div>
        <strong>{t('camp.lettersMade', { n: formatNumber(run.letters.length, language) })}</strong>{' '}
        <span className="muted">{t('camp.run', { run: run.run })}</span>
      </div>
      {run.defaultLegalText ? <div className="warn" data-testid="default-legal">{t('camp.defaultLegalUsed')}</div> : null}
      {run.withoutAddress > 0 ? <div className="warn" data-testid="without-address">{t('camp.withoutAddress', { n: formatNumber(run.withoutAddress, language) })}</div> : null}
      <div className="row">
        <a className="button button-small" href={link('letters.csv')} download="letters.csv">letters.csv</a>
        <a className="button button-small" href={link(run.manifest)} download={run.manifest}>{run.manifest}</a>
      </div>
      <div className="file-list">
        <table className="table table-compact">
          <tbody>
            {run.letters.map((l) => (
              <tr key={l.file}>
                <td><a href={link(l.file)} download={l.file}>{l.file}</a></td>
                <td>{l.hasAddress ? null : <span className="warn small">{t('camp.noAddress')}</span>}</td>
                <td><code className="hash">{l.sha256}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function SendPanel({ campaign, canSend, isRunning, onStarted }: { campaign: Campaign; canSend: boolean; isRunning: boolean; onStarted: () => void }) {
  const t = useT();
  const { language: uiLanguage } = useI18n();
  const [language, setLanguage] = useState<'nl' | 'en'>(campaign.language === 'en' ? 'en' : 'nl');
  const [rate, setRate] = useState('30');
  const [attachLetter, setAttachLetter] = useState(false);
  const [plan, setPlan] = useState<{ for: string; plan: SendPlan } | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [started, setStarted] = useState<number | undefined>(undefined);
  const ratePerMinute = Math.min(6000, Math.max(1, Math.floor(Number(rate)) || 30));
  const options = { language, ratePerMinute, attachLetter };
  const isPlanCurrent = plan !== undefined && plan.for === JSON.stringify(options);

  const dryRun = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      setPlan({ for: JSON.stringify(options), plan: await api.planEmails(campaign.name, options) });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const send = async () => {
    setError(undefined);
    setBusy(true);
    try {
      const answer = await api.sendEmails(campaign.name, options);
      setStarted(answer.planned);
      setPlan(undefined);
      onStarted();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const count = plan?.plan.messages.length ?? 0;
  const skipped = plan?.plan.skipped;
  const reason = !canSend ? t('camp.cannotSend') : isRunning ? t('camp.sendingAlready') : undefined;

  return (
    <section className="panel" data-testid="send-panel" aria-labelledby="send-title">
      <h2 id="send-title">{t('camp.panel.send')}</h2>
      {!canSend ? <div className="note note-warn" data-testid="cannot-send">{t('camp.cannotSend')}</div> : null}
      <form className="row" onSubmit={(e) => void dryRun(e)}>
        <LanguageSelect id="send-language" value={language} onChange={setLanguage} />
        <label className="field field-inline" htmlFor="send-rate"><span>{t('camp.rate')}</span><input id="send-rate" type="number" min={1} max={6000} value={rate} onChange={(e) => setRate(e.target.value)} /></label>
        <label className="check"><input type="checkbox" checked={attachLetter} onChange={(e) => setAttachLetter(e.target.checked)} /> {t('camp.attachLetter')}</label>
        <button type="submit" className="button" disabled={busy}>{t('camp.dryRun')}</button>
      </form>
      <ErrorNote error={error} />
      {started !== undefined ? <p className="note note-ok" role="status">{t('camp.sendStarted', { n: formatNumber(started, uiLanguage) })}</p> : null}
      {plan ? (
        <div data-testid="send-plan">
          <p>
            <strong>{t('camp.planned', { n: formatNumber(count, uiLanguage) })}</strong>{' '}
            {skipped ? <span className="muted">{t('camp.skipped', { noAddress: skipped.noAddress, alreadySent: skipped.alreadySent, bounced: skipped.bounced, uncertain: skipped.uncertain })}</span> : null}
          </p>
          {plan.plan.defaultLegalText ? <p className="warn" data-testid="default-legal">{t('camp.defaultLegalUsed')}</p> : null}
          {count > 0 ? (
            <div className="file-list">
              <table className="table table-compact">
                <thead><tr><th>{t('camp.reference')}</th><th>{t('camp.to')}</th><th>{t('camp.subject')}</th></tr></thead>
                <tbody>{plan.plan.messages.map((m) => <tr key={m.reference}><td><code>{m.reference}</code></td><td>{m.to}</td><td>{m.subject}</td></tr>)}</tbody>
              </table>
            </div>
          ) : null}
          <div className="row">
            <button type="button" className="button button-primary" disabled={busy || count === 0 || !isPlanCurrent || reason !== undefined} onClick={() => void send()} title={reason}>
              {t('camp.sendNow', { n: formatNumber(count, uiLanguage) })}
            </button>
            {reason ? <span className="muted small">{reason}</span> : !isPlanCurrent ? <span className="muted small">{t('camp.planStale')}</span> : null}
          </div>
        </div>
      ) : null}
    </section>
  );
}

export function SendingProgress({ sending }: { sending: SendingState }) {
  const t = useT();
  const { language } = useI18n();
  const n = (value: number) => formatNumber(value, language);
  const done = sending.sent + sending.bounced + sending.failed;
  const isRunning = !sending.finishedAt;
  return (
    <div className={`note ${sending.error ? 'note-error' : isRunning ? 'note-warn' : 'note-ok'}`} role="status" aria-live="polite" data-testid="sending">
      <strong>{isRunning ? t('camp.sendingRunning') : t('camp.sendingDone')}</strong>{' '}
      {t('camp.sendingCounts', { done: n(done), planned: n(sending.planned), sent: n(sending.sent), bounced: n(sending.bounced), failed: n(sending.failed), retried: n(sending.retried) })}
      <span className="muted"> · {sending.by}, {formatTime(sending.startedAt)}{sending.finishedAt ? ` – ${formatTime(sending.finishedAt)}` : ''}</span>
      {isRunning ? <progress max={Math.max(1, sending.planned)} value={done} aria-label={t('camp.sendingRunning')} /> : null}
      {sending.error ? <div>{sending.error}</div> : null}
    </div>
  );
}
