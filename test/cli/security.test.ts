// lode user, grant, revoke and audit as an administrator meets them: bin/lode in a child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { temporaryDirectory } from '../fixtures.ts';
import { verifyPassword } from '../../src/security/passwords.ts';

const LODE = new URL('../../bin/lode', import.meta.url).pathname;

function lode(args: string[], home: string, input?: string): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(LODE, args, { encoding: 'utf8', input, env: { ...process.env, LODE_HOME: home, LODE_STORE: '', USER: 'root' } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function database(home: string): DatabaseSync {
  return new DatabaseSync(join(home, 'lode.sqlite'));
}

test('user add prints a generated password once; only its hash is stored', async () => {
  const home = temporaryDirectory();
  const added = lode(['user', 'add', 'alice', '--role', 'analyst'], home);
  assert.equal(added.code, 0, added.stderr);
  const password = /^password: (\S+)$/m.exec(added.stdout)?.[1];
  assert.ok(password && password.length >= 20, added.stdout);
  assert.match(added.stderr, /shown once/);

  const listed = lode(['user', 'list'], home);
  assert.equal(listed.code, 0);
  assert.match(listed.stdout, /alice\s+analyst\s+active/);
  assert.equal(listed.stdout.includes(password), false);
  const json = JSON.parse(lode(['user', 'list', '--json'], home).stdout);
  assert.deepEqual(json.users.map((u: { name: string; role: string }) => [u.name, u.role]), [['alice', 'analyst']]);
  assert.equal(JSON.stringify(json).includes('argon2'), false, 'no hash in the listing');

  const db = database(home);
  const stored = String(db.prepare(`SELECT password_hash FROM users WHERE name = 'alice'`).get()?.password_hash);
  db.close();
  assert.match(stored, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.equal(await verifyPassword(password, stored), true);
  assert.equal(readFileSync(join(home, 'lode.sqlite')).includes(password), false, 'the password is nowhere in the file');

  const again = lode(['user', 'add', 'alice', '--role', 'admin'], home);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already a user "alice"/);
});

test('--password-stdin takes a piped password; a password is never an argument', async () => {
  const home = temporaryDirectory();
  const added = lode(['user', 'add', 'bob', '--role', 'auditor', '--password-stdin', '--json'], home, 'a long enough secret\n');
  assert.equal(added.code, 0, added.stderr);
  const report = JSON.parse(added.stdout);
  assert.equal(report.user.name, 'bob');
  assert.equal(report.password, undefined, 'a chosen password is not echoed');
  const db = database(home);
  const stored = String(db.prepare(`SELECT password_hash FROM users WHERE name = 'bob'`).get()?.password_hash);
  db.close();
  assert.equal(await verifyPassword('a long enough secret', stored), true);

  assert.equal(lode(['user', 'add', 'carol', '--role', 'auditor', '--password-stdin'], home, 'short\n').code, 1);
  assert.equal(lode(['user', 'add', 'carol', '--role', 'auditor', '--password', 'a long enough secret'], home).code, 2);
  assert.equal(lode(['user', 'add', 'carol', '--role', 'superuser'], home).code, 2);
  assert.equal(lode(['user', 'add', 'carol'], home).code, 2, '--role is required');
  assert.equal(lode(['user', 'add', 'two words', '--role', 'analyst'], home).code, 2);
});

test('grant and revoke per dataset and case, user disable, each in the audit log', () => {
  const home = temporaryDirectory();
  assert.equal(lode(['user', 'add', 'dave', '--role', 'investigator'], home).code, 0);
  const granted = lode(['grant', 'dave', '--dataset', 'zuid', '--json'], home);
  assert.equal(granted.code, 0, granted.stderr);
  assert.equal(JSON.parse(granted.stdout).grant.target, 'zuid');
  assert.match(granted.stderr, /no dataset "zuid" yet/);
  assert.equal(lode(['grant', 'dave', '--case', 'operation-x'], home).code, 0);
  assert.equal(lode(['grant', 'dave'], home).code, 2, 'a target is required');
  assert.equal(lode(['grant', 'dave', '--dataset', 'a', '--case', 'b'], home).code, 2, 'one target at a time');
  assert.equal(lode(['grant', 'nobody', '--dataset', 'zuid'], home).code, 1);
  const users = JSON.parse(lode(['user', 'list', '--json'], home).stdout).users;
  assert.deepEqual(users[0].grants.map((g: { kind: string; target: string }) => `${g.kind}:${g.target}`), ['case:operation-x', 'dataset:zuid']);

  assert.equal(lode(['revoke', 'dave', '--case', 'operation-x'], home).code, 0);
  assert.equal(lode(['revoke', 'dave', '--case', 'operation-x'], home).code, 1, 'nothing left to revoke');
  assert.equal(lode(['user', 'disable', 'dave'], home).code, 0);
  assert.match(lode(['user', 'list'], home).stdout, /dave\s+investigator\s+disabled/);

  const audit = JSON.parse(lode(['audit', 'list', '--json'], home).stdout);
  assert.deepEqual(audit.events.map((e: { action: string }) => e.action).reverse(), ['user.add', 'grant', 'grant', 'revoke', 'user.disable']);
  assert.ok(audit.events.every((e: { actor: string }) => e.actor === 'cli:root'));
  assert.deepEqual(audit.events[1].details, { kind: 'case', target: 'operation-x' });
  const human = lode(['audit', 'list', '--action', 'grant'], home).stdout;
  assert.match(human, /#3 \S+ cli:root grant dave/);
  assert.match(human, /2 events/);
});

test('audit verify exits 0 on an intact log and 1 with the seq changed through raw SQL', () => {
  const home = temporaryDirectory();
  const empty = lode(['audit', 'verify'], home);
  assert.equal(empty.code, 0, empty.stderr);
  for (const name of ['erin', 'frank', 'grace']) assert.equal(lode(['user', 'add', name, '--role', 'analyst'], home).code, 0);
  const intact = lode(['audit', 'verify', '--json'], home);
  assert.equal(intact.code, 0);
  assert.deepEqual({ ...JSON.parse(intact.stdout), head: undefined }, { ok: true, events: 3, head: undefined });

  const db = database(home);
  assert.throws(() => db.exec(`UPDATE audit_events SET target = 'mallory' WHERE seq = 2`), /append-only/);
  db.exec('DROP TRIGGER audit_events_no_update');
  db.exec(`UPDATE audit_events SET target = 'mallory' WHERE seq = 2`);
  db.close();

  const broken = lode(['audit', 'verify'], home);
  assert.equal(broken.code, 1);
  assert.match(broken.stdout, /NOT intact at seq 2: hash mismatch/);
  const json = JSON.parse(lode(['audit', 'verify', '--json'], home).stdout);
  assert.equal(json.ok, false);
  assert.equal(json.firstBadSeq, 2);
  assert.equal(lode(['audit', 'check'], home).code, 2);
});
