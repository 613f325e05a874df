// src/search/bm25.ts against SQLite's own FTS5 bm25(): the same scores, to the last bit, for
// every construct of the query language, on an index built as the SQLite store builds it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { bm25, idfOf, oddsOf, phraseFrequencies, phrasesOf, phraseStarts } from '../../src/search/bm25.ts';
import { compileSqlite } from '../../src/search/compile-sqlite.ts';
import { parseQuery } from '../../src/search/parse.ts';

const VOCABULARY = ['kilo', 'kilos', 'geld', 'stenen', 'haven', 'boot', 'prijs', 'coke', 'cokes', 'morgen', 'cash', 'binnen', 'ok'];

/** Rows of 1..40 words drawn from the vocabulary by a fixed generator, in an FTS5 index like the store's. */
function index(rows: number): { db: DatabaseSync; docs: string[][] } {
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const db = new DatabaseSync(':memory:');
  db.exec(`CREATE VIRTUAL TABLE f USING fts5(words, content='', tokenize = 'ascii')`);
  const insert = db.prepare('INSERT INTO f (rowid, words) VALUES (?, ?)');
  const docs: string[][] = [];
  for (let id = 1; id <= rows; id++) {
    const words = Array.from({ length: 1 + Math.floor(next() * 40) }, () => VOCABULARY[Math.floor(next() * VOCABULARY.length)]!);
    docs.push(words);
    insert.run(id, words.join(' '));
  }
  // a row without words still counts as a row
  insert.run(rows + 1, '');
  docs.push([]);
  return { db, docs };
}

const { db, docs } = index(2000);
const totalWords = docs.reduce((sum, d) => sum + d.length, 0);

/** The C library's logarithm, through SQLite's ln(). */
const ln = (x: number) => Number(db.prepare('SELECT ln(?) AS l').get(x)!.l);

function expected(query: string): { match: string; scores: Map<number, number> } {
  const match = compileSqlite(parseQuery(query), { expandFuzzy: (term) => VOCABULARY.filter((w) => w !== term && w.startsWith(term.slice(0, 3))) }).match!;
  const rows = db.prepare('SELECT rowid, bm25(f) AS rank FROM f WHERE f MATCH ?').all(match);
  return { match, scores: new Map(rows.map((r) => [Number(r.rowid), -Number(r.rank)])) };
}

for (const query of ['kilo', 'kilo OR geld OR cash', 'coke*', '"prijs boot"', 'kilo AND (haven OR boot)', 'haven -boot', 'kilo~1',
  '"kilo geld"~2', '"kilo geld boot"~5', '"prijs boot haven"~4', '"stenen haven"~0 OR morgen', 'geld AND "boot binnen"~3']) {
  test(`bm25 of ${query} is FTS5's, row by row`, () => {
    const { match, scores } = expected(query);
    assert.ok(scores.size > 10, `${query} matches rows`);
    const phrases = phrasesOf(match);
    const idf = phrases.map((p) => idfOf(ln(oddsOf(docs.length, docs.filter((d) => phraseStarts(d, p).length > 0).length))));
    for (const [rowid, score] of scores) {
      const words = docs[rowid - 1]!;
      assert.equal(bm25(phraseFrequencies(words, phrases), idf, words.length, totalWords / docs.length), score, `row ${rowid}: ${words.join(' ')}`);
    }
  });
}

test('the phrases of a MATCH expression, in order, with prefixes and NEAR groups', () => {
  const phrases = phrasesOf('(("kilo")) OR ("coke"*) OR NEAR("prijs boot" "haven", 3) NOT ("say ""hi""")');
  assert.deepEqual(phrases.map((p) => [p.words.join(' '), p.prefix, p.near?.distance]), [
    ['kilo', false, undefined], ['coke', true, undefined], ['prijs boot', false, 3], ['haven', false, 3], ['say "hi"', false, undefined],
  ]);
  assert.equal(phrases[2]!.near, phrases[3]!.near, 'one group');
});

test('a phrase that is nowhere in a row adds nothing, and a common one next to nothing', () => {
  const phrases = phrasesOf('"kilo" OR "geld"');
  assert.equal(bm25([0, 0], [1, 1], 5, 5), 0);
  assert.equal(idfOf(ln(oddsOf(100, 90))), 1e-6);
  assert.deepEqual(phraseFrequencies(['kilo', 'x', 'kilo'], phrases), [2, 0]);
});
