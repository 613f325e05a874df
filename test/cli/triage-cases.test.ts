// Triage, watchlists and cases as a duty officer and an investigator meet them: the real bin/lode
// on a small hand-made seizure with a threat thread, look-alikes, an insider leak, and a second
// batch that a watchlist must catch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';

const LODE = new URL('../../bin/lode', import.meta.url).pathname;

function run(home: string, ...args: string[]) {
  return spawnSync(LODE, args, { encoding: 'utf8', env: { ...process.env, LODE_HOME: home, LODE_STORE: '', LODE_LEXICONS: '' } });
}

function lode(home: string, ...args: string[]) {
  const result = run(home, ...args);
  assert.equal(result.status, 0, `lode ${args.join(' ')}: ${result.stderr}`);
  return args.includes('--json') ? JSON.parse(result.stdout) : result.stdout;
}

type AlertJson = { id: number; kind: string; score: number; item: { id: string; ref?: string; body: string }; reasons: { signal: string; text: string }[]; status: string; notes: { text: string }[]; watchlist?: string };

const day = (d: number, h: number) => `2020-04-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z`;

function firstBatch(home: string): string {
  return writeJsonl(join(home, 'encro-1.jsonl'), [
    // the plot: intent with a target, then preparation between the same accounts
    message('t-1', day(1, 20), 'tapeworm', ['jaguar'], 'die rat Kevin moet weg, hij heeft ons verraden'),
    message('t-2', day(2, 21), 'jaguar', ['tapeworm'], 'de AK ligt klaar en ik heb een gestolen golf'),
    message('t-3', day(3, 22), 'tapeworm', ['jaguar'], 'hij woont op de Dorpsstraat 12, elke avond om 22:00 thuis'),
    // look-alikes in the same crew
    message('d-1', day(2, 12), 'jaguar', ['ghost'], 'ik ben kapot moe, dood op van het sporten'),
    message('d-2', day(2, 13), 'ghost', ['jaguar'], 'ik heb hem afgeknald in warzone haha'),
    message('d-3', day(2, 14), 'ghost', ['jaguar'], 'die pizza gaan we klappen vanavond'),
    // an insider leak
    message('l-1', day(4, 10), 'ghost', ['tapeworm'], 'mijn neef bij de politie heeft zijn kenteken nagetrokken in het systeem'),
    // ordinary business
    message('b-1', day(5, 10), 'tapeworm', ['ghost'], 'bel me op 06-12345678 voor de stenen'),
  ]);
}

test('threats are raised at ingest with reasons, look-alikes are not, and an alert is worked without losing anything', () => {
  const home = temporaryDirectory();
  const ingested = lode(home, 'ingest', firstBatch(home), '--dataset', 'encro', '--json');
  assert.ok(ingested.alerts >= 3, `alerts raised at ingest: ${JSON.stringify(ingested)}`);

  const queue = lode(home, 'alerts', '--json') as { total: number; alerts: AlertJson[] };
  const threats = queue.alerts.filter((a) => a.kind === 'threat');
  const refs = new Set(threats.map((a) => a.item.ref));
  for (const ref of ['t-1', 't-2', 't-3']) assert.ok(refs.has(ref), `${ref} raised: ${[...refs].join(', ')}`);
  for (const ref of ['d-1', 'd-2', 'd-3', 'b-1']) assert.ok(!queue.alerts.some((a) => a.item.ref === ref), `${ref} is no alert`);
  assert.ok(queue.alerts.some((a) => a.kind === 'leak' && a.item.ref === 'l-1'), 'the insider leak is raised');
  // highest first, and every alert explains itself
  for (let i = 1; i < queue.alerts.length; i++) assert.ok(queue.alerts[i - 1]!.score >= queue.alerts[i]!.score);
  for (const a of queue.alerts) assert.ok(a.reasons.length > 0 && a.reasons.every((r) => r.text.length > 0));
  // the preparation message is a threat because of the intent before it
  const prep = threats.find((a) => a.item.ref === 't-2')!;
  assert.ok(prep.reasons.some((r) => r.signal.startsWith('context')), JSON.stringify(prep.reasons));

  const first = queue.alerts[0]!;
  const worked = lode(home, 'alert', String(first.id), 'escalate', '--note', 'called the duty officer', '--json') as AlertJson;
  assert.equal(worked.status, 'escalated');
  assert.deepEqual(worked.notes.map((n) => n.text), ['called the duty officer']);
  const dismissed = lode(home, 'alert', String(first.id), 'dismiss', '--note', 'false alarm after all', '--json') as AlertJson;
  assert.equal(dismissed.status, 'dismissed');
  assert.equal(dismissed.notes.length, 2, 'notes are kept');
  // dismissed alerts leave the open queue but stay in the store
  assert.ok(!(lode(home, 'alerts', '--json') as { alerts: AlertJson[] }).alerts.some((a) => a.id === first.id));
  assert.ok((lode(home, 'alerts', '--status', 'dismissed', '--json') as { alerts: AlertJson[] }).alerts.some((a) => a.id === first.id));

  // ingesting the same file again raises nothing new; re-scoring keeps the analyst's work
  const again = lode(home, 'ingest', join(home, 'encro-1.jsonl'), '--dataset', 'encro', '--json');
  assert.equal(again.alerts, 0);
  lode(home, 'triage', '--rescore', '--json');
  const after = lode(home, 'alert', String(first.id), '--json') as AlertJson;
  assert.equal(after.status, 'dismissed');
  assert.equal(after.notes.length, 2);
  const audit = lode(home, 'audit', 'list', '--limit', '500', '--json') as { events: { action: string }[] };
  assert.ok(audit.events.some((e) => e.action === 'alert.update'));
  assert.ok(audit.events.some((e) => e.action === 'alerts.view'));
});

