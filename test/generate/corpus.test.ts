import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateCorpus } from '../../src/generate/corpus.ts';
import { eip55 } from '../../src/generate/checksums.ts';
import { btcOk, containerOk, ibanOk, ipv4Ok, ipv6Ok, luhnOk, phoneOk, PLATE_PATTERNS } from './validators.ts';

type Rec = Record<string, unknown>;

function collect(messages: number, seed: number): { records: Rec[]; truth: Rec[] } {
  const records: Rec[] = [];
  const truth: Rec[] = [];
  for (const item of generateCorpus({ messages, seed })) {
    if (item.record) records.push(JSON.parse(JSON.stringify(item.record)) as Rec);
    if (item.truth) truth.push(JSON.parse(JSON.stringify(item.truth)) as Rec);
  }
  return { records, truth };
}

const N = 40_000;
const { records, truth } = collect(N, 20200613);
const byId = new Map<string, Rec>();
for (const r of records) if (typeof r['id'] === 'string') byId.set(r['id'], r);
const summary = truth[truth.length - 1] ?? {};

test('records have the lode-jsonl v1 shape and order', () => {
  const order = ['account', 'contact', 'group'];
  let phase = 0;
  let lastTs = '';
  let messages = 0;
  let notes = 0;
  const handles = new Set<string>();
  for (const r of records) {
    assert.equal(r['platform'], 'encrochat');
    const kind = r['kind'] as string;
    const idx = order.indexOf(kind);
    if (idx >= 0) {
      assert.ok(idx >= phase, 'header records come first, in order');
      phase = idx;
    } else phase = 3;
    if (kind === 'account') {
      const h = r['handle'] as string;
      assert.ok(/^[\p{Ll}\p{N}_]+$/u.test(h), h);
      assert.ok(!handles.has(h), 'unique handle ' + h);
      handles.add(h);
      const dev = r['device'] as Rec;
      assert.ok(luhnOk(dev['imei'] as string) && (dev['imei'] as string).length === 15);
      assert.match(dev['model'] as string, /Aquaris/);
    } else if (kind === 'contact') {
      assert.ok(handles.has(r['owner'] as string) && handles.has(r['handle'] as string));
      assert.equal(typeof r['alias'], 'string');
    } else if (kind === 'group') {
      assert.match(r['id'] as string, /^g-\d+$/);
      for (const m of r['members'] as string[]) assert.ok(handles.has(m));
    } else if (kind === 'message' || kind === 'note') {
      const ts = r['ts'] as string;
      assert.match(ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok(ts >= lastTs, 'time order');
      assert.ok(ts >= '2020-03-01T00:00:00Z' && ts < '2020-06-14T00:00:00Z');
      lastTs = ts;
      assert.equal(typeof r['body'], 'string');
      assert.ok((r['body'] as string).length > 0);
      if (kind === 'message') {
        messages++;
        assert.equal(r['id'], 'e-' + messages);
        assert.ok(handles.has(r['from'] as string));
        const to = r['to'] as string[];
        assert.ok(to.length >= 1 && to.every((h) => handles.has(h) && h !== r['from']));
        for (const a of (r['attachments'] as Rec[] | undefined) ?? []) assert.match(a['sha256'] as string, /^[0-9a-f]{64}$/);
      } else {
        notes++;
        assert.equal(r['id'], 'n-' + notes);
        assert.ok(handles.has(r['owner'] as string));
      }
    } else assert.fail('unexpected kind ' + kind);
  }
  assert.equal(messages, N);
  assert.ok(handles.size >= 40 && Math.abs(handles.size - N / 350) < 2);
  assert.equal(summary['kind'], 'summary');
  assert.equal(summary['messages'], N);
});

test('entity spans match bodies and every planted value validates', () => {
  const seen = new Set<string>();
  let n = 0;
  for (const t of truth) {
    if (t['kind'] !== 'entity') continue;
    n++;
    const rec = byId.get(t['message'] as string);
    assert.ok(rec, 'entity points at an existing record');
    const raw = t['raw'] as string;
    assert.equal((rec['body'] as string).slice(t['start'] as number, t['end'] as number), raw);
    const v = t['value'] as string;
    const type = t['type'] as string;
    seen.add(type);
    const digits = raw.replace(/\D/g, '');
    switch (type) {
      case 'phone': assert.ok(phoneOk(v), v); assert.ok(digits.endsWith(v.slice(v.length - 8)), raw + ' ~ ' + v); break;
      case 'iban': assert.ok(ibanOk(v), v); assert.equal(raw.replace(/ /g, '').toUpperCase(), v); break;
      case 'bic': assert.match(v, /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/); break;
      case 'email': assert.match(v, /^[a-z0-9._]+@[a-z0-9.-]+\.[a-z]{2,}$/); assert.equal(raw.toLowerCase(), v); break;
      case 'url': assert.match(v, /^(https?:\/\/|www\.)\S+$/); break;
      case 'ipv4': assert.ok(ipv4Ok(v), v); break;
      case 'ipv6': assert.ok(ipv6Ok(v), v); break;
      case 'btc': assert.ok(btcOk(v), v); assert.equal(raw, v); break;
      case 'eth':
        assert.match(v, /^0x[0-9a-f]{40}$/);
        assert.equal(raw.toLowerCase(), v);
        if (raw !== v) assert.equal(eip55(v.slice(2)), raw, 'mixed case is EIP-55');
        break;
      case 'xmr': assert.match(v, /^4[1-9A-HJ-NP-Za-km-z]{94}$/); break;
      case 'imei': assert.ok(luhnOk(v) && v.length === 15, v); assert.equal(digits, v); break;
      case 'plate': assert.ok(PLATE_PATTERNS.some((p) => p.test(v)), v); break;
      case 'coordinates': {
        const [lat, lon] = v.split(',').map(Number);
        assert.match(v, /^-?\d+\.\d{5},-?\d+\.\d{5}$/);
        assert.ok(Math.abs(lat ?? 99) <= 90 && Math.abs(lon ?? 999) <= 180);
        break;
      }
      case 'container': assert.ok(containerOk(v), v); assert.equal(raw.replace(/[ -]/g, '').toUpperCase(), v); break;
      case 'amount': assert.match(v, /^(EUR|GBP) \d+$/); break;
      default: assert.fail('unknown entity type ' + type);
    }
  }
  assert.ok(n > N * 0.03, 'thousands of mentions per 100k');
  for (const type of ['phone', 'iban', 'bic', 'email', 'url', 'ipv4', 'ipv6', 'btc', 'eth', 'xmr', 'imei', 'plate', 'coordinates', 'container', 'amount']) {
    assert.ok(seen.has(type), 'has ' + type);
  }
});

test('decoy spans match and checksummed decoys fail', () => {
  let n = 0;
  for (const t of truth) {
    if (t['kind'] !== 'decoy_entity') continue;
    n++;
    const rec = byId.get(t['message'] as string);
    assert.ok(rec);
    const raw = t['raw'] as string;
    assert.equal((rec['body'] as string).slice(t['start'] as number, t['end'] as number), raw);
    assert.equal(typeof t['why'], 'string');
    const why = t['why'] as string;
    if (t['type'] === 'iban') assert.equal(ibanOk(raw), false, raw);
    if (t['type'] === 'imei') assert.equal(luhnOk(raw), false, raw);
    if (t['type'] === 'btc') assert.equal(btcOk(raw), false, raw);
    if (t['type'] === 'container') assert.equal(containerOk(raw), false, raw);
    if (t['type'] === 'ipv4') assert.equal(ipv4Ok(raw), false, raw);
    if (t['type'] === 'phone' && why.startsWith('mobile prefix')) assert.ok(raw.replace(/\D/g, '').length < 10);
  }
  assert.ok(n > N * 0.008);
});

test('threats, decoys, leaks and cases are consistent', () => {
  const cases = new Map<string, Rec>();
  for (const t of truth) if (t['kind'] === 'case') cases.set(t['id'] as string, t);
  const threats = truth.filter((t) => t['kind'] === 'threat');
  assert.ok(threats.length >= 20, 'threats planted: ' + threats.length);
  const threadIds = new Set<string>();
  for (const t of threats) {
    assert.ok(byId.has(t['message'] as string));
    assert.ok(['kill', 'kidnap', 'torture', 'assault'].includes(t['intent'] as string));
    assert.ok(['nl', 'en', 'fr'].includes(t['lang'] as string));
    const c = cases.get(t['case'] as string);
    assert.ok(c, 'threat belongs to a case');
    assert.equal(c['type'], 'threat');
    assert.ok((c['messages'] as string[]).includes(t['message'] as string));
    threadIds.add(t['case'] as string);
  }
  assert.ok(threats.length / threadIds.size >= 3, 'threats spread over planning threads');
  const decoys = truth.filter((t) => t['kind'] === 'threat_decoy');
  assert.ok(decoys.length >= threats.length, 'decoys at least as common as threats');
  const leaks = truth.filter((t) => t['kind'] === 'leak');
  assert.ok(leaks.length >= 8);
  for (const l of leaks) assert.ok(['police', 'customs', 'port', 'municipality', 'registry'].includes(l['sector'] as string));
  for (const c of cases.values()) {
    const ids = c['messages'] as string[];
    assert.ok(ids.length > 0 && ids.length <= 200);
    assert.ok((c['message_count'] as number) >= ids.length);
    assert.ok((c['handles'] as string[]).length >= 2);
    assert.ok((c['from'] as string) <= (c['to'] as string));
    for (const id of ids) {
      const m = byId.get(id);
      assert.ok(m);
      assert.ok((c['handles'] as string[]).includes(m['from'] as string));
      assert.ok((m['to'] as string[]).every((h) => (c['handles'] as string[]).includes(h)));
    }
  }
  const kinds = new Set([...cases.values()].map((c) => c['type']));
  for (const k of ['threat', 'coke', 'lab', 'money']) assert.ok(kinds.has(k), 'case type ' + k);
  // Coke cases share a container number across messages.
  const coke = [...cases.values()].find((c) => c['type'] === 'coke' && (c['entities'] as Rec[]).some((e) => e['type'] === 'container'));
  assert.ok(coke);
  const container = (coke['entities'] as Rec[]).find((e) => e['type'] === 'container')?.['value'];
  const mentions = truth.filter((t) => t['kind'] === 'entity' && t['value'] === container);
  assert.ok(mentions.length >= 1);
});

test('aliases: planted handles are saved under similar real names by several owners', () => {
  const aliases = truth.filter((t) => t['kind'] === 'alias');
  assert.ok(aliases.length >= 10);
  const contactAliases = new Map<string, string[]>();
  for (const r of records) {
    if (r['kind'] !== 'contact') continue;
    const list = contactAliases.get(r['handle'] as string) ?? [];
    list.push((r['alias'] as string).toLowerCase());
    contactAliases.set(r['handle'] as string, list);
  }
  for (const a of aliases) {
    assert.ok((a['owners'] as number) >= 2);
    const surname = (a['alias'] as string).split(' ').slice(1).join(' ').toLowerCase();
    const firstInitial = (a['alias'] as string)[0]?.toLowerCase() ?? '';
    const saved = contactAliases.get(a['handle'] as string) ?? [];
    const similar = saved.filter((s) => s.includes(surname) || (s.startsWith(firstInitial) && /\b\w\.?$/.test(s)));
    assert.ok(similar.length >= 2, a['handle'] + ' ' + JSON.stringify(saved));
  }
});

test('language mix: Dutch majority, English and French present, with slang', () => {
  const langs = summary['langs'] as Record<string, number>;
  assert.ok((langs['nl'] ?? 0) > N * 0.45, JSON.stringify(langs));
  assert.ok((langs['en'] ?? 0) > N * 0.08 && (langs['fr'] ?? 0) > N * 0.08, JSON.stringify(langs));
  const bodies = records.filter((r) => r['kind'] === 'message').map((r) => (r['body'] as string).toLowerCase()).join('\n');
  for (const word of ['sahbi', 'wollah', 'stenen', 'frérot', 'wesh', 'bruv', 'sound', 'ça']) assert.ok(bodies.includes(word), word);
  assert.ok(/[\u{1F300}-\u{1FAFF}]/u.test(bodies), 'emoji present');
});

test('same seed gives identical records, a different seed differs', () => {
  const a = collect(3000, 99);
  const b = collect(3000, 99);
  const c = collect(3000, 100);
  assert.deepEqual(a.records, b.records);
  assert.deepEqual(a.truth, b.truth);
  assert.notDeepEqual(a.records, c.records);
});

test('truth counts scale with N', () => {
  const small = collect(10_000, 5);
  const s = small.truth[small.truth.length - 1] as Rec;
  const big = summary['counts'] as Rec;
  const sc = s['counts'] as Rec;
  const ratio = (k: string): number => (big[k] as number) / Math.max(1, sc[k] as number);
  for (const k of ['entity_total', 'decoy_entity_total', 'threat_decoy']) {
    assert.ok(ratio(k) > 2.5 && ratio(k) < 6, k + ' ' + ratio(k));
  }
  assert.ok((big['threat_total'] as number) > (sc['threat_total'] as number));
  assert.ok((big['case_total'] as number) > (sc['case_total'] as number));
});
