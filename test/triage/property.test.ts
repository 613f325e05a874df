import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TriageScorer } from '../../src/triage/scorer.ts';
import { findSignals } from '../../src/triage/signals.ts';

// Text made of lexicon-ish words, punctuation, digits, emoji and odd Unicode, so arbitrary
// strings also hit terms, gaps, names, patterns and the non-ASCII path.
const WORDS = [
  'die', 'gast', 'moet', 'weg', 'hem', 'klappen', 'le', 'fumer', 'take', 'him', 'out', 'Rico', 'prince77', 'pizza', 'politie',
  'opgezocht', 'zijn', 'huis', 'glock', 'kost', 'dit', 'is', 'MSCU1234565', '21:15', '25k', 'Ça', 'défoncer', 'l\'emmène', 'au', 'box',
  'groep', 'griep', 'in', 'de', 'kofferbak', 'tot', 'hij', 'betaalt', '52.08168,', '5.09893',
];
const piece = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.string({ maxLength: 6 }),
  fc.constantFrom(' ', ', ', '. ', '\n', '!', '?', '-', '🔥', '😂', 'é', 'e\u0301', '\u0000', 'İ', 'ß', 'ﬁ', '½', '\ud83d'),
);
const text = fc.array(piece, { maxLength: 30 }).map((parts) => parts.join(' '));
const attachments = fc.array(fc.record({ mime: fc.constantFrom('image/jpeg', 'audio/ogg', 'application/pdf'), name: fc.constantFrom('a.jpg', 'b.ogg', 'c') }), { maxLength: 2 });

test('arbitrary text never throws; spans lie inside the body', () => {
  fc.assert(fc.property(fc.oneof(text, fc.string({ unit: 'binary', maxLength: 80 })), attachments, (body, files) => {
    for (const s of findSignals(body, undefined, files)) {
      if (s.start === undefined) continue;
      assert.ok(Number.isInteger(s.start) && Number.isInteger(s.end));
      assert.ok(s.start >= 0 && s.end! <= body.length && s.start < s.end!, `${s.start}..${s.end} in ${body.length}`);
    }
  }), { numRuns: 2000 });
});

test('a stream of arbitrary messages: scores in [0,1], reasons point inside the body with their words quoted', () => {
  const message = fc.record({
    body: text,
    from: fc.constantFrom('a', 'b', 'c', 'kogel34'),
    to: fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 3 }),
    dt: fc.integer({ min: 0, max: 5 * 24 * 3600 * 1000 }),
    hasTime: fc.boolean(),
    attachments,
  });
  fc.assert(fc.property(fc.array(message, { maxLength: 25 }), (messages) => {
    const scorer = new TriageScorer({ maxAccounts: 3 });
    let ts = Date.parse('2020-04-01T00:00:00Z');
    messages.forEach((m, i) => {
      ts += m.dt;
      const findings = scorer.score({ id: `e-${i}`, from: m.from, to: m.to, body: m.body, attachments: m.attachments, ...(m.hasTime ? { tsMs: ts } : {}) });
      for (const f of findings) {
        assert.ok(f.score >= 0 && f.score <= 1, `score ${f.score}`);
        assert.ok(f.kind === 'threat' || f.kind === 'leak');
        for (const r of f.reasons) {
          assert.ok(Number.isFinite(r.weight));
          if (r.start === undefined) continue;
          assert.ok(r.start >= 0 && r.end! <= m.body.length && r.start < r.end!);
          assert.ok(r.text.includes(m.body.slice(r.start, r.end)), r.text);
        }
        // context names an earlier message of this stream
        for (const r of f.reasons) if (r.item !== undefined) assert.ok(Number(r.item.slice(2)) < i);
      }
      assert.ok(scorer.contextSize <= 3);
    });
  }), { numRuns: 300 });
});
