// The public side of the server, reachable without a session: the victim check page and its API,
// Have I Been Pwned's k-anonymity password range API, and the published datasets in HIBP's v3
// shape. Nothing here tells anyone on screen whether an address is known: the check's answer is
// the same 202 whatever it is (the result goes to the mailbox), and there is no account look-up.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { createRoute, z } from '@hono/zod-openapi';
import type { AppEnv, ServerDeps } from '../context.ts';
import { ApiError, errorBody, errorResponses } from '../errors.ts';
import { jsonBody, newRouter } from '../router.ts';
import { WindowLimiter } from '../rate-limit.ts';
import { clientAddress } from '../session.ts';
import { WEB_ROOT } from '../static.ts';
import { NOTICE_LANGUAGES } from '../../breachcheck/notice.ts';
import { parseRangeMode, parseRangePrefix } from '../../breachcheck/range.ts';

/** Checks per client address: a person checks a few addresses, a script many. */
const CHECKS_PER_ADDRESS = 10;
const CHALLENGES_PER_ADDRESS = 30;
const CHECK_WINDOW_MS = 15 * 60_000;
const RANGE_CACHE_SECONDS = 3600;

export const CHECK_PATHS = ['/check', '/check/challenge'] as const;

/** The one answer to every accepted check, byte for byte. */
export const CHECK_ACCEPTED = { status: 'accepted' } as const;

const challengeRoute = createRoute({
  method: 'post', path: '/check/challenge', tags: ['public check'],
  summary: 'A proof-of-work challenge for the check form, with the code the page shows and the mail repeats (public)',
  security: [],
  responses: {
    200: {
      description: 'the challenge', content: {
        'application/json': { schema: z.object({ challenge: z.string(), bits: z.number().int(), code: z.string(), expiresAt: z.string() }).openapi('CheckChallenge') },
      },
    },
    ...errorResponses(429),
  },
});

const checkRoute = createRoute({
  method: 'post', path: '/check', tags: ['public check'],
  summary: 'Checks an e-mail address: always 202 with the same body; if the address is in published seized data, a mail goes to it (public)',
  security: [],
  request: {
    body: jsonBody(z.object({
      email: z.string().min(1).max(320),
      language: z.enum(NOTICE_LANGUAGES).default('nl'),
      challenge: z.string().min(1).max(512),
      solution: z.string().min(1).max(20),
    }).strict().openapi('CheckRequest')),
  },
  responses: {
    202: { description: 'accepted: the answer, if any, goes to the address', content: { 'application/json': { schema: z.object({ status: z.literal('accepted') }) } } },
    ...errorResponses(400, 429),
  },
});

/** The check API under /api/v1 (public: no session). */
export function publicCheckRoutes(deps: ServerDeps) {
  const app = newRouter();
  const checks = new WindowLimiter({ maxEvents: deps.checkLimits?.checks ?? CHECKS_PER_ADDRESS, windowMs: CHECK_WINDOW_MS });
  const challenges = new WindowLimiter({ maxEvents: deps.checkLimits?.challenges ?? CHALLENGES_PER_ADDRESS, windowMs: CHECK_WINDOW_MS });

  app.openapi(challengeRoute, (c) => {
    const service = requireService(deps);
    limit(c, challenges, deps);
    return c.json(service.challenge(), 200);
  });

  app.openapi(checkRoute, (c) => {
    const service = requireService(deps);
    limit(c, checks, deps);
    const outcome = service.submit(c.req.valid('json'));
    switch (outcome.kind) {
      case 'accepted': return c.json(CHECK_ACCEPTED, 202);
      case 'invalid-email': throw new ApiError(400, 'invalid_email', 'that is not an e-mail address');
      case 'invalid-challenge': throw new ApiError(400, 'invalid_challenge', `the form has ${outcome.reason === 'expired' ? 'expired' : 'to be loaded again'}: reload the page and try again`);
      case 'busy': throw new ApiError(429, 'rate_limited', 'the check is busy: try again in a few minutes', { 'Retry-After': '300' });
      case 'unavailable': throw new ApiError(503, 'unavailable', 'the check cannot send mail at the moment: try again later');
    }
  });
  return app;
}

