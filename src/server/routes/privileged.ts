// Privilege review for privilege reviewers: the withheld messages of the datasets they are
// granted, and their release or destruction. Everyone else, admins included, gets a 403: the
// messages are withheld from all but reviewers. Every look and every decision is audited (the
// store logs decisions and purges itself, so a destruction is never unlogged).
import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../router.ts';
import type { AppEnv, ServerDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { requirePrivilegeReviewer } from '../access.ts';
import { recordAction } from '../audit.ts';

const WithheldSchema = z.object({
  id: z.string(), ref: z.string().optional(), kind: z.enum(['message', 'note']), dataset: z.string(), platform: z.string(),
  ts: z.string().optional(), from: z.string(), to: z.array(z.string()), body: z.string(),
  privilegedParties: z.array(z.object({ handle: z.string(), identifier: z.string(), label: z.string().optional() })),
}).loose().openapi('WithheldMessage');

const DecisionSchema = z.object({
  id: z.string(), dataset: z.string(), status: z.enum(['withheld', 'released', 'destroyed']), decidedBy: z.string(), decidedAt: z.string(), note: z.string().optional(),
}).openapi('PrivilegeDecision');

const reviewRoute = createRoute({
  method: 'get', path: '/privileged/review', tags: ['privilege'], summary: 'Withheld privileged messages awaiting a decision (privilege reviewers)',
  request: {
    query: z.object({
      dataset: z.string().min(1).max(200).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(50), offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    }),
  },
  responses: { 200: { description: 'withheld messages, newest first', content: { 'application/json': { schema: z.object({ total: z.number(), messages: z.array(WithheldSchema) }) } } }, ...errorResponses(400, 401, 403) },
});

const IdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });
const NoteBody = z.object({ note: z.string().max(2000).optional() });

const decideRoute = (action: 'release' | 'destroy') => createRoute({
  method: 'post', path: `/privileged/{id}/${action}`, tags: ['privilege'],
  summary: action === 'release' ? 'Release a privileged message: everyone with access sees it again' : 'Destroy a privileged message: its text is replaced by a tombstone, for good',
  request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: NoteBody } } } },
  responses: { 200: { description: 'the decision', content: { 'application/json': { schema: z.object({ decision: DecisionSchema }) } } }, ...errorResponses(400, 401, 403, 404, 409) },
});

const purgeRoute = createRoute({
  method: 'post', path: '/privileged/purge', tags: ['privilege'],
  summary: 'Erase destroyed messages\' words from the store file (index merge, VACUUM): slow on a big store (privilege reviewers)',
  responses: {
    200: {
      description: 'messages destroyed in all, and the store\'s size (file and WAL) before and after',
      content: { 'application/json': { schema: z.object({ destroyed: z.number(), bytesBefore: z.number(), bytesAfter: z.number() }) } },
    },
    ...errorResponses(401, 403),
  },
});

export function privilegedRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = newRouter();

  app.openapi(reviewRoute, async (c) => {
    const { user, grants } = c.get('caller');
    const datasets = requirePrivilegeReviewer(user, grants);
    const { dataset, limit, offset } = c.req.valid('query');
    const answer = await deps.store.withheldMessages({ dataset, datasets, limit, offset });
    await recordAction(deps, c, 'privilege.review', dataset, { limit, offset, total: answer.total, shown: answer.messages.map((m) => m.id) });
    return c.json(answer, 200);
  });

  for (const action of ['release', 'destroy'] as const) {
    app.openapi(decideRoute(action), async (c) => {
      const { user, grants } = c.get('caller');
      const datasets = requirePrivilegeReviewer(user, grants);
      const { id } = c.req.valid('param');
      // an empty body is a decision without a note
      const body = c.req.header('content-type')?.includes('application/json') ? c.req.valid('json') : {};
      const outcome = await deps.store.decidePrivilege(id, action === 'release' ? 'released' : 'destroyed', user.name, body.note, datasets);
      if (outcome.kind !== 'decided') {
        await recordAction(deps, c, `privilege.${action}.refused`, id, { reason: outcome.kind });
        if (outcome.kind === 'destroyed') throw new ApiError(409, 'conflict', `${id} was destroyed already`);
        if (outcome.kind === 'not-privileged') throw new ApiError(409, 'conflict', `${id} is not privileged: there is nothing to ${action}`);
        throw new ApiError(404, 'not_found', `no item with id "${id}"`);
      }
      return c.json({ decision: outcome.decision }, 200);
    });
  }

  // reviewers only, like destroy; the store appends the audit event. The rewrite holds the
  // store (and this process) for its duration: minutes on a big store.
  app.openapi(purgeRoute, async (c) => {
    const { user, grants } = c.get('caller');
    requirePrivilegeReviewer(user, grants);
    return c.json(await deps.store.purgeDestroyed(user.name), 200);
  });

  return app;
}
