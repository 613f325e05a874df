// The triage queue (like `lode alerts` and `lode alert`) and watchlists (like `lode watchlist`).
// Alerts are evidence: the store's query keeps to the caller's datasets, legal scope and
// privilege, and one the caller may not see is answered like one that does not exist.
import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { jsonBody, newRouter } from '../router.ts';
import { ALERT_KINDS, ALERT_STATUSES, OPEN_ALERT_STATUSES } from '../../model/triage.ts';
import type { AppEnv, ServerDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { allowedDatasets, evidenceScope, mayRead, viewerOf } from '../access.ts';
import { recordAction } from '../audit.ts';
import { parseQuery } from '../../search/parse.ts';
import { watchlistEntities } from '../../triage/watchlist-entry.ts';

const ReasonSchema = z.object({
  signal: z.string(), text: z.string(), start: z.number().int().optional(), end: z.number().int().optional(), weight: z.number(), item: z.string().optional(),
}).openapi('AlertReason');

export const AlertSchema = z.object({
  id: z.number().int(),
  kind: z.enum(ALERT_KINDS),
  score: z.number(),
  item: z.object({ id: z.string(), ref: z.string().optional(), dataset: z.string(), ts: z.string().optional(), from: z.string(), to: z.array(z.string()), body: z.string() }),
  reasons: z.array(ReasonSchema),
  category: z.string().optional(),
  watchlist: z.string().optional(),
  status: z.enum(ALERT_STATUSES),
  assignee: z.string().optional(),
  notes: z.array(z.object({ author: z.string(), at: z.string(), text: z.string() })),
  toolrun: z.object({ component: z.string(), version: z.string() }),
  createdAt: z.string(),
  updatedAt: z.string(),
}).openapi('Alert');

const IdParams = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).openapi({ param: { name: 'id', in: 'path' }, example: 3 }) });

