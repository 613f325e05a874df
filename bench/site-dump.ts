// A realistic mysqldump of a seized shop's database, of any size, for benchmarking the dump
// reader: `node bench/site-dump.ts OUT 1g`. Tables in mysqldump's (alphabetical) order:
// logins, payments, searches, users — so every event precedes the account it refers to.
// Extended INSERTs of about 1 MB a line, escapes, NULLs and hex blobs; deterministic per seed.
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';

const LINE_BYTES = 1 << 20;
const WRITE_BYTES = 8 << 20;
/** Shares of the dump per table: users are fewer rows but wider. */
const SHARES = { logins: 0.3, payments: 0.15, searches: 0.3, users: 0.25 } as const;
const USER_ROW_BYTES = 190;

const FIRST = ['jan', 'piet', 'klaas', 'mo', 'sara', 'lisa', 'tom', 'ahmed', 'eva', 'noah', "o'brien", 'zoë', 'dmitri', 'chen'];
const WORDS = ['glock', 'kilo', 'coke', 'pills', 'mdma', 'btc', 'escrow', 'vendor', 'ship "fast"', 'eu', 'tracking', 'refund', 'c:\\temp', 'it\'s', 'line\nbreak', 'tab\there'];
const DOMAINS = ['protonmail.com', 'gmail.com', 'tutanota.de', 'yahoo.fr', 'example.nl'];
const CURRENCIES = ['EUR', 'USD', 'BTC', 'XMR'];
const AGENTS = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 'Mozilla/5.0 (X11; Linux x86_64)', 'curl/7.68.0', null];

