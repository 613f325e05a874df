// Authentication of API calls: a bearer token (API clients) or the session cookie (browsers),
// each looked up by the SHA-256 of its secret. Cookie-authenticated writes must also prove they
// come from our own pages (CSRF): the X-CSRF-Token header, which a page of another site cannot
// read or compute, and the browser's own Origin / Sec-Fetch-Site statements.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { secretDigest } from '../security/tokens.ts';
import type { AppEnv, ServerDeps } from './context.ts';
import { ApiError } from './errors.ts';

/** How long a login lasts; a working day, so a forgotten browser does not stay logged in. */
export const SESSION_HOURS = 12;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// `__Host-` cookies are bound to this exact origin (no Domain, Path=/, Secure): a sibling
// subdomain cannot plant one. Browsers accept the prefix only over HTTPS.
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-lode_session' : 'lode_session';
}

export function csrfCookieName(secure: boolean): string {
  return secure ? '__Host-lode_csrf' : 'lode_csrf';
}

/**
 * The CSRF token of a session: derived from the session secret, so a planted cookie or a token
 * of another session never matches, and nothing more has to be stored.
 */
export function csrfTokenFor(sessionSecret: string): string {
  return createHash('sha256').update(`lode-csrf\0${sessionSecret}`).digest('base64url');
}

export function setSessionCookies(c: Context, secure: boolean, secret: string, maxAgeSeconds: number): void {
  setCookie(c, sessionCookieName(secure), secret, { httpOnly: true, sameSite: 'Strict', path: '/', secure, maxAge: maxAgeSeconds });
  // readable by our own pages' scripts, which echo it in X-CSRF-Token
  setCookie(c, csrfCookieName(secure), csrfTokenFor(secret), { httpOnly: false, sameSite: 'Strict', path: '/', secure, maxAge: maxAgeSeconds });
}

export function clearSessionCookies(c: Context, secure: boolean): void {
  deleteCookie(c, sessionCookieName(secure), { path: '/', secure });
  deleteCookie(c, csrfCookieName(secure), { path: '/', secure });
}

/** Refuses requests without a valid session or token; puts the caller in the context. */
export function authenticate(deps: ServerDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const authorization = c.req.header('authorization');
    const cookie = getCookie(c, sessionCookieName(deps.secureCookies));
    let via: 'bearer' | 'cookie';
    let secret: string;
    if (authorization !== undefined) {
      const bearer = /^Bearer +([A-Za-z0-9._~+/=-]{1,512})$/i.exec(authorization.trim());
      if (!bearer) throw new ApiError(401, 'unauthenticated', 'the Authorization header must be "Bearer TOKEN" with the token from POST /api/v1/auth/login');
      via = 'bearer';
      secret = bearer[1]!;
    } else if (cookie !== undefined && cookie.length > 0 && cookie.length <= 512) {
      via = 'cookie';
      secret = cookie;
    } else {
      throw new ApiError(401, 'unauthenticated', 'log in first: POST /api/v1/auth/login');
    }
    const digest = secretDigest(secret);
    const found = await deps.store.findSession(digest);
    // a token only as bearer, a session only as cookie: each is protected for how it travels
    const expectedKind = via === 'bearer' ? 'token' : 'session';
    if (!found || found.session.kind !== expectedKind || found.user.disabled) {
      throw new ApiError(401, 'unauthenticated', 'the session or token is not valid; log in again');
    }
    if (Date.parse(found.session.expiresAt) <= deps.now().getTime()) {
      await deps.store.deleteSession(digest);
      throw new ApiError(401, 'unauthenticated', 'the session has expired; log in again');
    }
    if (via === 'cookie' && !SAFE_METHODS.has(c.req.method)) checkCsrf(c, secret);
    c.set('caller', { user: found.user, grants: await deps.store.grantsOf(found.user.name), via, sessionDigest: digest });
    await next();
  };
}

/** Refuses a request a browser says comes from another site (used for login too). */
export function checkSameOrigin(c: Context): void {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new ApiError(403, 'csrf', `cross-site request refused (Sec-Fetch-Site: ${site})`);
  }
  const origin = c.req.header('origin');
  // hosts, not origins: behind a TLS proxy the request URL says http while the browser says https
  if (origin !== undefined && hostOf(origin) !== new URL(c.req.url).host) {
    throw new ApiError(403, 'csrf', 'cross-origin request refused (the Origin header names another site)');
  }
}

function checkCsrf(c: Context, sessionSecret: string): void {
  checkSameOrigin(c);
  const given = c.req.header('x-csrf-token') ?? '';
  const expected = csrfTokenFor(sessionSecret);
  if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
    throw new ApiError(403, 'csrf', 'missing or wrong X-CSRF-Token header: send the csrfToken from the login answer (or the lode_csrf cookie)');
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** The client's address for rate limiting; unknown when the app runs without a socket (tests). */
export function clientAddress(c: Context): string {
  const env: unknown = c.env;
  if (typeof env === 'object' && env !== null && 'incoming' in env) {
    const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } }).incoming;
    return incoming?.socket?.remoteAddress ?? 'unknown';
  }
  return 'unknown';
}
