// Cases (like `lode case`): open, link evidence, annotate, export a court bundle. Access is per
// case: admins see all, analysts the cases they opened or are granted, investigators the cases
// they are granted; a case outside that is answered like one that does not exist. Evidence is
// added only from datasets the caller may read; a case's messages are shown as the caller's
// viewer sees them (legal scope, privilege).
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { jsonBody, newRouter } from '../router.ts';
import type { Context } from 'hono';
import { CASE_ITEM_KINDS, CASE_STATUSES } from '../../model/cases.ts';
import { caseContents } from '../../cases/bundle.ts';
import { CaseItemError, queryItems, resolveItem, wordListQuery, type ItemRef } from '../../cases/case-items.ts';
import { isCandidateSummary, openCase, OpenCaseError } from '../../cases/open-case.ts';
import { candidateView } from '../../analyze/discover-store.ts';
import { exportCase } from '../../cases/export/export-case.ts';
import type { AppEnv, ServerDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { allowedDatasets, caseScope, evidenceScope, mayRead, viewerOf } from '../access.ts';
import { recordAction } from '../audit.ts';

const NameParams = z.object({ name: z.string().min(1).max(100).openapi({ param: { name: 'name', in: 'path' }, example: 'op-tapeworm' }) });

const CaseSchema = z.object({
  id: z.number().int(), name: z.string(), title: z.string().optional(), description: z.string().optional(), status: z.enum(CASE_STATUSES),
  candidate: z.string().optional(), createdBy: z.string(), createdAt: z.string(),
}).openapi('Case');

const ExportedFileSchema = z.object({ path: z.string(), sha256: z.string(), bytes: z.number() }).openapi('ExportedFile');

const listRoute = createRoute({
  method: 'get', path: '/cases', tags: ['cases'], summary: 'The cases the caller may work on (like `lode case list --json`)',
  responses: { 200: { description: 'cases', content: { 'application/json': { schema: z.object({ cases: z.array(CaseSchema.extend({ items: z.number() })) }) } } }, ...errorResponses(401, 403) },
});

const createCaseRoute = createRoute({
  method: 'post', path: '/cases', tags: ['cases'], summary: 'Opens a case, empty or from a discovery candidate (like `lode case create`)',
  request: {
    body: jsonBody(z.object({
      name: z.string().min(1).max(100), title: z.string().max(300).optional(), description: z.string().max(4000).optional(),
      fromCandidate: z.string().min(4).max(100).optional(),
    }).strict().openapi('NewCase')),
  },
  responses: {
    201: { description: 'the case', content: { 'application/json': { schema: z.object({ case: CaseSchema, items: z.number() }) } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const showRoute = createRoute({
  method: 'get', path: '/cases/{name}', tags: ['cases'], summary: 'A case with its evidence, accounts, entities, persons, alerts, annotations, queries and timeline (like `lode case show --json`)',
  request: { params: NameParams },
  responses: { 200: { description: 'the case', content: { 'application/json': { schema: z.record(z.string(), z.unknown()).openapi('CaseContents') } } }, ...errorResponses(401, 403, 404) },
});

const addItemsRoute = createRoute({
  method: 'post', path: '/cases/{name}/items', tags: ['cases'], summary: 'Links evidence to a case: items, every hit of a query, or of a word list (like `lode case add`)',
  request: {
    params: NameParams,
    body: jsonBody(z.object({
      items: z.array(z.string().min(1).max(400)).max(5000).default([]).openapi({ description: 'message ids, account:…, entity:TYPE:VALUE, person:ID, alert:ID' }),
      query: z.string().min(1).max(4000).optional(),
      wordlist: z.array(z.string().max(300)).max(5000).optional(),
      dataset: z.string().min(1).max(200).optional(),
      tags: z.array(z.string().min(1).max(60)).max(20).default([]),
    }).strict().openapi('CaseItemsToAdd')),
  },
  responses: {
    200: { description: 'what was linked', content: { 'application/json': { schema: z.object({ linked: z.number(), added: z.number() }) } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

const annotateRoute = createRoute({
  method: 'post', path: '/cases/{name}/annotations', tags: ['cases'], summary: 'Adds a note or a translation by hand to a case or one of its items (like `lode case note`)',
  request: {
    params: NameParams,
    body: jsonBody(z.object({
      text: z.string().min(1).max(20_000), kind: z.enum(['note', 'translation']).default('note'),
      target: z.object({ kind: z.enum(CASE_ITEM_KINDS), ref: z.string().min(1).max(400) }).optional(),
    }).strict().openapi('NewAnnotation')),
  },
  responses: {
    201: { description: 'the annotation', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

const statusRoute = createRoute({
  method: 'post', path: '/cases/{name}/status', tags: ['cases'], summary: 'Closes or reopens a case',
  request: { params: NameParams, body: jsonBody(z.object({ status: z.enum(CASE_STATUSES) }).strict()) },
  responses: { 200: { description: 'done', content: { 'application/json': { schema: z.object({ case: z.string(), status: z.enum(CASE_STATUSES) }) } } }, ...errorResponses(400, 401, 403, 404) },
});

const exportRoute = createRoute({
  method: 'post', path: '/cases/{name}/export', tags: ['cases'],
  summary: 'Exports a court bundle (report.html, report.pdf, items.jsonl, queries.json, ftm.jsonl, MANIFEST.sha256) into the server\'s export folder (like `lode case export`)',
  request: { params: NameParams },
  responses: {
    200: {
      description: 'the files with their SHA-256',
      content: { 'application/json': { schema: z.object({ export: z.string(), files: z.array(ExportedFileSchema), manifestSha256: z.string(), withheld: z.number(), download: z.string() }) } },
    },
    ...errorResponses(401, 403, 404, 409),
  },
});

const downloadRoute = createRoute({
  method: 'get', path: '/cases/{name}/exports/{export}/{file}', tags: ['cases'], summary: 'One file of an export',
  request: {
    params: NameParams.extend({
      export: z.string().regex(/^\d{8}T\d{6}Z(-\d+)?$/).openapi({ param: { name: 'export', in: 'path' } }),
      file: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/).openapi({ param: { name: 'file', in: 'path' } }),
    }),
  },
  responses: { 200: { description: 'the file' }, ...errorResponses(400, 401, 403, 404) },
});

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8', pdf: 'application/pdf', jsonl: 'application/x-ndjson', json: 'application/json', sha256: 'text/plain; charset=utf-8',
};

export function caseRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = newRouter();

  /** The case if the caller may work on it; a 404 otherwise, as for a case that does not exist. */
  async function requireCase(c: Context<AppEnv>, name: string) {
    const caller = c.get('caller');
    const all = await deps.store.cases();
    const allowed = caseScope(caller.user, caller.grants, all);
    const found = all.find((x) => x.name === name);
    if (!found || (allowed !== undefined && !allowed.includes(name))) throw new ApiError(404, 'not_found', `no case "${name}"`);
    return found;
  }

  app.openapi(listRoute, async (c) => {
    const caller = c.get('caller');
    const all = await deps.store.cases();
    const allowed = caseScope(caller.user, caller.grants, all);
    return c.json({ cases: allowed === undefined ? all : all.filter((x) => allowed.includes(x.name)) }, 200);
  });

  app.openapi(createCaseRoute, async (c) => {
    const caller = c.get('caller');
    if (caller.user.role !== 'admin' && caller.user.role !== 'analyst') throw new ApiError(403, 'forbidden', 'cases are opened by analysts and admins');
    const scope = evidenceScope(caller.user, caller.grants);
    const body = c.req.valid('json');
    let candidate;
    if (body.fromCandidate !== undefined) {
      const view = candidateView(viewerOf(caller.user), caller.user.name);
      // an analyst's own run first (it saw what they may see), then one that saw everything, if their view is the same
      const found = [...(await deps.store.candidates(view, allowedDatasets(scope))), ...(view === 'all' ? [] : await shareableCandidates(deps, allowedDatasets(scope)))].find((x) => x.id === body.fromCandidate || x.id.startsWith(body.fromCandidate!));
      if (!found || !isCandidateSummary(found.candidate)) throw new ApiError(404, 'not_found', `no candidate "${body.fromCandidate}"`);
      candidate = found.candidate;
    }
    try {
      const opened = await openCase(deps.store, body.name, caller.user.name, { title: body.title, description: body.description, candidate });
      await recordAction(deps, c, 'case.create', body.name, { candidate: candidate?.id, items: opened.items });
      return c.json(opened, 201);
    } catch (error) {
      if (error instanceof OpenCaseError) throw new ApiError(error.message.includes('exists') ? 409 : 400, error.message.includes('exists') ? 'conflict' : 'bad_request', error.message);
      throw error;
    }
  });

  app.openapi(showRoute, async (c) => {
    const { name } = c.req.valid('param');
    await requireCase(c, name);
    const contents = await caseContents(deps.store, name, viewerOf(c.get('caller').user), c.get('caller').user.name, deps.now());
    await recordAction(deps, c, 'case.view', name, { messages: contents!.messages.length, withheld: contents!.withheld });
    return c.json(contents as unknown as Record<string, unknown>, 200);
  });

  app.openapi(addItemsRoute, async (c) => {
    const caller = c.get('caller');
    const { name } = c.req.valid('param');
    await requireCase(c, name);
    // evidence comes from the caller's datasets; an investigator, who has none, adds nothing new
    const scope = caller.user.role === 'investigator' ? { kind: 'datasets' as const, datasets: [] } : evidenceScope(caller.user, caller.grants);
    const datasets = allowedDatasets(scope);
    const viewer = viewerOf(caller.user);
    const body = c.req.valid('json');
    if (body.dataset !== undefined && !mayRead(scope, body.dataset)) throw new ApiError(404, 'not_found', `no dataset "${body.dataset}"`);
    const refs: ItemRef[] = [];
    const used: { kind: 'query' | 'wordlist'; text: string; hits: number }[] = [];
    try {
      for (const item of body.items) refs.push(await resolveItem(deps.store, item, viewer, datasets));
      if (body.query !== undefined) {
        const found = await queryItems(deps.store, body.query, body.dataset, viewer, datasets);
        refs.push(...found.refs);
        used.push({ kind: 'query', text: body.query, hits: found.total });
      }
      if (body.wordlist !== undefined) {
        const found = await queryItems(deps.store, wordListQuery(body.wordlist), body.dataset, viewer, datasets);
        refs.push(...found.refs);
        used.push({ kind: 'wordlist', text: body.wordlist.filter((w) => w.trim() !== '').join('\n'), hits: found.total });
      }
    } catch (error) {
      if (error instanceof CaseItemError) throw new ApiError(400, 'bad_request', error.message);
      throw error;
    }
    const added = await deps.store.addCaseItems(name, refs.map((r) => ({ ...r, tags: body.tags })), caller.user.name);
    for (const u of used) await deps.store.addCaseQuery(name, { kind: u.kind, text: u.text, dataset: body.dataset, hits: u.hits, addedBy: caller.user.name });
    await recordAction(deps, c, 'case.add', name, { linked: refs.length, added, queries: used.map((u) => u.text), tags: body.tags });
    return c.json({ linked: refs.length, added }, 200);
  });

  app.openapi(annotateRoute, async (c) => {
    const { name } = c.req.valid('param');
    await requireCase(c, name);
    const body = c.req.valid('json');
    if (body.kind === 'translation' && !body.target) throw new ApiError(400, 'bad_request', 'a translation needs the item it translates (target)');
    if (body.target && !(await deps.store.caseItems(name)).some((i) => i.kind === body.target!.kind && i.ref === body.target!.ref)) {
      throw new ApiError(400, 'bad_request', 'annotations are on the case or on one of its items; link the item first');
    }
    const annotation = await deps.store.addAnnotation(name, { kind: body.kind, text: body.text, author: c.get('caller').user.name, ...(body.target ? { target: body.target } : {}) });
    await recordAction(deps, c, 'case.annotate', name, { annotation: annotation?.id, kind: body.kind, target: body.target });
    return c.json(annotation as unknown as Record<string, unknown>, 201);
  });

  app.openapi(statusRoute, async (c) => {
    const { name } = c.req.valid('param');
    await requireCase(c, name);
    const { status } = c.req.valid('json');
    await deps.store.setCaseStatus(name, status);
    await recordAction(deps, c, 'case.status', name, { status });
    return c.json({ case: name, status }, 200);
  });

  app.openapi(exportRoute, async (c) => {
    const { name } = c.req.valid('param');
    await requireCase(c, name);
    if (!deps.exportDirectory) throw new ApiError(409, 'conflict', 'this server has no export folder configured');
    const user = c.get('caller').user;
    const contents = (await caseContents(deps.store, name, viewerOf(user), user.name, deps.now()))!;
    const stamp = contents.exportedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    let id = stamp;
    let exported;
    for (let n = 2; ; n++) {
      try {
        exported = await exportCase(contents, join(deps.exportDirectory, safeName(name), id));
        break;
      } catch (error) {
        // two exports in one second: the next free folder
        if (n > 20 || !/not empty|exists/i.test((error as Error).message)) throw error;
        id = `${stamp}-${n}`;
      }
    }
    await recordAction(deps, c, 'case.export', name, { export: id, manifestSha256: exported.manifestSha256, files: exported.files.length, messages: contents.messages.length, withheld: contents.withheld });
    return c.json({
      export: id, files: exported.files, manifestSha256: exported.manifestSha256, withheld: contents.withheld,
      download: `/api/v1/cases/${encodeURIComponent(name)}/exports/${id}/`,
    }, 200);
  });

  app.openapi(downloadRoute, async (c) => {
    const { name, export: id, file } = c.req.valid('param');
    await requireCase(c, name);
    if (!deps.exportDirectory) throw new ApiError(404, 'not_found', 'no exports');
    const root = resolve(deps.exportDirectory, safeName(name), id);
    const path = resolve(root, file);
    if (!path.startsWith(`${root}/`)) throw new ApiError(404, 'not_found', 'no such file');
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch {
      throw new ApiError(404, 'not_found', 'no such file');
    }
    await recordAction(deps, c, 'case.download', name, { export: id, file, bytes: bytes.length });
    const type = CONTENT_TYPES[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': type, 'Content-Disposition': `attachment; filename="${file}"`,
      // the report is evidence rendered as HTML: never run anything in it
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
    });
  });

  return app;
}

/**
 * Candidates of runs that saw the whole dataset are shared with analysts only for datasets
 * without a legal scope, while no privileged party is registered: then the analyst sees what the
 * run saw.
 */
export async function shareableCandidates(deps: ServerDeps, datasets: readonly string[] | undefined) {
  if ((await deps.store.privilegedIdentifiers()).length > 0) return [];
  const all = await deps.store.candidates('all', datasets);
  const scoped = new Set<string>();
  for (const d of new Set(all.map((c) => c.dataset))) if (await deps.store.scopeOf(d)) scoped.add(d);
  return all.filter((c) => !scoped.has(c.dataset));
}

/** A case name as a folder name (case names are letters, digits, dots, dashes, underscores). */
function safeName(name: string): string {
  return name.replace(/[^\p{L}\p{N}_-]/gu, '_');
}
