import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { md4 } from 'hash-wasm';
import { ingest } from '../../../src/ingest/pipeline.ts';
import { DumpTokenizer, dumpEvents, inspectDump, mysqlDump, type DumpEvent, type SqlValue } from '../../../src/ingest/formats/mysql-dump.ts';
import { AccountKeyIndex, proposeMapping, siteTimestamp } from '../../../src/ingest/formats/site-mapping.ts';
import { parseLooseTimestamp } from '../../../src/ingest/timestamps.ts';
import { csv } from '../../../src/ingest/formats/csv.ts';
import { lodeJsonl } from '../../../src/ingest/formats/lode-jsonl.ts';
import { ACCOUNT_ROLES_KEY, type ReadItem } from '../../../src/model/records.ts';
import { count, openTestStore, temporaryDirectory } from '../../fixtures.ts';

// -- a dump writer, as mysqldump escapes --------------------------------------------------------

type Value = string | number | null | Uint8Array;

const ESCAPED: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0', '\x1a': '\\Z', '\b': '\\b' };

function sqlLiteral(value: Value): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  if (value instanceof Uint8Array) return value.length === 0 ? "X''" : `0x${Buffer.from(value).toString('hex').toUpperCase()}`;
  return `'${value.replace(/[\\'"\n\r\t\0\x1a\b]/g, (c) => ESCAPED[c]!)}'`;
}

function sqlRow(values: readonly Value[]): string {
  return `(${values.map(sqlLiteral).join(',')})`;
}

function tokenize(text: string | Buffer, chunkSizes: number[] = []): DumpEvent[] {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const tokenizer = new DumpTokenizer();
  const events: DumpEvent[] = [];
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = chunkSizes.length === 0 ? bytes.length : Math.max(1, chunkSizes[i % chunkSizes.length]!);
    events.push(...tokenizer.push(bytes.subarray(at, at + size)));
    at += size;
  }
  events.push(...tokenizer.end());
  return events;
}

function rowsOf(events: DumpEvent[]): Extract<DumpEvent, { kind: 'row' }>[] {
  return events.filter((e): e is Extract<DumpEvent, { kind: 'row' }> => e.kind === 'row');
}

async function readAll(path: string, mapping?: unknown): Promise<ReadItem[]> {
  const items: ReadItem[] = [];
  for await (const item of mysqlDump.read({ path, from: { line: 1, offset: 0 }, options: { mapping } })) items.push(item);
  return items;
}

const MYSQLDUMP = `-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: 10.0.0.5    Database: darkshop
-- ------------------------------------------------------
-- Server version\t8.0.36

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!50503 SET NAMES utf8mb4 */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;

--
-- Table structure for table \`payments\`
--

DROP TABLE IF EXISTS \`payments\`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
CREATE TABLE \`payments\` (
  \`id\` int NOT NULL AUTO_INCREMENT,
  \`user_id\` int NOT NULL,
  \`amount\` decimal(10,2) NOT NULL,
  \`currency\` char(3) DEFAULT 'EUR',
  \`paid_at\` datetime DEFAULT NULL,
  PRIMARY KEY (\`id\`),
  KEY \`payments_user\` (\`user_id\`),
  CONSTRAINT \`payments_ibfk_1\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\` (\`id\`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table \`payments\`
--

LOCK TABLES \`payments\` WRITE;
/*!40000 ALTER TABLE \`payments\` DISABLE KEYS */;
INSERT INTO \`payments\` VALUES (1,1,19.99,'EUR','2020-04-01 10:00:00'),(2,2,5.00,'BTC',NULL),(3,99,1.50,'EUR','2020-04-02 11:00:00');
/*!40000 ALTER TABLE \`payments\` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table \`users\`
--

DROP TABLE IF EXISTS \`users\`;
CREATE TABLE \`users\` (
  \`id\` int NOT NULL AUTO_INCREMENT,
  \`username\` varchar(64) NOT NULL,
  \`email\` varchar(191) DEFAULT NULL,
  \`password\` varchar(255) NOT NULL,
  \`last_ip\` varchar(45) DEFAULT NULL,
  \`avatar\` blob,
  \`is_admin\` bit(1) NOT NULL DEFAULT b'0',
  \`created_at\` datetime NOT NULL,
  PRIMARY KEY (\`id\`),
  UNIQUE KEY \`username\` (\`username\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

LOCK TABLES \`users\` WRITE;
/*!40000 ALTER TABLE \`users\` DISABLE KEYS */;
INSERT INTO \`users\` VALUES (1,'kingpin','KingPin@Proton.ME ','hunter2!Geheim','185.220.101.4',0x89504E470D0A1A0A,b'1','2019-12-01 08:00:00'),(2,'o\\'neil \\"the rat\\"','oneil@example.org','$2y$10$abcdefghijklmnopqrstuuG7qx5aFMbnXvB0nhUQ1qWcW2vTzsRz6',NULL,_binary 'GIF89a',b'0','2020-01-15 20:30:00'),(3,'ghost',NULL,'5f4dcc3b5aa765d61d8327deb882cf99','10.1.1.1',NULL,b'0','2020-02-01 00:00:00');
/*!40000 ALTER TABLE \`users\` ENABLE KEYS */;
UNLOCK TABLES;

DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=\`root\`@\`localhost\`*/ /*!50003 TRIGGER \`users_bi\` BEFORE INSERT ON \`users\` FOR EACH ROW BEGIN
  INSERT INTO audit VALUES (NEW.id, 'created');
END */;;
DELIMITER ;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;

-- Dump completed on 2024-03-01 10:00:00
`;

