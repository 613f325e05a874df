// What an operator does with the CLI on the server, for admins over the API: a dataset's legal
// scope (`lode scope`), privileged parties (`lode privileged add|list`), re-scoring and
// re-extraction (`lode triage --rescore`, `lode reindex --entities`) and ingesting an uploaded
// file (`lode ingest`). Every call is audited, refusals included where they say something.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Context } from 'hono';
import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { newRouter, jsonBody } from '../router.ts';
import type { AppEnv, ServerDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { requireAdmin } from '../access.ts';
import { recordAction } from '../audit.ts';
import { PRIVILEGED_KINDS } from '../../model/security.ts';
import { PRIVILEGED_IDENTIFIER_RULE, parsePrivilegedIdentifier } from '../../security/privileged-identifier.ts';
import { contextForLanguage, extractEntities } from '../../extract/entities/extract.ts';
import { EXTRACTOR_COMPONENT, EXTRACTOR_VERSION, type CountryCode } from '../../extract/entities/types.ts';
import { tokenize } from '../../extract/tokens.ts';
import { fingerprintOf } from '../../ingest/prepare.ts';
import { ingestReportJson } from '../../ingest/report-json.ts';
import { DEFAULT_REGION, ingest } from '../../ingest/pipeline.ts';
import { FORMATS } from '../../ingest/formats/registry.ts';
import { createMessageTriage } from '../../triage/message-triage.ts';
import { rescoreDataset, type RescoreOutcome } from '../../triage/rescore.ts';

export const INGEST_PATH = '/ingest';
/** The largest upload taken by default: a phone extraction or a site dump, not a whole disk image. */
export const INGEST_MAX_BODY_BYTES = 4 * 1024 ** 3;

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const FORMAT_NAMES = FORMATS.map((f) => f.name) as [string, ...string[]];

const DatasetName = z.string().trim().min(1).max(200);
const DatasetParams = z.object({ name: DatasetName.openapi({ param: { name: 'name', in: 'path' }, example: 'zuid' }) });

const IsoDate = z.string().max(40).refine((text) => !Number.isNaN(Date.parse(DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text)), {
  message: 'takes a date such as 2020-04-01 or a time such as 2020-04-01T12:00:00Z',
});

const LegalScopeSchema = z.object({
  dataset: z.string(), handles: z.array(z.string()).optional().openapi({ description: 'absent: every handle of the dataset' }),
  from: z.string().optional(), to: z.string().optional().openapi({ description: 'exclusive' }),
  warrant: z.string(), setBy: z.string(), setAt: z.string(),
}).openapi('LegalScope');

const NewScopeSchema = z.object({
  warrant: z.string().trim().min(1).max(200).openapi({ description: 'the warrant\'s reference: a scope without its warrant cannot be checked', example: 'RC-2020-118' }),
  handles: z.array(z.string().trim().min(1).max(200)).min(1).max(10_000).optional().openapi({ description: 'the handles the warrant names (phone handles match in any writing)' }),
  from: IsoDate.optional().openapi({ description: 'first day or time of the window (UTC), inclusive', example: '2020-04-01' }),
  to: IsoDate.optional().openapi({ description: 'last day of the window (a date: through the end of that day, UTC), or the time it ends (exclusive)', example: '2020-04-30' }),
}).openapi('NewLegalScope');

const PrivilegedIdentifierSchema = z.object({
  id: z.number(), kind: z.enum(PRIVILEGED_KINDS), value: z.string(), label: z.string().optional(), addedBy: z.string(), addedAt: z.string(),
  accounts: z.number().openapi({ description: 'accounts in the store that are this identifier' }),
}).openapi('PrivilegedIdentifier');

const NewPrivilegedSchema = z.object({
  identifier: z.string().trim().min(3).max(500).openapi({ description: PRIVILEGED_IDENTIFIER_RULE, example: 'phone:+31611111111' }),
  label: z.string().trim().min(1).max(200).optional().openapi({ description: 'who the identifier belongs to', example: 'mr. De Vries (counsel)' }),
}).openapi('NewPrivilegedIdentifier');

const OptionalDatasetBody = z.object({ dataset: DatasetName.optional().openapi({ description: 'only this dataset (default: all)' }) });
const ReindexBody = OptionalDatasetBody.extend({
  region: z.string().regex(/^[A-Za-z]{2}$/, 'a two-letter country code such as NL').optional().openapi({ description: 'country for national phone numbers (default NL)' }),
});

const IngestSourceSchema = z.object({
  path: z.string(), sha256: z.string().nullable(), format: z.string().nullable(), records: z.number(), quarantined: z.number(),
  status: z.enum(['ingested', 'resumed', 'already-ingested', 'interrupted', 'refused', 'skipped']), reason: z.string().optional(),
});

const IngestResultSchema = z.object({
  dataset: z.string(), upload: z.object({ filename: z.string(), sha256: z.string(), sizeBytes: z.number() }),
  sources: z.array(IngestSourceSchema), messages: z.number(), notes: z.number(), accounts: z.number(), contacts: z.number(), events: z.number(),
  exposures: z.number(), mentions: z.number(), alerts: z.number(), watchlist_alerts: z.number(), quarantined: z.number(), duplicates: z.number(), interrupted: z.boolean(),
}).openapi('IngestResult');

const json = <T>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });

