// The HTTP API (DESIGN.md "HTTP API"): Hono with zod schemas, from which the OpenAPI document at
// /api/v1/openapi.json is generated. Every route under /api/v1 but login needs a session or a
// token; what a caller sees is limited by role and grants in the store's queries (access.ts).
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Store } from '../store/store.ts';
import type { AppEnv, ServerDeps } from './context.ts';
import { ApiError, errorBody, handleError } from './errors.ts';
import { authenticate } from './session.ts';
import { newRouter } from './router.ts';
import { authRoutes } from './routes/auth.ts';
import { searchRoutes } from './routes/search.ts';
import { analysisRoutes } from './routes/analysis.ts';
import { auditRoutes } from './routes/audit.ts';

export type AppOptions = {
  store: Store;
  now?: () => Date;
  /** Secure, `__Host-` cookies: required when users reach the server over HTTPS (the default outside loopback). */
  secureCookies?: boolean;
  log?: (line: string) => void;
};

export const API_PREFIX = '/api/v1';
/** Routes under the API prefix that answer without a session. */
const PUBLIC_PATHS = new Set([`${API_PREFIX}/auth/login`]);
// JSON bodies of this API are a few fields; anything larger is not a request we serve
const MAX_BODY_BYTES = 64 * 1024;

export const CONTENT_SECURITY_POLICY = "default-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'none'";

export function createApp(options: AppOptions): OpenAPIHono<AppEnv> {
  const deps: ServerDeps = {
    store: options.store,
    now: options.now ?? (() => new Date()),
    secureCookies: options.secureCookies ?? false,
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
  const app = newRouter();
  app.use('*', securityHeaders);
  app.use(`${API_PREFIX}/*`, bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `request bodies are limited to ${MAX_BODY_BYTES} bytes`);
    },
  }));
  const requireSession = authenticate(deps);
  app.use(`${API_PREFIX}/*`, (c, next) => (PUBLIC_PATHS.has(c.req.path) ? next() : requireSession(c, next)));

  app.route(API_PREFIX, authRoutes(deps));
  app.route(API_PREFIX, searchRoutes(deps));
  app.route(API_PREFIX, analysisRoutes(deps));
  app.route(API_PREFIX, auditRoutes(deps));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'the token from POST /api/v1/auth/login' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey', in: 'cookie', name: deps.secureCookies ? '__Host-lode_session' : 'lode_session',
    description: 'the session cookie set by login; writes also need the X-CSRF-Token header',
  });
  let document: unknown;
  // behind the session like every other route: the document lists what exists
  app.get(`${API_PREFIX}/openapi.json`, (c) => {
    document ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: { title: 'Lode API', version: '1', description: 'Errors are {"error":{"code","message"}} with a 4xx status; a 5xx is a bug.' },
      servers: [{ url: '/' }],
      security: [{ bearer: [] }, { session: [] }],
    });
    return c.json(document);
  });

  app.notFound((c) => c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404));
  app.onError((error, c) => handleError(error, c, deps.log));
  return app;
}

/** On every answer, errors included: no framing, no sniffing, no referrer, API answers never cached. */
const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('X-Frame-Options', 'DENY');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cross-Origin-Opener-Policy', 'same-origin');
  c.header('Cross-Origin-Resource-Policy', 'same-origin');
  if (c.req.path.startsWith('/api/')) c.header('Cache-Control', 'no-store');
};
