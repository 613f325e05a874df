import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import geoip from 'geoip-lite';
import { isValidIBAN } from 'ibantools';
import { createCountryResolver, type CountryIdentifiers, type CountryResolver } from '../../src/campaigns/country.ts';
import { normalisePhone } from '../../src/extract/entities/phone.ts';
import { inspectDump } from '../../src/ingest/formats/mysql-dump.ts';
import { ingest, type IngestReport } from '../../src/ingest/pipeline.ts';
import {
  EVIDENCE_PROFILES, MARKET_COUNTRIES, MARKET_DATABASE, MARKET_NETWORKS, marketDump, planMarket,
  type MarketPersonTruth, type MarketSummary, type MarketTruthRecord,
} from '../../src/generate/market.ts';
import { defaultMarketTruthPath, writeMarketDump } from '../../src/generate/write-market.ts';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { count, openTestStore, temporaryDirectory } from '../fixtures.ts';

const PEOPLE = 300;
const SEED = 11;
const dir = temporaryDirectory();
const dumpPath = join(dir, 'leakmarket.sql');

let people: MarketPersonTruth[] = [];
let summary: MarketSummary;
let store: SqliteStore;
let report: IngestReport;
let resolver: CountryResolver;
/** What the store holds per username, as a campaign would read it. */
const held = new Map<string, CountryIdentifiers & { createdAt: string; activity: string[] }>();

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const evidenceKeys = (items: readonly { kind: string; country: string }[]) => [...new Set(items.map((e) => `${e.kind}:${e.country}`))].sort();
const siteTime = (text: string) => Date.parse(text.includes('T') ? text : `${text.replace(' ', 'T')}Z`);

function identifiersOf(person: MarketPersonTruth): CountryIdentifiers {
  const merged = { emails: new Set<string>(), phones: new Set<string>(), ibans: new Set<string>(), ips: new Set<string>() };
  for (const username of person.accounts) {
    const account = held.get(username);
    assert.ok(account, `account ${username} is in the store`);
    for (const key of ['emails', 'phones', 'ibans', 'ips'] as const) for (const value of account[key]) merged[key].add(value);
  }
  return { emails: [...merged.emails], phones: [...merged.phones], ibans: [...merged.ibans], ips: [...merged.ips] };
}

before(async () => {
  const written = await writeMarketDump({ people: PEOPLE, seed: SEED, out: dumpPath });
  const records = readFileSync(defaultMarketTruthPath(dumpPath), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as MarketTruthRecord);
  people = records.filter((r): r is MarketPersonTruth => r.kind === 'person');
  summary = records.at(-1) as MarketSummary;
  assert.deepEqual(written.summary, summary);
  store = openTestStore(dir);
  report = await ingest({ store, paths: [dumpPath], dataset: 'leak-market' });
  resolver = await createCountryResolver();
  const accounts = store.db.prepare('SELECT id, handle, extra FROM accounts WHERE platform = ?').all(MARKET_DATABASE);
  const byId = new Map<number, string>();
  for (const row of accounts) {
    const extra = JSON.parse(String(row.extra)) as Record<string, string | undefined>;
    const handle = String(row.handle);
    byId.set(Number(row.id), handle);
    held.set(handle, {
      emails: extra.email === undefined ? [] : [extra.email], phones: extra.phone === undefined ? [] : [extra.phone], ibans: [],
      ips: extra.reg_ip === undefined ? [] : [extra.reg_ip], createdAt: extra.created_at ?? '', activity: [],
    });
  }
  for (const event of store.db.prepare('SELECT account_id, type, ts, fields FROM events').all()) {
    const account = held.get(byId.get(Number(event.account_id)) ?? '');
    assert.ok(account, 'every event belongs to a site account');
    const fields = JSON.parse(String(event.fields)) as Record<string, string | undefined>;
    if (event.type === 'login' && fields.ip !== undefined) (account.ips as string[]).push(fields.ip);
    if (event.type === 'payment' && fields.iban !== undefined) (account.ibans as string[]).push(fields.iban);
    account.activity.push(String(event.ts));
  }
});

