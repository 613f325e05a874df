import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findSignals, TARGET_WINDOW } from '../../src/triage/signals.ts';
import { assessThreat, THREAT_ALERT_THRESHOLD, THREAT_MIN_SCORE, threatFinding } from '../../src/triage/threat.ts';
import { scoreLeak, LEAK_ALERT_THRESHOLD } from '../../src/triage/leak.ts';
import type { TriageFinding } from '../../src/model/triage.ts';

function threat(body: string, attachments: { mime?: string }[] = []): TriageFinding | undefined {
  return threatFinding(body, assessThreat(findSignals(body, undefined, attachments), TARGET_WINDOW));
}

function threatScore(body: string): number {
  return threat(body)?.score ?? 0;
}

function leak(body: string): TriageFinding | undefined {
  return scoreLeak(body, findSignals(body, undefined, []));
}

test('an intent aimed at someone is a threat; the same words without a target are not', () => {
  for (const body of ['we gaan hem klappen', 'die gast moet je omleggen', 'put him to sleep for good', 'on va le fumer', 'Rachid moet weg']) {
    assert.ok(threatScore(body) >= THREAT_ALERT_THRESHOLD, body);
  }
  for (const body of ['ik moet weg', 'klappen aan de bar', 'take care', 'we gaan vanavond knallen']) {
    assert.ok(threatScore(body) < THREAT_ALERT_THRESHOLD, body);
  }
});

test("the issue's look-alikes score low", () => {
  for (const body of ['die pizza klappen', 'ik ga die pizza klappen', 'killing it', 'you are killing it bro', 'dead tired', 'ik ga dood van het lachen']) {
    assert.ok(threatScore(body) < THREAT_ALERT_THRESHOLD, body);
  }
});

test('a look-alike cue takes a threat away, and says so', () => {
  const finding = threat('ik heb hem afgeknald in warzone');
  const score = finding?.score ?? 0;
  assert.ok(score < THREAT_ALERT_THRESHOLD);
  assert.ok(threatScore('ik heb hem afgeknald') >= THREAT_ALERT_THRESHOLD, 'without the game it is one');
  if (finding) assert.ok(finding.reasons.some((r) => r.signal === 'decoy:game' && r.weight < 0));
});

test('kidnap words that are everyday words need a target and captivity', () => {
  assert.ok(threatScore('we gaan Rico ophalen') < THREAT_ALERT_THRESHOLD, 'picking a friend up');
  assert.ok(threatScore('we gaan Rico ophalen en in de bus') >= THREAT_ALERT_THRESHOLD);
  assert.ok(threatScore('ophalen en in de bus') < THREAT_ALERT_THRESHOLD, 'no one is taken');
  assert.ok(threatScore('grab 3 from Ramon, its in the unit') < THREAT_ALERT_THRESHOLD, 'goods, not a person');
});

test('preparation alone stays below an alert, however much of it', () => {
  for (const body of ['ik heb een vest en een pistool', 'gestolen audi met valse platen, glock en kogels in de kofferbak, spotter voor zijn deur', 'dit is hem']) {
    assert.ok(threatScore(body) < THREAT_ALERT_THRESHOLD, body);
  }
});

test('trade talk explains away weapons talk but not a stated intent', () => {
  const context = { item: 'e-1', account: 'kogel34', intent: 'kill' };
  const weapons = assessThreat(findSignals('glock 19 kost 3500', undefined, []), TARGET_WINDOW);
  assert.ok(weapons.decoys.some((d) => d.category === 'trade'));
  assert.ok((threatFinding('glock 19 kost 3500', weapons, context)?.score ?? 0) < THREAT_ALERT_THRESHOLD, 'a price, even after an intent');
  const ready = assessThreat(findSignals('de glock ligt klaar', undefined, []), TARGET_WINDOW);
  assert.ok((threatFinding('de glock ligt klaar', ready, context)?.score ?? 0) >= THREAT_ALERT_THRESHOLD, 'a weapon made ready, after an intent');
  assert.ok(threatScore('Youssef moet uitgeschakeld worden, kost wat het kost') >= THREAT_ALERT_THRESHOLD);
});

test('every reason explains itself in English and points at its words', () => {
  const body = 'Die verrader gaan we vrijdag lek schieten, de glock ligt klaar';
  const finding = threat(body)!;
  assert.ok(finding.score >= THREAT_ALERT_THRESHOLD);
  const signals = finding.reasons.map((r) => r.signal);
  assert.ok(signals.includes('intent:kill'));
  assert.ok(signals.includes('target'));
  assert.ok(signals.includes('prep:weapon'));
  for (const reason of finding.reasons) {
    assert.ok(reason.text.length > 0);
    if (reason.start === undefined) continue;
    const written = body.slice(reason.start, reason.end);
    assert.ok(reason.text.includes(`"${written}"`), `${reason.text} quotes ${written}`);
  }
  const intent = finding.reasons.find((r) => r.signal === 'intent:kill')!;
  assert.equal(body.slice(intent.start, intent.end), 'lek schieten');
});

test('nothing worth reporting gives no finding', () => {
  assert.equal(threat('hoe laat kom je morgen'), undefined);
  assert.equal(threat('glock'), undefined, `a lone weapon is below ${THREAT_MIN_SCORE}`);
});

test('leaks: a sector with an inside look-up, tip-off or passage; knowing someone there is not one', () => {
  for (const [body, sector] of [
    ['mijn neef bij de politie checkt het kenteken', 'police'],
    ['contact bij de skotoe zegt dat er een inval komt', 'police'],
    ['douane mannetje zegt dat de bak wordt gescand', 'customs'],
    ['de planner bij apm verplaatst de bak', 'port'],
    ['mijn nicht bij de gemeente zoekt zijn adres op', 'municipality'],
    ['guy at the dvla says who its registered to', 'registry'],
    ['le douanier laisse passer le conteneur', 'customs'],
  ] as const) {
    const finding = leak(body);
    assert.ok(finding && finding.score >= LEAK_ALERT_THRESHOLD, body);
    assert.equal(finding.category, sector, body);
    assert.equal(finding.kind, 'leak');
  }
  for (const body of ['mijn neef werkt bij de politie en vindt het leuk', 'politie controleert overal', 'check MSCU1234565 in het systeem', 'la douane a taxé mon colis']) {
    assert.ok((leak(body)?.score ?? 0) < LEAK_ALERT_THRESHOLD, body);
  }
});

test('a look-up "in the system" without a sector named is a police leak', () => {
  const finding = leak('ik laat het natrekken in het systeem')!;
  assert.ok(finding.score >= LEAK_ALERT_THRESHOLD);
  assert.equal(finding.category, 'police');
  assert.ok(finding.reasons.some((r) => r.signal === 'leak:police' && r.text.includes('by default')));
});

test('a container number places a message in the port', () => {
  const finding = leak('pincode van MRKU 989363-3 komt morgen')!;
  assert.equal(finding.category, 'port');
  assert.ok(finding.score >= LEAK_ALERT_THRESHOLD);
});
