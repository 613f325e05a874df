// lode scope and lode privileged as an administrator and a privilege reviewer meet them: bin/lode
// in a child process over a home with one ingested dataset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';

const LODE = new URL('../../bin/lode', import.meta.url).pathname;

function lode(args: string[], home: string): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(LODE, args, { encoding: 'utf8', env: { ...process.env, LODE_HOME: home, LODE_STORE: '', USER: 'root' } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function ok(args: string[], home: string): string {
  const run = lode(args, home);
  assert.equal(run.code, 0, `lode ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

function homeWithData(): string {
  const home = temporaryDirectory();
  const file = writeJsonl(join(home, 'zuid.jsonl'), [
    message('z-1', '2020-04-01T09:00:00Z', 'tapeworm', ['jaguar'], 'kilo bij de haven'),
    message('z-2', '2020-04-02T09:00:00Z', 'tapeworm', ['+31 6 1234 5678'], 'advocaat, wat moet ik zeggen over de kilo'),
    message('z-3', '2020-04-03T09:00:00Z', '0612345678', ['tapeworm'], 'zeg niets, pleidooi volgt, kilo'),
    message('z-4', '2020-06-01T09:00:00Z', 'otter', ['bever'], 'kilo in juni'),
  ]);
  ok(['ingest', file, '--dataset', 'zuid'], home);
  return home;
}

const refs = (home: string, query: string) => (JSON.parse(ok(['search', query, '--json', '--sort', 'oldest'], home)) as { hits: { ref: string }[] }).hits.map((h) => h.ref);

test('privileged add, list, review, release and destroy with a reviewer made by lode user add', () => {
  const home = homeWithData();
  const added = JSON.parse(ok(['privileged', 'add', 'phone:06-12345678', '--label', 'mr. De Vries', '--json'], home));
  assert.equal(added.identifier.value, '+31612345678');
  assert.equal(added.identifier.accounts, 2);
  assert.equal(lode(['privileged', 'add', 'phone:not a number'], home).code, 2);
  assert.match(ok(['privileged', 'list'], home), /phone\s+\+31612345678\s+2 accounts\s+mr\. De Vries/);
  // the console operator is not a privilege reviewer
  assert.deepEqual(refs(home, 'kilo'), ['z-1', 'z-4']);

  const refused = lode(['privileged', 'review'], home);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--as-reviewer/);
  ok(['user', 'add', 'ann', '--role', 'analyst'], home);
  const notReviewer = lode(['privileged', 'review', '--as-reviewer', 'ann'], home);
  assert.equal(notReviewer.code, 1);
  assert.match(notReviewer.stderr, /not an enabled user with the role privilege-reviewer/);

  ok(['user', 'add', 'rita', '--role', 'privilege-reviewer'], home);
  ok(['grant', 'rita', '--dataset', 'zuid'], home);
  const review = JSON.parse(ok(['privileged', 'review', '--as-reviewer', 'rita', '--json'], home)) as { total: number; messages: { id: string; ref: string }[] };
  assert.deepEqual(review.messages.map((m) => m.ref), ['z-3', 'z-2']);
  assert.match(ok(['privileged', 'review', '--as-reviewer', 'rita'], home), /privileged: 0612345678 = phone:\+31612345678 \(mr\. De Vries\)/);
  const [z3, z2] = review.messages.map((m) => m.id) as [string, string];

  const released = JSON.parse(ok(['privileged', 'release', z2, '--as-reviewer', 'rita', '--note', 'no advice', '--json'], home));
  assert.equal(released.decision.status, 'released');
  assert.deepEqual(refs(home, 'kilo'), ['z-1', 'z-2', 'z-4']);

  const destroyed = ok(['privileged', 'destroy', z3, '--as-reviewer', 'rita'], home);
  assert.match(destroyed, /destroyed by rita/);
  assert.match(destroyed, /run lode privileged purge to erase the words from the file/);
  const again = lode(['privileged', 'destroy', z3, '--as-reviewer', 'rita'], home);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /destroyed already/);
  assert.equal((JSON.parse(ok(['privileged', 'review', '--as-reviewer', 'rita', '--json'], home)) as { total: number }).total, 0);

  // the destroyed words ("pleidooi") leave the file: the index is merged and the file rewritten
  const purged = JSON.parse(ok(['privileged', 'purge', '--json'], home)) as { destroyed: number; bytesBefore: number; bytesAfter: number };
  assert.equal(purged.destroyed, 1);
  assert.ok(purged.bytesBefore > 0 && purged.bytesAfter > 0);
  assert.match(ok(['privileged', 'purge'], home), /^purged: 1 destroyed messages erased from the file; [\d.]+ MiB -> [\d.]+ MiB\n$/);
  assert.equal(lode(['privileged', 'purge', 'extra'], home).code, 2);
  const file = Buffer.concat(['lode.sqlite', 'lode.sqlite-wal'].map((f) => join(home, f)).filter((f) => existsSync(f)).map((f) => readFileSync(f)));
  for (const word of ['pleidooi', 'volgt']) assert.equal(file.includes(word), false, `${word} is still in the store file`);
  assert.deepEqual(refs(home, 'kilo'), ['z-1', 'z-2', 'z-4']);

  const events = (JSON.parse(ok(['audit', 'list', '--json'], home)) as { events: { actor: string; action: string }[] }).events;
  for (const [actor, action] of [['cli:root', 'privileged.add'], ['rita', 'privilege.review'], ['rita', 'privilege.release'], ['rita', 'privilege.destroy'], ['cli:root', 'privilege.purge']]) {
    assert.ok(events.some((e) => e.actor === actor && e.action === action), `${actor} ${action}`);
  }
  assert.equal(lode(['audit', 'verify'], home).code, 0);
  assert.match(ok(['privileged', '--help'], home), /Usage: lode privileged add/);
});

test('scope set, show and clear; the console sees beyond the scope', () => {
  const home = homeWithData();
  const set = JSON.parse(ok(['scope', 'set', 'zuid', '--handles', 'tapeworm, jaguar', '--from', '2020-04-01', '--to', '2020-04-30', '--warrant', 'RC-2020-17', '--json'], home));
  assert.deepEqual(set.scope.handles, ['tapeworm', 'jaguar']);
  assert.equal(set.scope.to, '2020-05-01T00:00:00.000Z', '--to a date includes that day');
  assert.match(ok(['scope', 'show', 'zuid'], home), /warrant\s+RC-2020-17/);
  assert.deepEqual(refs(home, 'kilo'), ['z-1', 'z-2', 'z-3', 'z-4']);
  assert.equal(lode(['scope', 'set', 'zuid', '--handles', 'x'], home).code, 2, 'a scope needs its warrant');
  assert.equal(lode(['scope', 'set', 'nowhere', '--handles', 'x', '--warrant', 'W'], home).code, 1);
  assert.deepEqual(JSON.parse(ok(['scope', 'clear', 'zuid', '--json'], home)), { dataset: 'zuid', cleared: true });
  assert.deepEqual(JSON.parse(ok(['scope', 'show', 'zuid', '--json'], home)), { dataset: 'zuid', scope: null });
  const events = (JSON.parse(ok(['audit', 'list', '--json'], home)) as { events: { action: string }[] }).events.map((e) => e.action);
  assert.ok(events.includes('scope.set') && events.includes('scope.clear'));
  assert.match(ok(['scope', '--help'], home), /Usage: lode scope set DATASET/);
});
