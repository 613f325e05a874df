// Campaigns (like `lode campaign`): preview a selection, create a campaign, set its letterhead,
// legal text and templates, generate letters (kept under the server's home, downloaded one by
// one), send the e-mails in the background through the server's mailer, and track each
// recipient. Open to campaign officers for the site datasets they are granted, and to admins;
// every read of the recipient list and every step is in the audit log.
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { COUNTRY_EVIDENCE_KINDS, RECIPIENT_STATUSES, type Campaign, type CampaignSettings, type Recipient } from '../../model/campaigns.ts';
import { selectRecipients } from '../../campaigns/select.ts';
import { freeCampaignCode, numberPeople, storeCampaign } from '../../campaigns/create.ts';
import { CampaignInputError, checkCampaignName, checkDay, criteriaFrom, parseSender } from '../../campaigns/settings.ts';
import { chooseTemplate, recipientView, statusCounts } from '../../campaigns/view.ts';
import { CampaignSettingsError, isLanguage, letterContext } from '../../campaigns/letter-context.ts';
import { parseTemplate, PLACEHOLDERS, shippedLegalText, shippedTemplateText, TemplateError, type LetterLanguage } from '../../campaigns/template.ts';
import { markRecipient, MANUAL_STATUSES, TrackingError } from '../../campaigns/tracking.ts';
import { normaliseReference } from '../../campaigns/reference.ts';
import { createCountryResolver, type CountryResolver } from '../../campaigns/country.ts';
import type { AppEnv, ServerDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { jsonBody, newRouter } from '../router.ts';
import { campaignScope, viewerOf } from '../access.ts';
import { recordAction } from '../audit.ts';

const NameParams = z.object({ name: z.string().min(1).max(100).openapi({ param: { name: 'name', in: 'path' }, example: 'wli-nl' }) });
const RecipientParams = NameParams.extend({ reference: z.string().min(5).max(40).openapi({ param: { name: 'reference', in: 'path' }, example: 'WLINL-00001-43' }) });
const Json = z.record(z.string(), z.unknown());
const json = (description: string) => ({ description, content: { 'application/json': { schema: Json } } });

const CriteriaSchema = z.object({
  dataset: z.string().min(1).max(200),
  countries: z.array(z.string().min(2).max(2)).min(1).max(30),
  paid: z.boolean().optional(),
  minPayments: z.number().int().min(0).optional(),
  minSearches: z.number().int().min(0).optional(),
  minEvents: z.number().int().min(0).optional(),
  minEvidence: z.number().int().min(1).max(COUNTRY_EVIDENCE_KINDS.length * 10).optional(),
  activeFrom: z.string().max(10).optional(),
  activeTo: z.string().max(10).optional(),
}).strict().openapi('CampaignCriteria');

const TemplateSchema = z.object({ name: z.string().min(1).max(200), format: z.enum(['markdown', 'html']), text: z.string().min(1).max(100_000) }).strict();
const SenderSchema = z.record(z.string(), z.unknown());
const SettingsSchema = z.object({
  title: z.string().max(300).optional(),
  language: z.enum(['nl', 'en']).optional(),
  site: z.string().min(1).max(200).nullable().optional(),
  sender: SenderSchema.nullable().optional(),
  legalText: z.string().min(1).max(20_000).nullable().optional(),
  letterTemplate: TemplateSchema.nullable().optional(),
  emailTemplate: TemplateSchema.nullable().optional(),
}).strict().openapi('CampaignSettings');

const listRoute = createRoute({
  method: 'get', path: '/campaigns', tags: ['campaigns'], summary: 'The campaigns the caller may run, with counts by status (like `lode campaign list --json`)',
  responses: { 200: json('campaigns'), ...errorResponses(401, 403) },
});
const previewRoute = createRoute({
  method: 'post', path: '/campaigns/preview', tags: ['campaigns'], summary: 'Who a campaign would select, with their evidence; stores nothing (like `lode campaign create --dry-run`)',
  request: { body: jsonBody(z.object({ name: z.string().min(1).max(100).optional(), criteria: CriteriaSchema }).strict()) },
  responses: { 200: json('the selection'), ...errorResponses(400, 401, 403, 404) },
});
const createCampaignRoute = createRoute({
  method: 'post', path: '/campaigns', tags: ['campaigns'], summary: 'Creates a campaign from a selection (like `lode campaign create --json`: {"recipients": N, ...})',
  request: { body: jsonBody(z.object({ name: z.string().min(1).max(100), criteria: CriteriaSchema, settings: SettingsSchema.optional() }).strict()) },
  responses: { 201: json('the campaign'), ...errorResponses(400, 401, 403, 404, 409) },
});
const sendingRoute = createRoute({
  method: 'get', path: '/campaigns/{name}/sending', tags: ['campaigns'],
  summary: 'The background e-mail run\'s progress, counts only (what a board polls while it runs; no personal data, not audited)',
  request: { params: NameParams },
  responses: { 200: json('the run, or null'), ...errorResponses(401, 403, 404) },
});
const textsRoute = createRoute({
  method: 'get', path: '/campaigns/{name}/texts', tags: ['campaigns'],
  summary: 'The legal text and the letter and e-mail templates a run would use (the campaign\'s own or the shipped ones), and the placeholders',
  request: { params: NameParams, query: z.object({ language: z.enum(['nl', 'en']).optional() }) },
  responses: { 200: json('the texts'), ...errorResponses(401, 403, 404) },
});
const previewLetterRoute = createRoute({
  method: 'get', path: '/campaigns/{name}/recipients/{reference}/preview', tags: ['campaigns'],
  summary: 'One recipient\'s letter (PDF) or e-mail (JSON) as a run would make it, without recording anything on the recipient',
  request: { params: RecipientParams, query: z.object({ kind: z.enum(['letter', 'email']).default('letter'), language: z.enum(['nl', 'en']).optional() }) },
  responses: { 200: { description: 'the PDF, or the e-mail as {subject, text, html}' }, ...errorResponses(400, 401, 403, 404) },
});

const statusRoute = createRoute({
  method: 'get', path: '/campaigns/{name}', tags: ['campaigns'],
  summary: 'A campaign\'s board: counts by status, every recipient, re-offending looked up in newer data, the e-mail run (like `lode campaign status --json`)',
  request: { params: NameParams },
  responses: { 200: json('the board'), ...errorResponses(401, 403, 404) },
});
const recipientRoute = createRoute({
  method: 'get', path: '/campaigns/{name}/recipients/{reference}', tags: ['campaigns'], summary: 'One recipient with evidence, activity and history',
  request: { params: RecipientParams },
  responses: { 200: json('the recipient'), ...errorResponses(401, 403, 404) },
});
const settingsRoute = createRoute({
  method: 'put', path: '/campaigns/{name}/settings', tags: ['campaigns'], summary: 'Sets the title, language, site name, letterhead, legal text and templates (like `lode campaign configure`)',
  request: { params: NameParams, body: jsonBody(SettingsSchema) },
  responses: { 200: json('the campaign'), ...errorResponses(400, 401, 403, 404) },
});
const markRoute = createRoute({
  method: 'post', path: '/campaigns/{name}/recipients/{reference}/mark', tags: ['campaigns'],
  summary: 'A step for one recipient: letter sent, e-mail sent, talk scheduled (with time and place), talk held, no response; or a note',
  request: {
    params: RecipientParams,
    body: jsonBody(z.object({
      status: z.enum(MANUAL_STATUSES).optional(), at: z.string().max(40).optional(), note: z.string().min(1).max(4000).optional(),
      talk: z.object({ at: z.string().max(40), place: z.string().max(300).optional() }).strict().optional(), correction: z.boolean().optional(),
    }).strict()),
  },
  responses: { 200: json('the recipient'), ...errorResponses(400, 401, 403, 404) },
});
const lettersRoute = createRoute({
  method: 'post', path: '/campaigns/{name}/letters', tags: ['campaigns'], summary: 'Generates one PDF letter per recipient into the server\'s campaign folder (like `lode campaign letters`)',
  request: {
    params: NameParams,
    body: jsonBody(z.object({ language: z.enum(['nl', 'en']).optional(), date: z.string().max(10).optional(), status: z.enum(RECIPIENT_STATUSES).optional() }).strict()),
  },
  responses: { 200: json('the letters'), ...errorResponses(400, 401, 403, 404, 409) },
});
const letterFileRoute = createRoute({
  method: 'get', path: '/campaigns/{name}/letters/{run}/{file}', tags: ['campaigns'], summary: 'One file of a letters run (a PDF, letters.csv, MANIFEST.sha256)',
  request: {
    params: NameParams.extend({
      run: z.string().regex(/^\d{8}T\d{6}Z(-\d+)?$/).openapi({ param: { name: 'run', in: 'path' } }),
      file: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/).openapi({ param: { name: 'file', in: 'path' } }),
    }),
  },
  responses: { 200: { description: 'the file' }, ...errorResponses(400, 401, 403, 404) },
});
const sendRoute = createRoute({
  method: 'post', path: '/campaigns/{name}/send', tags: ['campaigns'],
  summary: 'Sends the e-mails in the background through the server\'s mail server (202); the board shows the progress (like `lode campaign send`)',
  request: {
    params: NameParams,
    body: jsonBody(z.object({
      language: z.enum(['nl', 'en']).optional(), date: z.string().max(10).optional(), ratePerMinute: z.number().int().min(1).max(6000).default(30),
      attachLetter: z.boolean().default(false), resendUncertain: z.boolean().default(false), references: z.array(z.string().max(40)).max(10_000).optional(), dryRun: z.boolean().default(false),
    }).strict()),
  },
  responses: { 200: json('the plan of a dry run'), 202: json('the run started'), ...errorResponses(400, 401, 403, 404, 409) },
});