test('a watchlist fires on the next batch, by entity in any writing and by query, and not on old data', () => {
  const home = temporaryDirectory();
  lode(home, 'ingest', firstBatch(home), '--dataset', 'encro');
  const list = join(home, 'numbers.txt');
  writeFileSync(list, '# numbers from the informant\n+31 6 1234 5678\nhandle:ghost\n');
  lode(home, 'watchlist', 'add', 'informant', '--entities', list);
  lode(home, 'watchlist', 'add', 'haven', '--query', 'haven AND container', '--priority', '0.9');
  // the old message with 06-12345678 raised nothing: a watchlist looks at new data
  assert.equal((lode(home, 'alerts', '--kind', 'watchlist', '--json') as { total: number }).total, 0);

  const second = writeJsonl(join(home, 'encro-2.jsonl'), [
    message('w-1', day(8, 10), 'jaguar', ['tapeworm'], 'nieuw nummer van hem: 0612345678'),
    message('w-2', day(8, 11), 'tapeworm', ['jaguar'], 'de container staat in de haven'),
    message('w-3', day(8, 12), 'jaguar', ['tapeworm'], 'lekker weertje vandaag'),
    message('w-4', day(8, 13), 'ghost', ['jaguar'], 'alles goed?'),
  ]);
  const report = lode(home, 'ingest', second, '--dataset', 'encro', '--json');
  assert.equal(report.watchlist_alerts, 3);
  const alerts = (lode(home, 'alerts', '--kind', 'watchlist', '--json') as { alerts: AlertJson[] }).alerts;
  const byRef = new Map(alerts.map((a) => [a.item.ref, a]));
  assert.equal(byRef.get('w-1')?.watchlist, 'informant');
  assert.equal(byRef.get('w-2')?.watchlist, 'haven');
  assert.equal(byRef.get('w-4')?.watchlist, 'informant', 'handle ghost');
  assert.ok(!byRef.has('w-3'));
  assert.equal(byRef.get('w-2')!.score, 0.9);
  assert.equal(alerts[0]!.item.ref, 'w-2', 'the higher priority first');

  // backfill raises the old hits too, once
  const backfill = lode(home, 'watchlist', 'run', 'informant', '--backfill', '--json');
  assert.ok(backfill.raised >= 2, JSON.stringify(backfill));
  assert.equal(lode(home, 'watchlist', 'run', 'informant', '--backfill', '--json').raised, 0);
  const listed = lode(home, 'watchlist', 'list', '--json') as { watchlists: { name: string; alerts: number }[] };
  assert.deepEqual(listed.watchlists.map((w) => w.name), ['haven', 'informant']);
  // a bad query is refused when the watchlist is made, with its position
  const bad = run(home, 'watchlist', 'add', 'broken', '--query', 'haven AND (');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /position|column|\^/);
});

