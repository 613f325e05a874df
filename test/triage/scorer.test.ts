import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LEAK_ALERT_THRESHOLD, THREAT_ALERT_THRESHOLD, TRIAGE_TOOLRUN, TriageScorer } from '../../src/triage/scorer.ts';
import type { TriageMessage } from '../../src/triage/scorer.ts';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2020-04-01T12:00:00Z');
const IMAGE = [{ mime: 'image/jpeg', name: 'IMG_2212.jpg' }];

let sequence = 0;
function message(from: string, to: string, body: string, tsMs: number | undefined, attachments: TriageMessage['attachments'] = []): TriageMessage {
  return { id: `e-${++sequence}`, from, to: [to], body, attachments, ...(tsMs !== undefined ? { tsMs } : {}) };
}

function threatOf(scorer: TriageScorer, m: TriageMessage): { score: number; reasons: { signal: string; item?: string }[] } {
  const finding = scorer.score(m).find((f) => f.kind === 'threat');
  return { score: finding?.score ?? 0, reasons: finding?.reasons ?? [] };
}

test('the tool run and thresholds are exported for the alerts it raises', () => {
  assert.deepEqual(TRIAGE_TOOLRUN, { component: 'lode-triage', version: '1.0.0' });
  assert.ok(THREAT_ALERT_THRESHOLD > 0 && THREAT_ALERT_THRESHOLD < 1);
  assert.ok(LEAK_ALERT_THRESHOLD > 0 && LEAK_ALERT_THRESHOLD < 1);
});

test('most messages give no finding at all', () => {
  const scorer = new TriageScorer();
  for (const body of ['yo', 'hoe laat morgen', 'heb je gegeten?', 'ok 👍', 'on se capte demain']) assert.deepEqual(scorer.score(message('a', 'b', body, T0)), []);
});

test('a preparation message alone scores low; after an intent of the same account it is a threat naming that intent', () => {
  const alone = new TriageScorer();
  assert.ok(threatOf(alone, message('kogel34', 'hamer76', 'dit is hem', T0, IMAGE)).score < THREAT_ALERT_THRESHOLD);

  const scorer = new TriageScorer();
  const intent = message('kogel34', 'hamer76', 'die verrader moet dood, deze week nog', T0);
  assert.ok(threatOf(scorer, intent).score >= THREAT_ALERT_THRESHOLD);
  const prep = threatOf(scorer, message('kogel34', 'hamer76', 'dit is hem', T0 + 2 * DAY, IMAGE));
  assert.ok(prep.score >= THREAT_ALERT_THRESHOLD);
  const reason = prep.reasons.find((r) => r.signal === 'context:intent');
  assert.equal(reason?.item, intent.id);
});

test('context is per account: the recipient of the intent carries it, in either direction', () => {
  const scorer = new TriageScorer();
  scorer.score(message('kogel34', 'hamer76', 'we gaan hem klappen', T0));
  // hamer76 received the intent; he now writes to someone else
  assert.ok(threatOf(scorer, message('hamer76', 'superhavik', 'blaffer ligt in de auto', T0 + DAY)).score >= THREAT_ALERT_THRESHOLD);
  // and a message sent to the intent's author counts too
  assert.ok(threatOf(scorer, message('vreemde', 'kogel34', 'spotter zit voor zijn deur', T0 + DAY)).score >= THREAT_ALERT_THRESHOLD);
  // an account outside it does not
  assert.ok(threatOf(scorer, message('vreemde2', 'vreemde3', 'spotter zit voor zijn deur', T0 + DAY)).score < THREAT_ALERT_THRESHOLD);
});

test('the thread grows: whoever a threat message reaches carries the same intent context', () => {
  const scorer = new TriageScorer();
  const intent = message('leader', 'a', 'die gast moet je omleggen', T0);
  scorer.score(intent);
  scorer.score(message('a', 'b', 'scorpion met demper is er', T0 + HOUR));
  // b took part only through a's preparation message
  const later = threatOf(scorer, message('b', 'c', 'baken zit onder zijn auto', T0 + 2 * DAY));
  assert.ok(later.score >= THREAT_ALERT_THRESHOLD);
  assert.equal(later.reasons.find((r) => r.signal === 'context:intent')?.item, intent.id);
});

test('after the window the context is gone; a smaller window ends it sooner', () => {
  const scorer = new TriageScorer();
  scorer.score(message('a', 'b', 'we gaan hem klappen', T0));
  assert.ok(threatOf(scorer, message('a', 'b', 'dit is hem', T0 + 20 * DAY, IMAGE)).score >= THREAT_ALERT_THRESHOLD);
  assert.ok(threatOf(scorer, message('a', 'b', 'dit is hem', T0 + 22 * DAY, IMAGE)).score < THREAT_ALERT_THRESHOLD);

  const short = new TriageScorer({ windowMs: 2 * DAY });
  short.score(message('a', 'b', 'we gaan hem klappen', T0));
  assert.ok(threatOf(short, message('a', 'b', 'dit is hem', T0 + 3 * DAY, IMAGE)).score < THREAT_ALERT_THRESHOLD);
});