const listRoute = createRoute({
  method: 'get', path: '/alerts', tags: ['triage'], summary: 'The alert queue, highest score first (like `lode alerts --json`)',
  request: {
    query: z.object({
      kind: z.enum(ALERT_KINDS).optional(),
      status: z.enum([...ALERT_STATUSES, 'open', 'all']).default('open').openapi({ description: 'open: new, acknowledged and escalated' }),
      dataset: z.string().min(1).max(200).optional(),
      assignee: z.string().min(1).max(100).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    }),
  },
  responses: {
    200: { description: 'alerts', content: { 'application/json': { schema: z.object({ total: z.number(), alerts: z.array(AlertSchema) }) } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

const showRoute = createRoute({
  method: 'get', path: '/alerts/{id}', tags: ['triage'], summary: 'One alert with its reasons and notes (like `lode alert ID --json`)',
  request: { params: IdParams },
  responses: { 200: { description: 'the alert', content: { 'application/json': { schema: AlertSchema } } }, ...errorResponses(400, 401, 403, 404) },
});

const updateRoute = createRoute({
  method: 'patch', path: '/alerts/{id}', tags: ['triage'], summary: 'Acknowledge, escalate, dismiss or reopen an alert, assign it, add a note (like `lode alert ID ...`)',
  request: {
    params: IdParams,
    body: jsonBody(z.object({
      status: z.enum(ALERT_STATUSES).optional(),
      assignee: z.string().min(1).max(100).nullable().optional().openapi({ description: 'a user name; null takes the assignment away' }),
      note: z.string().min(1).max(4000).optional(),
    }).strict().openapi('AlertChange')),
  },
  responses: { 200: { description: 'the alert after the change', content: { 'application/json': { schema: AlertSchema } } }, ...errorResponses(400, 401, 403, 404) },
});

const WatchlistSchema = z.object({
  id: z.number().int(), name: z.string(), query: z.string().optional(), entities: z.record(z.string(), z.array(z.string())).optional(),
  dataset: z.string().optional(), priority: z.number(), createdBy: z.string(), createdAt: z.string(), alerts: z.number(),
}).openapi('Watchlist');

const watchlistsRoute = createRoute({
  method: 'get', path: '/watchlists', tags: ['triage'], summary: 'Watchlists: saved queries and entity lists that run on every new batch (like `lode watchlist list --json`)',
  responses: { 200: { description: 'watchlists', content: { 'application/json': { schema: z.object({ watchlists: z.array(WatchlistSchema) }) } } }, ...errorResponses(401, 403) },
});

const addWatchlistRoute = createRoute({
  method: 'post', path: '/watchlists', tags: ['triage'], summary: 'Adds a watchlist (like `lode watchlist add`)',
  request: {
    body: jsonBody(z.object({
      name: z.string().regex(/^[\p{L}\p{N}][\p{L}\p{N}._ -]{0,79}$/u),
      query: z.string().min(1).max(4000).optional(),
      entries: z.array(z.string().min(1).max(300)).max(10_000).optional().openapi({ description: 'identifiers and handles, as in a --entities file' }),
      dataset: z.string().min(1).max(200).optional(),
      priority: z.number().min(0).max(1).default(0.7),
      backfill: z.boolean().default(false),
    }).strict().openapi('NewWatchlist')),
  },
  responses: {
    201: { description: 'the watchlist', content: { 'application/json': { schema: z.object({ watchlist: WatchlistSchema, backfilled: z.number().optional() }) } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const removeWatchlistRoute = createRoute({
  method: 'delete', path: '/watchlists/{name}', tags: ['triage'], summary: 'Removes a watchlist; its alerts stay (like `lode watchlist remove`)',
  request: { params: z.object({ name: z.string().min(1).max(100).openapi({ param: { name: 'name', in: 'path' } }) }) },
  responses: { 200: { description: 'removed', content: { 'application/json': { schema: z.object({ removed: z.string() }) } } }, ...errorResponses(401, 403, 404) },
});

export function alertRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = newRouter();

  app.openapi(listRoute, async (c) => {
    const caller = c.get('caller');
    const scope = evidenceScope(caller.user, caller.grants);
    const { kind, status, dataset, assignee, limit, offset } = c.req.valid('query');
    if (dataset !== undefined && !mayRead(scope, dataset)) throw new ApiError(404, 'not_found', `no dataset "${dataset}"`);
    const result = await deps.store.alerts({
      kind, status: status === 'open' ? OPEN_ALERT_STATUSES : status === 'all' ? undefined : status, dataset, assignee,
      datasets: allowedDatasets(scope), viewer: viewerOf(caller.user), limit, offset,
    });
    await recordAction(deps, c, 'alerts.view', dataset, { kind, status, total: result.total, shown: result.alerts.map((a) => a.id) });
    return c.json(result, 200);
  });

  app.openapi(showRoute, async (c) => {
    const caller = c.get('caller');
    const scope = evidenceScope(caller.user, caller.grants);
    const { id } = c.req.valid('param');
    const found = await deps.store.alert(id, viewerOf(caller.user), allowedDatasets(scope));
    await recordAction(deps, c, 'alert.view', String(id), found ? { item: found.item.id } : { found: false });
    if (!found) throw new ApiError(404, 'not_found', `no alert #${id}`);
    return c.json(found, 200);
  });

  app.openapi(updateRoute, async (c) => {
    const caller = c.get('caller');
    const scope = evidenceScope(caller.user, caller.grants);
    const { id } = c.req.valid('param');
    const change = c.req.valid('json');
    if (change.status === undefined && change.assignee === undefined && change.note === undefined) throw new ApiError(400, 'bad_request', 'give a status, an assignee or a note');
    // checked first: an alert the caller cannot see is not changed, and answered like a missing one
    if (!(await deps.store.alert(id, viewerOf(caller.user), allowedDatasets(scope)))) {
      await recordAction(deps, c, 'alert.update', String(id), { found: false });
      throw new ApiError(404, 'not_found', `no alert #${id}`);
    }
    if (typeof change.assignee === 'string' && !(await deps.store.findUser(change.assignee))) throw new ApiError(400, 'bad_request', `no user "${change.assignee}"`);
    const updated = await deps.store.updateAlert(id, change, caller.user.name, viewerOf(caller.user));
    await recordAction(deps, c, 'alert.update', String(id), { ...change });
    return c.json(updated!, 200);
  });

  app.openapi(watchlistsRoute, async (c) => {
    const caller = c.get('caller');
    const scope = evidenceScope(caller.user, caller.grants);
    // a watchlist on a dataset the caller cannot read would tell what is watched there
    const lists = (await deps.store.watchlists()).filter((w) => w.dataset === undefined || mayRead(scope, w.dataset));
    return c.json({ watchlists: lists }, 200);
  });

  app.openapi(addWatchlistRoute, async (c) => {
    const caller = c.get('caller');
    const scope = evidenceScope(caller.user, caller.grants);
    const body = c.req.valid('json');
    if (body.query === undefined && body.entries === undefined) throw new ApiError(400, 'bad_request', 'a watchlist needs a query and/or entries');
    // an analyst's watchlist watches their datasets only: one over all data would alert on the rest
    const dataset = body.dataset ?? (scope.kind === 'datasets' && scope.datasets.length === 1 ? scope.datasets[0] : undefined);
    if (scope.kind === 'datasets' && dataset === undefined) throw new ApiError(400, 'bad_request', 'name the dataset the watchlist watches');
    if (dataset !== undefined && (!mayRead(scope, dataset) || !(await deps.store.findDataset(dataset)))) throw new ApiError(404, 'not_found', `no dataset "${dataset}"`);
    if (body.query !== undefined) parseQuery(body.query);
    let entities: Record<string, string[]> | undefined;
    if (body.entries !== undefined) {
      const parsed = watchlistEntities(body.entries);
      if (parsed.invalid.length > 0) throw new ApiError(400, 'bad_request', `not valid: ${parsed.invalid.slice(0, 5).join(', ')}`);
      entities = parsed.entities;
    }
    const created = await deps.store.addWatchlist({ name: body.name, query: body.query, entities, dataset, priority: body.priority, createdBy: caller.user.name });
    if (!created) throw new ApiError(409, 'conflict', `a watchlist called ${body.name} exists already`);
    const backfill = body.backfill ? await deps.store.runWatchlists(parseQuery, body.name) : undefined;
    await recordAction(deps, c, 'watchlist.add', body.name, { query: body.query, entities, dataset, priority: body.priority, backfilled: backfill?.raised });
    return c.json({ watchlist: created, ...(backfill ? { backfilled: backfill.raised } : {}) }, 201);
  });

  app.openapi(removeWatchlistRoute, async (c) => {
    const caller = c.get('caller');
    const scope = evidenceScope(caller.user, caller.grants);
    const { name } = c.req.valid('param');
    const found = (await deps.store.watchlists()).find((w) => w.name === name);
    const mayRemove = found !== undefined && (caller.user.role === 'admin' || (found.createdBy === caller.user.name && (found.dataset === undefined || mayRead(scope, found.dataset))));
    if (!found || !mayRemove) throw new ApiError(404, 'not_found', `no watchlist ${name} of yours`);
    await deps.store.removeWatchlist(name);
    await recordAction(deps, c, 'watchlist.remove', name);
    return c.json({ removed: name }, 200);
  });

  return app;
}
