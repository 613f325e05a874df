// Users and their grants, for admins (like `lode user`, `lode grant` and `lode revoke`). A new or
// reset password is generated here and shown once in the answer; only its argon2id hash is kept.
import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../router.ts';
import { ROLES, type User } from '../../model/security.ts';
import { hashPassword, newPassword } from '../../security/passwords.ts';
import { USER_NAME, USER_NAME_RULE } from '../../security/user-name.ts';
import type { AppEnv, ServerDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { recordAction } from '../audit.ts';
import { requireAdmin } from '../access.ts';

const GRANT_KINDS = ['dataset', 'case'] as const;

const UserName = z.string().regex(USER_NAME, `a user name is ${USER_NAME_RULE}`);
const NameParams = z.object({ name: UserName.openapi({ param: { name: 'name', in: 'path' }, example: 'alice' }) });

const GrantSchema = z.object({ kind: z.enum(GRANT_KINDS), target: z.string(), grantedBy: z.string(), grantedAt: z.string() });

const ManagedUserSchema = z.object({
  name: z.string(), role: z.enum(ROLES), createdAt: z.string(), disabled: z.boolean(), grants: z.array(GrantSchema),
}).openapi('ManagedUser');

const NewUserSchema = z.object({ name: UserName, role: z.enum(ROLES) }).openapi('NewUser');

const OneTimePasswordSchema = z.string().openapi({ description: 'shown once: only its hash is stored; hand it to the user over a safe channel' });

const NewGrantSchema = z.object({
  kind: z.enum(GRANT_KINDS), target: z.string().trim().min(1).max(200).openapi({ description: 'the dataset or case name' }),
}).openapi('NewGrant');

const listRoute = createRoute({
  method: 'get', path: '/users', tags: ['users'], summary: 'Every user with role, state and grants (admins; like `lode user list --json`)',
  responses: { 200: { description: 'users', content: { 'application/json': { schema: z.object({ users: z.array(ManagedUserSchema) }) } } }, ...errorResponses(401, 403) },
});

const addRoute = createRoute({
  method: 'post', path: '/users', tags: ['users'], summary: 'Adds a user with a generated password, shown once (admins; like `lode user add`)',
  request: { body: { required: true, content: { 'application/json': { schema: NewUserSchema } } } },
  responses: {
    201: { description: 'the user and their one-time password', content: { 'application/json': { schema: z.object({ user: ManagedUserSchema, password: OneTimePasswordSchema }) } } },
    ...errorResponses(400, 401, 403, 409),
  },
});

const passwordRoute = createRoute({
  method: 'post', path: '/users/{name}/password', tags: ['users'],
  summary: 'Sets a new generated password, shown once, and ends the user\'s sessions and tokens (admins; like `lode user password`)',
  request: { params: NameParams },
  responses: {
    200: { description: 'the new password', content: { 'application/json': { schema: z.object({ user: z.string(), password: OneTimePasswordSchema }) } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

function stateRoute(action: 'disable' | 'enable') {
  return createRoute({
    method: 'post', path: `/users/{name}/${action}`, tags: ['users'],
    summary: action === 'disable' ? 'Disables a user and ends their sessions and tokens (admins; like `lode user disable`)' : 'Enables a disabled user (admins; like `lode user enable`)',
    request: { params: NameParams },
    responses: {
      200: { description: 'the user\'s state', content: { 'application/json': { schema: z.object({ user: z.string(), disabled: z.boolean() }) } } },
      ...errorResponses(400, 401, 403, 404),
    },
  });
}

const grantRoute = createRoute({
  method: 'post', path: '/users/{name}/grants', tags: ['users'], summary: 'Gives a user access to a dataset or a case (admins; like `lode grant`)',
  request: { params: NameParams, body: { required: true, content: { 'application/json': { schema: NewGrantSchema } } } },
  responses: {
    200: {
      description: 'the grant',
      content: { 'application/json': { schema: z.object({ grant: GrantSchema, notice: z.string().optional().openapi({ description: 'e.g. that the dataset does not exist yet' }) }) } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

const revokeRoute = createRoute({
  method: 'delete', path: '/users/{name}/grants/{kind}/{target}', tags: ['users'], summary: 'Takes a grant away, from the user\'s next request on (admins; like `lode revoke`)',
  request: {
    params: z.object({
      name: UserName.openapi({ param: { name: 'name', in: 'path' }, example: 'alice' }),
      kind: z.enum(GRANT_KINDS).openapi({ param: { name: 'kind', in: 'path' }, example: 'dataset' }),
      target: z.string().min(1).max(200).openapi({ param: { name: 'target', in: 'path' }, example: 'zuid' }),
    }),
  },
  responses: {
    200: { description: 'revoked', content: { 'application/json': { schema: z.object({ revoked: z.object({ user: z.string(), kind: z.enum(GRANT_KINDS), target: z.string() }) }) } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

export function userRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = newRouter();

  async function managed(user: User) {
    const grants = (await deps.store.grantsOf(user.name)).map((g) => ({ kind: g.kind, target: g.target, grantedBy: g.grantedBy, grantedAt: g.grantedAt }));
    return { name: user.name, role: user.role, createdAt: user.createdAt, disabled: user.disabled, grants };
  }

  app.openapi(listRoute, async (c) => {
    requireAdmin(c.get('caller').user);
    const users = await Promise.all((await deps.store.users()).map(managed));
    await recordAction(deps, c, 'users.list', undefined, { users: users.length });
    return c.json({ users }, 200);
  });

  app.openapi(addRoute, async (c) => {
    requireAdmin(c.get('caller').user);
    const { name, role } = c.req.valid('json');
    const password = newPassword();
    const created = await deps.store.createUser(name, role, await hashPassword(password));
    await recordAction(deps, c, 'user.add', name, created ? { role, passwordGenerated: true } : { role, refused: 'the name is taken' });
    if (!created) throw new ApiError(409, 'conflict', `there is already a user "${name}"`);
    return c.json({ user: await managed(created), password }, 201);
  });

  app.openapi(passwordRoute, async (c) => {
    requireAdmin(c.get('caller').user);
    const { name } = c.req.valid('param');
    const password = newPassword();
    const isSet = await deps.store.setPassword(name, await hashPassword(password));
    await recordAction(deps, c, 'user.password', name, isSet ? { passwordGenerated: true } : { found: false });
    if (!isSet) throw new ApiError(404, 'not_found', `no user "${name}"`);
    return c.json({ user: name, password }, 200);
  });

  for (const action of ['disable', 'enable'] as const) {
    app.openapi(stateRoute(action), async (c) => {
      const caller = c.get('caller').user;
      requireAdmin(caller);
      const { name } = c.req.valid('param');
      const disabled = action === 'disable';
      // the last admin locking themselves out would need the CLI on the server to undo
      if (disabled && name === caller.name) throw new ApiError(400, 'bad_request', 'you cannot disable yourself; ask another admin, or use `lode user disable` on the server');
      const isChanged = await deps.store.setDisabled(name, disabled);
      await recordAction(deps, c, `user.${action}`, name, isChanged ? {} : { found: false });
      if (!isChanged) throw new ApiError(404, 'not_found', `no user "${name}"`);
      return c.json({ user: name, disabled }, 200);
    });
  }

  app.openapi(grantRoute, async (c) => {
    const caller = c.get('caller').user;
    requireAdmin(caller);
    const { name } = c.req.valid('param');
    const { kind, target } = c.req.valid('json');
    const given = await deps.store.grant(name, kind, target, caller.name);
    await recordAction(deps, c, 'grant', name, given ? { kind, target } : { kind, target, found: false });
    if (!given) throw new ApiError(404, 'not_found', `no user "${name}"`);
    const isUnknown = kind === 'dataset' ? !(await deps.store.findDataset(target)) : !(await deps.store.findCase(target));
    return c.json({
      grant: { kind: given.kind, target: given.target, grantedBy: given.grantedBy, grantedAt: given.grantedAt },
      ...(isUnknown ? { notice: `there is no ${kind} "${target}" yet; the grant applies once it is ${kind === 'dataset' ? 'ingested' : 'opened'}` } : {}),
    }, 200);
  });

  app.openapi(revokeRoute, async (c) => {
    requireAdmin(c.get('caller').user);
    const { name, kind, target } = c.req.valid('param');
    if (!(await deps.store.findUser(name))) {
      await recordAction(deps, c, 'revoke', name, { kind, target, found: false });
      throw new ApiError(404, 'not_found', `no user "${name}"`);
    }
    const had = await deps.store.revoke(name, kind, target);
    await recordAction(deps, c, 'revoke', name, had ? { kind, target } : { kind, target, found: false });
    if (!had) throw new ApiError(404, 'not_found', `${name} had no grant for ${kind} ${target}`);
    return c.json({ revoked: { user: name, kind, target } }, 200);
  });

  return app;
}

