// The shortest chain of contacts between two accounts (like `lode path --json`), over the
// communication graph of the caller's datasets only: a chain through an unreadable dataset would
// tell who talks to whom there. Ties only messages hidden from the caller make (outside the legal
// scope, privileged) are left out, as search leaves out the messages.
import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../router.ts';
import { buildGraph } from '../../analyze/network/graph.ts';
import { shortestPath } from '../../analyze/network/shortest-path.ts';
import type { Viewer } from '../../model/security.ts';
import type { Store } from '../../store/store.ts';
import type { AppEnv, ServerDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { evidenceScope, viewerOf } from '../access.ts';
import { recordAction } from '../audit.ts';
import { parseDateParameter, requestedDatasets } from '../requested-datasets.ts';

const AccountParam = z.string().min(1).max(300).openapi({ description: 'a handle, or platform:handle when a handle is on several platforms', example: 'tapeworm' });

const PathSchema = z.object({
  from: z.string(), to: z.string(), found: z.boolean(),
  accounts: z.array(z.string()).optional(), hops: z.number().optional(), weight: z.number().optional(),
  steps: z.array(z.object({ from: z.string(), to: z.string(), messages: z.number(), sentForward: z.number(), sentBack: z.number(), weight: z.number() })).optional(),
}).openapi('AccountPath');

const pathRoute = createRoute({
  method: 'get', path: '/path', tags: ['evidence'], summary: 'The shortest chain of contacts between two accounts: fewest hops, then the heaviest ties (like `lode path --json`)',
  request: {
    query: z.object({
      a: AccountParam, b: AccountParam,
      dataset: z.string().min(1).max(200).optional().openapi({ description: 'only this dataset' }),
      from: z.string().max(40).optional().openapi({ description: 'only messages from this date (ISO, inclusive)' }),
      to: z.string().max(40).optional().openapi({ description: 'only messages before this date (ISO, exclusive)' }),
    }),
  },
  responses: {
    200: { description: 'the chain, or found: false', content: { 'application/json': { schema: PathSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export function networkRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = newRouter();

  app.openapi(pathRoute, async (c) => {
    const scope = evidenceScope(c.get('caller').user, c.get('caller').grants);
    const { a, b, dataset, from, to } = c.req.valid('query');
    const fromMs = parseDateParameter('from', from);
    const toMs = parseDateParameter('to', to);
    const datasets = await requestedDatasets(deps.store, scope, dataset);
    const viewer = viewerOf(c.get('caller').user);
    let keys: [string, string];
    try {
      keys = [await accountKey(deps.store, a, datasets, viewer), await accountKey(deps.store, b, datasets, viewer)];
    } catch (error) {
      await recordAction(deps, c, 'path.view', `${a} ~ ${b}`, { dataset, from, to, refused: (error as Error).message });
      throw error;
    }
    const edges = datasets === undefined
      ? await deps.store.communicationEdges({ fromMs, toMs }, viewer)
      // buildGraph sums the same pair's messages over the datasets' edges
      : (await Promise.all(datasets.map((d) => deps.store.communicationEdges({ dataset: d, fromMs, toMs }, viewer)))).flat();
    const path = shortestPath(buildGraph(edges), keys[0], keys[1]);
    await recordAction(deps, c, 'path.view', `${a} ~ ${b}`, { dataset, from, to, found: path !== undefined, ...(path ? { accounts: path.accounts } : {}) });
    return c.json({ from: keys[0], to: keys[1], found: path !== undefined, ...(path ?? {}) }, 200);
  });

  return app;
}

/**
 * The graph's key (`platform:handle`) of an account in these datasets (undefined: all). A
 * privileged party's account is not found except by reviewers (Store.findAccounts).
 */
async function accountKey(store: Store, given: string, datasets: readonly string[] | undefined, viewer: Viewer): Promise<string> {
  const find = async (handle: string, platform?: string) => datasets === undefined
    ? store.findAccounts(handle, undefined, platform, viewer)
    : (await Promise.all(datasets.map((d) => store.findAccounts(handle, d, platform, viewer)))).flat();
  let found = await find(given);
  const colon = given.indexOf(':');
  if (found.length === 0 && colon > 0) found = await find(given.slice(colon + 1), given.slice(0, colon));
  const keys = [...new Set(found.map((f) => `${f.platform}:${f.handle}`))];
  if (keys.length === 0) throw new ApiError(404, 'not_found', `no account "${given}"`);
  if (keys.length > 1) throw new ApiError(409, 'ambiguous', `"${given}" is an account on several platforms: ${keys.join(', ')}; write platform:handle`);
  return keys[0]!;
}