function requireService(deps: ServerDeps) {
  if (!deps.check) throw new ApiError(503, 'unavailable', 'the public check is not set up on this server');
  return deps.check;
}

function limit(c: Context<AppEnv>, limiter: WindowLimiter, deps: ServerDeps): void {
  const address = clientAddress(c);
  const nowMs = deps.now().getTime();
  const waitMs = limiter.retryAfterMs(address, nowMs);
  if (waitMs > 0) throw new ApiError(429, 'rate_limited', 'too many checks from your connection: try again later', { 'Retry-After': String(Math.ceil(waitMs / 1000)) });
  limiter.record(address, nowMs);
}

/**
 * Outside /api/v1: the page (GET /check), the range API (GET /range/{prefix}) and HIBP's v3
 * breach metadata (/api/v3/...), all public and readable from any origin (no credentials).
 */
export function publicPages(deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const crossOrigin = (c: Context<AppEnv>) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
  };

  app.get('/check', async (c) => {
    const page = await readFile(join(deps.webDist ?? join(WEB_ROOT, 'dist'), 'check.html'), 'utf8').catch(() => undefined);
    c.header('Cache-Control', 'no-cache');
    if (page === undefined) return c.html('<!doctype html><html lang="en"><meta charset="utf-8"><title>Check</title><h1>The check page is not built</h1><p>Run <code>npm start</code>.</p></html>', 404);
    return c.html(page);
  });

  // a browser's password manager sends Add-Padding from another origin: that needs a preflight answer
  app.options('/range/:prefix', (c) => {
    crossOrigin(c);
    c.header('Access-Control-Allow-Methods', 'GET');
    c.header('Access-Control-Allow-Headers', 'Add-Padding');
    c.header('Access-Control-Max-Age', '86400');
    return c.body(null, 204);
  });

  app.get('/range/:prefix', async (c) => {
    crossOrigin(c);
    const service = deps.check;
    if (!service) return c.text('The password range API is not set up on this server', 503);
    const prefix = parseRangePrefix(c.req.param('prefix'));
    // HIBP answers a bad prefix with 400 and a plain sentence
    if (prefix === undefined) return c.text('The hash prefix was not in a valid format', 400);
    const mode = parseRangeMode(c.req.query('mode'));
    if (mode === undefined) return c.text('The mode must be sha1 or ntlm', 400);
    const padding = (c.req.header('add-padding') ?? '').toLowerCase() === 'true';
    c.header('Cache-Control', padding ? 'no-store' : `public, max-age=${RANGE_CACHE_SECONDS}`);
    return c.text(await service.range(mode, prefix, padding));
  });

  app.get('/api/v3/breaches', async (c) => {
    crossOrigin(c);
    const index = requireIndex(deps);
    return c.json(await index.breaches(c.req.query('domain') || undefined));
  });
  app.get('/api/v3/breach/:name', async (c) => {
    crossOrigin(c);
    const breach = await requireIndex(deps).breach(c.req.param('name'));
    return breach ? c.json(breach) : c.json(errorBody('not_found', `no published dataset "${c.req.param('name')}"`), 404);
  });
  app.get('/api/v3/latestbreach', async (c) => {
    crossOrigin(c);
    const latest = (await requireIndex(deps).breaches()).sort((a, b) => b.AddedDate.localeCompare(a.AddedDate))[0];
    return latest ? c.json(latest) : c.json(errorBody('not_found', 'nothing is published'), 404);
  });
  app.get('/api/v3/dataclasses', async (c) => {
    crossOrigin(c);
    return c.json(await requireIndex(deps).dataClasses());
  });
  // Have I Been Pwned answers these per account; a police service must not put who is in seized data on screen
  app.all('/api/v3/*', (c) => c.json(errorBody('not_found', 'account look-ups are not offered: check an address at /check, the answer goes to that mailbox'), 404));
  return app;
}

function requireIndex(deps: ServerDeps) {
  if (!deps.checkIndex) throw new ApiError(503, 'unavailable', 'no public datasets are set up on this server');
  return deps.checkIndex;
}
