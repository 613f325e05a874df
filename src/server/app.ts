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
import { serveWorkbench } from './static.ts';
import { authRoutes } from './routes/auth.ts';
import { searchRoutes } from './routes/search.ts';
import { analysisRoutes } from './routes/analysis.ts';
import { auditRoutes } from './routes/audit.ts';
import { privilegedRoutes } from './routes/privileged.ts';
import { linkRoutes } from './routes/links.ts';
import { networkRoutes } from './routes/network.ts';
import { storeAdminRoutes } from './routes/store-admin.ts';
import { userRoutes } from './routes/users.ts';
import { SEARCH_LIST_MAX_BODY_BYTES, SEARCH_LIST_PATH, searchListRoutes } from './routes/search-list.ts';
import { alertRoutes } from './routes/alerts.ts';
import { caseRoutes } from './routes/cases.ts';
import { discoverRoutes } from './routes/discover.ts';
import { INGEST_PATH, operationRoutes } from './routes/operations.ts';
import { CHECK_PATHS, publicCheckRoutes, publicPages } from './routes/public-check.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import type { CheckService } from '../breachcheck/check-service.ts';
import type { PublicCheckIndex } from '../breachcheck/check-index.ts';
import type { Mailer } from '../mail/mailer.ts';

export type AppOptions = {
  store: Store;
  now?: () => Date;
  /** Secure, `__Host-` cookies: required when users reach the server over HTTPS (the default outside loopback). */
  secureCookies?: boolean;
  log?: (line: string) => void;
  /** Where case exports are written (see ServerDeps). */
  exportDirectory?: string;
  /** Where uploaded files to ingest are kept (see ServerDeps); absent: no uploads. */
  uploadDirectory?: string;
  /** The largest upload taken (see ServerDeps). */
  uploadMaxBytes?: number;
  /** The public check and its database (see ServerDeps). */
  check?: CheckService;
  checkIndex?: PublicCheckIndex;
  /** The built web pages (default web/dist). */
  webDist?: string;
  /** Sends campaign e-mails (see ServerDeps). */
  mailer?: Mailer;
  mailFrom?: string;
  /** Checks and challenges per client address in 15 minutes (defaults in routes/public-check.ts). */
  checkLimits?: { checks: number; challenges: number };
  /** Where campaign letters are written (inside the Lode home: they carry personal data); absent: no letters through the API. */
  campaignDirectory?: string;
};

export const API_PREFIX = '/api/v1';
/** Routes under the API prefix that answer without a session. */
const PUBLIC_PATHS = new Set([`${API_PREFIX}/auth/login`, ...CHECK_PATHS.map((p) => `${API_PREFIX}${p}`)]);
// JSON bodies of this API are a few fields; anything larger is not a request we serve
const MAX_BODY_BYTES = 64 * 1024;
/** The routes whose bodies may be larger. */
const LARGE_BODY_BYTES = new Map([[`${API_PREFIX}${SEARCH_LIST_PATH}`, SEARCH_LIST_MAX_BODY_BYTES]]);
// Hono's bodyLimit holds a body sent without Content-Length in memory: an upload streams to disk and counts its own bytes
const STREAMED_BODY_PATHS = new Set([`${API_PREFIX}${INGEST_PATH}`]);

export const CONTENT_SECURITY_POLICY = "default-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'none'";

export function createApp(options: AppOptions): OpenAPIHono<AppEnv> {
  const deps: ServerDeps = {
    store: options.store,
    now: options.now ?? (() => new Date()),
    secureCookies: options.secureCookies ?? false,
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
    ...(options.exportDirectory ? { exportDirectory: options.exportDirectory } : {}),
    ...(options.uploadDirectory ? { uploadDirectory: options.uploadDirectory } : {}),
    ...(options.uploadMaxBytes === undefined ? {} : { uploadMaxBytes: options.uploadMaxBytes }),
    ...(options.check ? { check: options.check } : {}),
    ...(options.checkIndex ? { checkIndex: options.checkIndex } : {}),
    ...(options.webDist ? { webDist: options.webDist } : {}),
    ...(options.mailer && options.mailFrom ? { mailer: options.mailer, mailFrom: options.mailFrom } : {}),
    ...(options.checkLimits ? { checkLimits: options.checkLimits } : {}),
    ...(options.campaignDirectory ? { campaignDirectory: options.campaignDirectory } : {}),
  };
  const app = newRouter();
  app.use('*', securityHeaders);
  const limitBody = (maxSize: number) => bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `request bodies are limited to ${maxSize} bytes`);
    },
  });
  const defaultBodyLimit = limitBody(MAX_BODY_BYTES);
  const largeBodyLimits = new Map([...LARGE_BODY_BYTES].map(([path, bytes]) => [path, limitBody(bytes)]));
  app.use(`${API_PREFIX}/*`, (c, next) => (STREAMED_BODY_PATHS.has(c.req.path) ? next() : (largeBodyLimits.get(c.req.path) ?? defaultBodyLimit)(c, next)));
  const requireSession = authenticate(deps);
  app.use(`${API_PREFIX}/*`, (c, next) => (PUBLIC_PATHS.has(c.req.path) ? next() : requireSession(c, next)));

  app.route(API_PREFIX, authRoutes(deps));
  app.route(API_PREFIX, searchRoutes(deps));
  app.route(API_PREFIX, analysisRoutes(deps));
  app.route(API_PREFIX, auditRoutes(deps));
  app.route(API_PREFIX, privilegedRoutes(deps));
  app.route(API_PREFIX, linkRoutes(deps));
  app.route(API_PREFIX, networkRoutes(deps));
  app.route(API_PREFIX, storeAdminRoutes(deps));
  app.route(API_PREFIX, userRoutes(deps));
  app.route(API_PREFIX, searchListRoutes(deps));
  app.route(API_PREFIX, alertRoutes(deps));
  app.route(API_PREFIX, caseRoutes(deps));
  app.route(API_PREFIX, discoverRoutes(deps));
  app.route(API_PREFIX, operationRoutes(deps));
  app.route(API_PREFIX, campaignRoutes(deps));
  app.route(API_PREFIX, publicCheckRoutes(deps));
  app.route('/', publicPages(deps));

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

  // the workbench's files and deep links: non-API GETs only, after every route
  app.use('*', serveWorkbench());
  app.notFound((c) => c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404));
  app.onError((error, c) => handleError(error, c, deps.log));
  return app;
}

/** On every answer, errors included: no framing, no sniffing, no referrer, API answers never cached. */
const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  // a route may set a stricter policy (an exported report is evidence rendered as HTML: sandboxed)
  if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('X-Frame-Options', 'DENY');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cross-Origin-Opener-Policy', 'same-origin');
  // the public range API and breach list set their own (cross-origin): password managers call them from anywhere
  if (!c.res.headers.has('Cross-Origin-Resource-Policy')) c.header('Cross-Origin-Resource-Policy', 'same-origin');
  if (c.req.path.startsWith('/api/')) c.header('Cache-Control', 'no-store');
};