/** mulberry32: small, fast and deterministic. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sqlString(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\0]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' })[c]!)}'`;
}

function hex(rand: () => number, bytes: number): string {
  let out = '0x';
  for (let i = 0; i < bytes; i++) out += Math.floor(rand() * 256).toString(16).padStart(2, '0');
  return out;
}

function datetime(rand: () => number): string {
  const ms = Date.UTC(2018, 0, 1) + Math.floor(rand() * 4 * 365 * 86_400_000);
  return `'${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}'`;
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

function ip(rand: () => number): string {
  return `'${Math.floor(rand() * 223) + 1}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}'`;
}

type RowWriter = (id: number, rand: () => number, users: number) => string;

const TABLES: Record<keyof typeof SHARES, { create: string; row: RowWriter }> = {
  logins: {
    create: '`id` bigint NOT NULL AUTO_INCREMENT,\n  `user_id` int NOT NULL,\n  `ip` varchar(45) DEFAULT NULL,\n  `user_agent` varchar(255) DEFAULT NULL,\n  `logged_at` datetime NOT NULL,\n  PRIMARY KEY (`id`),\n  KEY `logins_user` (`user_id`)',
    row: (id, rand, users) => {
      const agent = pick(rand, AGENTS);
      return `(${id},${1 + Math.floor(rand() * users)},${ip(rand)},${agent === null ? 'NULL' : sqlString(agent)},${datetime(rand)})`;
    },
  },
  payments: {
    create: '`id` bigint NOT NULL AUTO_INCREMENT,\n  `user_id` int NOT NULL,\n  `amount` decimal(12,2) NOT NULL,\n  `currency` char(3) NOT NULL,\n  `method` varchar(20) DEFAULT NULL,\n  `tx_hash` varbinary(32) DEFAULT NULL,\n  `paid_at` datetime DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  CONSTRAINT `payments_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`)',
    row: (id, rand, users) => `(${id},${1 + Math.floor(rand() * users)},${(rand() * 5000).toFixed(2)},'${pick(rand, CURRENCIES)}',${rand() < 0.2 ? 'NULL' : "'escrow'"},${rand() < 0.5 ? hex(rand, 32) : 'NULL'},${rand() < 0.05 ? 'NULL' : datetime(rand)})`,
  },
  searches: {
    create: '`id` bigint NOT NULL AUTO_INCREMENT,\n  `user_id` int DEFAULT NULL,\n  `query` text NOT NULL,\n  `searched_at` datetime NOT NULL,\n  PRIMARY KEY (`id`)',
    row: (id, rand, users) => `(${id},${rand() < 0.1 ? 'NULL' : 1 + Math.floor(rand() * users)},${sqlString(`${pick(rand, WORDS)} ${pick(rand, WORDS)} ${Math.floor(rand() * 100)}`)},${datetime(rand)})`,
  },
  users: {
    create: '`id` int NOT NULL AUTO_INCREMENT,\n  `username` varchar(64) NOT NULL,\n  `email` varchar(191) DEFAULT NULL,\n  `password` varchar(255) NOT NULL,\n  `last_ip` varchar(45) DEFAULT NULL,\n  `avatar` blob,\n  `created_at` datetime NOT NULL,\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `username` (`username`)',
    row: (id, rand) => {
      const name = `${pick(rand, FIRST)}${id}`;
      const password = rand() < 0.3 ? sqlString(`${pick(rand, FIRST)}${Math.floor(rand() * 10000)}!`) : `'${hex(rand, 16).slice(2)}'`;
      return `(${id},${sqlString(name)},${rand() < 0.1 ? 'NULL' : sqlString(`${name.replace(/\W/g, '')}@${pick(rand, DOMAINS)}`)},${password},${rand() < 0.2 ? 'NULL' : ip(rand)},${rand() < 0.7 ? 'NULL' : hex(rand, 24)},${datetime(rand)})`;
    },
  },
};

/** Writes a dump of about `targetBytes` to `path`; returns the rows per table. */
export function writeSiteDump(path: string, targetBytes: number, seed: number): Record<string, number> {
  const rand = random(seed);
  const users = Math.max(1, Math.floor((targetBytes * SHARES.users) / USER_ROW_BYTES));
  const fd = openSync(path, 'w');
  let pending: string[] = [];
  let pendingBytes = 0;
  const write = (text: string) => {
    pending.push(text);
    pendingBytes += text.length;
    if (pendingBytes >= WRITE_BYTES) flush();
  };
  const flush = () => {
    writeSync(fd, pending.join(''));
    pending = [];
    pendingBytes = 0;
  };
  const counts: Record<string, number> = {};
  try {
    write(`-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n-- Host: localhost    Database: darkshop\n-- ------------------------------------------------------\n-- Server version\t8.0.36\n\n/*!40101 SET NAMES utf8mb4 */;\n/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;\n`);
    for (const table of Object.keys(TABLES) as (keyof typeof TABLES)[]) {
      const { create, row } = TABLES[table];
      write(`\n--\n-- Table structure for table \`${table}\`\n--\n\nDROP TABLE IF EXISTS \`${table}\`;\nCREATE TABLE \`${table}\` (\n  ${create}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\n`);
      write(`LOCK TABLES \`${table}\` WRITE;\n/*!40000 ALTER TABLE \`${table}\` DISABLE KEYS */;\n`);
      const budget = targetBytes * SHARES[table];
      let written = 0;
      let id = 0;
      while ((table === 'users' ? id < users : written < budget)) {
        const rows: string[] = [];
        let lineBytes = 0;
        while (lineBytes < LINE_BYTES && (table === 'users' ? id < users : written + lineBytes < budget)) {
          id += 1;
          const text = row(id, rand, users);
          rows.push(text);
          lineBytes += text.length + 1;
        }
        write(`INSERT INTO \`${table}\` VALUES ${rows.join(',')};\n`);
        written += lineBytes;
      }
      counts[table] = id;
      write(`/*!40000 ALTER TABLE \`${table}\` ENABLE KEYS */;\nUNLOCK TABLES;\n`);
    }
    write('\n-- Dump completed on 2024-03-01 10:00:00\n');
    flush();
  } finally {
    closeSync(fd);
  }
  return counts;
}

/** `1g`, `500m`, `64k`, `1000` -> bytes. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kmg]?)b?$/i.exec(text.trim());
  if (!m) throw new Error(`not a size: ${text} (e.g. 1g, 500m)`);
  const unit = { '': 1, k: 1 << 10, m: 1 << 20, g: 1 << 30 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * unit);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename) {
  const [out, size = '100m', seed = '1'] = process.argv.slice(2);
  if (!out) {
    console.error('usage: node bench/site-dump.ts OUT SIZE [SEED]   e.g. node bench/site-dump.ts /tmp/site.sql 1g');
    process.exit(2);
  }
  const started = Date.now();
  const counts = writeSiteDump(out, parseSize(size), Number(seed));
  console.log(JSON.stringify({ out, tookMs: Date.now() - started, rows: counts }));
}
