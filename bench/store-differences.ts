// When the bench warns that a query's total differs between the SQLite and the PostgreSQL store:
// which messages one store finds and the other does not, and whether SQLite's FTS5 tokenizer
// explains them (a token of FTS5's that Lode's tokenizer, which builds PostgreSQL's vectors and
// parses queries, would split, such as a word fused with an emoji: `stenen🥶`).
//   node bench/store-differences.ts SQLITE_PATH POSTGRES_URL 'QUERY' ['QUERY'...]
// Prints one JSON line per query.
import { DatabaseSync } from 'node:sqlite';
import { openStore } from '../src/main.ts';
import { parseQuery } from '../src/search/parse.ts';
import { tokenize } from '../src/extract/tokens.ts';
import type { Store } from '../src/store/store.ts';

const PAGE = 1000;

const [sqlitePath, postgresUrl, ...queries] = process.argv.slice(2);
if (!sqlitePath || !postgresUrl || queries.length === 0) {
  process.stderr.write('usage: node bench/store-differences.ts SQLITE_PATH POSTGRES_URL QUERY...\n');
  process.exit(2);
}

/** The tokens FTS5 makes of a body, as the SQLite store's index holds them. */
const fts = new DatabaseSync(':memory:');
fts.exec(`CREATE VIRTUAL TABLE f USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
          CREATE VIRTUAL TABLE v USING fts5vocab(f, instance);`);
function fts5Tokens(body: string): string[] {
  fts.exec('DELETE FROM f');
  fts.prepare('INSERT INTO f (rowid, body) VALUES (1, ?)').run(body);
  return fts.prepare('SELECT term FROM v ORDER BY offset').all().map((row) => String(row.term));
}

/** Every hit of a query: id -> body (pages of PAGE, newest first). */
async function allHits(store: Store, query: string): Promise<{ total: number; bodies: Map<string, string> }> {
  const ast = parseQuery(query);
  const bodies = new Map<string, string>();
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.search({ ast, limit: PAGE, offset, sort: 'newest', facets: false });
    for (const hit of page.hits) bodies.set(hit.id, hit.body);
    if (page.hits.length < PAGE) return { total: page.total, bodies };
  }
}

const sqlite = await openStore({ store: `sqlite:${sqlitePath}`, env: {}, purpose: 'read' });
const postgres = await openStore({ store: postgresUrl, env: {}, purpose: 'read' });
try {
  for (const query of queries) {
    const a = await allHits(sqlite, query);
    const b = await allHits(postgres, query);
    const onlyPostgres = [...b.bodies].filter(([id]) => !a.bodies.has(id));
    const onlySqlite = [...a.bodies].filter(([id]) => !b.bodies.has(id));
    const fused = new Map<string, number>();
    const unexplained: string[] = [];
    for (const [, body] of [...onlyPostgres, ...onlySqlite]) {
      // a token holding a word that Lode's tokenizer would cut out of it
      const odd = fts5Tokens(body).filter((t) => tokenize(t).length > 0 && tokenize(t).join(' ') !== t);
      if (odd.length === 0) unexplained.push(body);
      for (const token of odd) fused.set(token, (fused.get(token) ?? 0) + 1);
    }
    process.stdout.write(`${JSON.stringify({
      query, sqliteTotal: a.total, postgresTotal: b.total, onlyPostgres: onlyPostgres.length, onlySqlite: onlySqlite.length,
      explainedByFts5Tokens: onlyPostgres.length + onlySqlite.length - unexplained.length,
      fusedTokens: [...fused].sort((x, y) => y[1] - x[1]).slice(0, 8).map(([token]) => token),
      unexplained: unexplained.slice(0, 5),
    })}\n`);
  }
} finally {
  await sqlite.close();
  await postgres.close();
}