const PHPMYADMIN = `-- phpMyAdmin SQL Dump
-- version 5.2.1
-- https://www.phpmyadmin.net/
--
-- Host: 127.0.0.1
-- Generation Time: Mar 01, 2024 at 10:00 AM
-- Server version: 10.4.28-MariaDB
-- PHP Version: 8.2.4

SET SQL_MODE = "NO_AUTO_VALUE_ON_ZERO";
START TRANSACTION;
SET time_zone = "+00:00";

/*!40101 SET NAMES utf8mb4 */;

--
-- Database: \`forum\`
--

-- --------------------------------------------------------

--
-- Table structure for table \`members\`
--

CREATE TABLE IF NOT EXISTS \`members\` (
  \`member_id\` int(11) NOT NULL,
  \`nick\` varchar(50) NOT NULL,
  \`mail\` varchar(100) DEFAULT NULL,
  \`joindate\` int(11) DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

--
-- Dumping data for table \`members\`
--

INSERT INTO \`members\` (\`member_id\`, \`nick\`, \`mail\`, \`joindate\`) VALUES
(1, 'alpha', 'alpha@forum.test', 1585735200),
(2, 'bravo', NULL, 1585821600),
(3, 'charlie', 'charlie@forum.test', NULL);

-- --------------------------------------------------------

CREATE TABLE \`searches\` (
  \`id\` int(11) NOT NULL,
  \`member_id\` int(11) DEFAULT NULL,
  \`query\` text NOT NULL,
  \`searched_at\` datetime NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT IGNORE INTO \`searches\` (\`id\`, \`member_id\`, \`query\`, \`searched_at\`) VALUES
(1, 2, 'fentanyl bulk', '2020-04-03 12:00:00'),
(2, NULL, 'how to \\'launder\\'', '2020-04-03 12:05:00');
REPLACE INTO \`searches\` VALUES (3, 1, 'glock 19', '2020-04-04 09:00:00');

--
-- Indexes for dumped tables
--

ALTER TABLE \`members\`
  ADD PRIMARY KEY (\`member_id\`);
COMMIT;
`;

// -- the tokenizer --------------------------------------------------------------------------------

