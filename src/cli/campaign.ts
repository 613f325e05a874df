// `lode campaign`: from a seized site's database to warning letters, e-mails and stop talks.
// Select the people of a country (dry run first), write one PDF letter each, send the e-mails
// through any SMTP server, and track every recipient until the talk is held. Every step, reads
// of the recipient list included, is written to the audit log.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { RECIPIENT_STATUSES, type Campaign, type CampaignSettings, type RecipientStatus } from '../model/campaigns.ts';
import type { Store } from '../store/store.ts';
import { selectRecipients, type SelectionReport } from '../campaigns/select.ts';
import { freeCampaignCode, numberPeople, storeCampaign } from '../campaigns/create.ts';
import { CampaignInputError, checkCampaignName, checkDay, criteriaFrom, parseSender } from '../campaigns/settings.ts';
import { campaignLine, chooseTemplate, recipientView, statusCounts, templateFromFile, TemplateFileError } from '../campaigns/view.ts';
import { isLanguage, LANGUAGES, CampaignSettingsError } from '../campaigns/letter-context.ts';
import { TemplateError, type LetterLanguage, type ParsedTemplate } from '../campaigns/template.ts';
import { markRecipient, TrackingError, MANUAL_STATUSES } from '../campaigns/tracking.ts';
import { normaliseReference } from '../campaigns/reference.ts';
import type { BounceReport } from '../campaigns/bounces.ts';
import { cliActor } from './audit.ts';
import { createProgress } from './progress.ts';
import { UsageError, UserError, integerOption, stringOption, withStore, writeJson, type CliIO, type Command, type ParsedCommand } from './command.ts';

const ACTIONS = ['create', 'list', 'status', 'show', 'configure', 'letters', 'send', 'mark', 'talk', 'note', 'bounces', 'reoffending'] as const;