test('a look-alike stays low inside a busy context', () => {
  const scorer = new TriageScorer();
  scorer.score(message('a', 'b', 'die rat moet van de kaart', T0));
  for (const body of ['ik ga die pizza klappen', 'mijn moeder vermoordt me als ik te laat ben', 'ik heb hem afgeknald in warzone', 'schiet op we zijn laat', 'ik ben dood op']) {
    assert.ok(threatOf(scorer, message('a', 'b', body, T0 + HOUR)).score < THREAT_ALERT_THRESHOLD, body);
  }
  // ordinary chat of the same accounts with a weak cue (a day, a time) stays low too
  assert.ok(threatOf(scorer, message('a', 'b', 'morgen 14:30 afspreken bij de shisha lounge?', T0 + HOUR)).score < THREAT_ALERT_THRESHOLD);
});

test("weapons talk that is an account's daily business is no news after an intent", () => {
  const scorer = new TriageScorer();
  // a dealer talks guns for weeks
  scorer.score(message('dealer', 'klant1', 'scorpion met 2 magazijnen', T0 - 10 * DAY));
  scorer.score(message('dealer', 'klant2', 'blaffer is schoon', T0 - 5 * DAY));
  scorer.score(message('boss', 'dealer', 'die gast moet je omleggen', T0));
  assert.ok(threatOf(scorer, message('dealer', 'klant3', 'de glock is schoon', T0 + DAY)).score < THREAT_ALERT_THRESHOLD);
  // other preparation from the same dealer still counts
  assert.ok(threatOf(scorer, message('dealer', 'boss', 'baken zit onder zijn auto', T0 + DAY)).score >= THREAT_ALERT_THRESHOLD);
  // and the same words from an account that never talked guns count
  assert.ok(threatOf(scorer, message('boss', 'dealer', 'de glock is schoon', T0 + DAY)).score >= THREAT_ALERT_THRESHOLD);
});

test('a handle seen in the stream is a target when named next to an intent', () => {
  const scorer = new TriageScorer();
  scorer.score(message('zilverling', 'x', 'yo', T0));
  // "zilverling" is not a word any lexicon knows, and it stands two words from the intent
  const named = threatOf(scorer, message('a', 'b', 'zilverling en zijn maat moet je omleggen', T0 + HOUR));
  assert.ok(named.score >= THREAT_ALERT_THRESHOLD);
  const fresh = new TriageScorer();
  assert.ok(threatOf(fresh, message('a', 'b', 'zilverling en zijn maat moet je omleggen', T0 + HOUR)).score < named.score);
});

test('messages without a time neither give nor take context, and are still scored on their own', () => {
  const scorer = new TriageScorer();
  assert.ok(threatOf(scorer, message('a', 'b', 'we gaan hem klappen', undefined)).score >= THREAT_ALERT_THRESHOLD);
  assert.ok(threatOf(scorer, message('a', 'b', 'dit is hem', T0, IMAGE)).score < THREAT_ALERT_THRESHOLD);
  scorer.score(message('a', 'b', 'we gaan hem klappen', T0));
  assert.ok(threatOf(scorer, message('a', 'b', 'dit is hem', undefined, IMAGE)).score < THREAT_ALERT_THRESHOLD);
});

test('memory is bounded: contexts are capped and expired ones swept', () => {
  const capped = new TriageScorer({ maxAccounts: 10 });
  for (let i = 0; i < 50; i++) capped.score(message(`u${i}`, `v${i}`, 'die gast moet je omleggen', T0 + i * 1000));
  assert.ok(capped.contextSize <= 10);
  // the newest survive
  assert.ok(threatOf(capped, message('u49', 'x', 'dit is hem', T0 + HOUR, IMAGE)).score >= THREAT_ALERT_THRESHOLD);
  assert.ok(threatOf(capped, message('u0', 'y', 'dit is hem', T0 + HOUR, IMAGE)).score < THREAT_ALERT_THRESHOLD);

  const swept = new TriageScorer({ windowMs: DAY });
  for (let i = 0; i < 20; i++) swept.score(message(`u${i}`, `v${i}`, 'die gast moet je omleggen', T0));
  assert.equal(swept.contextSize, 40);
  for (let i = 0; i < 5000; i++) swept.score(message('p', 'q', 'ok', T0 + 2 * DAY + i));
  assert.equal(swept.contextSize, 0);
});

test('the same stream gives the same findings (deterministic)', () => {
  const stream = [
    message('a', 'b', 'die gast moet je omleggen', T0),
    message('b', 'c', 'scorpion met demper is er', T0 + HOUR),
    message('c', 'a', 'dit is hem', T0 + 2 * HOUR, IMAGE),
    message('d', 'e', 'mijn neef bij de politie checkt het kenteken', T0 + 3 * HOUR),
    message('a', 'b', 'ik ga die pizza klappen', T0 + 4 * HOUR),
  ];
  const run = (): unknown => { const s = new TriageScorer(); return stream.map((m) => s.score(m)); };
  assert.deepEqual(run(), run());
});

test('a leak and a threat can come from one message', () => {
  const scorer = new TriageScorer();
  const findings = scorer.score(message('a', 'b', 'mijn vriendin bij de politie heeft zijn adres opgezocht, we gaan hem klappen', T0));
  assert.deepEqual(findings.map((f) => f.kind).sort(), ['leak', 'threat']);
  assert.equal(findings.find((f) => f.kind === 'leak')?.category, 'police');
});
