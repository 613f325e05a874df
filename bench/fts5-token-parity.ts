// Why the SQLite store indexes Lode's words (src/store/sqlite/fts-words.ts) rather than letting
// FTS5's unicode61 tokenizer (as schema versions 1-7 configured it) cut the bodies: where unicode61
// and Lode's own tokenizer (src/extract/tokens.ts: PostgreSQL's vectors, every query) disagree: the code points FTS5 keeps inside a token that Lode's tokenizer splits at, and, for a
// corpus, the share of message bodies in which FTS5 fuses such a character with a word (the word
// is then not findable in a SQLite store).
//   node bench/fts5-token-parity.ts [CORPUS.jsonl] [MAX_BODIES]
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import { tokenize } from '../src/extract/tokens.ts';

const [corpus, maxBodiesText] = process.argv.slice(2);
const maxBodies = Number(maxBodiesText ?? Number.POSITIVE_INFINITY);
const LAST_CODE_POINT = 0x10ffff;

function ftsDatabase(): DatabaseSync {
  const db = new DatabaseSync(':memory:');
  db.exec(`CREATE VIRTUAL TABLE f USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
           CREATE VIRTUAL TABLE v USING fts5vocab(f, instance);`);
  return db;
}

// 1. every code point between two letters: one FTS5 token or two?
const chars = ftsDatabase();
const insert = chars.prepare('INSERT INTO f (rowid, body) VALUES (?, ?)');
chars.exec('BEGIN');
for (let cp = 0x80; cp <= LAST_CODE_POINT; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  insert.run(cp, `qq${String.fromCodePoint(cp)}zz`);
}
chars.exec('COMMIT');
const splitByFts5 = new Set(chars.prepare(`SELECT rowid FROM f WHERE f MATCH 'qq'`).all().map((row) => Number(row.rowid)));
const counts = { assigned: 0, privateUse: 0, unassigned: 0 };
const examples: string[] = [];
// the other way round: letters, digits and marks Lode keeps in a word where FTS5 cuts it in two
let fts5SplitsLodeJoins = 0;
for (let cp = 0x80; cp <= LAST_CODE_POINT; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  const ch = String.fromCodePoint(cp);
  if (splitByFts5.has(cp)) {
    if (/[\p{L}\p{N}\p{M}]/u.test(ch)) fts5SplitsLodeJoins++;
    continue;
  }
  // Lode keeps letters and digits, and drops marks after NFKD: only the others are a disagreement
  if (/[\p{L}\p{N}\p{M}]/u.test(ch)) continue;
  if (/\p{Cn}/u.test(ch)) counts.unassigned++;
  else if (/\p{Co}/u.test(ch)) counts.privateUse++;
  else {
    counts.assigned++;
    if (cp >= 0x1f900 && examples.length < 12) examples.push(`${ch} U+${cp.toString(16).toUpperCase()}`);
  }
}
process.stdout.write(`${JSON.stringify({ fts5JoinsLodeSplits: counts, emojiExamples: examples, fts5SplitsLodeJoins })}\n`);

// 2. the corpus: bodies where an FTS5 token holds a word Lode's tokenizer would cut out of it
if (corpus) {
  const db = ftsDatabase();
  const add = db.prepare('INSERT INTO f (rowid, body) VALUES (?, ?)');
  let bodies = 0;
  db.exec('BEGIN');
  for await (const line of createInterface({ input: createReadStream(corpus), crlfDelay: Infinity })) {
    if (line.length === 0) continue;
    const record = JSON.parse(line) as { kind?: unknown; body?: unknown };
    if ((record.kind === 'message' || record.kind === 'note') && typeof record.body === 'string') add.run(++bodies, record.body);
    if (bodies >= maxBodies) break;
  }
  db.exec('COMMIT');
  const affected = new Set<number>();
  const fusedWith = new Map<string, number>();
  for (const row of db.prepare('SELECT doc, term FROM v').iterate()) {
    const term = String(row.term);
    const words = tokenize(term);
    if (words.length === 0 || words.join(' ') === term) continue;
    affected.add(Number(row.doc));
    for (const ch of term) if (!/[\p{L}\p{N}]/u.test(ch)) fusedWith.set(ch, (fusedWith.get(ch) ?? 0) + 1);
  }
  process.stdout.write(`${JSON.stringify({
    corpus, bodies, bodiesWithAHiddenWord: affected.size, share: `${((100 * affected.size) / bodies).toFixed(2)}%`,
    fusedWith: [...fusedWith].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([ch, n]) => `${ch} U+${ch.codePointAt(0)!.toString(16).toUpperCase()} ${n}`),
  })}\n`);
}