export const campaignCommand: Command = {
  name: 'campaign',
  summary: 'Intervention campaigns: select a site\'s users of a country, send letters and e-mails, track stop talks.',
  usage: 'campaign create NAME --dataset D --country CC [--paid] [...] [--dry-run] | list | status NAME | show NAME REF'
    + ' | configure NAME [--sender FILE] [...] | letters NAME --out DIR | send NAME --smtp URL --from ADDR'
    + ' | mark NAME REF --status S | talk NAME REF --at TIME [--place P] | note NAME REF TEXT | bounces NAME FILE... | reoffending NAME',
  details: [
    'create selects from a site dataset (lode ingest of a dump) the people whose e-mail domain, phone number,',
    'IBAN or IP (geoip-lite, offline) points at a --country; accounts sharing an e-mail, a phone or a confirmed',
    'person are one recipient. --dry-run lists them with their evidence and stores nothing. Criteria: --paid,',
    '--min-payments N, --min-searches N, --min-events N, --min-evidence N, --active-from/--active-to DAY.',
    'configure sets the letterhead (--sender FILE: {"organisation","unit","address","phone","email","signatory"}),',
    '--site NAME, --legal-text FILE, --letter-template FILE, --email-template FILE, --title, --language nl|en.',
    'letters writes REF.pdf per recipient, letters.csv and MANIFEST.sha256 into a new folder (--template FILE.md|.html',
    'for this run, --language, --date DAY, --status S). Templates use {{name}}, {{reference}}, {{activity}}... (docs/CAMPAIGNS.md).',
    'send e-mails each recipient once through --smtp smtp://user:pass@host:587 (STARTTLS; smtps:// for TLS;',
    '--smtp-ca FILE for a private CA) at --rate N a minute, --attempts N per message; a run that stopped',
    'continues where it was (--resend-uncertain for messages handed over when it stopped). --attach-letter',
    'attaches the generated PDF (checked against its hash). --dry-run lists who would get what.',
    `mark statuses: ${MANUAL_STATUSES.join(', ')} (--at TIME, --note TEXT, --correction to step back on purpose).`,
    'bounces reads returned mail (mbox or .eml) and marks bounced e-mails. status and reoffending look for the',
    'recipients in other datasets (same e-mail, phone, or username on the same platform).',
  ].join('\n'),
  options: {
    dataset: { type: 'string', short: 'd', description: 'the site dataset to select from (create)', valueName: 'D' },
    country: { type: 'string', short: 'c', multiple: true, description: 'ISO country code; repeatable or NL,BE (create)', valueName: 'CC' },
    paid: { type: 'boolean', description: 'only people who paid (create)' },
    'min-payments': { type: 'string', description: 'at least N payments (create)', valueName: 'N' },
    'min-searches': { type: 'string', description: 'at least N searches (create)', valueName: 'N' },
    'min-events': { type: 'string', description: 'at least N events of any kind (create)', valueName: 'N' },
    'min-evidence': { type: 'string', description: 'at least N pieces of country evidence (create; default 1)', valueName: 'N' },
    'active-from': { type: 'string', description: 'active on or after this day (create)', valueName: 'DAY' },
    'active-to': { type: 'string', description: 'active before this day (create)', valueName: 'DAY' },
    'dry-run': { type: 'boolean', description: 'list, store or send nothing (create, send)' },
    title: { type: 'string', description: 'a title (create, configure)', valueName: 'T' },
    language: { type: 'string', description: 'nl or en (create, configure: the default; letters, send: this run)', valueName: 'L' },
    site: { type: 'string', description: 'the site\'s name as letters write it (create, configure)', valueName: 'NAME' },
    sender: { type: 'string', description: 'JSON file with the letterhead and signature (create, configure)', valueName: 'FILE' },
    'legal-text': { type: 'string', description: 'file with the legal paragraphs (create, configure)', valueName: 'FILE' },
    'letter-template': { type: 'string', description: 'the campaign\'s letter, Markdown or HTML (create, configure)', valueName: 'FILE' },
    'email-template': { type: 'string', description: 'the campaign\'s e-mail, Markdown or HTML with a Subject: line (create, configure)', valueName: 'FILE' },
    out: { type: 'string', short: 'o', description: 'new or empty folder for the letters (letters)', valueName: 'DIR' },
    template: { type: 'string', description: 'letter or e-mail template, Markdown or HTML (letters, send)', valueName: 'FILE' },
    date: { type: 'string', description: 'the date letters and e-mails carry (default today)', valueName: 'DAY' },
    status: { type: 'string', description: 'the new status (mark); only recipients with this status (letters, status)', valueName: 'S' },
    smtp: { type: 'string', description: 'mail server URL (send), or LODE_SMTP', valueName: 'URL' },
    'smtp-ca': { type: 'string', description: 'PEM file of a CA the mail server\'s certificate is signed by (send)', valueName: 'FILE' },
    from: { type: 'string', description: 'the From: address (send)', valueName: 'ADDR' },
    outbox: { type: 'string', description: 'write the e-mails as .eml files into this folder instead of sending them (send)', valueName: 'DIR' },
    rate: { type: 'string', description: 'messages a minute (send; default 30)', valueName: 'N' },
    attempts: { type: 'string', description: 'attempts per message in this run (send; default 4)', valueName: 'N' },
    'retry-delay': { type: 'string', description: 'seconds before the first retry of a message, doubling after (send; default 30)', valueName: 'S' },
    'attach-letter': { type: 'boolean', description: 'attach the generated letter PDF (send)' },
    'resend-uncertain': { type: 'boolean', description: 'also send messages an interrupted run may have sent (send)' },
    only: { type: 'string', multiple: true, description: 'only this recipient (send; repeatable)', valueName: 'REF' },
    at: { type: 'string', description: 'when it happened (mark), or the talk\'s time (talk): ISO 8601', valueName: 'TIME' },
    place: { type: 'string', description: 'where the talk is (talk)', valueName: 'P' },
    note: { type: 'string', description: 'a note with the step (mark, talk)', valueName: 'TEXT' },
    correction: { type: 'boolean', description: 'step a recipient back on purpose, to correct a mistake (mark)' },
    limit: { type: 'string', short: 'n', description: 'recipients to list in text output (default 50)', valueName: 'N' },
  },
  positionals: { min: 1, max: Infinity, names: `${ACTIONS.join('|')} NAME ...` },
  async run(args, io) {
    const [action, name, ...rest] = args.positionals as [string, string | undefined, ...string[]];
    if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`the first argument is one of ${ACTIONS.join(', ')}`);
    try {
      if (action === 'list') return await list(args, io);
      if (!name) throw new UsageError('missing NAME');
      switch (action as (typeof ACTIONS)[number]) {
        case 'create': return await create(args, io, checkCampaignName(name));
        case 'status': return await status(args, io, name);
        case 'show': return await show(args, io, name, referenceArgument(rest[0]));
        case 'configure': return await configure(args, io, name);
        case 'letters': return await letters(args, io, name);
        case 'send': return await send(args, io, name);
        case 'mark': return await mark(args, io, name, referenceArgument(rest[0]));
        case 'talk': return await talk(args, io, name, referenceArgument(rest[0]));
        case 'note': return await note(args, io, name, referenceArgument(rest[0]), rest.slice(1).join(' '));
        case 'bounces': return await bounces(args, io, name, rest);
        case 'reoffending': return await reoffending(args, io, name);
        default: throw new UsageError(`unknown action ${action}`);
      }
    } catch (error) {
      if (error instanceof CampaignInputError || error instanceof TrackingError || error instanceof TemplateError
        || error instanceof TemplateFileError || error instanceof CampaignSettingsError) throw new UserError(error.message);
      throw error;
    }
  },
};

