import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RECIPIENT_STATUSES } from '../../src/model/campaigns.ts';
import { advances, checkTransition, contactedAt } from '../../src/campaigns/tracking.ts';
import { campaignCode, formatReference, normaliseReference } from '../../src/campaigns/reference.ts';

test('a recipient moves forward, may skip a step, and does not move back unless corrected on purpose', () => {
  assert.deepEqual(checkTransition('selected', 'letter-generated'), { ok: true });
  assert.deepEqual(checkTransition('letter-generated', 'email-sent'), { ok: true });
  assert.deepEqual(checkTransition('talk-scheduled', 'talk-held'), { ok: true });
  assert.equal(checkTransition('email-sent', 'talk-held').ok, false);
  assert.equal(checkTransition('talk-held', 'talk-scheduled').ok, false);
  assert.deepEqual(checkTransition('talk-held', 'talk-scheduled', true), { ok: true });
  assert.equal(checkTransition('selected', 'selected').ok, false);
});

test('letters and e-mails are two channels: a letter posted after the e-mail is recorded, the status stays', () => {
  assert.deepEqual(checkTransition('email-sent', 'letter-sent'), { ok: true, keepStatus: true });
  assert.deepEqual(checkTransition('talk-scheduled', 'email-sent'), { ok: true, keepStatus: true });
  assert.deepEqual(checkTransition('letter-sent', 'email-sent'), { ok: true });
});

test('no response needs a contact first and not a held talk; a late reply can still be scheduled', () => {
  assert.equal(checkTransition('selected', 'no-response').ok, false);
  assert.equal(checkTransition('talk-held', 'no-response').ok, false);
  assert.deepEqual(checkTransition('letter-sent', 'no-response'), { ok: true });
  assert.deepEqual(checkTransition('no-response', 'talk-scheduled'), { ok: true });
});

test('what Lode does itself (letters made, e-mails sent) only ever moves a recipient on', () => {
  fc.assert(fc.property(fc.constantFrom(...RECIPIENT_STATUSES), fc.constantFrom(...RECIPIENT_STATUSES), (from, to) => {
    const rank = (s: string) => RECIPIENT_STATUSES.indexOf(s as (typeof RECIPIENT_STATUSES)[number]);
    if (advances(from, to)) assert.ok(rank(to) > rank(from) && from !== 'no-response');
  }));
  assert.equal(advances('talk-scheduled', 'letter-generated'), false);
});

test('first contact is the earliest letter or e-mail sent', () => {
  assert.equal(contactedAt([{ status: 'selected', at: '2026-01-01' }, { status: 'email-sent', at: '2026-02-03' }, { status: 'letter-sent', at: '2026-02-01' }]), '2026-02-01');
  assert.equal(contactedAt([{ status: 'letter-generated', at: '2026-01-01' }]), undefined);
});

test('references carry check digits: any single changed character or two swapped digits is refused', () => {
  fc.assert(fc.property(fc.stringMatching(/^[A-Z0-9]{1,10}$/), fc.integer({ min: 1, max: 99_999 }), fc.nat(), (code, seq, pick) => {
    const reference = formatReference(code, seq);
    assert.equal(normaliseReference(reference), reference);
    assert.equal(normaliseReference(` ${reference.toLowerCase()} `), reference);
    const digits = [...reference].map((c, i) => [c, i] as const).filter(([c, i]) => /\d/.test(c) && i > code.length);
    const [digit, at] = digits[pick % digits.length]!;
    const changed = `${reference.slice(0, at)}${(Number(digit) + 1 + (pick % 9)) % 10}${reference.slice(at + 1)}`;
    if (changed !== reference) assert.equal(normaliseReference(changed), undefined, `${changed} from ${reference}`);
  }));
  assert.equal(normaliseReference('WLI-00001'), undefined);
  assert.equal(campaignCode('wli-nl 2026'), 'WLINL2026');
  assert.equal(campaignCode('éé'), 'EE');
  assert.equal(campaignCode('---'), 'CAMPAIGN');
});