test('a mysqldump dump: columns from CREATE TABLE, extended inserts, NULL, hex, _binary, bit literals; trigger blocks skipped', () => {
  const events = tokenize(MYSQLDUMP);
  assert.deepEqual(events.filter((e) => e.kind === 'table').map((e) => [e.name, e.columns]), [
    ['payments', ['id', 'user_id', 'amount', 'currency', 'paid_at']],
    ['users', ['id', 'username', 'email', 'password', 'last_ip', 'avatar', 'is_admin', 'created_at']],
  ]);
  assert.equal(events.find((e) => e.kind === 'database')?.name, 'darkshop');
  assert.deepEqual(events.filter((e) => e.kind === 'malformed'), []);
  const rows = rowsOf(events);
  assert.equal(rows.length, 6);
  assert.deepEqual(rows[1]!.values, ['2', '2', '5.00', 'BTC', null]);
  const oneil = rows[4]!;
  assert.equal(oneil.values[1], 'o\'neil "the rat"');
  assert.deepEqual(oneil.values[5], new Uint8Array(Buffer.from('GIF89a')));
  assert.deepEqual(rows[3]!.values[5], new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  assert.deepEqual(rows.slice(3).map((r) => r.values[6]), ['1', '0', '0']);
  // rows of one line share the line and differ by offset, each at its '('
  const line = MYSQLDUMP.split('\n').findIndex((l) => l.startsWith('INSERT INTO `users`')) + 1;
  assert.deepEqual(rows.slice(3).map((r) => r.location.line), [line, line, line]);
  for (const row of rows) assert.equal(Buffer.from(MYSQLDUMP)[row.location.offset], 0x28);
  assert.ok(rows[3]!.location.offset < rows[4]!.location.offset && rows[4]!.location.offset < rows[5]!.location.offset);
});

test('a phpMyAdmin dump: explicit column lists, one row a line, INSERT IGNORE and REPLACE, the database from the header', () => {
  const events = tokenize(PHPMYADMIN);
  assert.equal(events.find((e) => e.kind === 'database')?.name, 'forum');
  assert.deepEqual(events.filter((e) => e.kind === 'malformed'), []);
  const rows = rowsOf(events);
  assert.deepEqual(rows.map((r) => [r.table, r.values[0]]), [['members', '1'], ['members', '2'], ['members', '3'], ['searches', '1'], ['searches', '2'], ['searches', '3']]);
  const lines = PHPMYADMIN.split('\n');
  assert.deepEqual(rows.slice(0, 3).map((r) => lines[r.location.line - 1]!.slice(0, 3)), ['(1,', '(2,', '(3,']);
  assert.equal(rows[4]!.values[2], "how to 'launder'");
  assert.deepEqual(rows[5]!.columns, ['id', 'member_id', 'query', 'searched_at']);
});

test('every MySQL string escape and doubled quotes are decoded', () => {
  const events = tokenize(`CREATE TABLE t (a text);\nINSERT INTO t VALUES ('back\\\\slash \\' \\" n\\n r\\r t\\t zero\\0 z\\Z b\\b it''s \\% \\_ \\x'),("dq ""x"" \\n");\n`);
  assert.deepEqual(rowsOf(events).map((r) => r.values[0]), [
    'back\\slash \' " n\n r\r t\t zero\0 z\x1a b\b it\'s \\% \\_ x',
    'dq "x" \n',
  ]);
});

test('comments of every kind, LOCK TABLES, SET and conditional comments are not data', () => {
  const events = tokenize([
    '# a hash comment', '-- a dash comment', '/* a block', 'comment */', '/*!40101 SET NAMES utf8 */;', 'LOCK TABLES `t` WRITE;',
    'SET @a = \'x;y\';', 'CREATE TABLE `t` (`a` int, `b` varchar(9));', 'INSERT INTO `t` VALUES /* inline */ (1,\'x\') -- trailing', ', (2,\'y\');', 'UNLOCK TABLES;',
  ].join('\n'));
  assert.deepEqual(events.filter((e) => e.kind === 'malformed'), []);
  assert.deepEqual(rowsOf(events).map((r) => r.values), [['1', 'x'], ['2', 'y']]);
});

test('a row with the wrong number of values is quarantined and the rest of the insert kept', () => {
  const events = tokenize("CREATE TABLE t (a int, b text);\nINSERT INTO t VALUES (1,'a'),(2,'b','extra'),(3,'c');\n");
  assert.deepEqual(rowsOf(events).map((r) => r.values[0]), ['1', '3']);
  const bad = events.filter((e) => e.kind === 'malformed');
  assert.equal(bad.length, 1);
  assert.match(bad[0]!.reason, /row has 3 values but `t` has 2 columns \(a, b\)/);
  assert.equal(bad[0]!.location.line, 2);
  assert.ok(bad[0]!.excerpt.startsWith("(2,'b','extra')"));
});

test('an unterminated string is quarantined and reading starts again at the next row or statement', () => {
  const text = "CREATE TABLE t (a int, b text);\nINSERT INTO t VALUES (1,'ok'),(2,'broken),(3,'fine');\nINSERT INTO t VALUES (4,'after');\nINSERT INTO t VALUES (5,'cut off";
  const events = tokenize(text);
  assert.deepEqual(rowsOf(events).map((r) => r.values[0]), ['1', '3', '4']);
  const bad = events.filter((e) => e.kind === 'malformed');
  assert.equal(bad.length, 2);
  assert.equal(bad[0]!.location.offset, text.indexOf("(2,'broken"));
  assert.match(bad[1]!.reason, /not terminated at the end of the file/);
  assert.equal(bad[1]!.location.line, 4);
});

test('garbage lines between statements are quarantined, the statements around them read', () => {
  const events = tokenize("CREATE TABLE t (a int);\n~~ not sql 'at all\nINSERT INTO t VALUES (1);\n%%%\nINSERT INTO t VALUES (2);\n");
  assert.deepEqual(rowsOf(events).map((r) => r.values[0]), ['1', '2']);
  assert.deepEqual(events.filter((e) => e.kind === 'malformed').map((e) => [e.location.line, e.reason]), [[2, 'not an SQL statement'], [4, 'not an SQL statement']]);
});

test('detection: dumps are claimed, CSV and lode-jsonl files are not', () => {
  assert.ok(mysqlDump.detect(MYSQLDUMP, 'x.sql') > 0.9);
  assert.ok(mysqlDump.detect(PHPMYADMIN, 'forum.txt') > 0.9);
  assert.ok(mysqlDump.detect('CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\n', 'dump') >= 0.5);
  assert.ok(mysqlDump.detect('id,username,email\n1,a,a@b.c\n', 'users.csv') < 0.5);
  assert.ok(mysqlDump.detect('{"kind":"message","platform":"x","from":"a","body":"INSERT INTO t"}\n', 'x.jsonl') < 0.5);
  assert.ok(csv.detect(MYSQLDUMP, 'x.sql') < 0.98 && lodeJsonl.detect(MYSQLDUMP, 'x.sql') === 0);
});

// -- mapping ----------------------------------------------------------------------------------------

test('a mapping is proposed from table and column names', () => {
  const mapping = proposeMapping([
    { name: 'wp_users', columns: ['ID', 'user_login', 'user_pass', 'user_email', 'user_registered'], rowCount: 10 },
    { name: 'orders', columns: ['id', 'uid', 'total', 'created_at'], rowCount: 5 },
    { name: 'lookups', columns: ['id', 'account_id', 'term', 'ts'], rowCount: 5 },
    { name: 'access_log', columns: ['id', 'member_id', 'ip_address', 'login_time'], rowCount: 5 },
    { name: 'settings', columns: ['name', 'value'], rowCount: 2 },
  ]);
  assert.deepEqual(mapping.tables.wp_users, { as: 'account', key: 'ID', handle: 'user_login', email: 'user_email', ts: 'user_registered', password_hash: 'user_pass' });
  assert.deepEqual(mapping.tables.orders, { as: 'event', type: 'payment', account: 'uid', ts: 'created_at', ref: 'id', fields: ['total'] });
  assert.equal(mapping.tables.lookups?.as === 'event' && mapping.tables.lookups.type, 'search');
  assert.equal(mapping.tables.access_log?.as === 'event' && mapping.tables.access_log.type, 'login');
  assert.equal(mapping.tables.settings, undefined);
});

test('inspectDump lists tables, columns, row counts and the proposed mapping as plain JSON', async () => {
  const dir = temporaryDirectory();
  const file = join(dir, 'darkshop.sql');
  writeFileSync(file, MYSQLDUMP);
  const inspected = await inspectDump(file);
  assert.deepEqual(JSON.parse(JSON.stringify(inspected)), inspected);
  assert.equal(inspected.database, 'darkshop');
  assert.deepEqual(inspected.tables.map((t) => [t.name, t.rowCount, t.mappedAs]), [['payments', 3, 'event:payment'], ['users', 3, 'account']]);
  assert.equal(inspected.mapping.tables.users?.as, 'account');
});

test('payments before users are resolved to usernames; accounts yield exposures with data classes, hash types and no cleartext', async () => {
  const dir = temporaryDirectory();
  const file = join(dir, 'dump.sql');
  writeFileSync(file, MYSQLDUMP);
  const items = await readAll(file);
  const records = items.flatMap((i) => (i.kind === 'record' ? [i] : []));
  assert.equal(items.length, records.length);
  const events = records.map((r) => r.record).filter((r) => r.kind === 'event');
  assert.deepEqual(events.map((e) => [e.account, e.type, e.ref, e.ts]), [
    ['kingpin', 'payment', 'payments:1', '2020-04-01T10:00:00'],
    ['o\'neil "the rat"', 'payment', 'payments:2', undefined],
    ['id:99', 'payment', 'payments:3', '2020-04-02T11:00:00'],
  ]);
  assert.deepEqual(events[0]!.fields, { amount: '19.99', currency: 'EUR', id: '1' });
  assert.deepEqual((events[0] as { flags?: string[] }).flags, ['mapping-proposed']);
  const exposures = records.filter((r) => r.record.kind === 'exposure');
  assert.equal(exposures.length, 2);
  const [kingpin, oneil] = exposures.map((r) => r.record as Extract<typeof r.record, { kind: 'exposure' }>);
  assert.equal(kingpin!.identifier, 'kingpin@proton.me');
  assert.deepEqual(kingpin!.dataClasses, ['email', 'username', 'password', 'ip']);
  assert.equal(kingpin!.passwordSha1, createHash('sha1').update('hunter2!Geheim').digest('hex').toUpperCase());
  assert.equal(kingpin!.passwordNtlm, (await md4(Buffer.from('hunter2!Geheim', 'utf16le'))).toUpperCase());
  assert.equal(oneil!.hashType, 'bcrypt');
  assert.deepEqual(oneil!.dataClasses, ['email', 'username', 'password-hash']);
  // the exposure sits one byte into its account's row
  const accountAt = records.findIndex((r) => r.record.kind === 'account');
  assert.equal(records[accountAt + 1]!.record.kind, 'exposure');
  assert.equal(records[accountAt + 1]!.location.offset, records[accountAt]!.location.offset + 1);
  assert.ok(!JSON.stringify(items).includes('hunter2!Geheim'), 'the cleartext password is in no record');
  for (let i = 1; i < items.length; i++) {
    const [a, b] = [items[i - 1]!.location, items[i]!.location];
    assert.ok(a.line < b.line || (a.line === b.line && a.offset < b.offset), 'locations strictly increase');
  }
});

test('an explicit mapping is used as given; a mapping naming a missing column is refused with the columns listed', async () => {
  const dir = temporaryDirectory();
  const file = join(dir, 'forum.sql');
  writeFileSync(file, PHPMYADMIN);
  const mapping = {
    platform: 'darkforum',
    tables: {
      members: { as: 'account', key: 'member_id', handle: 'nick', email: 'mail', ts: 'joindate' },
      searches: { as: 'event', type: 'search', account: 'member_id', ts: 'searched_at', fields: ['query'] },
    },
  };
  const records = (await readAll(file, mapping)).flatMap((i) => (i.kind === 'record' ? [i.record] : []));
  assert.deepEqual(records.filter((r) => r.kind === 'account').map((r) => [r.platform, r.handle, r.extra?.flags]), [
    ['darkforum', 'alpha', undefined], ['darkforum', 'bravo', undefined], ['darkforum', 'charlie', undefined],
  ]);
  // which column held the e-mail and the registration time, for whoever reads contact details later
  assert.deepEqual(records.filter((r) => r.kind === 'account').map((r) => r.extra?.[ACCOUNT_ROLES_KEY]), [
    { email: 'mail', ts: 'joindate' }, { ts: 'joindate' }, { email: 'mail' },
  ]);
  assert.deepEqual(records.filter((r) => r.kind === 'event').map((r) => [r.account, r.fields.query]), [
    ['bravo', 'fentanyl bulk'], ['(none)', "how to 'launder'"], ['alpha', 'glock 19'],
  ]);
  assert.deepEqual(records.filter((r) => r.kind === 'exposure').map((r) => r.identifier), ['alpha@forum.test', 'charlie@forum.test']);
  const wrong = { tables: { members: { as: 'account', handle: 'nickname' } } };
  await assert.rejects(readAll(file, wrong), /mapping for table "members" names column "nickname", but the table's columns are: member_id, nick, mail, joindate/);
  await assert.rejects(readAll(file, { tables: { members: { as: 'person' } } }), /"as" must be "account", "event" or "ignore"/);
});

test('rows of tables no mapping covers are kept as row:<table> events, their user id resolved', async () => {
  const dir = temporaryDirectory();
  const file = join(dir, 'shop.sql');
  writeFileSync(file, "CREATE TABLE users (id int, username text, email text);\nINSERT INTO users VALUES (7,'zed','zed@x.test');\n" +
    "CREATE TABLE wishlist (user_id int, item text, pass text);\nINSERT INTO wishlist VALUES (7,'ak47','letmein');\n");
  const records = (await readAll(file)).flatMap((i) => (i.kind === 'record' ? [i.record] : []));
  const row = records.find((r) => r.kind === 'event');
  assert.deepEqual(row, { kind: 'event', platform: 'shop', account: 'zed', type: 'row:wishlist', fields: { user_id: '7', item: 'ak47', pass_sha1: 'B7A875FC1EA228B9061041B7CEC4BD3C52AB3CE3' } });
});

// -- end to end -------------------------------------------------------------------------------------

test('end to end: a dump into the store, with provenance, quarantine, no cleartext in the file, and a second run adding nothing', async () => {
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const file = join(dir, 'darkshop.sql');
  const broken = MYSQLDUMP.replace("(3,99,1.50,'EUR','2020-04-02 11:00:00')", "(3,99,1.50,'EUR','2020-04-02 11:00:00'),(4,1,'short')");
  writeFileSync(file, broken);
  const report = await ingest({ store, paths: [file], dataset: 'shop' });
  assert.equal(report.sources[0]!.format, 'mysql-dump');
  assert.equal(report.events, 3);
  assert.equal(report.exposures, 2);
  assert.equal(report.quarantined, 1);
  assert.equal(await count(store, "SELECT count(*) AS n FROM accounts WHERE platform = 'darkshop' AND handle IN ('kingpin', 'ghost', 'id:99')"), 3);
  const payment = store.db.prepare(`SELECT e.line, e.byte_offset, e.fields, a.handle FROM events e JOIN accounts a ON a.id = e.account_id WHERE e.ref = 'payments:1'`).get()!;
  assert.equal(payment.handle, 'kingpin');
  assert.equal(Number(payment.byte_offset), Buffer.from(broken).indexOf("(1,1,19.99"));
  assert.equal(Number(payment.line), broken.split('\n').findIndex((l) => l.startsWith('INSERT INTO `payments`')) + 1);
  const exposure = store.db.prepare(`SELECT x.identifier, x.data_classes, x.password_sha1, x.hash_type, a.handle FROM exposures x JOIN accounts a ON a.id = x.account_id WHERE x.identifier = 'oneil@example.org'`).get()!;
  assert.deepEqual(JSON.parse(String(exposure.data_classes)), ['email', 'username', 'password-hash']);
  assert.equal(exposure.hash_type, 'bcrypt');
  assert.equal(exposure.handle, 'o\'neil "the rat"');
  const quarantine = await store.quarantine({ limit: 10, offset: 0 });
  assert.match(quarantine.entries[0]!.reason, /row has 3 values but `payments` has 5 columns/);
  const again = await ingest({ store, paths: [file], dataset: 'shop' });
  assert.deepEqual([again.events, again.exposures, again.accounts, again.quarantined], [0, 0, 0, 0]);
  await store.close();
  for (const suffix of ['', '-wal']) {
    const bytes = (() => { try { return readFileSync(join(dir, `lode.sqlite${suffix}`)); } catch { return Buffer.alloc(0); } })();
    assert.equal(bytes.indexOf('hunter2!Geheim'), -1, `no cleartext password in lode.sqlite${suffix}`);
    assert.equal(bytes.indexOf(Buffer.from('hunter2!Geheim', 'utf16le')), -1);
  }
});

test('an interrupted ingest of extended inserts resumes mid-line to the same result', async () => {
  const dir = temporaryDirectory();
  const file = join(dir, 'many.sql');
  const users = Array.from({ length: 300 }, (_, i) => sqlRow([i + 1, `user${i + 1}`, `user${i + 1}@mail.test`, `pw-${i}`]));
  const searches = Array.from({ length: 300 }, (_, i) => sqlRow([i + 1, (i % 300) + 1, `query number ${i}`]));
  writeFileSync(file, [
    'CREATE TABLE `searches` (`id` int, `user_id` int, `query` text);',
    `INSERT INTO \`searches\` VALUES ${searches.slice(0, 150).join(',')};`,
    `INSERT INTO \`searches\` VALUES ${searches.slice(150).join(',')};`,
    'CREATE TABLE `users` (`id` int, `username` text, `email` text, `password` text);',
    `INSERT INTO \`users\` VALUES ${users.join(',')};`, '',
  ].join('\n'));
  const whole = openTestStore(temporaryDirectory());
  const once = await ingest({ store: whole, paths: [file], dataset: 'd', batchRecords: 50 });
  assert.deepEqual([once.events, once.accounts, once.exposures], [300, 300, 300]);

  const store = openTestStore(dir);
  const controller = new AbortController();
  const first = await ingest({ store, paths: [file], dataset: 'd', batchRecords: 70, signal: controller.signal, onProgress: (p) => p.records >= 140 && controller.abort() });
  assert.equal(first.interrupted, true);
  const second = await ingest({ store, paths: [file], dataset: 'd', batchRecords: 70 });
  assert.equal(second.sources[0]!.status, 'resumed');
  assert.equal(first.events + second.events, 300);
  assert.equal(await count(store, 'SELECT count(*) AS n FROM events'), 300);
  assert.equal(await count(store, 'SELECT count(*) AS n FROM exposures'), 300);
  assert.equal(await count(store, "SELECT count(*) AS n FROM events e JOIN accounts a ON a.id = e.account_id WHERE a.handle LIKE 'user%'"), 300);
});

// -- properties -------------------------------------------------------------------------------------

const valueArbitrary: fc.Arbitrary<Value> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('\\', "'", '"', '\n', '\r', '\t', '\0', '\x1a', '\b', ',', ')', '(', ';', 'a', ' '), maxLength: 20 }),
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.constant(null),
  fc.uint8Array({ maxLength: 16 }),
);

