// How a campaign's letters and e-mails read: title, language, the site's name, the letterhead and
// signature (sender), the legal paragraph and the officer's own templates. Templates are files
// (.md or .html) read in the browser and sent as text; the server checks them before it keeps them.
import { type FormEvent, useState } from 'react';
import { api } from '../api.ts';
import type { Campaign, CampaignSender, SettingsChange, StoredTemplate } from '../api-types.ts';
import { useT } from '../i18n.tsx';
import { ErrorNote } from '../ui.tsx';

export const SENDER_FIELDS = ['organisation', 'unit', 'address', 'phone', 'email', 'signatory'] as const;
export type SenderForm = Record<(typeof SENDER_FIELDS)[number], string>;

export function senderForm(sender: CampaignSender | undefined): SenderForm {
  return Object.fromEntries(SENDER_FIELDS.map((f) => [f, sender?.[f] ?? ''])) as SenderForm;
}

export class SenderError extends Error {}

/** The sender to send: undefined when every field is empty; an organisation is required otherwise. */
export function senderFrom(form: SenderForm): CampaignSender | undefined {
  const filled = SENDER_FIELDS.filter((f) => form[f].trim() !== '');
  if (filled.length === 0) return undefined;
  if (form.organisation.trim() === '') throw new SenderError('organisation');
  const sender: CampaignSender = { organisation: form.organisation.trim() };
  for (const f of SENDER_FIELDS) if (f !== 'organisation' && form[f].trim() !== '') sender[f] = form[f].trim();
  return sender;
}