const DEFAULT_LEGAL_TEXT_NOTE = 'note: this campaign uses Lode\'s default legal paragraphs; have the campaign\'s legal officer review them '
  + '(lode campaign configure NAME --legal-text FILE)\n';

function referenceArgument(value: string | undefined): string {
  if (value === undefined) throw new UsageError('missing the recipient\'s reference (REF, as lode campaign status lists them)');
  const reference = normaliseReference(value);
  if (!reference) throw new UserError(`"${value}" is not a recipient reference (CODE-NNNNN-CC); its check digits do not fit`);
  return reference;
}

function languageOption(args: ParsedCommand, fallback: string): LetterLanguage {
  const value = stringOption(args, 'language') ?? fallback;
  if (!isLanguage(value)) throw new UsageError(`--language is one of ${LANGUAGES.join(', ')}, not "${value}"`);
  return value;
}

function optionalInteger(args: ParsedCommand, name: string): number | undefined {
  return stringOption(args, name) === undefined ? undefined : integerOption(args, name, 0, 0, 1_000_000_000);
}

async function requireCampaign(store: Store, name: string): Promise<Campaign> {
  const campaign = await store.findCampaign(name);
  if (!campaign) throw new UserError(`no campaign ${name} (lode campaign list)`);
  return campaign;
}

async function settingsFrom(args: ParsedCommand, base: CampaignSettings): Promise<CampaignSettings> {
  const settings: CampaignSettings = { ...base };
  const site = stringOption(args, 'site');
  if (site !== undefined) settings.site = site;
  const senderFile = stringOption(args, 'sender');
  if (senderFile !== undefined) {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(senderFile, 'utf8'));
    } catch (error) {
      throw new UserError(`cannot read the sender file ${senderFile}: ${(error as Error).message}`);
    }
    settings.sender = parseSender(value, senderFile);
  }
  const legal = stringOption(args, 'legal-text');
  if (legal !== undefined) settings.legalText = (await readFile(legal, 'utf8')).trim();
  for (const [option, field] of [['letter-template', 'letterTemplate'], ['email-template', 'emailTemplate']] as const) {
    const file = stringOption(args, option);
    if (file !== undefined) settings[field] = templateFromFile(await readFile(file, 'utf8'), basename(file));
  }
  return settings;
}

// ---- create

