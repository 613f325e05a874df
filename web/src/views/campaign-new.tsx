// A new campaign in three steps: who (a site dataset, countries, what they did), a dry run that
// shows every person it would select with the evidence that makes them of the country and how
// many each criterion left out, then the campaign's name and letterhead. Create stays disabled
// until the criteria on screen are the ones previewed: nobody creates a selection they did not see.
import { type FormEvent, useMemo, useState } from 'react';
import { api } from '../api.ts';
import type { CampaignCriteriaInput, CampaignPreview } from '../api-types.ts';
import { formatNumber } from '../format.ts';
import { type MessageKey, useI18n, useT } from '../i18n.tsx';
import { navigate } from '../router.tsx';
import { DatasetBadge, ErrorNote, Loading, PageHeader, useAsync } from '../ui.tsx';
import { ActivityLine, Countries, EvidenceList, campaignPath } from './campaigns.tsx';
import { SenderError, SenderFields, senderForm, senderFrom } from './campaign-settings.tsx';

/** People listed at most: the counts above the table are always complete. */
const SHOWN = 500;

const EXCLUSIONS: Record<string, MessageKey> = {
  'paid': 'camp.excluded.paid',
  'min-payments': 'camp.excluded.minPayments',
  'min-searches': 'camp.excluded.minSearches',
  'min-events': 'camp.excluded.minEvents',
  'period': 'camp.excluded.period',
};

type CriteriaForm = {
  dataset: string; countries: string; paid: boolean; minPayments: string; minSearches: string; minEvents: string; minEvidence: string; activeFrom: string; activeTo: string;
};

export function parseCountryCodes(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((c) => c.trim().toUpperCase()).filter((c) => c !== ''))];
}

function criteriaOf(form: CriteriaForm): CampaignCriteriaInput {
  const count = (text: string) => (text.trim() === '' ? undefined : Math.max(0, Math.floor(Number(text))));
  const criteria: CampaignCriteriaInput = { dataset: form.dataset, countries: parseCountryCodes(form.countries) };
  if (form.paid) criteria.paid = true;
  const minPayments = count(form.minPayments);
  const minSearches = count(form.minSearches);
  const minEvents = count(form.minEvents);
  const minEvidence = count(form.minEvidence);
  if (minPayments !== undefined) criteria.minPayments = minPayments;
  if (minSearches !== undefined) criteria.minSearches = minSearches;
  if (minEvents !== undefined) criteria.minEvents = minEvents;
  if (minEvidence !== undefined && minEvidence > 0) criteria.minEvidence = minEvidence;
  if (form.activeFrom) criteria.activeFrom = form.activeFrom;
  if (form.activeTo) criteria.activeTo = form.activeTo;
  return criteria;
}