test('the same seed writes the same bytes; another seed does not', async () => {
  const again = join(dir, 'again.sql');
  const other = join(dir, 'other.sql');
  await writeMarketDump({ people: PEOPLE, seed: SEED, out: again });
  await writeMarketDump({ people: PEOPLE, seed: SEED + 1, out: other });
  assert.equal(sha256(again), sha256(dumpPath));
  assert.equal(sha256(defaultMarketTruthPath(again)), sha256(defaultMarketTruthPath(dumpPath)));
  assert.notEqual(sha256(other), sha256(dumpPath));
});

test('without a mapping, users are read as accounts with their contact columns and the other tables as events', async () => {
  const inspection = await inspectDump(dumpPath);
  assert.equal(inspection.database, MARKET_DATABASE);
  assert.equal(inspection.malformed, 0);
  assert.deepEqual(inspection.tables.map((t) => [t.name, t.mappedAs]), [['logins', 'event:login'], ['payments', 'event:payment'], ['searches', 'event:search'], ['users', 'account']]);
  assert.deepEqual(inspection.mapping.tables.users, {
    as: 'account', key: 'id', handle: 'username', email: 'email', ip: 'reg_ip', phone: 'phone', ts: 'created_at', password_hash: 'password', name: 'full_name', address: 'address',
  });
  for (const [table, ts] of [['payments', 'paid_at'], ['searches', 'searched_at'], ['logins', 'logged_at']] as const) {
    assert.deepEqual(inspection.mapping.tables[table], { ...inspection.mapping.tables[table], as: 'event', account: 'user_id', ts, ref: 'id' });
  }
});

test('ingest stores every account of the truth, its payments, searches and logins, one exposure per e-mail address, and quarantines nothing', async () => {
  assert.equal(report.sources[0]!.format, 'mysql-dump');
  assert.equal(report.quarantined, 0);
  const usernames = people.flatMap((p) => p.accounts).sort();
  assert.equal(usernames.length, summary.accounts);
  assert.equal(new Set(usernames).size, usernames.length, 'usernames are unique');
  assert.deepEqual([...held.keys()].sort(), usernames);
  assert.equal(report.accounts, summary.accounts);
  const events = (type: string) => count(store, `SELECT count(*) AS n FROM events WHERE type = '${type}'`);
  assert.equal(await events('payment'), people.reduce((n, p) => n + p.payments, 0));
  assert.equal(await events('payment'), summary.payments);
  assert.equal(await events('search'), summary.searches);
  assert.equal(await events('login'), summary.logins);
  assert.equal(report.events, summary.payments + summary.searches + summary.logins);
  // accounts that share an address (same bcrypt hash type) are one exposure of it
  assert.equal(report.exposures, summary.emails);
  assert.equal(summary.emails, new Set(people.flatMap((p) => p.emails)).size);
  assert.ok(summary.emails < summary.accountsWithEmail && summary.accountsWithEmail < summary.accounts, JSON.stringify(summary));
  assert.equal(await count(store, 'SELECT count(DISTINCT account_id) AS n FROM exposures'), summary.emails);
  const hashTypes = store.db.prepare('SELECT DISTINCT hash_type FROM exposures').all().map((r) => r.hash_type);
  assert.deepEqual(hashTypes, ['bcrypt']);
});

test('the population is varied: every country and evidence profile, free and paying people, people with several accounts', () => {
  assert.deepEqual(new Set(people.map((p) => p.country)), new Set(MARKET_COUNTRIES));
  for (const profile of EVIDENCE_PROFILES) assert.ok(people.filter((p) => p.profile === profile).length >= 5, profile);
  const paying = people.filter((p) => p.paid).length;
  assert.ok(paying > PEOPLE * 0.2 && paying < PEOPLE * 0.7, `paying ${paying}`);
  assert.ok(people.some((p) => p.accounts.length === 3));
  assert.ok(summary.linkedPeople.email >= 10 && summary.linkedPeople.phone >= 3, JSON.stringify(summary.linkedPeople));
  assert.ok(people.some((p) => p.evidence.some((e) => e.national)), 'some phones are written without calling code');
  for (const person of people) {
    const total = Object.values(person.paidTotal).reduce((a, b) => a + b, 0);
    assert.equal(person.paid, person.payments > 0);
    assert.equal(total > 0, person.paid, person.id);
  }
  const perCountry = Object.values(summary.countries).reduce((n, c) => n + c.people, 0);
  assert.equal(perCountry, PEOPLE);
});

