// Case discovery through the API (like `lode discover`): the stored candidates of the datasets
// the caller may read, and a new run over them.
import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { jsonBody, newRouter } from '../router.ts';
import type { CandidateCase } from '../../analyze/discover/discover.ts';
import { candidateView, discoverInStore } from '../../analyze/discover-store.ts';
import { shareableCandidates } from './cases.ts';
import type { AppEnv, ServerDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { allowedDatasets, evidenceScope, mayRead, viewerOf } from '../access.ts';
import { recordAction } from '../audit.ts';

const CandidateSchema = z.object({
  id: z.string(), dataset: z.string(), title: z.string(),
  topics: z.array(z.object({ topic: z.string(), count: z.number(), terms: z.array(z.string()) })),
  accounts: z.array(z.object({ handle: z.string(), messages: z.number() })),
  from: z.string(), to: z.string(), messages: z.number(), messageIds: z.array(z.string()),
  entities: z.array(z.object({ type: z.string(), value: z.string(), count: z.number() })),
  severity: z.number(), score: z.number(), reasons: z.array(z.string()),
  evidence: z.array(z.object({ id: z.string(), ts: z.string(), from: z.string(), to: z.array(z.string()), body: z.string() })),
}).openapi('CandidateCase');

const Answer = z.object({ total: z.number(), candidates: z.array(CandidateSchema) });

const listRoute = createRoute({
  method: 'get', path: '/discover', tags: ['cases'], summary: 'Candidate cases of the last discovery run, best first (like `lode discover --stored --json`)',
  request: { query: z.object({ dataset: z.string().min(1).max(200).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }) },
  responses: { 200: { description: 'candidates', content: { 'application/json': { schema: Answer } } }, ...errorResponses(400, 401, 403, 404) },
});

const runRoute = createRoute({
  method: 'post', path: '/discover', tags: ['cases'], summary: 'Runs case discovery over a dataset (like `lode discover --dataset D --json`)',
  request: { body: jsonBody(z.object({ dataset: z.string().min(1).max(200), limit: z.number().int().min(1).max(500).default(50) }).strict()) },
  responses: { 200: { description: 'candidates', content: { 'application/json': { schema: Answer } } }, ...errorResponses(400, 401, 403, 404) },
});

export function discoverRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = newRouter();

  app.openapi(listRoute, async (c) => {
    const caller = c.get('caller');
    const scope = evidenceScope(caller.user, caller.grants);
    const { dataset, limit } = c.req.valid('query');
    if (dataset !== undefined && !mayRead(scope, dataset)) throw new ApiError(404, 'not_found', `no dataset "${dataset}"`);
    const datasets = dataset !== undefined ? [dataset] : allowedDatasets(scope);
    const view = candidateView(viewerOf(caller.user), caller.user.name);
    const own = await deps.store.candidates(view, datasets);
    // a dataset the caller ran discovery on shows their run; others the shared one when it may be shared
    const ownDatasets = new Set(own.map((x) => x.dataset));
    const shared = view === 'all' ? [] : (await shareableCandidates(deps, datasets)).filter((x) => !ownDatasets.has(x.dataset));
    const stored = [...own, ...shared].map((x) => x.candidate as CandidateCase).sort((a, b) => b.score - a.score);
    await recordAction(deps, c, 'discover.view', dataset, { candidates: stored.length });
    return c.json({ total: stored.length, candidates: stored.slice(0, limit) }, 200);
  });

  app.openapi(runRoute, async (c) => {
    const caller = c.get('caller');
    const scope = evidenceScope(caller.user, caller.grants);
    const { dataset, limit } = c.req.valid('json');
    if (!mayRead(scope, dataset) || !(await deps.store.findDataset(dataset))) throw new ApiError(404, 'not_found', `no dataset "${dataset}"`);
    const viewer = viewerOf(caller.user);
    // what an analyst's run sees may be less than the dataset holds (scope, privilege): it is kept for them alone
    const [run] = await discoverInStore(deps.store, [dataset], { viewer, view: candidateView(viewer, caller.user.name) });
    await recordAction(deps, c, 'discover', dataset, { messages: run!.messages, candidates: run!.candidates.length });
    return c.json({ total: run!.candidates.length, candidates: run!.candidates.slice(0, limit) }, 200);
  });

  return app;
}
