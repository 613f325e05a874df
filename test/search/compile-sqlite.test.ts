import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery } from '../../src/search/parse.ts';
import { compileSqlite, isFtsExpressible } from '../../src/search/compile-sqlite.ts';

const compile = (query: string, words: string[] = []) => compileSqlite(parseQuery(query), { expandFuzzy: () => words });

test('text-only queries become one FTS5 expression with quoted words', () => {
  assert.equal(compile('kilo haven').match, '("kilo") AND ("haven")');
  assert.equal(compile('kilo OR "geld cash"').match, '("kilo") OR ("geld cash")');
  assert.equal(compile('"geld cash"~5').match, 'NEAR("geld" "cash", 5)');
  assert.equal(compile('coke*').match, '"coke"*');
  assert.equal(compile('kilo -pizza').match, '(("kilo")) NOT ("pizza")');
});

test('a quote inside a word cannot break out of the FTS5 string', () => {
  // the parser never lets one through; the compiler does not rely on that: only the words reach FTS5
  const plan = compileSqlite({ kind: 'term', value: 'a" OR "b', span: { start: 0, end: 8 } }, { expandFuzzy: () => [] });
  assert.equal(plan.match, '"a or b"');
});

test('words reach FTS5 as the index holds them: folded, a term of several words as a phrase', () => {
  assert.equal(compile('Café').match, '"cafe"');
  assert.equal(compile('e-mail').match, '"e mail"');
  assert.equal(compile('ＫＩＬＯ').match, '"kilo"');
  assert.equal(compile('Coke*').match, '"coke"*');
  assert.equal(compile('"Geld  CASH"').match, '"geld cash"');
});

test('fuzzy words expand to the vocabulary words and the word itself', () => {
  const plan = compile('kilo~1', ['kilos', 'kila']);
  assert.equal(plan.match, '("kilo" OR "kilos" OR "kila")');
  assert.deepEqual(plan.expansions, { 'kilo~1': ['kilo', 'kilos', 'kila'] });
});

test('dates become a rowid range, exact to the millisecond when needed', () => {
  const whole = compile('kilo date:[2020-04-01 TO 2020-04-01]');
  assert.equal(whole.minKey, (Date.parse('2020-04-01T00:00:00Z') / 1000) * 2 ** 20);
  assert.equal(whole.maxKeyExclusive, (Date.parse('2020-04-02T00:00:00Z') / 1000) * 2 ** 20);
  assert.deepEqual(whole.where, []);
  const exact = compile('date:>=2020-04-01T10:00:00.250Z');
  assert.deepEqual(exact.where, ['m.ts_ms >= ?']);
  assert.deepEqual(exact.params, [Date.parse('2020-04-01T10:00:00.250Z')]);
});

test('filters become parameterised SQL, never text pasted into it', () => {
  const plan = compile("from:\"x' OR 1=1 --\" kilo");
  assert.equal(plan.match, '"kilo"');
  assert.deepEqual(plan.where, ['m.sender_id IN (SELECT id FROM accounts WHERE handle_folded = ?)']);
  assert.deepEqual(plan.params, ["x' or 1=1 --"]);
});

test('which subtrees the full-text index answers alone', () => {
  assert.equal(isFtsExpressible(parseQuery('a (b OR c) -d')), true);
  assert.equal(isFtsExpressible(parseQuery('a OR from:x')), false);
  assert.equal(isFtsExpressible(parseQuery('-a')), false);
  assert.equal(isFtsExpressible(parseQuery('a OR -b')), false);
});