function expected(value: Value): SqlValue {
  return typeof value === 'number' ? String(value) : value;
}

test('property: random rows written as a dump come back exactly, however the bytes are chunked', () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 6 }).chain((columns) => fc.tuple(
      fc.constant(columns),
      fc.array(fc.array(valueArbitrary, { minLength: columns, maxLength: columns }), { minLength: 1, maxLength: 25 }),
    )),
    fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 5 }),
    fc.boolean(),
    ([columns, rows], chunks, isPhpMyAdmin) => {
      const names = Array.from({ length: columns }, (_, i) => `c${i}`);
      let text = `CREATE TABLE \`t\` (${names.map((n) => `\`${n}\` text`).join(', ')});\n`;
      const offsets: number[] = [];
      const separator = isPhpMyAdmin ? ',\n' : ',';
      text += isPhpMyAdmin ? `INSERT INTO \`t\` (${names.map((n) => `\`${n}\``).join(', ')}) VALUES\n` : 'INSERT INTO `t` VALUES ';
      rows.forEach((row, i) => {
        if (i > 0) text += separator;
        offsets.push(Buffer.byteLength(text));
        text += sqlRow(row);
      });
      text += ';\n';
      const events = tokenize(text, chunks);
      assert.deepEqual(events.filter((e) => e.kind === 'malformed'), []);
      const got = rowsOf(events);
      assert.deepEqual(got.map((r) => r.values), rows.map((r) => r.map(expected)));
      assert.deepEqual(got.map((r) => r.location.offset), offsets);
      assert.deepEqual(got.map((r) => r.location.line), rows.map((_, i) => (isPhpMyAdmin ? 3 + i : 2)));
    },
  ), { numRuns: 300 });
});

test('property: garbage lines among inserts are quarantined with their line, and no row is dropped', () => {
  const garbage = fc.string({ unit: 'binary', maxLength: 60 }).map((s) => `~${s.replace(/[\r\n]/g, ' ')}`);
  const rowLine = fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.string({ unit: 'binary', maxLength: 20 })), { minLength: 1, maxLength: 5 });
  fc.assert(fc.property(
    fc.array(fc.oneof(garbage.map((g) => ({ garbage: g })), rowLine.map((rows) => ({ rows }))), { maxLength: 20 }),
    fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 3 }),
    (pieces, chunks) => {
      const lines = ['CREATE TABLE t (n int, s text);'];
      const expectedRows: Value[][] = [];
      const expectedGarbage: number[] = [];
      for (const piece of pieces) {
        if ('garbage' in piece) {
          lines.push(piece.garbage);
          expectedGarbage.push(lines.length);
        } else {
          lines.push(`INSERT INTO t VALUES ${piece.rows.map((r) => sqlRow(r)).join(',')};`);
          expectedRows.push(...piece.rows);
        }
      }
      const events = tokenize(lines.join('\n') + '\n', chunks);
      assert.deepEqual(rowsOf(events).map((r) => r.values), expectedRows.map((r) => r.map(expected)));
      const bad = events.filter((e) => e.kind === 'malformed');
      assert.deepEqual(bad.map((e) => e.location.line), expectedGarbage);
      for (const e of bad) assert.equal(e.reason, 'not an SQL statement');
    },
  ), { numRuns: 200 });
});

test('property: arbitrary bytes never make the reader throw, and what it yields is in order', async () => {
  const dir = temporaryDirectory();
  const file = join(dir, 'garbage.sql');
  await fc.assert(fc.asyncProperty(
    fc.array(fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
      fc.constantFrom("INSERT INTO t VALUES (1,'a'),(", "'", '/*', '*/', ';\n', 'CREATE TABLE t (a int, b text);\n', '),(', 'DELIMITER ;;\n', 'x\'zz\'', '0x', "b'2'", '\\').map((s) => Buffer.from(s)),
    ), { maxLength: 30 }),
    async (parts) => {
      writeFileSync(file, Buffer.concat(parts));
      const items = await readAll(file);
      for (let i = 1; i < items.length; i++) {
        const [a, b] = [items[i - 1]!.location, items[i]!.location];
        assert.ok(a.line < b.line || (a.line === b.line && a.offset < b.offset));
      }
      for (const item of items) if (item.kind === 'malformed') assert.ok(item.reason.length > 0 && item.excerpt.length <= 300);
    },
  ), { numRuns: 80 });
});

test('dumpEvents streams a file in chunks with the same result as one piece', async () => {
  const dir = temporaryDirectory();
  const file = join(dir, 'x.sql');
  writeFileSync(file, PHPMYADMIN);
  const streamed: DumpEvent[] = [];
  for await (const e of dumpEvents(file)) streamed.push(e);
  assert.deepEqual(streamed, tokenize(PHPMYADMIN));
});

test('site times: MySQL DATETIME with or without fraction, zero and impossible dates are no time', () => {
  assert.equal(siteTimestamp('2020-04-01 12:34:56'), '2020-04-01T12:34:56');
  assert.equal(siteTimestamp(' 2020-04-01T12:34:56.123456 '), '2020-04-01T12:34:56.123456');
  assert.equal(siteTimestamp('0000-00-00 00:00:00'), undefined);
  assert.equal(siteTimestamp('2020-13-01 12:34:56'), undefined);
  assert.equal(siteTimestamp('2020-04-01 24:00:00'), undefined);
  assert.equal(siteTimestamp('2020-04-01 12:60:00'), undefined);
  // not the DATETIME shape: left to the loose parser, as before
  for (const loose of ['2020-04-01 12:34:56.1234567', '2020-04-01 12:34:56.', '2020-04-01', '1585744496', '2020/04/01 12:34']) {
    assert.equal(siteTimestamp(loose), parseLooseTimestamp(loose, 'ymd'), loose);
  }
});

test('account keys resolve past the in-memory cache, and a key added later is not hidden by a cached miss', () => {
  const keys = new AccountKeyIndex();
  try {
    const n = 250_000; // more than the cache's two generations hold
    for (let i = 1; i <= n; i += 1) keys.add('users', String(i), `user${i}`);
    keys.flush();
    for (let round = 0; round < 2; round += 1) {
      for (let i = 1; i <= n; i += 997) assert.equal(keys.handleOf('users', String(i)), `user${i}`);
    }
    assert.equal(keys.handleOf('users', 'nobody'), undefined);
    assert.equal(keys.handleOf('members', '1'), undefined);
    keys.add('users', 'nobody', 'late');
    keys.add('members', '1', 'member one');
    keys.flush();
    assert.equal(keys.handleOf('users', 'nobody'), 'late');
    assert.equal(keys.handleOf('members', '1'), 'member one');
    assert.equal(keys.handleOf('users', '1'), 'user1');
  } finally {
    keys.close();
  }
});
