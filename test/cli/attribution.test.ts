// Entities, attribution and the network as an analyst meets them: the real bin/lode on a store
// made from a small hand-made seizure where every link has a known reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';

const LODE = new URL('../../bin/lode', import.meta.url).pathname;

function lode(home: string, ...args: string[]) {
  const result = spawnSync(LODE, args, { encoding: 'utf8', env: { ...process.env, LODE_HOME: home, LODE_STORE: '' } });
  assert.equal(result.status, 0, `lode ${args.join(' ')}: ${result.stderr}`);
  return args.includes('--json') ? JSON.parse(result.stdout) : result.stdout;
}

const account = (handle: string, imei?: string) => ({ kind: 'account', platform: 'encrochat', handle, ...(imei ? { device: { imei, model: 'Aquaris X2' } } : {}) });
const contact = (owner: string, handle: string, alias: string) => ({ kind: 'contact', platform: 'encrochat', owner, handle, alias });

function seizure(home: string): string[] {
  const encro = writeJsonl(join(home, 'encro.jsonl'), [
    // ghost and ghost2 used the same handset: one person switching handles
    account('ghost', '356938035643809'), account('ghost2', '356938035643809'), account('jaguar'), account('tapeworm'),
    contact('tapeworm', 'jaguar', 'Mohamed Bakkal'), contact('ghost', 'jaguar', 'Mo B.'), contact('ghost2', 'jaguar', 'mo bakkal 🇲🇦'),
    contact('jaguar', 'tapeworm', 'neef'),
    message('e-1', '2020-04-01T20:00:00Z', 'jaguar', ['tapeworm'], 'mijn nieuwe nummer is 06-12345678, bel niet op de oude'),
    message('e-2', '2020-04-01T20:05:00Z', 'tapeworm', ['jaguar'], 'ok. stort op NL91 ABNA 0417 1643 00 vandaag'),
    message('e-3', '2020-04-02T21:00:00Z', 'tapeworm', ['ghost'], 'heb je jaguar gesproken?'),
    message('e-4', '2020-04-02T21:10:00Z', 'ghost', ['tapeworm'], 'ja, +31 6 1234 5678 werkt'),
  ]);
  // a second seizure: a WhatsApp export of a phone whose number jaguar gave out
  const whatsapp = writeJsonl(join(home, 'whatsapp.jsonl'), [
    { kind: 'account', platform: 'whatsapp', handle: '+31612345678', name: 'Mo' },
    { kind: 'message', platform: 'whatsapp', id: 'w-1', ts: '2020-05-01T10:00:00Z', from: '+31612345678', to: ['+31687654321'], body: 'ben er over 10 min' },
  ]);
  return [encro, whatsapp];
}

test('entities are found at ingest in any writing, listed, and searchable with the same normalisation', () => {
  const home = temporaryDirectory();
  const [encro] = seizure(home);
  const report = lode(home, 'ingest', encro!, '--dataset', 'encro', '--json');
  assert.ok(report.mentions >= 3);
  const phones = lode(home, 'entities', '--type', 'phone', '--json');
  assert.deepEqual(phones.entities.map((e: { value: string; count: number }) => [e.value, e.count]), [['+31612345678', 2]]);
  for (const writing of ['phone:0612345678', 'phone:"+31 6 1234 5678"', 'phone:0031612345678']) {
    const result = lode(home, 'search', writing, '--json');
    assert.deepEqual(result.hits.map((h: { ref: string }) => h.ref).sort(), ['e-1', 'e-4'], writing);
  }
  const ibanHits = lode(home, 'search', 'iban:nl91abna0417164300', '--json').hits;
  assert.deepEqual(ibanHits.map((h: { ref: string }) => h.ref), ['e-2']);
  const shown = lode(home, 'show', ibanHits[0].id, '--json');
  const iban = shown.item.entities.find((e: { type: string }) => e.type === 'iban');
  assert.equal(shown.item.body.slice(iban.start, iban.end), 'NL91 ABNA 0417 1643 00');
  const list = join(home, 'list.txt');
  writeFileSync(list, '06-1234 5678\nNL91ABNA0417164300\njaguar\n+31687654321\n');
  const looked = lode(home, 'search', '--list', list, '--json');
  assert.deepEqual(looked.matches.map((m: { as: string; found: boolean; messages: number }) => [m.as, m.found, m.messages]), [
    ['phone', true, 2], ['iban', true, 1], ['handle', true, 1], ['phone', false, 0],
  ]);
});

test('reindex --entities finds what an ingest without extraction skipped, once', () => {
  const home = temporaryDirectory();
  const [encro] = seizure(home);
  assert.equal(lode(home, 'ingest', encro!, '--dataset', 'encro', '--skip-entities', '--json').mentions, 0);
  assert.equal(lode(home, 'entities', '--json').total, 0);
  const first = lode(home, 'reindex', '--entities', '--json');
  assert.equal(first.messages, 4);
  assert.ok(first.mentions >= 3);
  const second = lode(home, 'reindex', '--entities', '--json');
  assert.deepEqual([second.messages, second.mentions, second.extractor], [0, 0, first.extractor]);
  assert.equal(lode(home, 'search', 'phone:0612345678', '--json').total, 2);
});