export function SenderFields({ value, onChange, idPrefix }: { value: SenderForm; onChange: (value: SenderForm) => void; idPrefix: string }) {
  const t = useT();
  const set = (field: keyof SenderForm) => (text: string) => onChange({ ...value, [field]: text });
  return (
    <fieldset className="fieldset">
      <legend>{t('camp.sender')}</legend>
      <div className="form-grid">
        {SENDER_FIELDS.map((f) => (
          <label key={f} className={`field${f === 'address' ? ' field-wide' : ''}`} htmlFor={`${idPrefix}-${f}`}>
            <span>{t(`camp.sender.${f}`)}</span>
            {f === 'address'
              ? <textarea id={`${idPrefix}-${f}`} rows={2} value={value[f]} onChange={(e) => set(f)(e.target.value)} />
              : <input id={`${idPrefix}-${f}`} type={f === 'email' ? 'email' : f === 'phone' ? 'tel' : 'text'} value={value[f]} onChange={(e) => set(f)(e.target.value)} />}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** A template file as the API takes it; the format follows the file's extension. */
export async function templateFromFile(file: File): Promise<StoredTemplate | undefined> {
  const extension = /\.([a-z]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  const format = extension === 'md' || extension === 'markdown' ? 'markdown' : extension === 'html' || extension === 'htm' ? 'html' : undefined;
  if (!format) return undefined;
  return { name: file.name, format, text: await file.text() };
}

type TemplateChoice = { kind: 'keep' } | { kind: 'remove' } | { kind: 'new'; template: StoredTemplate };

export function SettingsPanel({ campaign, onSaved }: { campaign: Campaign; onSaved: (campaign: Campaign) => void }) {
  const t = useT();
  const [title, setTitle] = useState(campaign.title ?? '');
  const [language, setLanguage] = useState<'nl' | 'en'>(campaign.language === 'en' ? 'en' : 'nl');
  const [site, setSite] = useState(campaign.settings.site ?? '');
  const [sender, setSender] = useState(() => senderForm(campaign.settings.sender));
  const [legalText, setLegalText] = useState(campaign.settings.legalText ?? '');
  const [letter, setLetter] = useState<TemplateChoice>({ kind: 'keep' });
  const [email, setEmail] = useState<TemplateChoice>({ kind: 'keep' });
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    let change: SettingsChange;
    try {
      const chosenSender = senderFrom(sender);
      change = {
        title: title.trim(), language,
        ...(site.trim() ? { site: site.trim() } : {}),
        ...(chosenSender ? { sender: chosenSender } : {}),
        // empty means the shipped paragraph of the campaign's language
        legalText: legalText.trim() ? legalText : null,
        ...(letter.kind === 'keep' ? {} : { letterTemplate: letter.kind === 'new' ? letter.template : null }),
        ...(email.kind === 'keep' ? {} : { emailTemplate: email.kind === 'new' ? email.template : null }),
      };
    } catch (failure) {
      setError(failure instanceof SenderError ? new Error(t('camp.sender.needsOrganisation')) : failure);
      return;
    }
    setBusy(true);
    try {
      const answer = await api.configureCampaign(campaign.name, change);
      setLetter({ kind: 'keep' });
      setEmail({ kind: 'keep' });
      setSaved(true);
      onSaved(answer.campaign);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" data-testid="campaign-settings" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('camp.settings')}</h2>
      <form onSubmit={(e) => void save(e)}>
        <div className="form-grid">
          <label className="field" htmlFor="set-title"><span>{t('camp.titleField')}</span><input id="set-title" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} /></label>
          <label className="field" htmlFor="set-language">
            <span>{t('camp.language')}</span>
            <select id="set-language" className="select" value={language} onChange={(e) => setLanguage(e.target.value === 'en' ? 'en' : 'nl')}>
              <option value="nl">{t('camp.language.nl')}</option>
              <option value="en">{t('camp.language.en')}</option>
            </select>
          </label>
          <label className="field" htmlFor="set-site"><span>{t('camp.site')}</span><input id="set-site" value={site} onChange={(e) => setSite(e.target.value)} maxLength={200} placeholder={t('camp.sitePlaceholder')} /></label>
        </div>
        <SenderFields value={sender} onChange={setSender} idPrefix="set-sender" />
        <fieldset className="fieldset">
          <legend>{t('camp.legalText')}</legend>
          <div className="note note-warn" data-testid="legal-review">{t('camp.legalReview')}</div>
          <label className="field" htmlFor="set-legal">
            <span>{t('camp.legalTextField')}</span>
            <textarea id="set-legal" rows={5} value={legalText} onChange={(e) => setLegalText(e.target.value)} placeholder={t('camp.legalPlaceholder')} />
          </label>
        </fieldset>
        <fieldset className="fieldset">
          <legend>{t('camp.templates')}</legend>
          <p className="muted small">{t('camp.templatesHelp')}</p>
          <TemplateField id="set-letter" label={t('camp.letterTemplate')} current={campaign.settings.letterTemplate} choice={letter} onChoose={setLetter} onError={setError} />
          <TemplateField id="set-email" label={t('camp.emailTemplate')} current={campaign.settings.emailTemplate} choice={email} onChoose={setEmail} onError={setError} />
        </fieldset>
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>{busy ? t('camp.saving') : t('camp.save')}</button>
          {saved ? <span className="muted" role="status">{t('camp.saved')}</span> : null}
        </div>
        <ErrorNote error={error} />
      </form>
    </section>
  );
}

function TemplateField({ id, label, current, choice, onChoose, onError }: {
  id: string; label: string; current: StoredTemplate | undefined; choice: TemplateChoice; onChoose: (choice: TemplateChoice) => void; onError: (error: unknown) => void;
}) {
  const t = useT();
  const [inputKey, setInputKey] = useState(0);
  const pick = async (file: File | undefined) => {
    if (!file) return;
    const template = await templateFromFile(file);
    if (!template) {
      onError(new Error(t('camp.templateFormat', { name: file.name })));
      setInputKey((k) => k + 1);
      return;
    }
    onChoose({ kind: 'new', template });
  };
  const shown = choice.kind === 'new' ? t('camp.templateChosen', { name: choice.template.name })
    : choice.kind === 'remove' || !current ? t('camp.templateShipped')
      : t('camp.templateOwn', { name: current.name });
  return (
    <div className="template-field">
      <label className="field" htmlFor={id}>
        <span>{label}</span>
        <input key={inputKey} id={id} type="file" accept=".md,.markdown,.html,.htm,text/markdown,text/html" onChange={(e) => void pick(e.target.files?.[0])} />
      </label>
      <div className="row">
        <span className="muted small" data-testid={`${id}-state`}>{shown}</span>
        {current && choice.kind !== 'remove' ? <button type="button" className="button button-small" onClick={() => { onChoose({ kind: 'remove' }); setInputKey((k) => k + 1); }}>{t('camp.templateRemove')}</button> : null}
        {choice.kind !== 'keep' ? <button type="button" className="link-button small" onClick={() => { onChoose({ kind: 'keep' }); setInputKey((k) => k + 1); }}>{t('camp.templateUndo')}</button> : null}
      </div>
    </div>
  );
}