const scopeShowRoute = createRoute({
  method: 'get', path: '/datasets/{name}/scope', tags: ['operations'], summary: 'A dataset\'s legal scope, or null (admins; like `lode scope show --json`)',
  request: { params: DatasetParams },
  responses: { 200: json('the scope; null when every message is in it', z.object({ dataset: z.string(), scope: LegalScopeSchema.nullable() })), ...errorResponses(400, 401, 403, 404) },
});

const scopeSetRoute = createRoute({
  method: 'put', path: '/datasets/{name}/scope', tags: ['operations'],
  summary: 'Sets (replaces) a dataset\'s legal scope: outside it nobody but admins sees a message (admins; like `lode scope set`)',
  request: { params: DatasetParams, body: jsonBody(NewScopeSchema) },
  responses: { 200: json('the scope set', z.object({ scope: LegalScopeSchema })), ...errorResponses(400, 401, 403, 404) },
});

const scopeClearRoute = createRoute({
  method: 'delete', path: '/datasets/{name}/scope', tags: ['operations'], summary: 'Clears a dataset\'s legal scope (admins; like `lode scope clear`)',
  request: { params: DatasetParams },
  responses: { 200: json('whether there was a scope', z.object({ dataset: z.string(), cleared: z.boolean() })), ...errorResponses(400, 401, 403, 404) },
});

const privilegedListRoute = createRoute({
  method: 'get', path: '/privileged', tags: ['operations'], summary: 'The registered identifiers of privileged parties (admins; like `lode privileged list --json`)',
  responses: { 200: json('identifiers', z.object({ identifiers: z.array(PrivilegedIdentifierSchema) })), ...errorResponses(401, 403) },
});

const privilegedAddRoute = createRoute({
  method: 'post', path: '/privileged', tags: ['operations'],
  summary: 'Registers a privileged party\'s identifier: their messages are withheld from all but privilege reviewers (admins; like `lode privileged add`)',
  request: { body: jsonBody(NewPrivilegedSchema) },
  responses: {
    201: json('registered', z.object({ identifier: PrivilegedIdentifierSchema, added: z.literal(true) })),
    200: json('registered already', z.object({ identifier: PrivilegedIdentifierSchema, added: z.literal(false) })),
    ...errorResponses(400, 401, 403),
  },
});

