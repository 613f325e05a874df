// The audit log for auditors and admins: reading it, and checking its hash chain (`lode audit
// verify`). Reading the log is itself logged: who watched the watchers.
import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../router.ts';
import type { AppEnv, ServerDeps } from '../context.ts';
import { errorResponses } from '../errors.ts';
import { requireAuditor } from '../access.ts';
import { recordAction } from '../audit.ts';

const AuditEventSchema = z.object({
  seq: z.number(), at: z.string(), actor: z.string(), action: z.string(), target: z.string().optional(),
  details: z.record(z.string(), z.unknown()), prevHash: z.string(), hash: z.string(),
}).openapi('AuditEvent');

const auditRoute = createRoute({
  method: 'get', path: '/audit', tags: ['audit'], summary: 'Audit events, newest first (auditors and admins)',
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(1000).default(100), offset: z.coerce.number().int().min(0).default(0),
      actor: z.string().min(1).max(200).optional(), action: z.string().min(1).max(100).optional(),
    }),
  },
  responses: { 200: { description: 'events', content: { 'application/json': { schema: z.object({ total: z.number(), events: z.array(AuditEventSchema) }) } } }, ...errorResponses(400, 401, 403) },
});

const verifyRoute = createRoute({
  method: 'get', path: '/audit/verify', tags: ['audit'], summary: 'Checks the hash chain of the audit log (like `lode audit verify`)',
  responses: {
    200: { description: 'the verdict', content: { 'application/json': { schema: z.object({ ok: z.boolean(), events: z.number(), firstBadSeq: z.number().optional(), reason: z.string().optional() }) } } },
    ...errorResponses(401, 403),
  },
});

export function auditRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = newRouter();

  app.openapi(auditRoute, async (c) => {
    requireAuditor(c.get('caller').user);
    const query = c.req.valid('query');
    const answer = await deps.store.auditEvents(query);
    await recordAction(deps, c, 'audit.view', undefined, { ...query, total: answer.total });
    return c.json(answer, 200);
  });

  app.openapi(verifyRoute, async (c) => {
    requireAuditor(c.get('caller').user);
    const verdict = await deps.store.verifyAudit();
    await recordAction(deps, c, 'audit.verify', undefined, { ok: verdict.ok, events: verdict.events });
    return c.json(verdict, 200);
  });

  return app;
}
