import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileLexicons, DEFAULT_LEXICONS, findTopics, findVolumes, foldedTokens, lexiconsFor, topicSeverity, TOPICS,
} from '../../src/extract/topics/topics.ts';

const topicsOf = (body: string, lang?: string): string[] => [...new Set(findTopics(body, lang).map((h) => h.topic))].sort();

test('hits carry the span of what was written, across case and diacritics', () => {
  const body = 'Yo, de UITHALERS staan klaar bij de kade; Kalasj ligt in de kofferbak';
  const hits = findTopics(body, 'nl');
  assert.deepEqual(hits.map((h) => [h.topic, body.slice(h.start, h.end)]), [
    ['cocaine-import', 'UITHALERS'], ['cocaine-import', 'kade'], ['weapons', 'Kalasj'],
  ]);
  const fr = 'le conteneur est débarqué au quai';
  assert.deepEqual(findTopics(fr, 'fr').map((h) => fr.slice(h.start, h.end)), ['conteneur', 'débarqué', 'quai']);
});

test('a term of several words matches only as a sequence, and the longest of a topic wins', () => {
  assert.deepEqual(findTopics('he is a bent copper for sure', 'en').map((h) => h.term), ['bent copper']);
  assert.deepEqual(findTopics('copper pipes are bent', 'en'), []);
  assert.deepEqual(findTopics('ik ga geld witwassen via ondergronds bankieren', 'nl').map((h) => h.term), ['witwas*', 'ondergronds bankier*']);
  // "getaway" and "getaway car" are both violence terms: one hit, the longer.
  assert.deepEqual(findTopics('the getaway car is ready', 'en').map((h) => h.term), ['getaway car']);
});

test('phrasings written by hand, not taken from the generator, find their topic', () => {
  assert.deepEqual(topicsOf('die zeecontainer uit Guayaquil komt dinsdag de terminal op', 'nl'), ['cocaine-import']);
  assert.deepEqual(topicsOf('need two glocks and a box of ammo by friday', 'en'), ['weapons']);
  assert.deepEqual(topicsOf('le chimiste veut encore dix fûts de BMK', 'fr'), ['synthetic-lab']);
  assert.deepEqual(topicsOf('die katvanger heeft een nieuwe rekening geopend', 'nl'), ['money-laundering']);
  assert.deepEqual(topicsOf('hij heeft zijn adres laten natrekken in het systeem', 'nl'), ['insider']);
  assert.deepEqual(topicsOf('we snatch him saturday and tie him up in the lock-up', 'en'), ['violence']);
});

test('everyday chat has no topic', () => {
  for (const [body, lang] of [
    ['zin in pizza vanavond, kom je ook?', 'nl'], ['mum made a roast, cant be arsed cooking', 'en'], ['on se capte au snack ce soir', 'fr'],
    ['batterij bijna leeg, bel je straks', 'nl'], ['welk merk is die jas', 'nl'], ['he came home late', 'en'],
  ] as const) assert.deepEqual(findTopics(body, lang), [], body);
});

test('short words stay in their language; long ones cross over, as chat does', () => {
  assert.deepEqual(topicsOf('he came round to watch the match', 'en'), []);
  assert.deepEqual(topicsOf('il reste combien de came', 'fr'), ['drug-trade']);
  // Dutch slang in an English line: "stenen" is long enough to be safe abroad.
  assert.deepEqual(topicsOf('got 5 stenen left for the customer', 'en'), ['drug-trade']);
  // With no language at all every lexicon applies.
  assert.deepEqual(topicsOf('came?', undefined), ['drug-trade']);
  const nlForEnglish = lexiconsFor('en').find((l) => l.lang === 'nl')!;
  assert.ok(!Object.values(nlForEnglish.topics).some((t) => t.terms.includes('wit')));
  assert.ok(nlForEnglish.topics['drug-trade']!.terms.includes('stenen'));
});

test('volumes of drugs, pills and chemicals, but no money and no weight without a unit', () => {
  const volumes = findVolumes('40 stenen, 2,5 kilo, 1.000 kg, 10k pillen, 20 vaten bmk en 3 pallets');
  assert.deepEqual(volumes.map((v) => [v.quantity, v.unit, v.written]), [
    [40, 'kg', '40 stenen'], [2.5, 'kg', '2,5 kilo'], [1000, 'kg', '1.000 kg'], [10000, 'pills', '10k pillen'], [20, 'drums', '20 vaten'], [3, 'pallets', '3 pallets'],
  ]);
  assert.deepEqual(findVolumes('2 ton, 250 kils').map((v) => v.quantity), [2000, 250]);
  // Dutch "2 ton" next to money talk is 200,000 euros, which the amount extractor reads.
  assert.deepEqual(findVolumes('2 ton cash voor de boot'), []);
  assert.deepEqual(findVolumes('500k en 25.000 euro, om 12 uur'), []);
});

test('every lexicon is well formed: folded terms, a severity per topic, the same topics in each language', () => {
  const topicSets = DEFAULT_LEXICONS.map((l) => Object.keys(l.topics).sort().join(','));
  assert.equal(new Set(topicSets).size, 1);
  for (const lexicon of DEFAULT_LEXICONS) {
    for (const [topic, { severity, terms }] of Object.entries(lexicon.topics)) {
      assert.ok(severity > 0 && severity <= 5, `${lexicon.lang} ${topic} severity`);
      assert.ok(terms.length >= 5, `${lexicon.lang} ${topic} has terms`);
      for (const term of terms) {
        const written = term.replace(/\*$/, '');
        assert.equal(foldedTokens(written).map((t) => t.text).join(' '), written, `${lexicon.lang} "${term}" is folded`);
      }
    }
  }
  assert.doesNotThrow(() => compileLexicons(DEFAULT_LEXICONS));
  assert.throws(() => compileLexicons([{ lang: 'xx', topics: { t: { severity: 1, terms: ['ab*'] } } }]), /prefix needs 3 letters/);
  assert.ok(topicSeverity('violence') > topicSeverity('weapons') && topicSeverity('weapons') > topicSeverity('cannabis'));
  assert.equal(topicSeverity('no-such-topic'), 0);
  assert.ok(TOPICS.includes('cocaine-import'));
});

test('an analyst can add a lexicon of their own', () => {
  const matcher = compileLexicons([{ lang: 'nl', topics: { 'fireworks': { severity: 2, terms: ['cobra 6', 'shell*'] } } }]);
  assert.deepEqual(findTopics('twee Cobra 6 en shells', 'nl', matcher).map((h) => h.term), ['cobra 6', 'shell*']);
});