type SendJob = { startedAt: string; by: string; finishedAt?: string; sent: number; bounced: number; retried: number; failed: number; error?: string; planned: number };

export function campaignRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = newRouter();
  const jobs = new Map<string, SendJob>();
  let resolver: Promise<CountryResolver> | undefined;
  // geoip-lite takes 150 MB and 70 ms: loaded on the first selection, kept after
  const countries = () => (resolver ??= createCountryResolver());

  /**
   * A recipient as the API shows it: the letter with its download address instead of the server's
   * file path (a letter made elsewhere, by the CLI, has none).
   */
  function apiRecipient(recipient: Recipient, campaign: string) {
    const { letter, ...view } = recipientView(recipient);
    if (!letter) return view;
    const { path, ...rest } = letter;
    const root = deps.campaignDirectory === undefined ? undefined : resolve(deps.campaignDirectory, campaign);
    const isOurs = root !== undefined && dirname(dirname(path)) === root;
    const download = isOurs ? `/api/v1/campaigns/${encodeURIComponent(campaign)}/letters/${basename(dirname(path))}/${basename(path)}` : undefined;
    return { ...view, letter: { ...rest, file: basename(path), ...(download ? { download } : {}) } };
  }

  async function requireCampaign(c: Context<AppEnv>, name: string): Promise<Campaign> {
    const caller = c.get('caller');
    const allowed = campaignScope(caller.user, caller.grants);
    const campaign = await deps.store.findCampaign(name);
    if (!campaign || (allowed !== undefined && !allowed.includes(campaign.dataset))) throw new ApiError(404, 'not_found', `no campaign "${name}"`);
    return campaign;
  }

  function requireDataset(c: Context<AppEnv>, dataset: string): void {
    const caller = c.get('caller');
    const allowed = campaignScope(caller.user, caller.grants);
    if (allowed !== undefined && !allowed.includes(dataset)) throw new ApiError(404, 'not_found', `no dataset "${dataset}"`);
  }

  async function select(c: Context<AppEnv>, input: z.infer<typeof CriteriaSchema>) {
    requireDataset(c, input.dataset);
    if (!(await deps.store.findDataset(input.dataset))) throw new ApiError(404, 'not_found', `no dataset "${input.dataset}"`);
    const criteria = criteriaFrom(input);
    // who selects is who sees: a warrant's scope and privilege screening apply as to any read
    const viewer = viewerOf(c.get('caller').user);
    return { criteria, selection: await selectRecipients({ store: deps.store, criteria, countries: await countries(), viewer }) };
  }

  app.openapi(listRoute, async (c) => {
    const caller = c.get('caller');
    const allowed = campaignScope(caller.user, caller.grants);
    // the datasets a campaign can be made from: those with site accounts the caller may run campaigns on
    const datasets = (await deps.store.summarise(viewerOf(caller.user)))
      .filter((d) => d.accounts > 0 && d.events + d.exposures > 0 && (allowed === undefined || allowed.includes(d.name)))
      .map((d) => ({ name: d.name, accounts: d.accounts, events: d.events, exposures: d.exposures }));
    return c.json({ campaigns: await deps.store.campaigns(allowed), datasets, canSend: deps.mailer !== undefined }, 200);
  });

  app.openapi(previewRoute, async (c) => {
    const body = c.req.valid('json');
    const { criteria, selection } = await guard(() => select(c, body.criteria));
    const people = numberPeople(await freeCampaignCode(deps.store, body.name ?? 'preview'), selection.people);
    await recordAction(deps, c, 'campaign.dry-run', body.name, { criteria, recipients: people.length });
    return c.json({
      dryRun: true, recipients: people.length, accounts: selection.accounts, peopleConsidered: selection.peopleConsidered, ofCountry: selection.ofCountry,
      excluded: selection.excluded, criteria, people: people.map((p) => ({ id: p.reference, ...p })),
    }, 200);
  });

  app.openapi(createCampaignRoute, async (c) => {
    const body = c.req.valid('json');
    const caller = c.get('caller');
    const name = await guard(async () => checkCampaignName(body.name));
    if (await deps.store.findCampaign(name)) throw new ApiError(409, 'conflict', `campaign "${name}" exists already`);
    const { criteria, selection } = await guard(() => select(c, body.criteria));
    const settings = await guard(async () => settingsFrom(body.settings ?? {}, {}));
    const language = body.settings?.language ?? (criteria.countries.some((cc) => cc === 'NL' || cc === 'BE') ? 'nl' : 'en');
    const stored = await storeCampaign(deps.store, { name, title: body.settings?.title, criteria, language, settings, createdBy: caller.user.name }, selection);
    if (!stored) throw new ApiError(409, 'conflict', `campaign "${name}" exists already`);
    await recordAction(deps, c, 'campaign.create', name, { criteria, recipients: stored.people.length, code: stored.campaign.code });
    return c.json({ campaign: stored.campaign, recipients: stored.people.length, accounts: selection.accounts, excluded: selection.excluded }, 201);
  });

  app.openapi(sendingRoute, async (c) => {
    const { name } = c.req.valid('param');
    await requireCampaign(c, name);
    return c.json({ sending: jobs.get(name) ?? null }, 200);
  });

  app.openapi(textsRoute, async (c) => {
    const { name } = c.req.valid('param');
    const campaign = await requireCampaign(c, name);
    const language = languageOf(c.req.valid('query').language, campaign);
    const own = (field: 'letterTemplate' | 'emailTemplate', kind: 'letter' | 'email') => campaign.settings[field]
      ?? { name: `shipped:${kind}.${language}.md`, format: 'markdown' as const, text: shippedTemplateText(kind, language) };
    return c.json({
      language, placeholders: [...PLACEHOLDERS],
      legalText: { text: campaign.settings.legalText ?? shippedLegalText(language), isDefault: campaign.settings.legalText === undefined },
      letterTemplate: { ...own('letterTemplate', 'letter'), isDefault: campaign.settings.letterTemplate === undefined },
      emailTemplate: { ...own('emailTemplate', 'email'), isDefault: campaign.settings.emailTemplate === undefined },
    }, 200);
  });

  app.openapi(previewLetterRoute, async (c) => {
    const { name, reference } = c.req.valid('param');
    const campaign = await requireCampaign(c, name);
    const ref = requireReference(reference);
    const [recipient] = await deps.store.recipients(name, { reference: ref });
    if (!recipient) throw new ApiError(404, 'not_found', `no recipient ${ref}`);
    const { kind, language: asked } = c.req.valid('query');
    const language = languageOf(asked, campaign);
    const { template } = await guard(async () => chooseTemplate(campaign, kind, language));
    const context = await guard(async () => letterContext(campaign, recipient, language, deps.now().toISOString().slice(0, 10)));
    await recordAction(deps, c, 'campaign.preview', `${name}/${ref}`, { kind, language });
    if (kind === 'email') {
      const { composeEmail } = await import('../../campaigns/email-compose.ts');
      return c.json(composeEmail(template, context), 200);
    }
    const { renderLetterPdf } = await import('../../campaigns/letter-pdf.ts');
    return c.body(new Uint8Array(await renderLetterPdf(template, context)), 200, { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="${ref}-preview.pdf"` });
  });

  app.openapi(statusRoute, async (c) => {
    const { name } = c.req.valid('param');
    const campaign = await requireCampaign(c, name);
    const { checkReoffending } = await import('../../campaigns/reoffending.ts');
    const check = await checkReoffending({ store: deps.store, campaign, countries: await countries() });
    const recipients = await deps.store.recipients(name);
    await recordAction(deps, c, 'campaign.status', name, { recipients: recipients.length, reoffencesFound: check.found });
    return c.json({
      campaign, counts: statusCounts(recipients), reoffending: recipients.filter((r) => r.reoffences.some((o) => o.afterContact)).length,
      reoffendingCheck: check, canSend: deps.mailer !== undefined, sending: jobs.get(name) ?? null, recipients: recipients.map((r) => apiRecipient(r, name)),
    }, 200);
  });

  app.openapi(recipientRoute, async (c) => {
    const { name, reference } = c.req.valid('param');
    await requireCampaign(c, name);
    const ref = requireReference(reference);
    const [recipient] = await deps.store.recipients(name, { reference: ref });
    if (!recipient) throw new ApiError(404, 'not_found', `no recipient ${ref}`);
    await recordAction(deps, c, 'campaign.recipient', `${name}/${ref}`, {});
    return c.json({ recipient: apiRecipient(recipient, name), history: await deps.store.recipientHistory(name, ref) }, 200);
  });

  app.openapi(settingsRoute, async (c) => {
    const { name } = c.req.valid('param');
    const campaign = await requireCampaign(c, name);
    const body = c.req.valid('json');
    const settings = await guard(async () => settingsFrom(body, campaign.settings));
    const updated = (await deps.store.configureCampaign(name, { title: body.title, language: body.language, settings }))!;
    await recordAction(deps, c, 'campaign.configure', name, { title: updated.title, language: updated.language, settings: { ...settings, letterTemplate: settings.letterTemplate?.name, emailTemplate: settings.emailTemplate?.name } });
    return c.json({ campaign: updated }, 200);
  });

  app.openapi(markRoute, async (c) => {
    const { name, reference } = c.req.valid('param');
    await requireCampaign(c, name);
    const ref = requireReference(reference);
    const body = c.req.valid('json');
    const step = {
      ...(body.status ? { status: body.status } : {}), ...(body.note !== undefined ? { note: body.note } : {}), ...(body.correction ? { isCorrection: true } : {}),
      ...(body.at ? { at: isoTime(body.at, 'at') } : {}), ...(body.talk ? { talk: { at: isoTime(body.talk.at, 'talk.at'), ...(body.talk.place ? { place: body.talk.place } : {}) } } : {}),
    };
    const recipient = await guard(() => markRecipient(deps.store, name, ref, step, c.get('caller').user.name));
    await recordAction(deps, c, 'campaign.mark', `${name}/${ref}`, { ...step });
    return c.json({ recipient: apiRecipient(recipient, name) }, 200);
  });

  app.openapi(lettersRoute, async (c) => {
    const { name } = c.req.valid('param');
    const campaign = await requireCampaign(c, name);
    if (!deps.campaignDirectory) throw new ApiError(409, 'conflict', 'this server has no campaign folder configured');
    const body = c.req.valid('json');
    const language = languageOf(body.language, campaign);
    const { template, name: templateName } = await guard(async () => chooseTemplate(campaign, 'letter', language));
    const { openLetterFolder, LetterFolderError } = await import('../../campaigns/letter-folder.ts');
    const { generateLetters } = await import('../../campaigns/letters.ts');
    // campaign names are letters, digits, dots, dashes and underscores: a folder name as they are
    const base = stamp(deps.now());
    let run = base;
    let folder;
    for (let n = 2; !folder; n++) {
      try {
        folder = await openLetterFolder(join(deps.campaignDirectory, name, run));
      } catch (error) {
        // two runs in one second: the next free folder
        if (!(error instanceof LetterFolderError) || n > 20) throw error;
        run = `${base}-${n}`;
      }
    }
    try {
      const result = await guard(() => generateLetters({
        store: deps.store, campaign, template, templateName, language, date: body.date === undefined ? deps.now().toISOString().slice(0, 10) : guardDay(body.date),
        sink: folder, actor: c.get('caller').user.name, ...(body.status ? { statuses: [body.status] } : {}),
      }));
      await recordAction(deps, c, 'campaign.letters', name, { run, letters: result.letters.length, template: templateName, language });
      return c.json({ run, ...result, defaultLegalText: campaign.settings.legalText === undefined, manifest: 'MANIFEST.sha256', download: `/api/v1/campaigns/${encodeURIComponent(name)}/letters/${run}/` }, 200);
    } catch (error) {
      await folder.abandon();
      throw error;
    }
  });

  app.openapi(letterFileRoute, async (c) => {
    const { name, run, file } = c.req.valid('param');
    await requireCampaign(c, name);
    if (!deps.campaignDirectory) throw new ApiError(404, 'not_found', 'no letters');
    const root = resolve(deps.campaignDirectory, name, run);
    const path = resolve(root, file);
    if (!path.startsWith(`${root}/`)) throw new ApiError(404, 'not_found', 'no such file');
    const bytes = await readFile(path).catch(() => {
      throw new ApiError(404, 'not_found', 'no such file');
    });
    await recordAction(deps, c, 'campaign.download', name, { run, file, bytes: bytes.length });
    const type = file.endsWith('.pdf') ? 'application/pdf' : file.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'text/plain; charset=utf-8';
    return c.body(new Uint8Array(bytes), 200, { 'Content-Type': type, 'Content-Disposition': `attachment; filename="${file}"` });
  });

  app.openapi(sendRoute, async (c) => {
    const { name } = c.req.valid('param');
    const campaign = await requireCampaign(c, name);
    const body = c.req.valid('json');
    const language = languageOf(body.language, campaign);
    const { template, name: templateName } = await guard(async () => chooseTemplate(campaign, 'email', language));
    const date = body.date === undefined ? deps.now().toISOString().slice(0, 10) : guardDay(body.date);
    const references = body.references?.map(requireReference);
    const { planEmails, sendCampaignEmails } = await import('../../campaigns/send.ts');
    const from = deps.mailFrom ?? 'no-reply@lode.invalid';
    const plan = await guard(() => planEmails({ store: deps.store, campaign, template, language, date, from, references, resendUncertain: body.resendUncertain }));
    if (body.dryRun) {
      await recordAction(deps, c, 'campaign.send-dry-run', name, { messages: plan.messages.length });
      return c.json({ dryRun: true, defaultLegalText: campaign.settings.legalText === undefined, ...plan }, 200);
    }
    if (!deps.mailer) throw new ApiError(409, 'conflict', 'this server has no mail server: start it with --smtp URL --mail-from ADDR, or send with `lode campaign send`');
    if (jobs.get(name) && !jobs.get(name)!.finishedAt) throw new ApiError(409, 'conflict', `the e-mails of ${name} are being sent already`);
    const job: SendJob = { startedAt: deps.now().toISOString(), by: c.get('caller').user.name, sent: 0, bounced: 0, retried: 0, failed: 0, planned: plan.messages.length };
    jobs.set(name, job);
    const { readLetter } = await import('../../campaigns/letter-folder.ts');
    const actor = c.get('caller').user.name;
    await recordAction(deps, c, 'campaign.send', name, { planned: plan.messages.length, template: templateName, server: deps.mailer.description });
    void sendCampaignEmails({
      store: deps.store, campaign, mailer: deps.mailer, from, template, templateName, language, date, ratePerMinute: body.ratePerMinute, maxAttempts: 4, actor,
      resendUncertain: body.resendUncertain, ...(references ? { references } : {}), ...(body.attachLetter ? { attachment: readLetter } : {}),
      onProgress: (event) => {
        if (event.outcome === 'sent') job.sent += 1;
        else if (event.outcome === 'bounced') job.bounced += 1;
        else if (event.outcome === 'retry') job.retried += 1;
        else job.failed += 1;
      },
    }).then(async (run) => {
      job.finishedAt = deps.now().toISOString();
      await deps.store.appendAudit({ actor, action: 'campaign.sent', target: name, details: { ...run } });
    }, (error: unknown) => {
      job.finishedAt = deps.now().toISOString();
      job.error = (error as Error).message;
      deps.log(`campaign ${name}: sending stopped: ${job.error}`);
    });
    return c.json({ started: true, planned: plan.messages.length, skipped: plan.skipped }, 202);
  });

  return app;
}

/** Domain errors of the officer's input become 400s with their own words. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CampaignInputError || error instanceof TemplateError || error instanceof CampaignSettingsError || error instanceof TrackingError) {
      throw new ApiError(400, 'bad_request', error.message);
    }
    throw error;
  }
}

function settingsFrom(body: z.infer<typeof SettingsSchema>, base: CampaignSettings): CampaignSettings {
  const settings: CampaignSettings = { ...base };
  if (body.site === null) delete settings.site;
  else if (body.site !== undefined) settings.site = body.site;
  if (body.sender === null) delete settings.sender;
  else if (body.sender !== undefined) settings.sender = parseSender(body.sender, 'sender');
  if (body.legalText !== undefined) {
    if (body.legalText === null) delete settings.legalText;
    else settings.legalText = body.legalText.trim();
  }
  for (const field of ['letterTemplate', 'emailTemplate'] as const) {
    const given = body[field];
    if (given === undefined) continue;
    if (given === null) delete settings[field];
    else {
      parseTemplate(given.text, given.format, given.name);
      settings[field] = given;
    }
  }
  return settings;
}

function languageOf(given: string | undefined, campaign: Campaign): LetterLanguage {
  const language = given ?? campaign.language;
  return isLanguage(language) ? language : 'en';
}

function requireReference(value: string): string {
  const reference = normaliseReference(value);
  if (!reference) throw new ApiError(404, 'not_found', `no recipient ${value}`);
  return reference;
}

function isoTime(value: string, field: string): string {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new ApiError(400, 'bad_request', `${field} must be an ISO 8601 time`);
  return new Date(ms).toISOString();
}

function guardDay(value: string): string {
  try {
    return checkDay(value, 'date');
  } catch (error) {
    throw new ApiError(400, 'bad_request', (error as Error).message);
  }
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

