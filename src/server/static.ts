// The workbench's files (web/dist, built by Vite) served by the API's own server, so one origin
// holds the app and the API: the session cookie stays SameSite=Strict and the CSP 'self'. The app
// shell is public (it holds no evidence); every API route stays behind the session. Hashed assets
// are cached for good, index.html never, and a browser navigation to an unknown non-API path gets
// index.html so deep links (/items/ID) survive a reload. Everything else falls through to the
// API's JSON 404. Also here: whether web/dist is older than web/src, and the programmatic build.
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MiddlewareHandler } from 'hono';

/** web/ of this checkout: sources in web/src, the build in web/dist. */
export const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

// Vite names built assets name-HASH.ext (8+ url-safe characters): their content never changes
const HASHED_ASSET = /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';
// the shell must be revalidated on every load, so a new build is picked up at once
const REVALIDATE = 'no-cache';

const NOT_BUILT_PAGE = '<!doctype html><html lang="en"><meta charset="utf-8"><title>Lode</title>'
  + '<h1>The workbench is not built</h1><p>Run <code>npm start</code> (it builds the workbench when needed) '
  + 'or <code>node_modules/.bin/vite build web</code>, then reload. The API is at <code>/api/v1</code>.</p></html>';

export type WorkbenchOptions = { dist?: string };

/** Middleware for non-API GET/HEAD requests: a file of the build, index.html for navigations, else on to the 404. */
export function serveWorkbench(options: WorkbenchOptions = {}): MiddlewareHandler {
  const dist = resolve(options.dist ?? join(WEB_ROOT, 'dist'));
  return async (c, next) => {
    const method = c.req.method;
    const path = c.req.path;
    if ((method !== 'GET' && method !== 'HEAD') || path === '/api' || path.startsWith('/api/')) return next();
    const file = await findFile(dist, path);
    if (file) return sendFile(c, file, HASHED_ASSET.test(path) ? IMMUTABLE : REVALIDATE, method === 'HEAD');
    // only a browser navigation gets the app: a script's fetch (Accept */*) or a missing asset gets the JSON 404
    const isNavigation = (c.req.header('accept') ?? '').includes('text/html') && extname(path) === '';
    if (!isNavigation) return next();
    const index = await findFile(dist, '/index.html');
    if (!index) return c.html(NOT_BUILT_PAGE, 404);
    return sendFile(c, index, REVALIDATE, method === 'HEAD');
  };
}

type Found = { path: string; size: number; mtimeMs: number };

/** The file a URL path names inside `dist`, or undefined; never a path outside it. */
async function findFile(dist: string, urlPath: string): Promise<Found | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const target = resolve(dist, relative);
  // resolve() has collapsed any ../: what is left must still be inside dist
  if (!target.startsWith(dist + sep)) return undefined;
  try {
    const info = await stat(target);
    return info.isFile() ? { path: target, size: info.size, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

async function sendFile(c: Parameters<MiddlewareHandler>[0], file: Found, cacheControl: string, isHead: boolean): Promise<Response> {
  const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
  c.header('Content-Type', CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream');
  c.header('Cache-Control', cacheControl);
  c.header('ETag', etag);
  if (c.req.header('if-none-match') === etag) return c.body(null, 304);
  if (isHead) {
    c.header('Content-Length', String(file.size));
    return c.body(null, 200);
  }
  return c.body(new Uint8Array(await readFile(file.path)), 200);
}

/** The newest modification time of the workbench's sources (web/src, the two pages, the Vite config). */
function newestSourceMs(root: string): number {
  let newest = 0;
  const visit = (path: string): void => {
    const info = statSync(path);
    if (info.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, info.mtimeMs);
  };
  for (const part of ['src', 'index.html', 'check.html', 'vite.config.ts', 'public']) {
    if (existsSync(join(root, part))) visit(join(root, part));
  }
  return newest;
}

/** Whether web/dist is missing or older than anything in the workbench's sources. */
export function isWorkbenchStale(root: string = WEB_ROOT): boolean {
  const index = join(root, 'dist', 'index.html');
  if (!existsSync(index)) return true;
  return statSync(index).mtimeMs < newestSourceMs(root);
}

/** Builds web/ into web/dist with Vite (loaded only here: serving never needs it). */
export async function buildWorkbench(root: string = WEB_ROOT): Promise<void> {
  const { build } = await import('vite');
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn', clearScreen: false });
}

/**
 * Builds the workbench when it is stale; says so through `log`. Returns whether it built. Test
 * files run in parallel processes, so a lock file makes one build and the others wait for it.
 */
export async function ensureWorkbenchBuilt(log: (line: string) => void, root: string = WEB_ROOT): Promise<boolean> {
  if (!isWorkbenchStale(root)) return false;
  const lock = join(root, '.build.lock');
  while (!takeLock(lock)) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (!isWorkbenchStale(root)) return false;
  }
  try {
    if (!isWorkbenchStale(root)) return false;
    const started = performance.now();
    log(existsSync(join(root, 'dist', 'index.html')) ? 'the workbench sources changed: building web/dist…' : 'building the workbench into web/dist (once)…');
    await buildWorkbench(root);
    log(`workbench built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return true;
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Creates the lock file with our pid; a lock left by a process that is gone is taken over. */
function takeLock(path: string): boolean {
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    const holder = Number(readFileSync(path, 'utf8').trim() || 'NaN');
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) return false;
    rmSync(path, { force: true });
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
