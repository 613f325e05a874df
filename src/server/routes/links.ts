// Links between accounts that one person may hold (like `lode links` and `lode link
// confirm|reject`). A link is shown, and may be decided, only when the caller may read the
// datasets of both its accounts: a link into an unreadable dataset would tell what that holds.
// Links are stored once for all readers, so their evidence from messages (a disclosed number with
// an example message id) is gathered as LINK_EVIDENCE_READER sees the messages, whoever asks for
// the update: only within the legal scope and never from privileged messages (links-update.ts).
import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../router.ts';
import { personOfLink, updateLinks } from '../../analyze/links-update.ts';
import { LINK_KINDS, type AccountLink, type AccountRef, type LinkStatus } from '../../model/attribution.ts';
import type { Viewer } from '../../model/security.ts';
import type { Store } from '../../store/store.ts';
import type { AppEnv, ServerDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { type EvidenceScope, evidenceScope, mayRead, viewerOf } from '../access.ts';
import { recordAction } from '../audit.ts';

const STATUSES = ['proposed', 'confirmed', 'rejected'] as const satisfies readonly LinkStatus[];
// links are read from the store in pages of this many when they must be filtered by dataset

const AccountRefSchema = z.object({ dataset: z.string(), platform: z.string(), handle: z.string() }).openapi('AccountRef');

const LinkSchema = z.object({
  id: z.number().int(), a: AccountRefSchema, b: AccountRefSchema, kind: z.enum(LINK_KINDS), score: z.number(),
  evidence: z.array(z.object({ what: z.string(), value: z.string(), a: z.string(), b: z.string() })),
  status: z.enum(STATUSES), decidedBy: z.string().optional(), decidedAt: z.string().optional(), note: z.string().optional(),
}).openapi('AccountLink');

const PersonSchema = z.object({ id: z.number().int(), name: z.string().optional(), accounts: z.array(AccountRefSchema) }).openapi('Person');

const LinkIdParams = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).openapi({ param: { name: 'id', in: 'path' }, example: 12 }) });

const DecisionSchema = z.object({ note: z.string().max(2000).optional().openapi({ description: 'why (kept with the decision)' }) }).openapi('LinkDecision');