async function create(args: ParsedCommand, io: CliIO, name: string): Promise<number> {
  const dataset = stringOption(args, 'dataset');
  if (!dataset) throw new UsageError('--dataset D is required: the site dataset to select from');
  const countries = args.values.country as string[] | undefined;
  if (!countries || countries.length === 0) throw new UsageError('--country CC is required (e.g. --country NL)');
  const criteria = criteriaFrom({
    dataset, countries, paid: args.values.paid === true, minPayments: optionalInteger(args, 'min-payments'), minSearches: optionalInteger(args, 'min-searches'),
    minEvents: optionalInteger(args, 'min-events'), minEvidence: optionalInteger(args, 'min-evidence'),
    activeFrom: stringOption(args, 'active-from'), activeTo: stringOption(args, 'active-to'),
  });
  const language = languageOption(args, criteria.countries.includes('NL') || criteria.countries.includes('BE') ? 'nl' : 'en');
  const settings = await settingsFrom(args, {});
  const isDryRun = args.values['dry-run'] === true;
  const actor = cliActor(io);
  const result = await withStore(args, io, async (store) => {
    if (!(await store.findDataset(dataset))) throw new UserError(`no dataset ${dataset}`);
    if (!isDryRun && (await store.findCampaign(name))) throw new UserError(`campaign ${name} exists already (lode campaign status ${name})`);
    const progress = createProgress(io.stderr, io.isTTY, 'select', 'accounts');
    const { createCountryResolver } = await import('../campaigns/country.ts');
    const selection = await selectRecipients({ store, criteria, countries: await createCountryResolver(), onProgress: (n) => progress.update(0, 0, n) });
    progress.finish();
    if (isDryRun) {
      const people = numberPeople(await freeCampaignCode(store, name), selection.people);
      await store.appendAudit({ actor, action: 'campaign.dry-run', target: name, details: { criteria, recipients: people.length } });
      return { dryRun: true as const, selection, people };
    }
    const stored = await storeCampaign(store, { name, title: stringOption(args, 'title'), criteria, language, settings, createdBy: actor }, selection);
    if (!stored) throw new UserError(`campaign ${name} exists already`);
    await store.appendAudit({ actor, action: 'campaign.create', target: name, details: { criteria, recipients: stored.people.length, code: stored.campaign.code } });
    return { dryRun: false as const, selection, people: stored.people, campaign: stored.campaign };
  }, 'ingest');
  const summary = selectionSummary(result.selection);
  if (args.json) {
    writeJson(io, {
      campaign: name, dataset, dryRun: result.dryRun, recipients: result.people.length, ...summary, criteria,
      ...(result.dryRun ? {} : { code: result.campaign.code, language }),
      people: result.people.map((p) => ({ id: p.reference, ...p })),
    });
    return 0;
  }
  const limit = integerOption(args, 'limit', 50, 0);
  const lines = [
    `${result.dryRun ? 'dry run: would select' : `campaign ${name} created with`} ${result.people.length} recipients from ${dataset}`
      + ` (${summary.accounts} accounts, ${summary.peopleConsidered} people, ${summary.ofCountry} of ${criteria.countries.join('/')})`,
    ...Object.entries(summary.excluded).map(([criterion, n]) => `  ${n} left out by --${criterion}`),
    ...result.people.slice(0, limit).map((p) => `  ${p.reference}  ${(p.name ?? p.accounts.map((a) => a.handle).join(', ')).padEnd(24)} ${p.emails[0] ?? '(no e-mail)'}`
      + `  ${p.countries.join('/')} by ${[...new Set(p.evidence.filter((e) => criteria.countries.includes(e.country)).map((e) => e.kind))].join('+')}`
      + `  ${p.activity.payments} payments, ${p.activity.searches} searches`),
    ...(result.people.length > limit ? [`  ... ${result.people.length - limit} more (--limit N, or --json for all with their evidence)`] : []),
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function selectionSummary(selection: SelectionReport) {
  return { accounts: selection.accounts, peopleConsidered: selection.peopleConsidered, ofCountry: selection.ofCountry, excluded: selection.excluded };
}

// ---- reading

async function list(args: ParsedCommand, io: CliIO): Promise<number> {
  const campaigns = await withStore(args, io, (store) => store.campaigns());
  if (args.json) writeJson(io, { campaigns });
  else io.stdout.write(campaigns.length === 0 ? 'no campaigns\n' : campaigns.map((c) => `${campaignLine(c)}\n`).join(''));
  return 0;
}

function statusFilter(args: ParsedCommand): RecipientStatus | undefined {
  const value = stringOption(args, 'status');
  if (value === undefined) return undefined;
  if (!(RECIPIENT_STATUSES as readonly string[]).includes(value)) throw new UsageError(`--status is one of ${RECIPIENT_STATUSES.join(', ')}`);
  return value as RecipientStatus;
}

async function status(args: ParsedCommand, io: CliIO, name: string): Promise<number> {
  const actor = cliActor(io);
  const only = statusFilter(args);
  const { campaign, recipients, check } = await withStore(args, io, async (store) => {
    const found = await requireCampaign(store, name);
    const { checkReoffending } = await import('../campaigns/reoffending.ts');
    const { createCountryResolver } = await import('../campaigns/country.ts');
    const reoffences = await checkReoffending({ store, campaign: found, countries: await createCountryResolver() });
    const all = await store.recipients(name);
    await store.appendAudit({ actor, action: 'campaign.status', target: name, details: { recipients: all.length, reoffencesFound: reoffences.found } });
    return { campaign: found, recipients: all, check: reoffences };
  }, 'ingest');
  const counts = statusCounts(recipients);
  const shown = only ? recipients.filter((r) => r.status === only) : recipients;
  const reoffending = recipients.filter((r) => r.reoffences.some((o) => o.afterContact)).length;
  if (args.json) {
    writeJson(io, { campaign, counts, reoffending, reoffendingCheck: check, recipients: shown.map(recipientView) });
    return 0;
  }
  const limit = integerOption(args, 'limit', 50, 0);
  const lines = [
    `campaign ${campaign.name}${campaign.title ? `: ${campaign.title}` : ''} on ${campaign.dataset}, ${recipients.length} recipients`,
    `  ${RECIPIENT_STATUSES.map((s) => `${s} ${counts[s]}`).join(' | ')}`,
    ...(reoffending > 0 ? [`  ${reoffending} seen again in other data after being contacted`] : []),
    ...shown.slice(0, limit).map((r) => `  ${r.reference}  ${r.status.padEnd(16)} ${(r.name ?? r.accounts[0]?.handle ?? '').padEnd(22)} `
      + `${r.email ? `e-mail ${r.email.state}` : ''}${r.talk ? `  talk ${r.talk.at}` : ''}${r.reoffences.some((o) => o.afterContact) ? '  RE-OFFENDING' : ''}`),
    ...(shown.length > limit ? [`  ... ${shown.length - limit} more`] : []),
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

async function show(args: ParsedCommand, io: CliIO, name: string, reference: string): Promise<number> {
  const actor = cliActor(io);
  const { recipient, history } = await withStore(args, io, async (store) => {
    await requireCampaign(store, name);
    const [found] = await store.recipients(name, { reference });
    if (!found) throw new UserError(`campaign ${name} has no recipient ${reference}`);
    await store.appendAudit({ actor, action: 'campaign.recipient', target: `${name}/${reference}`, details: {} });
    return { recipient: found, history: await store.recipientHistory(name, reference) };
  });
  if (args.json) {
    writeJson(io, { recipient: recipientView(recipient), history });
    return 0;
  }
  const r = recipient;
  const lines = [
    `${r.reference}  ${r.status} since ${r.statusAt}`,
    `  name: ${r.name ?? '(unknown)'}; accounts: ${r.accounts.map((a) => `${a.platform}:${a.handle}`).join(', ')}`,
    `  e-mail: ${r.emails.join(', ') || '-'}; phone: ${r.phones.join(', ') || '-'}; address: ${r.addresses[0] ?? '-'}`,
    `  countries: ${r.countries.join(', ')}`,
    ...r.evidence.map((e) => `    ${e.country} by ${e.kind} ${e.value} (${e.method})`),
    `  activity: ${r.activity.payments} payments ${r.activity.paid.map((p) => `${p.amount} ${p.currency}`).join(' + ')}, ${r.activity.searches} searches, `
      + `${r.activity.firstActive?.slice(0, 10) ?? '?'} to ${r.activity.lastActive?.slice(0, 10) ?? '?'}`,
    ...(r.letter ? [`  letter: ${r.letter.path} (sha256 ${r.letter.sha256.slice(0, 16)}…)`] : []),
    ...(r.email ? [`  e-mail: ${r.email.state} to ${r.email.to}${r.email.bounceReason ? ` (${r.email.bounceReason})` : ''}`] : []),
    ...(r.talk ? [`  talk: ${r.talk.at}${r.talk.place ? ` at ${r.talk.place}` : ''}`] : []),
    ...r.reoffences.map((o) => `  seen again in ${o.dataset} as ${o.account.handle} (${o.matched})${o.afterContact ? ' AFTER CONTACT' : ''}${o.lastActive ? `, last active ${o.lastActive}` : ''}`),
    'history:',
    ...history.map((h) => `  ${h.at}  ${h.status.padEnd(16)} ${h.actor}${h.note ? `: ${h.note}` : ''}`),
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

// ---- configure, letters, send

async function configure(args: ParsedCommand, io: CliIO, name: string): Promise<number> {
  const actor = cliActor(io);
  const language = stringOption(args, 'language');
  if (language !== undefined && !isLanguage(language)) throw new UsageError(`--language is one of ${LANGUAGES.join(', ')}`);
  const campaign = await withStore(args, io, async (store) => {
    const found = await requireCampaign(store, name);
    const settings = await settingsFrom(args, found.settings);
    const updated = (await store.configureCampaign(name, { title: stringOption(args, 'title'), language, settings }))!;
    await store.appendAudit({ actor, action: 'campaign.configure', target: name, details: { title: updated.title, language: updated.language, settings } });
    return updated;
  }, 'ingest');
  if (args.json) writeJson(io, { campaign });
  else io.stdout.write(`campaign ${name}: ${campaign.settings.sender ? `sender ${campaign.settings.sender.organisation}` : 'no sender yet'}, language ${campaign.language}, site ${campaign.settings.site ?? '(the platform)'}\n`);
  return 0;
}

async function templateFor(args: ParsedCommand, campaign: Campaign, kind: 'letter' | 'email', language: LetterLanguage): Promise<{ template: ParsedTemplate; name: string }> {
  const file = stringOption(args, 'template');
  return chooseTemplate(campaign, kind, language, file === undefined ? undefined : templateFromFile(await readFile(file, 'utf8'), basename(file)));
}

function today(args: ParsedCommand): string {
  const date = stringOption(args, 'date');
  return date === undefined ? new Date().toISOString().slice(0, 10) : checkDay(date, '--date');
}

async function letters(args: ParsedCommand, io: CliIO, name: string): Promise<number> {
  const out = stringOption(args, 'out');
  if (!out) throw new UsageError('--out DIR is required: a new or empty folder for the letters');
  const actor = cliActor(io);
  const only = statusFilter(args);
  const run = await withStore(args, io, async (store) => {
    const campaign = await requireCampaign(store, name);
    const language = languageOption(args, campaign.language);
    const { template, name: templateName } = await templateFor(args, campaign, 'letter', language);
    const { openLetterFolder, LetterFolderError } = await import('../campaigns/letter-folder.ts');
    const { generateLetters } = await import('../campaigns/letters.ts');
    const folder = await openLetterFolder(out).catch((error: unknown) => {
      throw error instanceof LetterFolderError ? new UserError(error.message) : error;
    });
    const progress = createProgress(io.stderr, io.isTTY, 'letters', 'letters');
    try {
      const result = await generateLetters({
        store, campaign, template, templateName, language, date: today(args), sink: folder, actor, ...(only ? { statuses: [only] } : {}),
        onProgress: (done, total) => progress.update(done, total, done),
      });
      progress.finish();
      await store.appendAudit({ actor, action: 'campaign.letters', target: name, details: { folder: folder.dir, letters: result.letters.length, template: templateName, language } });
      return { ...result, dir: folder.dir, defaultLegalText: campaign.settings.legalText === undefined };
    } catch (error) {
      await folder.abandon();
      throw error instanceof LetterFolderError ? new UserError(error.message) : error;
    }
  }, 'ingest');
  if (run.defaultLegalText) io.stderr.write(DEFAULT_LEGAL_TEXT_NOTE);
  if (args.json) writeJson(io, run);
  else {
    io.stdout.write(`${run.letters.length} letters in ${run.dir}${run.withoutAddress > 0 ? `; ${run.withoutAddress} recipients have no postal address (see letters.csv)` : ''}\n`
      + `check them with: cd ${run.dir} && sha256sum -c MANIFEST.sha256\n`);
  }
  return 0;
}

async function send(args: ParsedCommand, io: CliIO, name: string): Promise<number> {
  const isDryRun = args.values['dry-run'] === true;
  const smtp = stringOption(args, 'smtp') ?? io.env.LODE_SMTP;
  const from = stringOption(args, 'from');
  const outbox = stringOption(args, 'outbox');
  if (smtp && outbox) throw new UsageError('--smtp and --outbox: mail goes to one of them');
  if (!isDryRun && !smtp && !outbox) throw new UsageError('--smtp URL is required (or LODE_SMTP): smtp://user:password@host:587; or --outbox DIR to write .eml files');
  if (!from) throw new UsageError('--from ADDR is required: the address the e-mails come from');
  const rate = integerOption(args, 'rate', 30, 1, 6000);
  const attempts = integerOption(args, 'attempts', 4, 1, 20);
  const retryDelayMs = integerOption(args, 'retry-delay', 30, 0, 3600) * 1000;
  const caFile = stringOption(args, 'smtp-ca');
  const actor = cliActor(io);
  const references = (args.values.only as string[] | undefined)?.map(referenceArgument);
  const result = await withStore(args, io, async (store) => {
    const campaign = await requireCampaign(store, name);
    const language = languageOption(args, campaign.language);
    const { template, name: templateName } = await templateFor(args, campaign, 'email', language);
    const date = today(args);
    if (isDryRun) {
      const { planEmails } = await import('../campaigns/send.ts');
      const plan = await planEmails({ store, campaign, template, language, date, from, references, resendUncertain: args.values['resend-uncertain'] === true });
      await store.appendAudit({ actor, action: 'campaign.send-dry-run', target: name, details: { messages: plan.messages.length } });
      return { dryRun: true as const, defaultLegalText: campaign.settings.legalText === undefined, ...plan };
    }
    const { openMailer } = await import('../main.ts');
    const { SmtpUrlError } = await import('../mail/smtp-mailer.ts');
    const mailer = await openMailer(outbox ? { outbox } : { url: smtp!, ca: caFile === undefined ? undefined : await readFile(caFile, 'utf8') }).catch((error: unknown) => {
      throw error instanceof SmtpUrlError ? new UsageError(error.message) : error;
    });
    const { sendCampaignEmails } = await import('../campaigns/send.ts');
    const { readLetter } = await import('../campaigns/letter-folder.ts');
    const { MailerConfigurationError } = await import('../mail/mailer.ts');
    const progress = createProgress(io.stderr, io.isTTY, 'send', 'messages');
    let done = 0;
    try {
      const run = await sendCampaignEmails({
        store, campaign, mailer, from, template, templateName, language, date, ratePerMinute: rate, maxAttempts: attempts, retryDelayMs, actor,
        resendUncertain: args.values['resend-uncertain'] === true, ...(references ? { references } : {}), signal: io.signal,
        ...(args.values['attach-letter'] ? { attachment: readLetter } : {}),
        onProgress: (event) => {
          if (event.outcome !== 'retry') done += 1;
          if (!io.isTTY) io.stderr.write(`send: ${event.reference} ${event.outcome} (${event.response})\n`);
          else progress.update(done, 0, done);
        },
      });
      progress.finish();
      await store.appendAudit({ actor, action: 'campaign.send', target: name, details: { server: mailer.description, from, template: templateName, ...run } });
      return { dryRun: false as const, server: mailer.description, defaultLegalText: campaign.settings.legalText === undefined, ...run };
    } catch (error) {
      if (error instanceof MailerConfigurationError) throw new UserError(error.message);
      throw error;
    } finally {
      mailer.close();
    }
  }, 'ingest');
  if (result.defaultLegalText) io.stderr.write(DEFAULT_LEGAL_TEXT_NOTE);
  if (args.json) writeJson(io, result);
  else if (result.dryRun) {
    io.stdout.write(`dry run: ${result.messages.length} e-mails would be sent\n${result.messages.slice(0, integerOption(args, 'limit', 50, 0)).map((m) => `  ${m.reference}  ${m.to}  ${m.subject}\n`).join('')}`);
  } else {
    const s = result.skipped;
    io.stdout.write(`${result.sent} sent, ${result.bounced} bounced, ${result.failed} failed (run again to retry)${result.stopped ? ', stopped before the end' : ''}; `
      + `skipped ${s.alreadySent} already sent, ${s.bounced} bounced before, ${s.noAddress} without e-mail, ${s.uncertain} uncertain (--resend-uncertain)\n`);
  }
  return result.dryRun ? 0 : result.failed > 0 || result.stopped ? 1 : 0;
}

// ---- tracking

async function mark(args: ParsedCommand, io: CliIO, name: string, reference: string): Promise<number> {
  const value = stringOption(args, 'status');
  if (value === undefined) throw new UsageError(`--status S is required: ${MANUAL_STATUSES.join(', ')}`);
  if (!(MANUAL_STATUSES as readonly string[]).includes(value)) {
    throw new UsageError(`--status is one of ${MANUAL_STATUSES.join(', ')} (letters and e-mails set the others themselves; a talk is scheduled with lode campaign talk)`);
  }
  if (value === 'talk-scheduled') throw new UsageError('schedule a talk with: lode campaign talk NAME REF --at TIME [--place P]');
  return track(args, io, name, reference, { status: value as RecipientStatus, at: timeOption(args, 'at'), note: stringOption(args, 'note'), isCorrection: args.values.correction === true });
}

async function talk(args: ParsedCommand, io: CliIO, name: string, reference: string): Promise<number> {
  const at = timeOption(args, 'at');
  if (!at) throw new UsageError('--at TIME is required: when the talk is (ISO 8601, e.g. 2026-12-14T10:00+01:00)');
  return track(args, io, name, reference, { status: 'talk-scheduled', talk: { at, place: stringOption(args, 'place') }, note: stringOption(args, 'note') });
}

async function note(args: ParsedCommand, io: CliIO, name: string, reference: string, text: string): Promise<number> {
  if (text.trim() === '') throw new UsageError('missing the note\'s TEXT');
  return track(args, io, name, reference, { note: text.trim() });
}

function timeOption(args: ParsedCommand, name: string): string | undefined {
  const value = stringOption(args, name);
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new UsageError(`--${name} must be an ISO 8601 time, got "${value}"`);
  return new Date(ms).toISOString();
}

async function track(args: ParsedCommand, io: CliIO, name: string, reference: string, step: Parameters<typeof markRecipient>[3]): Promise<number> {
  const actor = cliActor(io);
  const recipient = await withStore(args, io, async (store) => {
    await requireCampaign(store, name);
    const updated = await markRecipient(store, name, reference, step, actor);
    await store.appendAudit({ actor, action: 'campaign.mark', target: `${name}/${reference}`, details: { ...step } });
    return updated;
  }, 'ingest');
  if (args.json) writeJson(io, { recipient: recipientView(recipient) });
  else io.stdout.write(`${reference}: ${recipient.status}${step.note ? ' (note added)' : ''}\n`);
  return 0;
}

async function bounces(args: ParsedCommand, io: CliIO, name: string, files: string[]): Promise<number> {
  if (files.length === 0) throw new UsageError('give the returned mail: mbox or .eml FILE...');
  const actor = cliActor(io);
  const { readBounceFile } = await import('../campaigns/bounce-files.ts');
  const { applyBounces } = await import('../campaigns/bounces.ts');
  const reports: BounceReport[] = [];
  for (const file of files) {
    try {
      reports.push(...(await readBounceFile(file)));
    } catch (error) {
      throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
    }
  }
  const outcome = await withStore(args, io, async (store) => {
    await requireCampaign(store, name);
    const applied = await applyBounces(store, name, reports, actor);
    await store.appendAudit({ actor, action: 'campaign.bounces', target: name, details: { files: files.map((f) => basename(f)), ...applied } });
    return applied;
  }, 'ingest');
  if (args.json) writeJson(io, outcome);
  else {
    io.stdout.write(`${outcome.reports} returned messages: ${outcome.bounced.length} bounces recorded${outcome.bounced.length ? ` (${outcome.bounced.join(', ')})` : ''}, `
      + `${outcome.alreadyBounced} known already, ${outcome.notFailures} not failures (delays, receipts), ${outcome.unmatched} not of this campaign\n`);
  }
  return 0;
}

async function reoffending(args: ParsedCommand, io: CliIO, name: string): Promise<number> {
  const actor = cliActor(io);
  const result = await withStore(args, io, async (store) => {
    const campaign = await requireCampaign(store, name);
    const { checkReoffending } = await import('../campaigns/reoffending.ts');
    const { createCountryResolver } = await import('../campaigns/country.ts');
    const check = await checkReoffending({ store, campaign, countries: await createCountryResolver() });
    const seen = (await store.recipients(name)).filter((r) => r.reoffences.length > 0);
    await store.appendAudit({ actor, action: 'campaign.reoffending', target: name, details: { ...check, seen: seen.length } });
    return { check, seen };
  }, 'ingest');
  if (args.json) {
    writeJson(io, { ...result.check, recipients: result.seen.map((r) => ({ id: r.reference, status: r.status, contactedAt: r.contactedAt, reoffences: r.reoffences })) });
    return 0;
  }
  const lines = [
    `read ${result.check.accountsRead} accounts of ${result.check.datasetsRead.length} datasets (${result.check.datasetsRead.join(', ') || 'none new'}); ${result.check.found} new matches`,
    ...result.seen.flatMap((r) => r.reoffences.map((o) => `  ${r.reference}  in ${o.dataset} as ${o.account.handle} (${o.matched})${o.afterContact ? '  AFTER CONTACT' : ''}`)),
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