test('the account profile gives the name owners agree on, devices, what it disclosed, contacts and rhythm', () => {
  const home = temporaryDirectory();
  for (const file of seizure(home)) lode(home, 'ingest', file, '--dataset', file.endsWith('encro.jsonl') ? 'encro' : 'phone');
  const profile = lode(home, 'account', 'jaguar', '--json');
  assert.equal(profile.realName.name, 'Mohamed Bakkal');
  assert.equal(profile.realName.support, 3);
  assert.deepEqual(profile.aliases.map((a: { alias: string; count: number }) => a.count), [1, 1, 1]);
  assert.deepEqual(profile.entities.map((e: { type: string; value: string }) => `${e.type}:${e.value}`), ['phone:+31612345678']);
  assert.equal(profile.sent, 1);
  assert.equal(profile.received, 1);
  assert.deepEqual(profile.contacts, [{ handle: 'tapeworm', platform: 'encrochat', sent: 1, received: 1 }]);
  assert.equal(profile.activity.byHour[20], 1);
  assert.equal(profile.activity.byWeekday[3], 1);
  // 2020-04-01 20:00 UTC was a Wednesday: the one message sits in that cell of the weekday x hour grid
  assert.equal(profile.activity.byWeekdayHour[3][20], 1);
  assert.equal(profile.activity.byWeekdayHour.flat().reduce((a: number, b: number) => a + b, 0), 1);
  assert.deepEqual(lode(home, 'account', 'ghost', '--json').devices, [{ imei: '356938035643809', model: 'Aquaris X2' }]);
});

test('links carry their evidence; confirming groups accounts into a person, rejecting undoes it, and updates keep decisions', () => {
  const home = temporaryDirectory();
  for (const file of seizure(home)) lode(home, 'ingest', file, '--dataset', file.endsWith('encro.jsonl') ? 'encro' : 'phone');
  const proposed = lode(home, 'links', '--update', '--json');
  assert.ok(proposed.updated.added >= 2);
  const byKind = (kind: string) => proposed.links.find((l: { kind: string }) => l.kind === kind);
  const device = byKind('shared-device');
  assert.deepEqual([device.a.handle, device.b.handle].sort(), ['ghost', 'ghost2']);
  assert.equal(device.evidence[0].value, '356938035643809');
  const disclosed = proposed.links.filter((l: { kind: string }) => l.kind === 'disclosed-identifier');
  const jaguarToPhone = disclosed.find((l: { a: { handle: string }; b: { handle: string } }) => [l.a.handle, l.b.handle].includes('jaguar'));
  assert.ok(jaguarToPhone, 'jaguar gave out the number of the WhatsApp phone');
  assert.equal(jaguarToPhone.evidence[0].value, '+31612345678');
  // every account an evidence line speaks of is named, the senders of a disclosed number included
  const said = proposed.links.flatMap((l: { evidence: { a: string; b: string }[] }) => l.evidence.flatMap((e) => [e.a, e.b]));
  assert.ok(said.some((text: string) => / wrote it in \d+ message/.test(text)), 'a sender of a disclosed number is in the evidence');
  assert.deepEqual(said.filter((text: string) => /#\d/.test(text)), []);

  const confirmed = lode(home, 'link', 'confirm', String(jaguarToPhone.id), '--note', 'same number, new phone', '--by', 'analyst1', '--json');
  assert.equal(confirmed.link.status, 'confirmed');
  assert.equal(confirmed.link.decidedBy, 'analyst1');
  assert.deepEqual(confirmed.person.accounts.map((a: { handle: string }) => a.handle).sort(), ['+31612345678', 'jaguar']);
  assert.equal(confirmed.person.name, 'Mohamed Bakkal');
  assert.equal(lode(home, 'account', 'jaguar', '--json').person.id, confirmed.person.id);

  const again = lode(home, 'links', '--update', '--json');
  assert.deepEqual(again.updated, { added: 0, updated: 0 });
  assert.equal(again.links.find((l: { id: number }) => l.id === jaguarToPhone.id).status, 'confirmed');

  lode(home, 'link', 'reject', String(jaguarToPhone.id), '--json');
  assert.equal(lode(home, 'account', 'jaguar', '--json').person, undefined);
  assert.equal(lode(home, 'links', '--status', 'rejected', '--json').total, 1);
});

test('graph lists key players and groups, writes GEXF and GraphML; path finds the chain of contacts', () => {
  const home = temporaryDirectory();
  const [encro] = seizure(home);
  lode(home, 'ingest', encro!, '--dataset', 'encro');
  const gexf = join(home, 'net.gexf');
  const graphml = join(home, 'net.graphml');
  const graph = lode(home, 'graph', '--json', '--gexf', gexf, '--graphml', graphml);
  assert.equal(graph.totals.accounts, 3);
  assert.equal(graph.keyPlayers[0].account, 'encrochat:tapeworm');
  assert.ok(existsSync(gexf) && readFileSync(gexf, 'utf8').includes('encrochat:tapeworm'));
  assert.ok(readFileSync(graphml, 'utf8').includes('<graphml'));
  const path = lode(home, 'path', 'jaguar', 'ghost', '--json');
  assert.deepEqual(path.accounts, ['encrochat:jaguar', 'encrochat:tapeworm', 'encrochat:ghost']);
  assert.equal(lode(home, 'graph', '--from', '2020-04-02', '--json').totals.accounts, 2);
});
