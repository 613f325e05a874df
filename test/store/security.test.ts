// The security tables on a real SQLite file: users, grants, sessions and the audit log, whose
// append-only triggers and hash chain are tested by tampering with raw SQL.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { openTestStore, temporaryDirectory } from '../fixtures.ts';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$dRzY82fgceWJKqstlAB6sn56dYrekptRpYPqbR1lZQg';
const inOneHour = () => new Date(Date.now() + 3_600_000).toISOString();

async function storeWithEvents(count: number): Promise<SqliteStore> {
  const store = openTestStore(temporaryDirectory());
  for (let i = 1; i <= count; i += 1) await store.appendAudit({ actor: i % 2 ? 'alice' : 'bob', action: i % 3 ? 'search' : 'view', target: 'zuid', details: { q: `kilo ${i}` } });
  return store;
}

describe('users and grants', () => {
  test('a user is created once, found with the hash for login and listed without it', async () => {
    const store = openTestStore(temporaryDirectory());
    const alice = await store.createUser('alice', 'analyst', HASH);
    assert.equal(alice?.name, 'alice');
    assert.equal(alice?.role, 'analyst');
    assert.equal(alice?.disabled, false);
    assert.equal(await store.createUser('alice', 'admin', HASH), undefined, 'a taken name');
    assert.equal((await store.findUser('alice'))?.passwordHash, HASH);
    assert.equal(await store.findUser('nobody'), undefined);
    const listed = await store.users();
    assert.deepEqual(listed.map((u) => u.name), ['alice']);
    assert.equal('passwordHash' in listed[0]!, false);
    assert.throws(() => store.db.prepare(`INSERT INTO users (name, role, password_hash, created_at) VALUES ('x', 'superuser', 'h', 't')`).run(), /CHECK/);
  });

  test('grants are per dataset or case, idempotent, and can be revoked', async () => {
    const store = openTestStore(temporaryDirectory());
    await store.createUser('bob', 'investigator', HASH);
    const first = await store.grant('bob', 'dataset', 'zuid', 'cli:root');
    assert.equal(first?.grantedBy, 'cli:root');
    await store.grant('bob', 'dataset', 'zuid', 'cli:someone-else');
    await store.grant('bob', 'case', 'operation-x', 'cli:root');
    const grants = await store.grantsOf('bob');
    assert.deepEqual(grants.map((g) => [g.kind, g.target, g.grantedBy]), [['case', 'operation-x', 'cli:root'], ['dataset', 'zuid', 'cli:root']]);
    assert.equal(await store.grant('nobody', 'dataset', 'zuid', 'cli:root'), undefined);
    assert.equal(await store.revoke('bob', 'dataset', 'zuid'), true);
    assert.equal(await store.revoke('bob', 'dataset', 'zuid'), false);
    assert.deepEqual((await store.grantsOf('bob')).map((g) => g.target), ['operation-x']);
  });
});

describe('sessions', () => {
  test('a session is found by its digest with its user, and noted as used', async () => {
    const store = openTestStore(temporaryDirectory());
    const user = (await store.createUser('carol', 'auditor', HASH))!;
    await store.createSession('d1', user.id, 'session', inOneHour());
    store.db.prepare(`UPDATE sessions SET last_used_at = '2000-01-01T00:00:00.000Z'`).run();
    const found = await store.findSession('d1');
    assert.equal(found?.user.name, 'carol');
    assert.equal(found?.session.kind, 'session');
    assert.equal('passwordHash' in found!.user, false);
    assert.ok(found!.session.lastUsedAt! > '2020', 'last use is updated');
    assert.equal(await store.findSession('unknown'), undefined);
    assert.equal(await store.deleteSession('d1'), true);
    assert.equal(await store.findSession('d1'), undefined);
    assert.equal(await store.deleteSession('d1'), false);
  });

  test('an expired session is none, and is swept when the next one is made', async () => {
    const store = openTestStore(temporaryDirectory());
    const user = (await store.createUser('dave', 'analyst', HASH))!;
    await store.createSession('old', user.id, 'token', new Date(Date.now() - 1000).toISOString());
    assert.equal(await store.findSession('old'), undefined);
    await store.createSession('new', user.id, 'token', inOneHour());
    assert.equal(store.db.prepare(`SELECT count(*) AS n FROM sessions WHERE token_sha256 = 'old'`).get()?.n, 0);
  });

  test('disabling a user or changing the password ends their sessions', async () => {
    const store = openTestStore(temporaryDirectory());
    const user = (await store.createUser('erin', 'analyst', HASH))!;
    await store.createSession('s1', user.id, 'session', inOneHour());
    assert.equal(await store.setDisabled('erin', true), true);
    assert.equal(await store.findSession('s1'), undefined);
    assert.equal((await store.findUser('erin'))?.disabled, true);
    await store.setDisabled('erin', false);
    await store.createSession('s2', user.id, 'session', inOneHour());
    assert.ok(await store.findSession('s2'));
    assert.equal(await store.setPassword('erin', `${HASH}x`), true);
    assert.equal(await store.findSession('s2'), undefined);
    assert.equal((await store.findUser('erin'))?.passwordHash, `${HASH}x`);
    assert.equal(await store.setPassword('nobody', HASH), false);
    assert.equal(await store.setDisabled('nobody', true), false);
  });
});

