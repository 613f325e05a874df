// Logging in and out, and who the caller is. Login is the one route without a session; it is
// rate limited per client address and per user name, and costs the same for unknown names.
import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../router.ts';
import { verifyPassword } from '../../security/passwords.ts';
import { newSecret, secretDigest } from '../../security/tokens.ts';
import { ROLES } from '../../model/security.ts';
import type { AppEnv, ServerDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { WindowLimiter } from '../rate-limit.ts';
import { SESSION_HOURS, checkSameOrigin, clearSessionCookies, clientAddress, csrfTokenFor, setSessionCookies } from '../session.ts';
import { recordAction } from '../audit.ts';

// A person who mistyped waits minutes; a guesser gets 5 tries per name per quarter hour. Per
// address the bar is higher: an office behind one NAT address shares it.
const WINDOW_MS = 15 * 60_000;
const FAILURES_PER_USER = 5;
const FAILURES_PER_ADDRESS = 20;

const LoginSchema = z.object({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(1024),
}).openapi('Login');

const UserSchema = z.object({ name: z.string(), role: z.enum(ROLES) }).openapi('User');

const LoginAnswerSchema = z.object({
  token: z.string().openapi({ description: 'Bearer token for API clients (Authorization: Bearer TOKEN)' }),
  csrfToken: z.string().openapi({ description: 'X-CSRF-Token header value for writes authenticated by the session cookie' }),
  expiresAt: z.string(),
  user: UserSchema,
}).openapi('LoginAnswer');

const GrantSchema = z.object({ kind: z.enum(['dataset', 'case']), target: z.string(), grantedBy: z.string(), grantedAt: z.string() }).openapi('Grant');

const loginRoute = createRoute({
  method: 'post', path: '/auth/login', tags: ['auth'], security: [],
  summary: 'Log in: a bearer token in the answer and a session cookie (HttpOnly, SameSite=Strict)',
  request: { body: { required: true, content: { 'application/json': { schema: LoginSchema } } } },
  responses: { 200: { description: 'logged in', content: { 'application/json': { schema: LoginAnswerSchema } } }, ...errorResponses(400, 401, 403, 429) },
});

const logoutRoute = createRoute({
  method: 'post', path: '/auth/logout', tags: ['auth'],
  summary: 'Log out: ends the session or token that authenticated this request',
  responses: { 200: { description: 'logged out', content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } } }, ...errorResponses(401, 403) },
});

const meRoute = createRoute({
  method: 'get', path: '/me', tags: ['auth'], summary: 'The caller: user, role and grants',
  responses: { 200: { description: 'the caller', content: { 'application/json': { schema: z.object({ user: UserSchema, grants: z.array(GrantSchema) }) } } }, ...errorResponses(401) },
});

export function authRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = newRouter();
  const byUser = new WindowLimiter({ maxEvents: FAILURES_PER_USER, windowMs: WINDOW_MS });
  const byAddress = new WindowLimiter({ maxEvents: FAILURES_PER_ADDRESS, windowMs: WINDOW_MS });

  app.openapi(loginRoute, async (c) => {
    checkSameOrigin(c);
    const { username, password } = c.req.valid('json');
    const address = clientAddress(c);
    const userKey = username.normalize('NFC').toLowerCase();
    const nowMs = deps.now().getTime();
    const waitMs = Math.max(byUser.retryAfterMs(userKey, nowMs), byAddress.retryAfterMs(address, nowMs));
    if (waitMs > 0) {
      await deps.store.appendAudit({ actor: username, action: 'login.throttled', details: { address } });
      const seconds = Math.ceil(waitMs / 1000);
      throw new ApiError(429, 'rate_limited', `too many failed logins; try again in ${Math.ceil(seconds / 60)} minute(s)`, { 'Retry-After': String(seconds) });
    }
    const user = await deps.store.findUser(username);
    // without a hash (unknown name) verifyPassword still spends one hash's time: timing tells nothing
    const isValid = await verifyPassword(password, user?.passwordHash);
    if (!user || !isValid || user.disabled) {
      byUser.record(userKey, nowMs);
      byAddress.record(address, nowMs);
      await deps.store.appendAudit({ actor: username, action: 'login.failure', details: { address, reason: !user ? 'unknown user' : !isValid ? 'wrong password' : 'disabled' } });
      // one message for all three: the answer must not tell which names exist
      throw new ApiError(401, 'unauthenticated', 'wrong user name or password');
    }
    byUser.clear(userKey);
    const expiresAt = new Date(nowMs + SESSION_HOURS * 3_600_000).toISOString();
    // Two secrets: the cookie is accepted only as a cookie (with CSRF checks), the token only as a bearer.
    const sessionSecret = newSecret();
    const token = newSecret();
    await deps.store.createSession(secretDigest(sessionSecret), user.id, 'session', expiresAt);
    await deps.store.createSession(secretDigest(token), user.id, 'token', expiresAt);
    setSessionCookies(c, deps.secureCookies, sessionSecret, SESSION_HOURS * 3600);
    await deps.store.appendAudit({ actor: user.name, action: 'login', details: { address } });
    return c.json({ token, csrfToken: csrfTokenFor(sessionSecret), expiresAt, user: { name: user.name, role: user.role } }, 200);
  });

  app.openapi(logoutRoute, async (c) => {
    const caller = c.get('caller');
    await deps.store.deleteSession(caller.sessionDigest);
    if (caller.via === 'cookie') clearSessionCookies(c, deps.secureCookies);
    await recordAction(deps, c, 'logout', undefined, { via: caller.via });
    return c.json({ ok: true as const }, 200);
  });

  app.openapi(meRoute, async (c) => {
    const { user, grants } = c.get('caller');
    return c.json({
      user: { name: user.name, role: user.role },
      grants: grants.map((g) => ({ kind: g.kind, target: g.target, grantedBy: g.grantedBy, grantedAt: g.grantedAt })),
    }, 200);
  });

  return app;
}