const rescoreRoute = createRoute({
  method: 'post', path: '/triage/rescore', tags: ['operations'],
  summary: 'Scores stored messages again for threats and leaks, dataset by dataset (admins; like `lode triage --rescore --json`); slow on a big store',
  request: { body: jsonBody(OptionalDatasetBody) },
  responses: {
    200: json('per dataset: messages scored, findings, new alerts, untouched alerts withdrawn', z.object({
      toolrun: z.object({ component: z.string(), version: z.string() }).optional(),
      datasets: z.array(z.object({ dataset: z.string(), messages: z.number(), findings: z.number(), alerts: z.number(), removed: z.number() })),
    })),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const reindexRoute = createRoute({
  method: 'post', path: '/reindex', tags: ['operations'],
  summary: 'Runs the entity extractor over stored messages it has not seen yet (admins; like `lode reindex --entities --json`); slow on a big store',
  request: { body: jsonBody(ReindexBody) },
  responses: {
    200: json('messages read and entity mentions added', z.object({ messages: z.number(), mentions: z.number(), extractor: z.string(), seconds: z.number() })),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const ingestRoute = createRoute({
  method: 'post', path: INGEST_PATH, tags: ['operations'],
  summary: 'Ingests the uploaded file (the raw request body) into a dataset (admins; like `lode ingest --json`)',
  description: `The file is kept in the server's upload folder under its SHA-256, as evidence the sources point to. Uploading the same file again adds nothing. At most ${INGEST_MAX_BODY_BYTES} bytes (413 beyond).`,
  request: {
    query: z.object({
      dataset: DatasetName.openapi({ description: 'dataset to ingest into (created when new)', example: 'zuid' }),
      format: z.enum(FORMAT_NAMES).optional().openapi({ description: 'skip detection and read the file as this format' }),
      filename: z.string().trim().min(1).max(255).optional().openapi({ description: 'the file\'s original name: kept, and its extension helps detection', example: 'chats.jsonl' }),
    }),
    body: { required: true, content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } },
  },
  responses: {
    200: json('what the run added, file by file (a file Lode cannot read is listed as refused, with the reason)', IngestResultSchema),
    413: json('the file is larger than the server takes', z.object({ error: z.object({ code: z.string(), message: z.string() }) })),
    ...errorResponses(400, 401, 403, 409),
  },
});

export function operationRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = newRouter();
  // ingest, re-scoring and re-extraction each write the whole store in long transactions: one at a time
  let running: string | undefined;
  async function exclusively<T>(what: string, work: () => Promise<T>): Promise<T> {
    if (running) throw new ApiError(409, 'conflict', `${running} is running; try again when it has finished`);
    running = what;
    try {
      return await work();
    } finally {
      running = undefined;
    }
  }
  async function requireDataset(name: string): Promise<void> {
    if (!(await deps.store.findDataset(name))) throw new ApiError(404, 'not_found', `no dataset "${name}"`);
  }

  app.openapi(scopeShowRoute, async (c) => {
    requireAdmin(c.get('caller').user);
    const { name } = c.req.valid('param');
    await requireDataset(name);
    const scope = (await deps.store.scopeOf(name)) ?? null;
    await recordAction(deps, c, 'scope.show', name, { scoped: scope !== null });
    return c.json({ dataset: name, scope }, 200);
  });

  app.openapi(scopeSetRoute, async (c) => {
    const caller = c.get('caller').user;
    requireAdmin(caller);
    const { name } = c.req.valid('param');
    const body = c.req.valid('json');
    const fromMs = body.from === undefined ? undefined : dateMs(body.from, false);
    const toMs = body.to === undefined ? undefined : dateMs(body.to, true);
    if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) throw new ApiError(400, 'bad_request', 'from must lie before to');
    if (body.handles === undefined && fromMs === undefined && toMs === undefined) throw new ApiError(400, 'bad_request', 'give handles, from or to: a scope limits something');
    const scope = await deps.store.setScope(name, {
      warrant: body.warrant, ...(body.handles ? { handles: body.handles } : {}), ...(fromMs === undefined ? {} : { fromMs }), ...(toMs === undefined ? {} : { toMs }),
    }, caller.name);
    await recordAction(deps, c, 'scope.set', name, scope ? { ...scope } : { ...body, found: false });
    if (!scope) throw new ApiError(404, 'not_found', `no dataset "${name}"`);
    return c.json({ scope }, 200);
  });

  app.openapi(scopeClearRoute, async (c) => {
    requireAdmin(c.get('caller').user);
    const { name } = c.req.valid('param');
    await requireDataset(name);
    const cleared = await deps.store.clearScope(name);
    await recordAction(deps, c, 'scope.clear', name, { cleared });
    return c.json({ dataset: name, cleared }, 200);
  });

  app.openapi(privilegedListRoute, async (c) => {
    requireAdmin(c.get('caller').user);
    const identifiers = await deps.store.privilegedIdentifiers();
    await recordAction(deps, c, 'privileged.list', undefined, { identifiers: identifiers.length });
    return c.json({ identifiers }, 200);
  });

  app.openapi(privilegedAddRoute, async (c) => {
    const caller = c.get('caller').user;
    requireAdmin(caller);
    const { identifier, label } = c.req.valid('json');
    const parsed = parsePrivilegedIdentifier(identifier);
    if (!parsed) throw new ApiError(400, 'bad_request', `"${identifier}" is not ${PRIVILEGED_IDENTIFIER_RULE}`);
    const outcome = await deps.store.addPrivileged(parsed.kind, parsed.value, label, caller.name);
    if (outcome.kind === 'invalid') {
      await recordAction(deps, c, 'privileged.add.refused', identifier, { reason: outcome.reason });
      throw new ApiError(400, 'bad_request', outcome.reason);
    }
    await recordAction(deps, c, 'privileged.add', `${parsed.kind}:${outcome.identifier.value}`, { label, accounts: outcome.identifier.accounts, added: outcome.kind === 'added' });
    return outcome.kind === 'added'
      ? c.json({ identifier: outcome.identifier, added: true as const }, 201)
      : c.json({ identifier: outcome.identifier, added: false as const }, 200);
  });

  app.openapi(rescoreRoute, async (c) => {
    requireAdmin(c.get('caller').user);
    const { dataset: only } = c.req.valid('json');
    const answer = await exclusively('a re-score', async () => {
      const datasets = (await deps.store.summarise()).filter((d) => only === undefined || d.name === only);
      if (only !== undefined && datasets.length === 0) throw new ApiError(404, 'not_found', `no dataset "${only}"`);
      const results: RescoreOutcome[] = [];
      let toolrun: { component: string; version: string } | undefined;
      for (const d of datasets) {
        // a fresh scorer per dataset, as the CLI does: one dataset's threats give no context to another's messages
        const configured = await createMessageTriage();
        toolrun = configured.toolrun;
        results.push(await rescoreDataset(deps.store, d.name, configured.triage, configured.toolrun, undefined, c.req.raw.signal));
      }
      return { toolrun, datasets: results };
    });
    await recordAction(deps, c, 'triage.rescore', only, { toolrun: answer.toolrun, results: answer.datasets });
    return c.json(answer, 200);
  });

  app.openapi(reindexRoute, async (c) => {
    requireAdmin(c.get('caller').user);
    const { dataset, region: regionText } = c.req.valid('json');
    if (dataset !== undefined) await requireDataset(dataset);
    const region = (regionText?.toUpperCase() ?? DEFAULT_REGION) as CountryCode;
    const started = performance.now();
    const result = await exclusively('a reindex', () => deps.store.reindexEntities({
      ...(dataset === undefined ? {} : { dataset }),
      toolrun: { component: EXTRACTOR_COMPONENT, version: EXTRACTOR_VERSION },
      extract: (body, lang) => extractEntities(body, contextForLanguage(lang, region)),
      fingerprint: (body) => {
        const tokens = tokenize(body);
        return tokens.length > 0 ? fingerprintOf(tokens) : undefined;
      },
      signal: c.req.raw.signal,
    }));
    const answer = { ...result, extractor: `${EXTRACTOR_COMPONENT}@${EXTRACTOR_VERSION}`, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) };
    await recordAction(deps, c, 'reindex.entities', dataset, { ...answer, region });
    return c.json(answer, 200);
  });

  app.openapi(ingestRoute, async (c) => {
    requireAdmin(c.get('caller').user);
    const { dataset, format, filename } = c.req.valid('query');
    const directory = deps.uploadDirectory;
    if (!directory) throw new ApiError(409, 'conflict', 'this server takes no uploads (it was started without an upload folder); use lode ingest on the server');
    const name = safeFileName(filename);
    const answer = await exclusively('an ingest', async () => {
      const upload = await receiveUpload(c, directory, name, deps.uploadMaxBytes ?? INGEST_MAX_BODY_BYTES).catch(async (error: unknown) => {
        if (error instanceof ApiError) await recordAction(deps, c, 'ingest.upload.refused', dataset, { filename: name, reason: error.message });
        throw error;
      });
      const report = await ingest({
        store: deps.store, paths: [upload.path], dataset, ...(format === undefined ? {} : { format }),
        // unpacked archives are as sensitive as the upload: beside it, not in /tmp
        scratchDirectory: join(directory, '.scratch'),
      });
      return { ...ingestReportJson(report), upload: { filename: name, sha256: upload.sha256, sizeBytes: upload.sizeBytes } };
    });
    await recordAction(deps, c, 'ingest.upload', dataset, {
      ...answer.upload, format, sources: answer.sources.map((s) => ({ path: s.path, sha256: s.sha256, format: s.format, status: s.status, records: s.records })),
      messages: answer.messages, accounts: answer.accounts, duplicates: answer.duplicates, quarantined: answer.quarantined,
    });
    return c.json(answer, 200);
  });

  return app;
}

/** A scope bound as epoch ms; a date alone is midnight UTC, and as an end it includes that day (as `lode scope set`). */
function dateMs(text: string, isEnd: boolean): number {
  const isDay = DATE_ONLY.test(text);
  const ms = Date.parse(isDay ? `${text}T00:00:00Z` : text);
  return isDay && isEnd ? ms + DAY_MS : ms;
}

/** The name the upload is kept under: the given one's last component, nothing a shell or a path could misread. */
function safeFileName(given: string | undefined): string {
  const cleaned = basename((given ?? '').replaceAll('\\', '/')).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[.]+/, '').slice(-200);
  return cleaned === '' ? `upload${extname(given ?? '')}`.replace(/[^A-Za-z0-9._-]/g, '_') : cleaned;
}

/**
 * Streams the request body to `<directory>/<sha256>/<name>`, counting and hashing as it goes and
 * never holding more than a chunk. The same bytes uploaded twice end up in the same place.
 */
async function receiveUpload(c: Context<AppEnv>, directory: string, name: string, maxBytes: number): Promise<{ path: string; sha256: string; sizeBytes: number }> {
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const body = c.req.raw.body;
  if (!body) throw new ApiError(400, 'bad_request', 'the request body is the file to ingest; it was empty');
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const incoming = join(directory, `.incoming-${randomBytes(8).toString('hex')}`);
  const hash = createHash('sha256');
  let sizeBytes = 0;
  try {
    await pipeline(
      Readable.fromWeb(body as NodeReadableStream<Uint8Array>),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          sizeBytes += chunk.length;
          if (sizeBytes > maxBytes) throw tooLarge(maxBytes);
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(incoming, { flags: 'wx', mode: 0o600 }),
    );
  } catch (error) {
    await rm(incoming, { force: true });
    if (error instanceof ApiError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOSPC') throw new ApiError(503, 'unavailable', 'the server\'s disk is full');
    throw new ApiError(400, 'bad_request', `the upload did not complete: ${(error as Error).message}`);
  }
  if (sizeBytes === 0) {
    await rm(incoming, { force: true });
    throw new ApiError(400, 'bad_request', 'the request body is the file to ingest; it was empty');
  }
  const sha256 = hash.digest('hex');
  const folder = join(directory, sha256);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const path = join(folder, name);
  // the same bytes are there already: keep the first copy, which earlier sources point to
  if (await access(path).then(() => true, () => false)) await rm(incoming, { force: true });
  else await rename(incoming, path);
  return { path, sha256, sizeBytes };
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, 'payload_too_large', `an upload is limited to ${maxBytes} bytes`);
}
