// Search and single items, answering like `lode search --json` and `lode show --json`. The
// caller's datasets go into the store's query itself (StoredSearch.datasets).
import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../router.ts';
import { parseQuery } from '../../search/parse.ts';
import { searchStore } from '../../search/search.ts';
import type { AppEnv, ServerDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { allowedDatasets, evidenceScope, mayRead, viewerOf } from '../access.ts';
import { recordAction } from '../audit.ts';

const SearchQuerySchema = z.object({
  // the parser itself refuses long queries with the position, so the bound here only guards memory
  q: z.string().min(1).max(65_536).openapi({ description: 'query in the Lode query language (docs/QUERY.md)', example: 'kilo~1 AND haven' }),
  dataset: z.string().min(1).max(200).optional().openapi({ description: 'only this dataset' }),
  limit: z.coerce.number().int().min(1).max(1000).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  sort: z.enum(['newest', 'oldest', 'relevance']).default('newest'),
  facets: z.enum(['true', 'false']).default('true'),
  days: z.enum(['true', 'false']).default('false').openapi({ description: 'also count every hit per UTC day (exact, for a timeline)' }),
});

const HitSchema = z.object({
  id: z.string(), ref: z.string().optional(), dataset: z.string(), platform: z.string(), kind: z.enum(['message', 'note']),
  ts: z.string().optional(), from: z.string(), to: z.array(z.string()), body: z.string(),
  snippet: z.string().openapi({ description: 'HTML-safe: text escaped, matches in <mark>' }), score: z.number().optional(),
}).openapi('SearchHit');

const BucketsSchema = z.array(z.object({ value: z.string(), count: z.number() }));

const SearchResultSchema = z.object({
  total: z.number(), took_ms: z.number(), sort: z.enum(['newest', 'oldest', 'relevance']),
  notice: z.string().optional(),
  expansions: z.record(z.string(), z.array(z.string())).optional(),
  hits: z.array(HitSchema),
  facets: z.object({
    sampled: z.boolean(), sampleSize: z.number(),
    sender: BucketsSchema, dataset: BucketsSchema, platform: BucketsSchema, language: BucketsSchema, day: BucketsSchema,
  }).optional(),
  days: BucketsSchema.optional().openapi({ description: 'hits per UTC day over every hit, when days=true' }),
}).openapi('SearchResult');

const MessageSchema = z.object({
  id: z.string(), ref: z.string().optional(), kind: z.enum(['message', 'note']), dataset: z.string(), platform: z.string(),
  ts: z.string().optional(), from: z.string(), to: z.array(z.string()), group: z.string().optional(), body: z.string(),
  lang: z.string().optional(),
  attachments: z.array(z.object({ name: z.string().optional(), mime: z.string().optional(), sha256: z.string().optional() }).loose()),
  extra: z.record(z.string(), z.unknown()).optional(),
  provenance: z.object({ sourcePath: z.string(), sourceSha256: z.string(), line: z.number(), offset: z.number() }).loose(),
  entities: z.array(z.object({ type: z.string(), value: z.string(), start: z.number(), end: z.number() })).optional(),
}).openapi('Item');

const searchRoute = createRoute({
  method: 'get', path: '/search', tags: ['evidence'], summary: 'Search messages and notes (answers like `lode search --json`)',
  request: { query: SearchQuerySchema },
  responses: { 200: { description: 'hits, newest first unless sorted otherwise', content: { 'application/json': { schema: SearchResultSchema } } }, ...errorResponses(400, 401, 403) },
});

const itemRoute = createRoute({
  method: 'get', path: '/items/{id}', tags: ['evidence'], summary: 'One item with provenance and its conversation (like `lode show --json`)',
  request: {
    params: z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' }, example: 'm05e8468a0123456789abcdef01234' }) }),
    query: z.object({ context: z.coerce.number().int().min(0).max(500).default(5) }),
  },
  responses: { 200: { description: 'the item', content: { 'application/json': { schema: z.object({ item: MessageSchema, conversation: z.array(MessageSchema) }) } } }, ...errorResponses(400, 401, 403, 404) },
});

export function searchRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = newRouter();

  app.openapi(searchRoute, async (c) => {
    const scope = evidenceScope(c.get('caller').user, c.get('caller').grants);
    const { q, dataset, limit, offset, sort, facets, days } = c.req.valid('query');
    let ast;
    try {
      ast = parseQuery(q);
    } catch (error) {
      // refused queries are audited too: probing is part of what the log must show
      await recordAction(deps, c, 'search', q, { dataset, refused: (error as Error).message });
      throw error;
    }
    const viewer = viewerOf(c.get('caller').user);
    const result = await searchStore(deps.store, { ast, dataset, datasets: allowedDatasets(scope), viewer, limit, offset, sort, facets: facets === 'true', days: days === 'true' });
    await recordAction(deps, c, 'search', q, { dataset, limit, offset, sort, total: result.total, hits: result.hits.map((h) => h.id) });
    return c.json(result, 200);
  });

  app.openapi(itemRoute, async (c) => {
    const scope = evidenceScope(c.get('caller').user, c.get('caller').grants);
    const { id } = c.req.valid('param');
    const { context } = c.req.valid('query');
    const viewer = viewerOf(c.get('caller').user);
    const item = await deps.store.message(id, viewer);
    // an item outside the caller's datasets, legal scope or privilege is answered exactly like one that does not exist
    if (!item || !mayRead(scope, item.dataset)) {
      await recordAction(deps, c, 'item.view', id, { found: false });
      throw new ApiError(404, 'not_found', `no item with id "${id}"`);
    }
    const conversation = (await deps.store.conversationAround(id, context, context, viewer)).filter((m) => mayRead(scope, m.dataset));
    await recordAction(deps, c, 'item.view', id, { dataset: item.dataset });
    return c.json({ item, conversation }, 200);
  });

  return app;
}
