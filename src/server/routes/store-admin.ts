// What the store holds and what ingest left behind (like `lode status`, `lode quarantine` and
// `lode duplicates`), each limited to the caller's datasets. Store queries here take one dataset
// at a time, so a caller with several grants is answered dataset by dataset and the answers merged.
// The quarantine is for admins only: its excerpts are raw lines nobody could read, so nothing
// tells whether they are privileged or outside a warrant's scope (the CLI keeps it for the
// operator). Duplicates count and show only the copies the caller may see (viewerOf).
import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../router.ts';
import { type DuplicateGroup, groupDuplicates } from '../../ingest/duplicates.ts';
import type { QuarantineEntry } from '../../model/items.ts';
import type { AppEnv, ServerDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { evidenceScope, mayRead, viewerOf } from '../access.ts';
import { recordAction } from '../audit.ts';
import { requestedDatasets } from '../requested-datasets.ts';

const DatasetParam = z.string().min(1).max(200).optional().openapi({ description: 'only this dataset' });

// the same fields as GET /datasets, which names its schema DatasetSummary
const DatasetCountsSchema = z.object({
  name: z.string(), sources: z.number(), messages: z.number(), notes: z.number(), accounts: z.number(), contacts: z.number(),
  events: z.number(), exposures: z.number(), quarantined: z.number(), firstTs: z.string().optional(), lastTs: z.string().optional(),
});

const SourceSchema = z.object({
  id: z.number(), dataset: z.string(), path: z.string(), sha256: z.string(), sizeBytes: z.number(), format: z.string(),
  status: z.enum(['ingesting', 'complete']), records: z.number(), quarantined: z.number(),
  checkpoint: z.object({ line: z.number(), offset: z.number() }).openapi({ description: 'the last record a run committed (line 0: none yet)' }),
  startedAt: z.string(), finishedAt: z.string().optional(),
}).loose().openapi('Source');

const QuarantineEntrySchema = z.object({
  id: z.number(), dataset: z.string(), sourcePath: z.string(), sourceSha256: z.string(), line: z.number(), offset: z.number(), reason: z.string(), excerpt: z.string(),
}).openapi('QuarantineEntry');

const DuplicateGroupSchema = z.object({
  kind: z.enum(['exact', 'near']).openapi({ description: 'exact: the same body at the same time; near: the same words, a different writing or time' }),
  dataset: z.string(), sender: z.string(), excerpt: z.string(),
  items: z.array(z.object({ id: z.string(), ts: z.string().optional(), source: z.string(), line: z.number() })),
}).openapi('DuplicateGroup');

const statusRoute = createRoute({
  method: 'get', path: '/status', tags: ['store'], summary: 'The datasets the caller may see with their counts, and their sources (like `lode status --json`)',
  responses: {
    200: {
      description: 'the store',
      content: { 'application/json': { schema: z.object({ store: z.string().optional().openapi({ description: 'where the store is (admins only)' }), datasets: z.array(DatasetCountsSchema), sources: z.array(SourceSchema) }) } },
    },
    ...errorResponses(401, 403),
  },
});

const sourcesRoute = createRoute({
  method: 'get', path: '/sources', tags: ['store'], summary: 'The ingested files with their SHA-256, format, counts and status; unfinished ones show their checkpoint',
  request: { query: z.object({ dataset: DatasetParam }) },
  responses: { 200: { description: 'sources', content: { 'application/json': { schema: z.object({ sources: z.array(SourceSchema) }) } } }, ...errorResponses(400, 401, 403, 404) },
});

const quarantineRoute = createRoute({
  method: 'get', path: '/quarantine', tags: ['store'], summary: 'What ingest could not read: file, SHA-256, line, byte offset, reason, excerpt (like `lode quarantine --json`); admins only',
  description: 'Excerpts are raw lines that could not be read, so no legal scope or privilege screening applies to them: the route is open to admins only.',
  request: {
    query: z.object({
      dataset: DatasetParam, limit: z.coerce.number().int().min(1).max(1000).default(50), offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    }),
  },
  responses: {
    200: { description: 'quarantined records', content: { 'application/json': { schema: z.object({ total: z.number(), entries: z.array(QuarantineEntrySchema) }) } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

const duplicatesRoute = createRoute({
  method: 'get', path: '/duplicates', tags: ['store'], summary: 'Messages stored more than once under different ids: exact copies and near-duplicates (like `lode duplicates --json`)',
  request: { query: z.object({ dataset: DatasetParam, limit: z.coerce.number().int().min(1).max(10_000).default(50).openapi({ description: 'groups to list; the counts cover all' }) }) },
  responses: {
    200: {
      description: 'duplicate groups',
      content: { 'application/json': { schema: z.object({ total: z.number().openapi({ description: 'duplicate groups in all' }), exact: z.number(), near: z.number(), items: z.number().openapi({ description: 'messages in all groups' }), groups: z.array(DuplicateGroupSchema) }).openapi('Duplicates') } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export function storeAdminRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = newRouter();
  const scopeOf = (c: { get(key: 'caller'): AppEnv['Variables']['caller'] }) => evidenceScope(c.get('caller').user, c.get('caller').grants);

  app.openapi(statusRoute, async (c) => {
    const scope = scopeOf(c);
    const datasets = (await deps.store.summarise(viewerOf(c.get('caller').user))).filter((d) => mayRead(scope, d.name));
    const sources = (await deps.store.sources()).filter((s) => mayRead(scope, s.dataset));
    await recordAction(deps, c, 'status.view', undefined, { datasets: datasets.map((d) => d.name) });
    // the store's location says where the server keeps its files: for admins only
    return c.json({ ...(scope.kind === 'all' ? { store: deps.store.description } : {}), datasets, sources }, 200);
  });

  app.openapi(sourcesRoute, async (c) => {
    const scope = scopeOf(c);
    const { dataset } = c.req.valid('query');
    const datasets = await requestedDatasets(deps.store, scope, dataset);
    const sources = (await deps.store.sources()).filter((s) => datasets === undefined || datasets.includes(s.dataset));
    await recordAction(deps, c, 'sources.list', dataset, { sources: sources.length });
    return c.json({ sources }, 200);
  });

  app.openapi(quarantineRoute, async (c) => {
    const { dataset, limit, offset } = c.req.valid('query');
    const scope = scopeOf(c);
    if (c.get('caller').user.role !== 'admin') {
      await recordAction(deps, c, 'quarantine.list', dataset, { limit, offset, refused: 'admins only' });
      throw new ApiError(403, 'forbidden', 'quarantined records are raw lines that may hold privileged or out-of-scope text: open to admins only');
    }
    const datasets = await requestedDatasets(deps.store, scope, dataset);
    let total = 0;
    let entries: QuarantineEntry[] = [];
    if (datasets === undefined) ({ total, entries } = await deps.store.quarantine({ limit, offset }));
    else {
      // each dataset's first offset+limit, merged in the store's order (by entry): the page of the union
      for (const name of datasets) {
        const part = await deps.store.quarantine({ dataset: name, limit: offset + limit, offset: 0 });
        total += part.total;
        entries.push(...part.entries);
      }
      entries = entries.sort((a, b) => a.id - b.id).slice(offset, offset + limit);
    }
    await recordAction(deps, c, 'quarantine.list', dataset, { limit, offset, total });
    return c.json({ total, entries }, 200);
  });

  app.openapi(duplicatesRoute, async (c) => {
    const { dataset, limit } = c.req.valid('query');
    const datasets = await requestedDatasets(deps.store, scopeOf(c), dataset);
    // the store leaves out copies the caller may not see (privileged, outside the legal scope)
    const viewer = viewerOf(c.get('caller').user);
    // groups never span datasets, so grouping each dataset's candidates apart changes nothing
    const groups: DuplicateGroup[] = datasets === undefined
      ? groupDuplicates(await deps.store.duplicateCandidates(undefined, viewer))
      : (await Promise.all(datasets.map(async (d) => groupDuplicates(await deps.store.duplicateCandidates(d, viewer))))).flat();
    const counts = {
      total: groups.length,
      exact: groups.filter((g) => g.kind === 'exact').length,
      near: groups.filter((g) => g.kind === 'near').length,
      items: groups.reduce((sum, g) => sum + g.items.length, 0),
    };
    await recordAction(deps, c, 'duplicates.list', dataset, { limit, ...counts });
    return c.json({ ...counts, groups: groups.slice(0, limit) }, 200);
  });

  return app;
}