test('for every person, countryEvidence finds exactly the planted kinds and countries', () => {
  for (const person of people) {
    const identifiers = identifiersOf(person);
    const found = resolver.countryEvidence(identifiers, { nationalPhoneCountries: [person.country] });
    assert.deepEqual(evidenceKeys(found.evidence), evidenceKeys(person.evidence), `${person.id} (${person.profile})`);
    if (person.evidence.some((e) => e.national)) {
      const abroad = resolver.countryEvidence(identifiers);
      assert.ok(!abroad.evidence.some((e) => e.kind === 'phone'), `${person.id}: a national number needs the campaign's country`);
    }
  }
  const conflicting = people.filter((p) => p.profile === 'conflicting');
  assert.ok(conflicting.length > 0);
  for (const person of conflicting) {
    const kinds = evidenceKeys(resolver.countryEvidence(identifiersOf(person)).evidence);
    assert.ok(kinds.includes(`iban:${person.country}`) && kinds.some((k) => k.startsWith('ip:') && k !== `ip:${person.country}`), `${person.id}: ${kinds.join(' ')}`);
  }
  for (const person of people.filter((p) => p.profile === 'none')) assert.deepEqual(resolver.countryEvidence(identifiersOf(person)).evidence, [], person.id);
});

test('a person\'s accounts share what links them, and no e-mail or phone is shared between people', () => {
  const ownerOfEmail = new Map<string, string>();
  const ownerOfPhone = new Map<string, string>();
  for (const person of people) {
    const accounts = person.accounts.map((username) => held.get(username)!);
    const emails = accounts.map((a) => a.emails[0]?.toLowerCase());
    const phones = accounts.map((a) => (a.phones[0] === undefined ? undefined : normalisePhone(a.phones[0], { defaultRegion: person.country })));
    if (person.linkedBy === 'email') assert.equal(new Set(emails).size, 1, `${person.id}: ${emails.join(' ')}`);
    if (person.linkedBy === 'phone') {
      assert.ok(phones.every((p) => p !== undefined), person.id);
      assert.equal(new Set(phones).size, 1, person.id);
    }
    if (person.linkedBy === 'phone' || person.linkedBy === 'none') {
      const present = emails.filter((e) => e !== undefined);
      assert.equal(new Set(present).size, present.length, `${person.id}: each account its own e-mail`);
    }
    if (person.linkedBy === 'none') {
      const present = phones.filter((p) => p !== undefined);
      assert.equal(new Set(present).size, present.length, `${person.id}: no shared phone`);
    }
    assert.equal(person.accounts.length > 1, person.linkedBy !== undefined);
    for (const email of new Set(emails)) if (email !== undefined) assert.equal(ownerOfEmail.get(email) ?? person.id, person.id, email);
    for (const phone of new Set(phones)) if (phone !== undefined) assert.equal(ownerOfPhone.get(phone) ?? person.id, person.id, phone);
    for (const email of emails) if (email !== undefined) ownerOfEmail.set(email, person.id);
    for (const phone of phones) if (phone !== undefined) ownerOfPhone.set(phone, person.id);
  }
  assert.deepEqual([...new Set(people.flatMap((p) => p.emails))].sort(), [...ownerOfEmail.keys()].sort());
});

test('e-mail domains cannot reach anyone: sub-domains of example.<country> or of the reserved example.com', () => {
  const domains = new Set([...held.values()].flatMap((a) => a.emails).map((e) => e.slice(e.indexOf('@') + 1).toLowerCase()));
  assert.ok(domains.size > 10);
  for (const domain of domains) assert.match(domain, /\.example\.(com|nl|be|de|fr|co\.uk)$/, domain);
  const queries = store.db.prepare("SELECT fields FROM events WHERE type = 'search'").all().map((r) => String((JSON.parse(String(r.fields)) as { query: string }).query));
  for (const query of queries.filter((q) => q.includes('.'))) assert.match(query, /\.example\.(com|nl|be|de|fr|co\.uk|org|net)$/, query);
});

test('every IBAN in the dump is valid and belongs to an IBAN country of the generator', () => {
  const ibans = [...held.values()].flatMap((a) => a.ibans);
  assert.ok(ibans.length >= 20, `ibans ${ibans.length}`);
  for (const iban of ibans) {
    assert.ok(isValidIBAN(iban), iban);
    assert.ok(['NL', 'BE', 'DE', 'FR'].includes(iban.slice(0, 2)), iban);
  }
  assert.deepEqual([...new Set(ibans)].sort(), [...new Set(people.flatMap((p) => p.ibans))].sort());
});