const listRoute = createRoute({
  method: 'get', path: '/links', tags: ['attribution'], summary: 'Links between accounts one person may hold, highest score first (like `lode links --json`)',
  request: {
    query: z.object({
      status: z.enum(STATUSES).optional(),
      account: z.string().min(1).max(300).optional().openapi({ description: 'only links of this handle' }),
      limit: z.coerce.number().int().min(1).max(1000).default(50),
      offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    }),
  },
  responses: {
    200: { description: 'links', content: { 'application/json': { schema: z.object({ total: z.number(), links: z.array(LinkSchema) }) } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const updateRoute = createRoute({
  method: 'post', path: '/links/update', tags: ['attribution'],
  summary: 'Gathers the link evidence of every dataset again and stores new or changed proposals (like `lode links --update`)',
  description: 'Links already confirmed or rejected keep their decision. `added` and `updated` count in all datasets for admins; for analysts `added` counts the new links they may see.',
  responses: {
    200: {
      description: 'what changed',
      content: { 'application/json': { schema: z.object({ added: z.number(), updated: z.number().optional(), total: z.number().openapi({ description: 'links the caller may see now' }) }) } },
    },
    ...errorResponses(401, 403),
  },
});

function decisionRoute(action: 'confirm' | 'reject') {
  return createRoute({
    method: 'post', path: `/links/{id}/${action}`, tags: ['attribution'],
    summary: action === 'confirm' ? 'Confirms a link: its accounts join one person (like `lode link confirm`)' : 'Rejects a link (like `lode link reject`)',
    request: { params: LinkIdParams, body: { required: false, content: { 'application/json': { schema: DecisionSchema } } } },
    responses: {
      200: { description: 'the decided link', content: { 'application/json': { schema: z.object({ link: LinkSchema, person: PersonSchema.optional() }) } } },
      ...errorResponses(400, 401, 403, 404),
    },
  });
}

export function linkRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = newRouter();
  const scopeOf = (c: { get(key: 'caller'): AppEnv['Variables']['caller'] }) => evidenceScope(c.get('caller').user, c.get('caller').grants);

  app.openapi(listRoute, async (c) => {
    const scope = scopeOf(c);
    const { status, account: handle, limit, offset } = c.req.valid('query');
    const account = handle === undefined ? undefined : await accountOf(deps.store, scope, handle, viewerOf(c.get('caller').user));
    const listed = await visibleLinks(deps.store, scope, { status, account, limit, offset });
    await recordAction(deps, c, 'links.list', handle, { status, limit, offset, total: listed.total, links: listed.links.map((l) => l.id) });
    return c.json(listed, 200);
  });

  app.openapi(updateRoute, async (c) => {
    const scope = scopeOf(c);
    const before = scope.kind === 'all' ? 0 : (await visibleLinks(deps.store, scope, { limit: 1, offset: 0 })).total;
    const saved = await updateLinks(deps.store);
    const total = (await visibleLinks(deps.store, scope, { limit: 1, offset: 0 })).total;
    await recordAction(deps, c, 'links.update', undefined, { added: saved.added, updated: saved.updated });
    return c.json(scope.kind === 'all' ? { added: saved.added, updated: saved.updated, total } : { added: Math.max(0, total - before), total }, 200);
  });

  for (const action of ['confirm', 'reject'] as const) {
    app.openapi(decisionRoute(action), async (c) => {
      const scope = scopeOf(c);
      const { id } = c.req.valid('param');
      // the body is optional: a bare POST decides without a note
      const { note } = c.req.valid('json');
      const status: LinkStatus = action === 'confirm' ? 'confirmed' : 'rejected';
      // checked before deciding: a link the caller cannot see is answered like one that does not exist
      if (scope.kind !== 'all' && !(await findVisibleLink(deps.store, scope, id))) {
        await recordAction(deps, c, `link.${action}`, String(id), { found: false });
        throw new ApiError(404, 'not_found', `no link #${id}`);
      }
      const link = await deps.store.decideLink(id, status, c.get('caller').user.name, note);
      await recordAction(deps, c, `link.${action}`, String(id), link ? { status, note, a: link.a, b: link.b } : { found: false });
      if (!link) throw new ApiError(404, 'not_found', `no link #${id}`);
      const person = status === 'confirmed' ? await personOfLink(deps.store, link) : undefined;
      return c.json({ link, ...(person ? { person: personWithinScope(person, scope) } : {}) }, 200);
    });
  }

  return app;
}

function isVisible(scope: EvidenceScope, link: AccountLink): boolean {
  return mayRead(scope, link.a.dataset) && mayRead(scope, link.b.dataset);
}

/** A page of the links the caller may see: the store filters by the caller's datasets in its query. */
async function visibleLinks(store: Store, scope: EvidenceScope, query: { status?: LinkStatus; account?: number; limit: number; offset: number }): Promise<{ total: number; links: AccountLink[] }> {
  return store.links(scope.kind === 'all' ? query : { ...query, datasets: scope.datasets });
}

async function findVisibleLink(store: Store, scope: EvidenceScope, id: number): Promise<AccountLink | undefined> {
  const found = await store.link(id);
  return found && isVisible(scope, found) ? found : undefined;
}

/** The one account a handle names among the caller's datasets. */
async function accountOf(store: Store, scope: EvidenceScope, handle: string, viewer: Viewer): Promise<number> {
  const found = scope.kind === 'all'
    ? await store.findAccounts(handle, undefined, undefined, viewer)
    : (await Promise.all(scope.datasets.map((d) => store.findAccounts(handle, d, undefined, viewer)))).flat();
  if (found.length === 0) throw new ApiError(404, 'not_found', `no account "${handle}"`);
  if (found.length > 1) {
    const places = found.map((a) => `${a.dataset}/${a.platform}:${a.handle}`).join(', ');
    throw new ApiError(409, 'ambiguous', `"${handle}" is an account in several places (${places}); GET /api/v1/accounts/{handle} tells them apart`);
  }
  return found[0]!.id;
}

/** A person's accounts in unreadable datasets are left out, and then its name too (drawn partly from them). */
function personWithinScope(person: { id: number; name?: string; accounts: AccountRef[] }, scope: EvidenceScope): { id: number; name?: string; accounts: AccountRef[] } {
  const accounts = person.accounts.filter((a) => mayRead(scope, a.dataset));
  return accounts.length === person.accounts.length ? person : { id: person.id, accounts };
}