export function NewCampaignView({ dataset }: { dataset: string | undefined }) {
  const t = useT();
  const { language } = useI18n();
  const options = useAsync(() => api.campaigns(), []);
  const datasets = options.data?.datasets ?? [];
  const [form, setForm] = useState<CriteriaForm>({ dataset: dataset ?? '', countries: 'NL', paid: false, minPayments: '', minSearches: '', minEvents: '', minEvidence: '', activeFrom: '', activeTo: '' });
  const chosenDataset = form.dataset || datasets[0]?.name || '';
  const criteria = useMemo(() => criteriaOf({ ...form, dataset: chosenDataset }), [form, chosenDataset]);
  const [preview, setPreview] = useState<{ for: string; answer: CampaignPreview } | undefined>(undefined);
  const [previewing, setPreviewing] = useState(false);
  const [previewError, setPreviewError] = useState<unknown>(undefined);
  const isCurrent = preview !== undefined && preview.for === JSON.stringify(criteria);
  const set = <K extends keyof CriteriaForm>(key: K) => (value: CriteriaForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const runPreview = async (event: FormEvent) => {
    event.preventDefault();
    setPreviewError(undefined);
    setPreviewing(true);
    const asked = JSON.stringify(criteria);
    try {
      setPreview({ for: asked, answer: await api.previewCampaign(criteria) });
    } catch (failure) {
      setPreviewError(failure);
    } finally {
      setPreviewing(false);
    }
  };

  return (
    <div className="page page-campaign-new">
      <PageHeader title={t('camp.newTitle')} sub={t('camp.newSub')} />
      <ErrorNote error={options.error} />
      {options.loading && !options.data ? <Loading /> : null}
      {options.data && datasets.length === 0 ? <div className="note note-warn">{t('camp.noDatasets')}</div> : null}
      <section className="panel" aria-labelledby="who-title">
        <h2 id="who-title">{t('camp.step.who')}</h2>
        <form onSubmit={(e) => void runPreview(e)} data-testid="criteria">
          <div className="form-grid">
            <label className="field" htmlFor="crit-dataset">
              <span>{t('camp.siteDataset')}</span>
              <select id="crit-dataset" className="select" value={chosenDataset} onChange={(e) => set('dataset')(e.target.value)} required>
                {datasets.map((d) => <option key={d.name} value={d.name}>{d.name} ({formatNumber(d.accounts, language)} {t('camp.accountsShort')})</option>)}
              </select>
            </label>
            <label className="field" htmlFor="crit-countries">
              <span>{t('camp.countries')}</span>
              <input id="crit-countries" value={form.countries} onChange={(e) => set('countries')(e.target.value)} required pattern="\s*[A-Za-z]{2}([\s,;]+[A-Za-z]{2})*\s*" aria-describedby="crit-countries-help" />
              <small id="crit-countries-help" className="muted">{t('camp.countriesHelp')}</small>
            </label>
            <label className="field" htmlFor="crit-from">
              <span>{t('camp.activeFrom')}</span>
              <input id="crit-from" type="date" value={form.activeFrom} onChange={(e) => set('activeFrom')(e.target.value)} />
            </label>
            <label className="field" htmlFor="crit-to">
              <span>{t('camp.activeTo')}</span>
              <input id="crit-to" type="date" value={form.activeTo} onChange={(e) => set('activeTo')(e.target.value)} />
            </label>
            <label className="field" htmlFor="crit-min-payments">
              <span>{t('camp.minPayments')}</span>
              <input id="crit-min-payments" type="number" min={0} step={1} value={form.minPayments} onChange={(e) => set('minPayments')(e.target.value)} />
            </label>
            <label className="field" htmlFor="crit-min-searches">
              <span>{t('camp.minSearches')}</span>
              <input id="crit-min-searches" type="number" min={0} step={1} value={form.minSearches} onChange={(e) => set('minSearches')(e.target.value)} />
            </label>
            <label className="field" htmlFor="crit-min-events">
              <span>{t('camp.minEvents')}</span>
              <input id="crit-min-events" type="number" min={0} step={1} value={form.minEvents} onChange={(e) => set('minEvents')(e.target.value)} />
            </label>
            <label className="field" htmlFor="crit-min-evidence">
              <span>{t('camp.minEvidence')}</span>
              <input id="crit-min-evidence" type="number" min={1} step={1} value={form.minEvidence} onChange={(e) => set('minEvidence')(e.target.value)} placeholder="1" />
            </label>
          </div>
          <div className="row">
            <label className="check"><input type="checkbox" checked={form.paid} onChange={(e) => set('paid')(e.target.checked)} /> {t('camp.paidOnly')}</label>
            <button type="submit" className="button button-primary" disabled={previewing || !chosenDataset}>{previewing ? t('camp.previewing') : t('camp.preview')}</button>
          </div>
          <ErrorNote error={previewError} />
        </form>
      </section>
      {previewing && !preview ? <Loading label={t('camp.previewing')} /> : null}
      {preview ? <PreviewResult answer={preview.answer} isCurrent={isCurrent} /> : null}
      {preview ? <CreateForm criteria={criteria} isPreviewed={isCurrent} /> : null}
    </div>
  );
}

function PreviewResult({ answer, isCurrent }: { answer: CampaignPreview; isCurrent: boolean }) {
  const t = useT();
  const { language } = useI18n();
  const n = (value: number) => formatNumber(value, language);
  const wanted = answer.criteria.countries;
  const notOfCountry = answer.peopleConsidered - answer.ofCountry;
  return (
    <section className="panel" aria-labelledby="preview-title" data-testid="preview">
      <h2 id="preview-title">{t('camp.step.preview')}</h2>
      {!isCurrent ? <div className="note note-warn" role="status">{t('camp.previewStale')}</div> : null}
      <div className="stats funnel" data-testid="funnel">
        <div className="stat"><div className="stat-value">{n(answer.accounts)}</div><div className="stat-label">{t('camp.funnel.accounts')}</div></div>
        <div className="stat"><div className="stat-value">{n(answer.peopleConsidered)}</div><div className="stat-label">{t('camp.funnel.people')}</div></div>
        <div className="stat stat-out"><div className="stat-value">−{n(notOfCountry)}</div><div className="stat-label">{t('camp.funnel.otherCountry', { countries: wanted.join(', ') })}</div></div>
        {Object.entries(answer.excluded).map(([criterion, count]) => (
          <div key={criterion} className="stat stat-out" data-criterion={criterion}>
            <div className="stat-value">−{n(count)}</div>
            <div className="stat-label">{EXCLUSIONS[criterion] ? t(EXCLUSIONS[criterion]) : criterion}</div>
          </div>
        ))}
        <div className="stat stat-total"><div className="stat-value" data-testid="preview-count">{n(answer.recipients)}</div><div className="stat-label">{t('camp.funnel.selected')}</div></div>
      </div>
      {answer.people.length === 0 ? <p className="empty">{t('camp.previewNone')}</p> : (
        <table className="table people-table" data-testid="preview-people">
          <thead>
            <tr><th>#</th><th>{t('camp.person')}</th><th>{t('camp.contact')}</th><th>{t('camp.countriesCol')}</th><th>{t('camp.evidence')}</th><th>{t('camp.activity')}</th></tr>
          </thead>
          <tbody>
            {answer.people.slice(0, SHOWN).map((p, i) => (
              <tr key={p.id} data-reference={p.id}>
                <td className="num muted">{i + 1}</td>
                <td><PersonCell name={p.name} handles={p.accounts.map((a) => a.handle)} /></td>
                <td className="small">
                  {p.emails.map((e) => <div key={e}>{e}</div>)}
                  {p.phones.map((ph) => <div key={ph}>{ph}</div>)}
                  {p.addresses.map((a) => <div key={a} className="muted">{a}</div>)}
                </td>
                <td><Countries codes={p.countries} wanted={wanted} /></td>
                <td><EvidenceList evidence={p.evidence} wanted={wanted} /></td>
                <td className="small"><ActivityLine activity={p.activity} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {answer.people.length > SHOWN ? <p className="muted">{t('camp.moreNotShown', { n: n(answer.people.length - SHOWN) })}</p> : null}
    </section>
  );
}

export function PersonCell({ name, handles }: { name: string | undefined; handles: readonly string[] }) {
  return (
    <div className="person-cell">
      {name ? <strong>{name}</strong> : null}
      <div>{handles.map((h) => <span key={h} className="handle">{h}</span>)}</div>
    </div>
  );
}

function CreateForm({ criteria, isPreviewed }: { criteria: CampaignCriteriaInput; isPreviewed: boolean }) {
  const t = useT();
  const isDutchSpeaking = criteria.countries.some((c) => c === 'NL' || c === 'BE');
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [language, setLanguage] = useState<'nl' | 'en' | undefined>(undefined);
  const [site, setSite] = useState('');
  const [sender, setSender] = useState(() => senderForm(undefined));
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const chosenLanguage = language ?? (isDutchSpeaking ? 'nl' : 'en');

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    let chosenSender;
    try {
      chosenSender = senderFrom(sender);
    } catch (failure) {
      setError(failure instanceof SenderError ? new Error(t('camp.sender.needsOrganisation')) : failure);
      return;
    }
    setBusy(true);
    try {
      const created = await api.createCampaign({
        name: name.trim(), criteria,
        settings: { language: chosenLanguage, ...(title.trim() ? { title: title.trim() } : {}), ...(site.trim() ? { site: site.trim() } : {}), ...(chosenSender ? { sender: chosenSender } : {}) },
      });
      navigate(campaignPath(created.campaign.name));
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="create-title">
      <h2 id="create-title">{t('camp.step.create')}</h2>
      <form onSubmit={(e) => void create(e)} data-testid="create-campaign">
        <div className="form-grid">
          <label className="field" htmlFor="new-name">
            <span>{t('camp.name')}</span>
            <input id="new-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,99}" aria-describedby="new-name-help" />
            <small id="new-name-help" className="muted">{t('camp.nameHelp')}</small>
          </label>
          <label className="field" htmlFor="new-title"><span>{t('camp.titleField')}</span><input id="new-title" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} /></label>
          <label className="field" htmlFor="new-language">
            <span>{t('camp.language')}</span>
            <select id="new-language" className="select" value={chosenLanguage} onChange={(e) => setLanguage(e.target.value === 'en' ? 'en' : 'nl')}>
              <option value="nl">{t('camp.language.nl')}</option>
              <option value="en">{t('camp.language.en')}</option>
            </select>
          </label>
          <label className="field" htmlFor="new-site"><span>{t('camp.site')}</span><input id="new-site" value={site} onChange={(e) => setSite(e.target.value)} maxLength={200} placeholder={t('camp.sitePlaceholder')} /></label>
        </div>
        <SenderFields value={sender} onChange={setSender} idPrefix="new-sender" />
        <div className="row">
          <button type="submit" className="button button-primary" disabled={busy || !isPreviewed}>{busy ? t('camp.creating') : t('camp.create')}</button>
          <span className="muted small">{isPreviewed ? t('camp.createHelp', { dataset: criteria.dataset }) : t('camp.previewFirst')}</span>
          <DatasetBadge name={criteria.dataset} />
        </div>
        <ErrorNote error={error} />
      </form>
    </section>
  );
}