describe('the audit log', () => {
  test('events chain from the store\'s genesis and list newest first, filtered', async () => {
    const store = await storeWithEvents(6);
    const genesis = String(store.db.prepare('SELECT hash FROM audit_genesis').get()?.hash);
    assert.match(genesis, /^[0-9a-f]{64}$/);
    const all = await store.auditEvents({ limit: 10, offset: 0 });
    assert.equal(all.total, 6);
    assert.deepEqual(all.events.map((e) => e.seq), [6, 5, 4, 3, 2, 1]);
    assert.equal(all.events.at(-1)!.prevHash, genesis);
    assert.equal(all.events[0]!.prevHash, all.events[1]!.hash);
    assert.deepEqual(all.events[0]!.details, { q: 'kilo 6' });
    const bobsViews = await store.auditEvents({ limit: 10, offset: 0, actor: 'bob', action: 'view' });
    assert.deepEqual(bobsViews.events.map((e) => e.seq), [6]);
    assert.deepEqual((await store.auditEvents({ limit: 2, offset: 1 })).events.map((e) => e.seq), [5, 4]);
    assert.deepEqual(await store.verifyAudit(), { ok: true, events: 6, head: all.events[0]!.hash });
  });

  test('an event without target or details keeps them absent', async () => {
    const store = openTestStore(temporaryDirectory());
    const event = await store.appendAudit({ actor: 'cli:root', action: 'login' });
    assert.equal(event.target, undefined);
    assert.deepEqual(event.details, {});
    const [read] = (await store.auditEvents({ limit: 1, offset: 0 })).events;
    assert.deepEqual(read, event);
  });

  test('UPDATE and DELETE on the log, and on its genesis, abort', async () => {
    const store = await storeWithEvents(3);
    assert.throws(() => store.db.exec(`UPDATE audit_events SET actor = 'mallory' WHERE seq = 2`), /append-only/);
    assert.throws(() => store.db.exec('DELETE FROM audit_events WHERE seq = 3'), /append-only/);
    assert.throws(() => store.db.exec(`UPDATE audit_genesis SET hash = 'x'`), /fixed/);
    assert.throws(() => store.db.exec('DELETE FROM audit_genesis'), /fixed/);
    assert.equal((await store.verifyAudit()).ok, true);
  });

  test('a row edited after dropping the trigger is reported by its seq', async () => {
    const store = await storeWithEvents(5);
    store.db.exec('DROP TRIGGER audit_events_no_update');
    store.db.exec(`UPDATE audit_events SET details = '{"q":"nothing to see"}' WHERE seq = 3`);
    const result = await store.verifyAudit();
    assert.equal(result.ok, false);
    assert.equal(result.firstBadSeq, 3);
    assert.match(result.reason ?? '', /hash mismatch/);
    assert.equal(result.events, 2);
  });

  test('a deleted middle event and a cut tail are both found', async () => {
    const middle = await storeWithEvents(5);
    middle.db.exec('DROP TRIGGER audit_events_no_delete');
    middle.db.exec('DELETE FROM audit_events WHERE seq = 2');
    assert.equal((await middle.verifyAudit()).firstBadSeq, 2);

    const tail = await storeWithEvents(5);
    tail.db.exec('DROP TRIGGER audit_events_no_delete');
    tail.db.exec('DELETE FROM audit_events WHERE seq >= 4');
    const result = await tail.verifyAudit();
    assert.equal(result.ok, false);
    assert.equal(result.firstBadSeq, 4);
    assert.match(result.reason ?? '', /removed/);
  });

  test('dropped triggers alone fail verification though the chain is intact', async () => {
    const store = await storeWithEvents(2);
    store.db.exec('DROP TRIGGER audit_events_no_delete');
    const result = await store.verifyAudit();
    assert.equal(result.ok, false);
    assert.equal(result.firstBadSeq, undefined);
    assert.match(result.reason ?? '', /triggers were dropped: audit_events_no_delete/);
  });

  test('unparseable details written behind the log\'s back are a mismatch, not a crash', async () => {
    const store = await storeWithEvents(2);
    store.db.exec('DROP TRIGGER audit_events_no_update');
    store.db.exec(`UPDATE audit_events SET details = 'not json' WHERE seq = 1`);
    assert.equal((await store.verifyAudit()).firstBadSeq, 1);
  });

  test('two connections appending at once keep one chain', async () => {
    const dir = temporaryDirectory();
    const path = join(dir, 'lode.sqlite');
    const first = openSqliteStore({ path });
    const perWriter = 150;
    const writer = (name: string) => new Promise<void>((resolve, reject) => {
      const worker = new Worker(`
        const { workerData, parentPort } = require('node:worker_threads');
        import(workerData.module).then(async ({ openSqliteStore }) => {
          const store = openSqliteStore({ path: workerData.path });
          for (let i = 0; i < workerData.count; i += 1) await store.appendAudit({ actor: workerData.name, action: 'search', details: { i } });
          await store.close();
          parentPort.postMessage('done');
        });`, { eval: true, workerData: { module: new URL('../../src/store/sqlite/sqlite-store.ts', import.meta.url).href, path, count: perWriter, name } });
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    // the main thread's connection appends meanwhile too
    const local = (async () => {
      for (let i = 0; i < 50; i += 1) {
        await first.appendAudit({ actor: 'main', action: 'view', details: { i } });
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await Promise.all([writer('w1'), writer('w2'), local]);
    const result = await first.verifyAudit();
    assert.equal(result.ok, true, result.reason);
    assert.equal(result.events, 2 * perWriter + 50);
    const actors = first.db.prepare('SELECT actor, count(*) AS n FROM audit_events GROUP BY actor ORDER BY actor').all().map((r) => [r.actor, r.n]);
    assert.deepEqual(actors, [['main', 50], ['w1', perWriter], ['w2', perWriter]]);
    await first.close();
  });
});
