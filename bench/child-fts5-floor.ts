// Child process of the bench: the floor. The least any ingest into SQLite full text can do with
// this corpus: read it line by line, JSON.parse each line, insert the body of every message and
// note into a bare FTS5 table, 20,000 rows per transaction, with the pragmas Lode's store uses.
// Prints one JSON line: rows inserted and the peak memory of this process.
//   node bench/child-fts5-floor.ts CORPUS DATABASE
import { createReadStream } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { cpuSeconds, peakMemory } from './child-memory.ts';

const ROWS_PER_TRANSACTION = 20_000;

const [corpus, databasePath] = process.argv.slice(2);
if (!corpus || !databasePath) {
  process.stderr.write('usage: child-fts5-floor.ts CORPUS DATABASE\n');
  process.exit(2);
}

/** Lines of a file, split on '\n' by hand: no readline overhead, so the floor stays a floor. */
async function* lines(path: string): AsyncGenerator<string> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buffer = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let end = buffer.indexOf(10, start); end !== -1; end = buffer.indexOf(10, start)) {
      yield buffer.toString('utf8', start, end);
      start = end + 1;
    }
    carry = buffer.subarray(start);
  }
  if (carry.length > 0) yield carry.toString('utf8');
}

/** The text Lode indexes: the body of a message or a note. */
function indexedBody(line: string): string | undefined {
  if (line.length === 0) return undefined;
  const record = JSON.parse(line) as { kind?: unknown; body?: unknown };
  if ((record.kind === 'message' || record.kind === 'note') && typeof record.body === 'string') return record.body;
  return undefined;
}

const started = performance.now();
const db = new DatabaseSync(databasePath);
db.exec(`
  PRAGMA page_size = 16384;
  PRAGMA journal_mode = WAL;
  PRAGMA synchronous = NORMAL;
  PRAGMA cache_size = -65536;
  CREATE VIRTUAL TABLE f USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
`);
const insert = db.prepare('INSERT INTO f (body) VALUES (?)');
let rows = 0;
let inTransaction = 0;
db.exec('BEGIN');
for await (const line of lines(corpus)) {
  const body = indexedBody(line);
  if (body === undefined) continue;
  insert.run(body);
  rows += 1;
  inTransaction += 1;
  if (inTransaction === ROWS_PER_TRANSACTION) {
    db.exec('COMMIT; BEGIN');
    inTransaction = 0;
  }
}
db.exec('COMMIT');
db.close();
const inProcessMs = performance.now() - started;
process.stdout.write(`${JSON.stringify({ exitCode: 0, rows, inProcessMs, cpuSeconds: cpuSeconds(), memory: peakMemory() })}\n`);