test('activity lies in 2017-2020, after the account was registered, and registration rises with the user id', () => {
  const from = Date.UTC(2017, 0, 1);
  const to = Date.UTC(2021, 0, 1);
  for (const [handle, account] of held) {
    const registered = siteTime(account.createdAt);
    assert.ok(registered >= from && registered < to, `${handle} registered ${account.createdAt}`);
    for (const ts of account.activity) {
      const at = siteTime(ts);
      assert.ok(at >= registered && at < to, `${handle}: ${ts} before ${account.createdAt}`);
    }
  }
  const users = store.db.prepare('SELECT extra FROM accounts WHERE platform = ?').all(MARKET_DATABASE)
    .map((r) => JSON.parse(String(r.extra)) as { id: string; created_at: string })
    .sort((a, b) => Number(a.id) - Number(b.id));
  for (let i = 1; i < users.length; i++) assert.ok(users[i]!.created_at >= users[i - 1]!.created_at, `user ${users[i]!.id}`);
});

test('the networks the generator draws from are placed in their country by geoip-lite', () => {
  for (const country of MARKET_COUNTRIES) {
    const { ipv4, ipv6 } = MARKET_NETWORKS[country];
    for (const network of ipv4) {
      for (let third = 0; third < 256; third += 5) {
        const ip = `${network}.${third}.${(third * 37) % 254 + 1}`;
        assert.equal(geoip.lookup(ip)?.country, country, ip);
      }
    }
    for (const network of ipv6) {
      for (let group = 1; group < 0xffff; group += 2049) {
        const ip = `${network}:${group.toString(16)}:1::1`;
        assert.equal(geoip.lookup(ip)?.country, country, ip);
      }
    }
  }
});

test('account ids are a permutation, so one person\'s accounts are scattered over the users table', () => {
  const plan = planMarket({ people: 5000, seed: 3 });
  const seen = new Uint8Array(plan.accounts + 1);
  let neighbours = 0;
  for (let index = 0; index < plan.accounts; index++) {
    const id = plan.idOf(index);
    assert.ok(id >= 1 && id <= plan.accounts && seen[id] === 0, `id ${id}`);
    seen[id] = 1;
    assert.equal(plan.accountOf(id), index);
    if (index > 0 && Math.abs(id - plan.idOf(index - 1)) === 1) neighbours++;
  }
  assert.ok(neighbours < plan.accounts / 100, `neighbours ${neighbours}`);
});

test('the dump streams in pieces of about a megabyte', () => {
  const pieces = [...marketDump(planMarket({ people: 8000, seed: 5 }))];
  const largest = Math.max(...pieces.map((p) => p.length));
  assert.ok(pieces.filter((p) => p.startsWith('INSERT INTO `users`')).length >= 2, 'the users table takes several INSERT lines');
  assert.ok(largest < 1.1 * (1 << 20), `largest ${largest}`);
});

test('lode generate --market writes the dump and truth and prints a summary; it refuses --messages alongside', () => {
  const lode = join(import.meta.dirname, '../../bin/lode');
  const out = join(dir, 'cli.sql');
  const run = spawnSync(lode, ['generate', '--market', '--people', '120', '--seed', '4', '--out', out, '--json'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const printed = JSON.parse(run.stdout) as { people: number; accounts: number; truth: string; countries: Record<string, { people: number }> };
  assert.equal(printed.people, 120);
  assert.equal(printed.truth, defaultMarketTruthPath(out));
  const truth = readFileSync(printed.truth, 'utf8').trim().split('\n');
  assert.equal(truth.length, 121);
  assert.equal((JSON.parse(truth.at(-1)!) as MarketSummary).accounts, printed.accounts);
  assert.match(readFileSync(out, 'utf8').slice(0, 200), /Database: leakmarket/);
  const both = spawnSync(lode, ['generate', '--market', '--people', '5', '--messages', '10', '--out', out], { encoding: 'utf8' });
  assert.equal(both.status, 2);
  assert.match(both.stderr, /--market cannot be combined with --messages/);
});
