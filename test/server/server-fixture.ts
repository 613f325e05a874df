// A real API server on loopback over a temporary store with two datasets and a user per role.
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { hashPassword } from '../../src/security/passwords.ts';
import { startServer, type RunningServer } from '../../src/server/listen.ts';
import type { Role } from '../../src/model/security.ts';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { message, openTestStore, temporaryDirectory, writeJsonl } from '../fixtures.ts';

export const PASSWORD = 'correct horse battery staple';

export type TestServer = RunningServer & { store: SqliteStore; clock: { ms: number } };

export const USERS: readonly { name: string; role: Role; grants: string[] }[] = [
  { name: 'root', role: 'admin', grants: [] },
  { name: 'ana', role: 'analyst', grants: ['zuid'] },
  { name: 'aud', role: 'auditor', grants: [] },
  { name: 'ivo', role: 'investigator', grants: [] },
];

export async function startTestServer(): Promise<TestServer> {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  await ingest({
    store, dataset: 'zuid', paths: [writeJsonl(join(dir, 'zuid.jsonl'), [
      message('z-1', '2020-04-01T09:00:00Z', 'tapeworm', ['jaguar'], 'Hoeveel kilo heb je voor morgen? Bel +31612345678'),
      message('z-2', '2020-04-01T10:00:00Z', 'jaguar', ['tapeworm'], '10 kilo bij de haven, geld cash klaar'),
      message('z-3', '2020-04-02T11:00:00Z', 'tapeworm', ['jaguar'], 'de kilos liggen klaar'),
    ])],
  });
  await ingest({
    store, dataset: 'noord', paths: [writeJsonl(join(dir, 'noord.jsonl'), [
      message('n-1', '2020-05-01T10:00:00Z', 'otter', ['bever'], 'geheim: andere zaak kilo'),
      message('n-2', '2020-05-01T11:00:00Z', 'bever', ['otter'], 'geheim blijft geheim, kilo komt'),
    ])],
  });
  const hash = await hashPassword(PASSWORD);
  for (const u of USERS) {
    await store.createUser(u.name, u.role, hash);
    for (const d of u.grants) await store.grant(u.name, 'dataset', d, 'root');
  }
  const clock = { ms: Date.now() };
  const server = await startServer({ store, host: '127.0.0.1', port: 0, now: () => new Date(clock.ms), log: () => {}, exportDirectory: join(dir, 'exports'), uploadDirectory: join(dir, 'uploads') });
  return { ...server, store, clock };
}

export type Login = { token: string; csrfToken: string; cookie: string };

export async function login(url: string, username: string, password = PASSWORD): Promise<Login> {
  const response = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (response.status !== 200) throw new Error(`login of ${username} gave ${response.status}: ${await response.text()}`);
  const body = await response.json() as { token: string; csrfToken: string };
  const session = response.headers.getSetCookie().find((c) => c.startsWith('lode_session='));
  if (!session) throw new Error('no session cookie');
  return { token: body.token, csrfToken: body.csrfToken, cookie: session.split(';')[0]! };
}

/** GET with a bearer token; the JSON body (or undefined) and the status. */
export async function getJson<T = Record<string, unknown>>(url: string, token: string | undefined): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

/** A request with a bearer token and an optional JSON body; the JSON answer (or undefined) and the status. */
export async function sendJson<T = Record<string, unknown>>(url: string, method: string, who: Login | undefined, body?: unknown): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = who ? { authorization: `Bearer ${who.token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}
