import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findSignals, withinOneEdit } from '../../src/triage/signals.ts';
import type { Signal } from '../../src/triage/signals.ts';

const IMAGE = [{ mime: 'image/jpeg', name: 'IMG_0412.jpg' }];

function signals(body: string, attachments: { mime?: string; name?: string }[] = [], isHandle?: (w: string) => boolean): Signal[] {
  return findSignals(body, undefined, attachments, isHandle ? { isHandle } : {});
}

/** kind:category of every signal, in text order. */
function kinds(body: string, attachments: { mime?: string; name?: string }[] = []): string[] {
  return signals(body, attachments).map((s) => `${s.kind}:${s.category}`);
}

function has(body: string, kind: string, category: string, attachments: { mime?: string; name?: string }[] = []): boolean {
  return kinds(body, attachments).includes(`${kind}:${category}`);
}

test('every span is the matched text of the body, also with diacritics and emoji before it', () => {
  for (const body of ['On va le FUMER ce soir 🔥', '🤫🤫 Ça dépend, on va le fumer à Noël', 'we gaan hem klappen!!', 'Défoncez-le, ce bâtard']) {
    for (const s of signals(body)) {
      if (s.start === undefined || s.end === undefined) continue;
      assert.ok(s.start >= 0 && s.end <= body.length && s.start < s.end, body);
      const written = body.slice(s.start, s.end).normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
      // a term's words in order, whatever stands between them (a gap, punctuation)
      const words = s.term.split(/[\s']+/).filter((w) => w !== '*' && w !== '_').map((w) => w.replace(/\*$/, ''));
      if (s.kind !== 'target' || s.category !== 'name') for (const word of words) assert.ok(written.includes(word), `${body}: ${s.term} in "${written}"`);
    }
  }
  const body = '🚗 on va le fumer';
  const intent = signals(body).find((s) => s.kind === 'intent')!;
  assert.equal(body.slice(intent.start, intent.end), 'le fumer');
});

test('intents: killing, kidnapping, torture and assault in Dutch, English and French slang', () => {
  assert.ok(has('die gast moet je omleggen', 'intent', 'kill'));
  assert.ok(has('we gaan hem klappen', 'intent', 'kill'));
  assert.ok(has('hij haalt de zomer niet', 'intent', 'kill'));
  assert.ok(has('put him to sleep', 'intent', 'kill'));
  assert.ok(has('wet him up', 'intent', 'kill'));
  assert.ok(has('on va le fumer', 'intent', 'kill'));
  assert.ok(has('faut le buter', 'intent', 'kill'));
  assert.ok(has('we ontvoeren zijn zoon', 'intent', 'kidnap'));
  assert.ok(has('on le séquestre', 'intent', 'kidnap'));
  assert.ok(has('hij moet praten, desnoods met de tang', 'intent', 'torture'));
  assert.ok(has('faire parler ce mec', 'intent', 'torture'));
  assert.ok(has('kneecap him', 'intent', 'assault'));
  assert.ok(has('geef hem een pak slaag', 'intent', 'assault'));
  assert.ok(!kinds('we gaan vanavond uit eten').some((k) => k.startsWith('intent')));
});

test('prefix terms match any ending; gap terms match with up to three words between', () => {
  assert.ok(has('hij wordt ontvoerd', 'intent', 'kidnap'));
  assert.ok(has('tabassez-le', 'intent', 'assault'));
  assert.ok(has('take him out', 'intent', 'kill'));
  assert.ok(has('take that little snake out', 'intent', 'kill'));
  assert.ok(!has('take that little lying snake straight out', 'intent', 'kill'), 'four words is too far');
});

test('targets: pronouns, person words, relatives, names from the list', () => {
  assert.ok(has('die verrader moet weg', 'target', 'person'));
  assert.ok(has('that snitch needs to go', 'target', 'person'));
  assert.ok(has("we pakken z'n broertje", 'target', 'relative'));
  assert.ok(has('kidnap his little brother', 'target', 'relative'));
  assert.ok(has('rachid moet weg', 'target', 'name'));
});

test('names around an intent: capitalised, handle-like, a known handle, an unknown word next to it', () => {
  const capitalised = signals('we gaan Zwaantje klappen').find((s) => s.kind === 'target');
  assert.equal(capitalised?.term, 'capitalised name');
  assert.equal(signals('breek prince77 zijn benen').find((s) => s.kind === 'target')?.term, 'handle-like word');
  assert.equal(signals('condor moet weg').find((s) => s.kind === 'target')?.term, 'unknown word next to the intent');
  const known = signals('condor en nog iemand anders moet weg', [], (w) => w === 'condor').find((s) => s.kind === 'target');
  assert.equal(known?.term, 'known handle');
  // road and model codes are not handles; shouted and sentence-initial words are not capitalised names
  assert.equal(signals('murder on the m25').some((s) => s.kind === 'target'), false);
  assert.equal(signals('WE GAAN ZWAANTJE HEEL ERG HARD klappen').some((s) => s.term === 'capitalised name'), false);
  assert.equal(signals('we gaan Zwaantje heel erg hard klappen').some((s) => s.term === 'capitalised name'), true);
  // no intent, no name hunt: names are only looked for around an intent
  assert.equal(signals('Zwaantje komt morgen').some((s) => s.kind === 'target' && s.category === 'name'), false);
});

test('a name in another clause is not the target; an ordinary word is never a name', () => {
  assert.equal(signals('afval moet weg, tiger king is ziek', [], (w) => w === 'tiger').some((s) => s.kind === 'target'), false);
  assert.equal(signals('de auto moet weg').some((s) => s.kind === 'target'), false);
  assert.equal(signals('die taart moet weg', [], (w) => w === 'taart').some((s) => s.kind === 'target'), false);
  // one typo away from an ordinary word: the ordinary word, not a nickname
  assert.equal(signals('die kapslon moet weg').some((s) => s.kind === 'target'), false);
});

test('preparation: weapons, hitmen, vehicles, places, surveillance, payment, time, photos, readiness, captivity', () => {
  assert.ok(has('ik heb een vest en een pistool', 'prep', 'weapon'));
  assert.ok(has('la kalash est prête', 'prep', 'weapon'));
  assert.ok(has('de schutter wacht', 'prep', 'hitman'));
  assert.ok(has('de vluchtauto staat klaar', 'prep', 'vehicle'));
  assert.ok(has('car on false plates', 'prep', 'vehicle'));
  assert.ok(has('zijn vriendin woont boven de kapper', 'prep', 'location'));
  assert.ok(has('il habite au troisième', 'prep', 'location'));
  assert.ok(has('baken zit onder zijn auto', 'prep', 'surveillance'));
  assert.ok(has('un guetteur surveille son immeuble', 'prep', 'surveillance'));
  assert.ok(has('half up front, rest after', 'prep', 'payment'));
  assert.ok(has('wacht tot hij alleen is', 'prep', 'time'));
  assert.ok(has('dit is hem', 'prep', 'photo'));
  assert.ok(has('everything ready for saturday', 'prep', 'ready'));
  assert.ok(has('in de kofferbak tot hij betaalt', 'prep', 'captivity'));
});

test('a picture counts as preparation when words point at a person or a place', () => {
  const about = signals('dit is zijn vrouw', IMAGE).find((s) => s.term.startsWith('image'))!;
  const bare = signals('kijk deze', IMAGE).find((s) => s.term.startsWith('image'))!;
  assert.ok(about.weight > bare.weight);
  assert.equal(about.start, undefined, 'an attachment has no span in the text');
  assert.equal(signals('dit is zijn vrouw', [{ mime: 'audio/ogg' }]).some((s) => s.term.startsWith('image')), false);
  assert.ok(signals('dit is hem', [{ name: 'IMG_9.JPG' }]).some((s) => s.term.startsWith('image')), 'a name says image when the MIME type is missing');
});

test('built-in patterns: clock times, sums of money, coordinates, container numbers', () => {
  assert.ok(has('zaterdag om 21:15', 'prep', 'time'));
  assert.ok(has('hij krijgt 25k', 'prep', 'payment'));
  assert.ok(has('€ 73.000 klaar', 'prep', 'payment'));
  assert.ok(has('hier 52.08168, 5.09893', 'prep', 'location'));
  assert.ok(has('pincode van MRKU 989363-3', 'leak', 'port'));
  assert.equal(kinds('versie 2 van de app').length, 0);
});

test('look-alike cues: games, films, sport, tiredness, laughing, food, one\'s own family, groups, hurrying, errands, music', () => {
  assert.ok(has('ik heb hem afgeknald in warzone', 'decoy', 'game'));
  assert.ok(has('ils le fument dans narcos', 'decoy', 'film'));
  assert.ok(has('ajax heeft ze afgeslacht', 'decoy', 'sport'));
  assert.ok(has('dead tired', 'decoy', 'tired'));
  assert.ok(has('je suis mort de rire', 'decoy', 'laugh'));
  assert.ok(has('ik ga die pizza klappen', 'decoy', 'food'));
  assert.ok(has('ma daronne va me tuer', 'decoy', 'self'));
  assert.ok(has('hij moet uit de groep', 'decoy', 'group'));
  assert.ok(has('schiet op we zijn laat', 'decoy', 'hurry'));
  assert.ok(has('ik moet de auto ophalen bij de garage', 'decoy', 'pickup'));
  assert.ok(has('deze beat is killer', 'decoy', 'music'));
  assert.ok(has('glock 19 kost 3500', 'decoy', 'trade'));
});

test('next to an intent a look-alike cue is found with one typo ("griep" for "groep")', () => {
  assert.ok(has('hij moet weg uit de griep', 'decoy', 'group'));
  // away from an intent nobody looks for typos (it would cost every message)
  assert.ok(!has('de griep is weer rond', 'decoy', 'group'));
  assert.ok(withinOneEdit('groep', 'griep'));
  assert.ok(withinOneEdit('schon', 'schoon'));
  assert.ok(withinOneEdit('paritj', 'partij'));
  assert.ok(!withinOneEdit('condor', 'conor5'));
});

test('leak signals: sectors, insiders, look-ups, tip-offs, letting goods through, systems', () => {
  assert.ok(has('mijn neef bij de politie', 'leak', 'police'));
  assert.ok(has('la douane', 'leak', 'customs'));
  assert.ok(has('die gast bij ect', 'leak', 'port'));
  assert.ok(has('iemand bij burgerzaken', 'leak', 'municipality'));
  assert.ok(has('guy at the dvla', 'leak', 'registry'));
  assert.ok(has('onze man bij de douane', 'leak', 'insider'));
  assert.ok(has('heeft zijn adres opgezocht', 'leak', 'lookup'));
  assert.ok(has('er komt een inval', 'leak', 'tipoff'));
  assert.ok(has('notre gars laisse passer', 'leak', 'facilitation'));
  assert.ok(has('ik laat het natrekken in het systeem', 'leak', 'system'));
});

test('the same evidence twice counts once', () => {
  const twice = signals('motor is in the garage. motor is in the garage').filter((s) => s.kind === 'prep');
  assert.equal(twice.length, 1);
});

test('empty and wordless bodies give no signals', () => {
  assert.deepEqual(signals(''), []);
  assert.deepEqual(signals('👍🔥 ...'), []);
});
