// Datasets, entities, account profiles and the communication graph, each limited to the
// caller's datasets. Store queries here take one dataset at a time, so a caller with several
// grants is answered dataset by dataset and the answers are merged; never an unrestricted query.
// Each also takes the caller as viewer (viewerOf), so counts, contacts and ties leave out
// messages outside the legal scope (non-admins) and privileged ones, as search does.
import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../router.ts';
import { ENTITY_TYPES } from '../../extract/entities/types.ts';
import { accountProfile, type ProfileAnswer } from '../../analyze/profile.ts';
import { AnalysisUnavailableError, analyseInWorker, type AnalysisAnswer } from '../../analyze/network/analyse-in-worker.ts';
import { tiesAmong } from '../../analyze/network/analysis-answer.ts';
import { createSlots, SlotsFullError } from '../slots.ts';
import type { CommunicationEdge, EntityCount } from '../../model/entities.ts';
import type { AppEnv, ServerDeps } from '../context.ts';
import { ApiError, ErrorSchema, errorResponses } from '../errors.ts';
import { type EvidenceScope, evidenceScope, mayRead, requireReadable, viewerOf } from '../access.ts';
import { recordAction } from '../audit.ts';

const DatasetParam = z.string().min(1).max(200).optional().openapi({ description: 'only this dataset' });

const DatasetSummarySchema = z.object({
  name: z.string(), sources: z.number(), messages: z.number(), notes: z.number(), accounts: z.number(), contacts: z.number(),
  events: z.number(), exposures: z.number(), quarantined: z.number(), firstTs: z.string().optional(), lastTs: z.string().optional(),
}).openapi('DatasetSummary');

const EntitySchema = z.object({ type: z.string(), value: z.string(), count: z.number(), dataset: z.string() }).openapi('Entity');

// The profile's nested parts (links with evidence, activity) are documented by `lode account --json`.
const ProfileSchema = z.object({
  dataset: z.string(), platform: z.string(), handle: z.string(), name: z.string().optional(),
  aliases: z.array(z.object({ alias: z.string(), count: z.number(), savedBy: z.array(z.string()) })),
  entities: z.array(z.object({ type: z.string(), value: z.string(), count: z.number() })),
  sent: z.number(), received: z.number(), firstSeen: z.string().optional(), lastSeen: z.string().optional(),
  contacts: z.array(z.object({ handle: z.string(), platform: z.string(), sent: z.number(), received: z.number() })),
}).loose().openapi('AccountProfile');

const MetricsSchema = z.object({
  account: z.string(), community: z.number(), degree: z.number(), messages: z.number(), sent: z.number(), received: z.number(),
  pagerank: z.number(), betweenness: z.number(), bridging: z.number(), score: z.number(),
}).loose();

const GraphSchema = z.object({
  producedBy: z.record(z.string(), z.unknown()).optional(),
  totals: z.object({ accounts: z.number(), ties: z.number(), messages: z.number(), communities: z.number(), modularity: z.number() }),
  took_ms: z.number(),
  keyPlayers: z.array(MetricsSchema),
  groups: z.array(z.object({ id: z.number(), size: z.number(), members: z.array(z.string()), internalTies: z.number(), internalMessages: z.number(), externalMessages: z.number() })),
  ties: z.array(z.object({ from: z.string(), to: z.string(), messages: z.number() })).openapi({ description: 'ties between the listed accounts, both directions summed, heaviest first (at most 20,000)' }),
}).openapi('Graph');

const datasetsRoute = createRoute({
  method: 'get', path: '/datasets', tags: ['evidence'], summary: 'The datasets the caller may see, with their counts',
  responses: { 200: { description: 'datasets', content: { 'application/json': { schema: z.object({ datasets: z.array(DatasetSummarySchema) }) } } }, ...errorResponses(401, 403) },
});

const entitiesRoute = createRoute({
  method: 'get', path: '/entities', tags: ['evidence'], summary: 'Entities with their mention counts (like `lode entities --json`)',
  request: {
    query: z.object({
      type: z.enum(ENTITY_TYPES).optional(), dataset: DatasetParam,
      limit: z.coerce.number().int().min(1).max(10_000).default(50), offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    }),
  },
  responses: { 200: { description: 'entities, most mentioned first', content: { 'application/json': { schema: z.object({ total: z.number(), entities: z.array(EntitySchema) }) } } }, ...errorResponses(400, 401, 403, 404) },
});