test('a case links evidence, records its queries, and exports a bundle whose manifest sha256sum verifies', () => {
  const home = temporaryDirectory();
  lode(home, 'ingest', firstBatch(home), '--dataset', 'encro');
  const alerts = (lode(home, 'alerts', '--kind', 'threat', '--json') as { alerts: AlertJson[] }).alerts;
  lode(home, 'case', 'create', 'op-kevin', '--title', 'Planned killing of Kevin');
  lode(home, 'case', 'add', 'op-kevin', `alert:${alerts[0]!.id}`, 'account:encro/tapeworm', 'entity:phone:06 12345678', '--tag', 'urgent');
  const words = join(home, 'words.txt');
  writeFileSync(words, 'AK\ngestolen golf\n');
  const added = lode(home, 'case', 'add', 'op-kevin', '--query', 'rat AND verraden', '--wordlist', words, '--json');
  assert.ok(added.added >= 2);
  const target = alerts.find((a) => a.item.ref === 't-1')!.item.id;
  lode(home, 'case', 'add', 'op-kevin', target);
  // adding a linked item again adds its tags, never a second item
  lode(home, 'case', 'add', 'op-kevin', 'account:encro/tapeworm', '--tag', 'checked');
  lode(home, 'case', 'note', 'op-kevin', 'Kevin is known to the unit', '--json');
  lode(home, 'case', 'note', 'op-kevin', 'that rat Kevin has to go, he betrayed us', '--on', target, '--translation');

  const shown = lode(home, 'case', 'show', 'op-kevin', '--json');
  const refs = new Set((shown.messages as { ref: string }[]).map((m) => m.ref));
  for (const ref of ['t-1', 't-2']) assert.ok(refs.has(ref), `${ref} in the case`);
  assert.deepEqual((shown.queries as { kind: string; text: string; hits: number }[]).map((q) => [q.kind, q.hits]), [['query', 1], ['wordlist', 1]]);
  assert.ok((shown.entities as { type: string; value: string }[]).some((e) => e.type === 'phone' && e.value === '+31612345678'));
  assert.ok((shown.accounts as { handle: string }[]).some((a) => a.handle === 'tapeworm'));
  const accountItems = (shown.items as { kind: string; tags: string[] }[]).filter((i) => i.kind === 'account');
  assert.deepEqual(accountItems.map((i) => i.tags), [['urgent', 'checked']]);
  assert.equal((shown.annotations as unknown[]).length, 2);
  assert.ok((shown.timeline as { kind: string }[]).some((t) => t.kind === 'annotation'));

  const out = join(home, 'export');
  const exported = lode(home, 'case', 'export', 'op-kevin', '--out', out, '--json');
  const names = (exported.files as { path: string }[]).map((f) => f.path);
  for (const name of ['report.html', 'report.pdf', 'items.jsonl', 'queries.json', 'ftm.jsonl']) assert.ok(names.includes(name), `${name} exported: ${names.join(', ')}`);
  const check = spawnSync('sha256sum', ['-c', 'MANIFEST.sha256'], { cwd: out, encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  const items = readFileSync(join(out, 'items.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind?: string; provenance?: { source_sha256: string; line: number } });
  const withProvenance = items.filter((i) => i.provenance);
  assert.ok(withProvenance.length >= 2 && withProvenance.every((i) => /^[0-9a-f]{64}$/.test(i.provenance!.source_sha256) && i.provenance!.line > 0));
  // an export never overwrites: a second one into the same folder is refused
  assert.equal(run(home, 'case', 'export', 'op-kevin', '--out', out).status, 1);
  const audit = lode(home, 'audit', 'list', '--limit', '500', '--json') as { events: { action: string }[] };
  for (const action of ['case.create', 'case.add', 'case.annotate', 'case.view', 'case.export']) assert.ok(audit.events.some((e) => e.action === action), action);
});

test('discovery finds the planted plots of a generated corpus, and a case opens from a candidate with its evidence', () => {
  const home = temporaryDirectory();
  const corpus = join(home, 'corpus.jsonl');
  lode(home, 'generate', '--messages', '20000', '--seed', '5', '--out', corpus);
  lode(home, 'ingest', corpus, '--dataset', 'gen');
  const discovered = lode(home, 'discover', '--json', '--limit', '1000') as { total: number; candidates: { id: string; title: string; messageIds: string[]; accounts: { handle: string }[]; reasons: string[] }[] };
  assert.ok(discovered.total > 0);
  // the planted threat plots are found with the threat scores triage gave at ingest, and rank first
  const truth = readFileSync(`${corpus}.truth.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; type?: string; handles?: string[] });
  const threats = truth.filter((t) => t.kind === 'case' && t.type === 'threat');
  assert.ok(threats.length > 0);
  for (const plot of threats) {
    const rank = discovered.candidates.findIndex((c) => plot.handles!.filter((h) => c.accounts.some((a) => a.handle === h)).length >= 2 && c.reasons.some((r) => /threat/.test(r)));
    assert.ok(rank >= 0 && rank < threats.length + 3, `threat plot of ${plot.handles!.join(', ')} at rank ${rank}`);
  }
  // --stored lists the same candidates without running again
  assert.deepEqual((lode(home, 'discover', '--stored', '--json', '--limit', '1000') as typeof discovered).candidates.map((c) => c.id), discovered.candidates.map((c) => c.id));

  const top = discovered.candidates[0]!;
  const opened = lode(home, 'case', 'create', 'op-top', '--from-candidate', top.id.slice(0, 12), '--json');
  assert.equal(opened.case.candidate, top.id);
  const shown = lode(home, 'case', 'show', 'op-top', '--json') as { case: { title: string }; messages: { id: string }[]; accounts: { handle: string }[]; queries: { kind: string; text: string }[] };
  assert.equal(shown.case.title, top.title);
  assert.deepEqual(shown.messages.map((m) => m.id).sort(), [...top.messageIds].sort());
  for (const a of top.accounts) assert.ok(shown.accounts.some((x) => x.handle === a.handle), a.handle);
  assert.equal(shown.queries[0]!.kind, 'candidate');
  assert.match(shown.queries[0]!.text, new RegExp(top.id));
  assert.equal(run(home, 'case', 'create', 'op-other', '--from-candidate', 'cand-does-not-exist').status, 1);
});
