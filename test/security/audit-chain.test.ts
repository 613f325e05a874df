import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditHash, canonicalJson, verifyChain } from '../../src/security/audit-chain.ts';
import type { AuditEvent } from '../../src/model/security.ts';

const GENESIS = 'a'.repeat(64);

function chain(count: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  let prevHash = GENESIS;
  for (let seq = 1; seq <= count; seq += 1) {
    const fields = { seq, at: `2024-01-01T00:00:0${seq}.000Z`, actor: seq % 2 ? 'alice' : 'bob', action: 'search', target: `zuid`, details: { q: `kilo ${seq}`, hits: seq * 3 } };
    const hash = auditHash(prevHash, fields);
    events.push({ ...fields, prevHash, hash });
    prevHash = hash;
  }
  return events;
}

test('an untouched chain verifies and names its head', () => {
  const events = chain(5);
  assert.deepEqual(verifyChain(events, GENESIS), { ok: true, events: 5, head: events[4]!.hash });
  assert.deepEqual(verifyChain([], GENESIS), { ok: true, events: 0, head: GENESIS });
});

test('a changed detail is a hash mismatch at that event', () => {
  const events = chain(5);
  events[2] = { ...events[2]!, details: { q: 'kilo 3', hits: 0 } };
  const result = verifyChain(events, GENESIS);
  assert.equal(result.ok, false);
  assert.equal(result.firstBadSeq, 3);
  assert.match(result.reason ?? '', /hash mismatch/);
  assert.equal(result.events, 2);
});

test('a deleted event is a gap in seq', () => {
  const events = chain(5);
  events.splice(1, 1);
  const result = verifyChain(events, GENESIS);
  assert.equal(result.firstBadSeq, 2, 'the missing seq');
  assert.match(result.reason ?? '', /gap in seq: seq 2 is missing/);
});

test('a reordered pair is found, whether the seqs moved with the events or not', () => {
  const moved = chain(5);
  [moved[1], moved[2]] = [moved[2]!, moved[1]!];
  assert.equal(verifyChain(moved, GENESIS).firstBadSeq, 2);

  const renumbered = chain(5);
  const [second, third] = [renumbered[1]!, renumbered[2]!];
  renumbered[1] = { ...third, seq: 2 };
  renumbered[2] = { ...second, seq: 3 };
  const result = verifyChain(renumbered, GENESIS);
  assert.equal(result.firstBadSeq, 2);
  assert.match(result.reason ?? '', /broken link/);
});

test('a changed event with its hash recomputed breaks the link to the next one', () => {
  const events = chain(5);
  const forged = { ...events[2]!, actor: 'nobody' };
  events[2] = { ...forged, hash: auditHash(forged.prevHash, forged) };
  const result = verifyChain(events, GENESIS);
  assert.equal(result.firstBadSeq, 4);
  assert.match(result.reason ?? '', /broken link: prev_hash does not match the hash of seq 3/);
});

test('a chain rebuilt from scratch does not start from the store\'s genesis', () => {
  const result = verifyChain(chain(3), 'b'.repeat(64));
  assert.equal(result.firstBadSeq, 1);
  assert.match(result.reason ?? '', /genesis/);
});

test('the hash does not depend on the order details were built in', () => {
  const a = { seq: 1, at: 't', actor: 'x', action: 'y', details: { b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } } };
  const b = { seq: 1, at: 't', actor: 'x', action: 'y', details: { a: { c: null, d: [1, { e: 3, f: 2 }] }, b: 1 } };
  assert.equal(auditHash(GENESIS, a), auditHash(GENESIS, b));
  assert.equal(canonicalJson(b.details), '{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
  assert.equal(canonicalJson({ gone: undefined, kept: 'ü"' }), '{"kept":"ü\\""}');
  assert.notEqual(auditHash(GENESIS, a), auditHash(GENESIS, { ...a, target: 'zuid' }));
});