const accountRoute = createRoute({
  method: 'get', path: '/accounts/{handle}', tags: ['evidence'], summary: 'An account profile (like `lode account --json`)',
  request: {
    params: z.object({ handle: z.string().min(1).max(300).openapi({ param: { name: 'handle', in: 'path' }, example: 'tapeworm' }) }),
    query: z.object({ dataset: DatasetParam, platform: z.string().min(1).max(100).optional() }),
  },
  responses: {
    200: { description: 'the profile', content: { 'application/json': { schema: ProfileSchema } } },
    409: { description: 'the handle names several accounts: pick one with dataset or platform', content: { 'application/json': { schema: ErrorSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

const graphRoute = createRoute({
  method: 'get', path: '/graph', tags: ['evidence'], summary: 'Key players and groups of the communication network (like `lode graph --json`)',
  request: {
    query: z.object({
      dataset: DatasetParam,
      from: z.string().max(40).optional().openapi({ description: 'only messages from this date (ISO, inclusive)' }),
      to: z.string().max(40).optional().openapi({ description: 'only messages before this date (ISO, exclusive)' }),
      limit: z.coerce.number().int().min(1).max(1000).default(20),
    }),
  },
  responses: {
    200: { description: 'the network', content: { 'application/json': { schema: GraphSchema } } },
    503: { description: 'the analysis ran out of time or memory and was stopped (Retry-After); a dataset or a shorter period may do', content: { 'application/json': { schema: ErrorSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** Seconds a client should wait before asking again for an analysis that was stopped. */
const GRAPH_RETRY_AFTER_S = 60;
/** Network analyses at once per server (each a worker of up to 1 GiB), and how many may wait. */
const GRAPH_RUNNING = 2;
const GRAPH_WAITING = 8;

export function analysisRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = newRouter();
  const scopeOf = (c: { get(key: 'caller'): AppEnv['Variables']['caller'] }) => evidenceScope(c.get('caller').user, c.get('caller').grants);
  const analyses = createSlots(GRAPH_RUNNING, GRAPH_WAITING);

  /** The datasets a request covers: the one it names (checked), else every readable one (undefined: all). */
  async function datasetsFor(scope: EvidenceScope, dataset: string | undefined): Promise<readonly string[] | undefined> {
    if (dataset !== undefined) {
      requireReadable(scope, dataset, (await deps.store.findDataset(dataset)) !== undefined);
      return [dataset];
    }
    return scope.kind === 'all' ? undefined : scope.datasets;
  }

  app.openapi(datasetsRoute, async (c) => {
    const scope = scopeOf(c);
    const datasets = (await deps.store.summarise(viewerOf(c.get('caller').user))).filter((d) => mayRead(scope, d.name));
    await recordAction(deps, c, 'datasets.list', undefined, { datasets: datasets.map((d) => d.name) });
    return c.json({ datasets }, 200);
  });

  app.openapi(entitiesRoute, async (c) => {
    const { type, dataset, limit, offset } = c.req.valid('query');
    const datasets = await datasetsFor(scopeOf(c), dataset);
    const viewer = viewerOf(c.get('caller').user);
    let total = 0;
    let found: EntityCount[] = [];
    if (datasets === undefined) ({ total, entities: found } = await deps.store.entities({ type, limit, offset }, viewer));
    else {
      // each dataset's first offset+limit, merged by count: the page of the union
      for (const name of datasets) {
        const part = await deps.store.entities({ type, dataset: name, limit: offset + limit, offset: 0 }, viewer);
        total += part.total;
        found.push(...part.entities);
      }
      found = found.sort((a, b) => b.mentions - a.mentions || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)).slice(offset, offset + limit);
    }
    await recordAction(deps, c, 'entities.list', dataset, { type, limit, offset, total });
    return c.json({ total, entities: found.map((e) => ({ type: e.type, value: e.value, count: e.mentions, dataset: e.dataset })) }, 200);
  });

  app.openapi(accountRoute, async (c) => {
    const scope = scopeOf(c);
    const { handle } = c.req.valid('param');
    const { dataset, platform } = c.req.valid('query');
    const viewer = viewerOf(c.get('caller').user);
    let answer: ProfileAnswer;
    if (dataset !== undefined || scope.kind === 'all') {
      if (dataset !== undefined) requireReadable(scope, dataset, (await deps.store.findDataset(dataset)) !== undefined);
      answer = await accountProfile(deps.store, { handle, dataset, platform }, viewer);
    } else {
      // only the caller's datasets are asked, so an ambiguity never names a dataset they cannot see
      const holding: string[] = [];
      for (const name of scope.datasets) if ((await deps.store.findAccounts(handle, name, platform, viewer)).length > 0) holding.push(name);
      answer = holding.length === 1 ? await accountProfile(deps.store, { handle, dataset: holding[0], platform }, viewer)
        : holding.length === 0 ? { kind: 'unknown' }
        : { kind: 'ambiguous', candidates: (await Promise.all(holding.map((d) => deps.store.findAccounts(handle, d, platform, viewer)))).flat().map(({ dataset: d, platform: p, handle: h }) => ({ dataset: d, platform: p, handle: h })) };
    }
    await recordAction(deps, c, 'account.view', handle, { dataset, platform, answer: answer.kind });
    if (answer.kind === 'unknown') throw new ApiError(404, 'not_found', `no account "${handle}"`);
    if (answer.kind === 'ambiguous') {
      const places = answer.candidates.map((a) => `${a.dataset}/${a.platform}:${a.handle}`).join(', ');
      throw new ApiError(409, 'ambiguous', `"${handle}" is an account in several places (${places}); pick one with dataset or platform`);
    }
    return c.json(withinScope(answer.profile, scope), 200);
  });

  app.openapi(graphRoute, async (c) => {
    const { dataset, from, to, limit } = c.req.valid('query');
    const started = performance.now();
    const fromMs = parseDate('from', from);
    const toMs = parseDate('to', to);
    const datasets = await datasetsFor(scopeOf(c), dataset);
    const viewer = viewerOf(c.get('caller').user);
    const edges = datasets === undefined
      ? await deps.store.communicationEdges({ fromMs, toMs }, viewer)
      : mergeEdges((await Promise.all(datasets.map((d) => deps.store.communicationEdges({ dataset: d, fromMs, toMs }, viewer)))).flat());
    await recordAction(deps, c, 'graph.view', dataset, { from, to, edges: edges.length });
    if (edges.length === 0) {
      return c.json({ totals: { accounts: 0, ties: 0, messages: 0, communities: 0, modularity: 0 }, took_ms: 0, keyPlayers: [], groups: [], ties: [] }, 200);
    }
    // seconds of CPU at scale: in a worker thread, so the server keeps answering other requests
    const signal = c.req.raw.signal;
    let answer: AnalysisAnswer;
    try {
      answer = await analyses.run(() => analyseInWorker(edges, { limit, signal }));
    } catch (error) {
      if (error instanceof SlotsFullError) throw new ApiError(503, 'unavailable', `the server is busy with other network analyses (${error.message}); ask again shortly`, { 'retry-after': '10' });
      if (error instanceof AnalysisUnavailableError) throw new ApiError(503, 'unavailable', error.message, { 'retry-after': String(GRAPH_RETRY_AFTER_S) });
      if (signal.aborted) throw new ApiError(503, 'unavailable', 'the request was abandoned before the analysis ended');
      throw error;
    }
    const { producedBy, totals, keyPlayers, groups } = answer;
    return c.json({ producedBy, totals, took_ms: Math.round(performance.now() - started), keyPlayers, groups, ties: tiesAmong(answer, edges) }, 200);
  });

  return app;
}

/** Links and person groupings can reach into other datasets: only what the caller may read stays. */
function withinScope<P extends { links: { a: { dataset: string }; b: { dataset: string } }[]; person?: { id: number; name?: string; accounts: { dataset: string }[] } }>(profile: P, scope: EvidenceScope): P {
  if (scope.kind === 'all') return profile;
  const links = profile.links.filter((l) => mayRead(scope, l.a.dataset) && mayRead(scope, l.b.dataset));
  let person = profile.person;
  if (person) {
    const accounts = person.accounts.filter((a) => mayRead(scope, a.dataset));
    // a name drawn partly from unreadable accounts would tell what those hold
    person = accounts.length === person.accounts.length ? person : { id: person.id, accounts };
  }
  return { ...profile, links, person };
}

/** Edges of several datasets as one graph: the same pair of accounts sums its messages. */
function mergeEdges(edges: CommunicationEdge[]): CommunicationEdge[] {
  const merged = new Map<string, CommunicationEdge>();
  for (const e of edges) {
    const key = `${e.from}\n${e.to}`;
    const seen = merged.get(key);
    if (!seen) merged.set(key, { ...e });
    else {
      seen.messages += e.messages;
      if (e.firstMs !== undefined) seen.firstMs = Math.min(seen.firstMs ?? e.firstMs, e.firstMs);
      if (e.lastMs !== undefined) seen.lastMs = Math.max(seen.lastMs ?? e.lastMs, e.lastMs);
    }
  }
  return [...merged.values()];
}

function parseDate(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw new ApiError(400, 'bad_request', `${name} takes an ISO date such as 2020-04-01, got "${text}"`);
  return ms;
}
