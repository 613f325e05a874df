import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { PDFParse } from 'pdf-parse';
import type { CaseBundle } from '../../src/model/cases.ts';
import { exportCase } from '../../src/cases/export/export-case.ts';
import { verifyManifest } from '../../src/cases/export/verify.ts';
import { itemsJsonl } from '../../src/cases/export/bundle-files.ts';
import { ftmEntities } from '../../src/cases/export/ftm.ts';
import { manifestText, parseManifest, sha256Hex } from '../../src/cases/export/manifest.ts';
import { renderReportHtml } from '../../src/cases/export/report-html.ts';
import { visiblePieces } from '../../src/cases/export/report-model.ts';
import { BODIES, caseBundle, SOURCE_SHA256 } from './export-fixture.ts';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'lode-export-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function sha256sumCheck(dir: string): { status: number | null; output: string } {
  const run = spawnSync('sha256sum', ['-c', 'MANIFEST.sha256'], { cwd: dir, encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

function readLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

test('an export verifies with the real sha256sum -c, and one changed byte makes it fail', async (t) => {
  const dir = join(tempDir(t), 'bundle');
  const result = await exportCase(caseBundle(), dir);

  const listed = parseManifest(readFileSync(join(dir, 'MANIFEST.sha256'), 'utf8')).entries.map((e) => e.path);
  assert.deepEqual(readdirSync(dir).filter((f) => f !== 'MANIFEST.sha256').sort(), [...listed].sort(), 'the manifest lists every file');
  assert.deepEqual(result.files.map((f) => f.path), listed);
  for (const name of ['report.html', 'report.pdf', 'items.jsonl', 'queries.json', 'annotations.jsonl', 'timeline.jsonl', 'case.json', 'ftm.jsonl']) {
    assert.ok(listed.includes(name), `${name} is exported and listed`);
  }
  assert.equal(result.manifestSha256, sha256Hex(readFileSync(join(dir, 'MANIFEST.sha256'))));

  const ok = sha256sumCheck(dir);
  assert.equal(ok.status, 0, ok.output);
  assert.equal(ok.output.match(/: OK$/gm)?.length, listed.length);
  assert.equal((await verifyManifest(dir)).ok, true);

  // The cover's data root is what the documented shell command prints.
  const root = execFileSync('sh', ['-c', "grep -v '  report\\.' MANIFEST.sha256 | sha256sum"], { cwd: dir, encoding: 'utf8' }).split(' ')[0];
  assert.equal(root, result.dataRootSha256);
  assert.ok(readFileSync(join(dir, 'report.html'), 'utf8').includes(result.dataRootSha256));

  const items = readFileSync(join(dir, 'items.jsonl'));
  items[40] = items[40]! ^ 0x01;
  writeFileSync(join(dir, 'items.jsonl'), items);
  const bad = sha256sumCheck(dir);
  assert.notEqual(bad.status, 0);
  assert.match(bad.output, /items\.jsonl: FAILED/);
  assert.match(bad.output, /report\.html: OK/);
  const check = await verifyManifest(dir);
  assert.equal(check.ok, false);
  assert.deepEqual(check.problems.map((p) => [p.kind, 'path' in p ? p.path : '']), [['mismatch', 'items.jsonl']]);

  writeFileSync(join(dir, 'extra.txt'), 'slipped in');
  assert.ok((await verifyManifest(dir)).problems.some((p) => p.kind === 'unlisted' && p.path === 'extra.txt'), 'a file nobody listed is reported');
});

test('items.jsonl carries every message with its provenance, entities, annotations and tags', async (t) => {
  const bundle = caseBundle();
  const dir = join(tempDir(t), 'bundle');
  await exportCase(bundle, dir);
  const lines = readLines(join(dir, 'items.jsonl'));
  const messages = lines.filter((l) => l.kind === 'message' || l.kind === 'note');
  assert.equal(messages.length, bundle.messages.length);
  for (const original of bundle.messages) {
    const line = messages.find((l) => l.id === original.id);
    assert.ok(line, `message ${original.id} exported`);
    assert.equal(line.body, original.body);
    assert.deepEqual(line.provenance, {
      source_sha256: original.provenance.sourceSha256, source_path: original.provenance.sourcePath,
      line: original.provenance.line, offset: original.provenance.offset,
    });
    assert.match(String((line.provenance as { source_sha256: string }).source_sha256), /^[0-9a-f]{64}$/);
    assert.deepEqual(line.produced_by, { lode: '0.1.0', toolruns: bundle.producedBy.toolruns });
    for (const e of line.entities as { start: number; end: number; text: string }[]) {
      assert.equal(original.body.slice(e.start, e.end), e.text, 'an entity span points at what was written');
    }
  }
  const times = messages.map((l) => Date.parse(String(l.ts)));
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'oldest first');

  const meeting = messages.find((l) => l.body === BODIES.meeting)!;
  assert.deepEqual((meeting.annotations as { id: number }[]).map((a) => a.id), [1]);
  assert.deepEqual(meeting.tags, ['afspraak']);
  assert.equal(messages.find((l) => l.body === BODIES.script)?.body, BODIES.script);
  assert.equal(messages.find((l) => l.body === BODIES.emoji)?.body, BODIES.emoji);
  assert.equal(messages.find((l) => l.kind === 'note')?.ref, null, 'an absent ref is written as null');

  assert.deepEqual(lines.filter((l) => l.kind === 'account').map((l) => l.handle), ['tapeworm', 'jaguar']);
  assert.equal(lines.filter((l) => l.kind === 'entity').length, bundle.entities.length);
  const iban = lines.find((l) => l.kind === 'entity' && l.type === 'iban')!;
  assert.deepEqual(iban.messages, [bundle.messages[1]!.id]);
  assert.deepEqual(iban.tags, ['geldstroom']);
  assert.equal(lines.filter((l) => l.kind === 'person').length, 1);

  const queries = JSON.parse(readFileSync(join(dir, 'queries.json'), 'utf8')) as { queries: { text: string }[] };
  assert.deepEqual(queries.queries.map((q) => q.text), bundle.queries.map((q) => q.text), 'queries exactly as used');
  const caseFile = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(caseFile.exported_by, 'inv.jansen');
  assert.deepEqual(caseFile.produced_by, bundle.producedBy);
  assert.deepEqual(caseFile.counts, { messages: 6, withheld: 0, notes: 1, accounts: 2, entities: 5, persons: 1, annotations: 6, translations: 1, queries: 3, alerts: 2, timeline: 4 });
  assert.equal(readLines(join(dir, 'annotations.jsonl')).length, bundle.annotations.length);
  assert.equal(readLines(join(dir, 'timeline.jsonl')).length, bundle.timeline.length);
});

test('the HTML report shows evidence as text, runs nothing and loads nothing', async (t) => {
  const dir = join(tempDir(t), 'bundle');
  const result = await exportCase(caseBundle(), dir);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;too&#39;'));
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /\b(src|href)\s*=\s*["']?(https?:|\/\/|data:|javascript:)/i);
  assert.doesNotMatch(html, /@import|url\(/i);
  assert.ok(html.includes('Bericht bevat &lt;b&gt;HTML&lt;/b&gt;'), 'annotation text is escaped too');
  assert.ok(html.includes("Content-Security-Policy\" content=\"default-src 'none'"));
  assert.ok(html.includes('Operatie Kaapstander'));
  assert.ok(html.includes('Ça marche, à demain chez Zoë.'));
  assert.ok(html.includes('👍🏽'), 'the HTML keeps the exact text, emoji included');
  assert.ok(html.includes(SOURCE_SHA256));
  assert.equal(html.match(/class="prov"/g)?.length, 7, 'a provenance line for every message and note');
  assert.ok(html.includes('Translation by hand (analyst annotation, not evidence)'));
  assert.equal(html.match(/class="note note-/g)?.length, 3 + 2 + 6, 'notes under their messages, account and entity rows, and all again in the annotations section');
  assert.ok(html.includes('loods AND (vlissingen OR &quot;kanaalweg 12&quot;)'));
  assert.ok(html.includes('sha256sum -c MANIFEST.sha256'));
  for (const id of ['summary', 'timeline', 'messages', 'accounts', 'entities', 'persons', 'alerts', 'annotations', 'queries', 'method']) {
    assert.ok(html.includes(`<section id="${id}">`) && html.includes(`href="#${id}"`), `section ${id} and its contents entry`);
  }
  for (const f of result.files.filter((x) => !x.path.startsWith('report.'))) assert.ok(html.includes(f.sha256), `the method lists ${f.path}`);
});

test('messages withheld from the exporting user are counted on the cover, in the summary and in case.json', async (t) => {
  const dir = join(tempDir(t), 'bundle');
  await exportCase({ ...caseBundle(), withheld: 2 }, dir);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.match(html, /<dt>Withheld<\/dt><dd><strong>2<\/strong> linked messages are not in this export/);
  assert.equal((JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as { counts: { withheld: number } }).counts.withheld, 2);
  assert.match(readFileSync(join(dir, 'README.txt'), 'utf8'), /2 linked messages were withheld/);
  const parser = new PDFParse({ data: new Uint8Array(readFileSync(join(dir, 'report.pdf'))) });
  const { text } = await parser.getText();
  await parser.destroy();
  assert.match(text, /2 linked messages are not in this export/);
  const none = join(tempDir(t), 'none');
  await exportCase(caseBundle(), none, { formats: ['bundle'] });
  assert.doesNotMatch(readFileSync(join(none, 'report.html'), 'utf8'), /<dt>Withheld/);
});

test('invisible and reordering characters are shown, not obeyed', () => {
  const bundle = caseBundle();
  bundle.messages[0] = { ...bundle.messages[0]!, body: 'invoice\u202Egnp.exe and a\u0000nul', entities: [] };
  const html = renderReportHtml(bundle, { dataFiles: [], dataRootSha256: '0'.repeat(64) });
  assert.ok(html.includes('invoice<span class="ctl">[U+202E]</span>gnp.exe and a<span class="ctl">[U+0000]</span>nul'));
  assert.ok(!html.includes('\u202E') && !html.includes('\u0000'));
});

test('the PDF report holds the case, the messages with provenance and the notes, and is the same twice', async (t) => {
  const base = tempDir(t);
  await exportCase(caseBundle(), join(base, 'one'), { formats: ['bundle'] });
  await exportCase(caseBundle(), join(base, 'two'), { formats: ['bundle'] });
  const pdf = readFileSync(join(base, 'one', 'report.pdf'));
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.deepEqual(pdf, readFileSync(join(base, 'two', 'report.pdf')), 'deterministic bytes');

  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  const { text, total } = await parser.getText();
  await parser.destroy();
  assert.ok(total >= 4, `pages: ${total}`);
  assert.ok(text.includes('kaapstander'));
  assert.ok(text.includes('Operatie Kaapstander'));
  assert.ok(text.includes(BODIES.french), 'accented French body');
  assert.ok(text.includes('Code kluis 4711 – niet vergeten'), 'en dash is in WinAnsi and kept');
  assert.ok(text.includes(`source SHA-256 ${SOURCE_SHA256}`));
  assert.ok(text.includes('Deal [U+1F44D][U+1F3FD] betaal in BTC'), 'emoji as visible code points');
  assert.ok(text.includes('<script>alert(1)</script>'), 'the PDF prints the body as text');
  assert.ok(text.includes('ANALYST NOTE (NOT EVIDENCE)'));
  assert.ok(text.includes('TRANSLATION BY HAND (ANALYST ANNOTATION, NOT EVIDENCE)'));
  assert.ok(text.includes('[U+XXXX]'), 'the cover explains the placeholder');
  assert.ok(text.includes('loods AND (vlissingen OR "kanaalweg 12")'));
  assert.match(text, /Page 1 of \d+/);
});

test('an export refuses a non-empty directory and formats limit what is written', async (t) => {
  const base = tempDir(t);
  const full = join(base, 'full');
  mkdirSync(full);
  writeFileSync(join(full, 'old.txt'), 'x');
  await assert.rejects(exportCase(caseBundle(), full), /not empty/);
  assert.deepEqual(readdirSync(full), ['old.txt'], 'nothing written next to it');
  writeFileSync(join(base, 'file'), 'x');
  await assert.rejects(exportCase(caseBundle(), join(base, 'file')), /not a directory/);
  await assert.rejects(exportCase(caseBundle(), join(base, 'none'), { formats: [] }), /formats/);

  const empty = join(base, 'empty');
  mkdirSync(empty);
  const ftm = await exportCase(caseBundle(), empty, { formats: ['ftm'] });
  assert.deepEqual(ftm.files.map((f) => f.path), ['ftm.jsonl']);
  assert.deepEqual(readdirSync(empty).sort(), ['MANIFEST.sha256', 'ftm.jsonl']);
  assert.equal(sha256sumCheck(empty).status, 0);

  const bundleOnly = await exportCase(caseBundle(), join(base, 'nested', 'bundle'), { formats: ['bundle'] });
  assert.ok(!bundleOnly.files.some((f) => f.path === 'ftm.jsonl'));
  assert.ok(bundleOnly.files.some((f) => f.path === 'report.pdf'));
  assert.equal(sha256sumCheck(bundleOnly.dir).status, 0);
  assert.deepEqual(readdirSync(base).filter((f) => f.includes('partial')), [], 'no staging directory left behind');
});

/** The FtM model as Aleph ships it (own and inherited properties of the exported schemata). */
type FtmModel = {
  schemata: Record<string, { ancestors: string[]; required: string[]; properties: Record<string, string> }>;
  languages: string[];
  countries: string[];
};
const FTM_MODEL = ftmModel();

/** The model from the followthemoney package itself (a devDependency), shaped for these checks. */
function ftmModel(): FtmModel {
  type Raw = {
    schemata: Record<string, { schemata: string[]; required?: string[]; properties: Record<string, { type: string; range?: string }> }>;
    types: { language: { values: Record<string, string> }; country: { values: Record<string, string> } };
  };
  const path = fileURLToPath(import.meta.resolve('@alephdata/followthemoney/dist/defaultModel.json'));
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Raw;
  const schemata: FtmModel['schemata'] = {};
  for (const [name, schema] of Object.entries(raw.schemata)) {
    const lineage = schema.schemata.map((s) => raw.schemata[s]).filter((s) => s !== undefined);
    const properties: Record<string, string> = {};
    for (const s of lineage) {
      for (const [prop, spec] of Object.entries(s.properties)) properties[prop] = spec.type === 'entity' ? `entity:${spec.range}` : spec.type;
    }
    // `required` is the schema's own list: a child may drop what a parent requires (UserAccount and Thing's name)
    schemata[name] = { ancestors: [...schema.schemata].sort(), required: schema.required ?? [], properties };
  }
  return { schemata, languages: Object.keys(raw.types.language.values), countries: Object.keys(raw.types.country.values) };
}

test('ftm.jsonl uses only schemata and properties of the FtM model, with valid ranges, codes and required properties', () => {
  const entities = ftmEntities(caseBundle());
  const byId = new Map(entities.map((e) => [e.id, e]));
  const seen = new Set<string>();
  for (const e of entities) {
    const schema = FTM_MODEL.schemata[e.schema];
    assert.ok(schema, `${e.schema} is an FtM schema`);
    for (const required of schema.required) assert.ok(e.properties[required], `${e.schema} has its required ${required}`);
    for (const [name, values] of Object.entries(e.properties)) {
      const type = schema.properties[name];
      assert.ok(type, `${e.schema}.${name} is an FtM property`);
      seen.add(`${e.schema}.${name}`);
      for (const value of values) {
        if (type.startsWith('entity:')) {
          const target = byId.get(value);
          assert.ok(target && FTM_MODEL.schemata[target.schema]?.ancestors.includes(type.slice('entity:'.length)), `${e.schema}.${name} -> a ${type.slice(7)}`);
        }
        if (type === 'language') assert.ok(FTM_MODEL.languages.includes(value), `language ${value}`);
        if (type === 'country') assert.ok(FTM_MODEL.countries.includes(value), `country ${value}`);
        if (type === 'json') JSON.parse(value);
      }
    }
  }
  for (const used of ['Message.senderAccount', 'Message.recipientAccount', 'Message.sender', 'Message.recipients', 'Message.ibanMentioned', 'UserAccount.owner', 'BankAccount.proof', 'Note.entity']) {
    assert.ok(seen.has(used), `the fixture exercises ${used}`);
  }
});

/** FtM properties whose values are entity ids, from the schema YAML (range: ...). */
const ENTITY_PROPERTIES = new Set(['sender', 'senderAccount', 'recipients', 'recipientAccount', 'owner', 'proof', 'entity', 'holder']);

test('ftm.jsonl is FollowTheMoney entities whose references resolve, with ids stable across exports', async (t) => {
  const base = tempDir(t);
  const bundle = caseBundle();
  await exportCase(bundle, join(base, 'one'), { formats: ['ftm'] });
  const reordered: CaseBundle = { ...caseBundle(), messages: [...bundle.messages].reverse(), entities: [...bundle.entities].reverse(), annotations: [...bundle.annotations].reverse() };
  await exportCase(reordered, join(base, 'two'), { formats: ['ftm'] });
  const text = readFileSync(join(base, 'one', 'ftm.jsonl'), 'utf8');
  assert.equal(readFileSync(join(base, 'two', 'ftm.jsonl'), 'utf8'), text, 'same case, same ids and bytes, whatever the store order');

  const entities = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; schema: string; properties: Record<string, unknown> });
  const ids = new Set(entities.map((e) => e.id));
  assert.equal(ids.size, entities.length, 'ids are unique');
  for (const e of entities) {
    assert.deepEqual(Object.keys(e).sort(), ['id', 'properties', 'schema']);
    assert.match(e.id, /^[0-9a-f]{40}$/);
    assert.ok(['Person', 'LegalEntity', 'UserAccount', 'Message', 'BankAccount', 'CryptoWallet', 'Vehicle', 'Address', 'Note'].includes(e.schema), e.schema);
    for (const [name, values] of Object.entries(e.properties)) {
      assert.ok(Array.isArray(values) && values.length > 0 && values.every((v) => typeof v === 'string' && v !== ''), `${e.schema}.${name} is a non-empty array of strings`);
      if (ENTITY_PROPERTIES.has(name)) for (const ref of values as string[]) assert.ok(ids.has(ref), `${e.schema}.${name} -> ${ref} exists`);
    }
  }

  const bySchema = (schema: string) => entities.filter((e) => e.schema === schema);
  assert.equal(bySchema('Message').length, bundle.messages.length);
  for (const m of bySchema('Message')) {
    assert.ok(m.properties.sender && m.properties.senderAccount, 'every message has a sender (required by FtM) and its account');
  }
  const meeting = bySchema('Message').find((e) => (e.properties.bodyText as string[])[0] === BODIES.meeting)!;
  assert.deepEqual(meeting.properties.language, ['nld']);
  assert.deepEqual(meeting.properties.phoneMentioned, ['+31612345678']);
  assert.deepEqual(meeting.properties.date, ['2020-04-01T12:00:00Z']);
  const tapeworm = bySchema('UserAccount').find((e) => (e.properties.username as string[])[0] === 'tapeworm')!;
  assert.deepEqual(meeting.properties.senderAccount, [tapeworm.id]);
  const person = bySchema('Person')[0]!;
  assert.deepEqual(person.properties.name, ['Mohamed B.']);
  assert.deepEqual(tapeworm.properties.owner, [person.id], 'a confirmed person owns the account');
  assert.deepEqual(meeting.properties.sender, [person.id]);
  assert.ok(bySchema('UserAccount').some((e) => (e.properties.username as string[])[0] === 'ghost'), 'a party outside the case accounts still resolves');

  const money = bySchema('Message').find((e) => (e.properties.bodyText as string[])[0] === BODIES.money)!;
  assert.deepEqual(bySchema('BankAccount').map((e) => [e.properties.iban, e.properties.proof]), [[['NL91ABNA0417164300'], [money.id]]]);
  assert.deepEqual(bySchema('Vehicle').map((e) => [e.properties.registrationNumber, e.properties.country]), [[['12-BDF-3'], ['nl']]]);
  assert.deepEqual(bySchema('CryptoWallet').map((e) => e.properties.currencySymbol), [['BTC']]);
  assert.deepEqual(bySchema('Address').map((e) => [e.properties.latitude, e.properties.longitude, e.properties.proof]), [[['51.44210'], ['3.57360'], [meeting.id]]]);
  const notes = bySchema('Note');
  assert.equal(notes.length, bundle.annotations.length);
  const translation = notes.find((n) => (n.properties.description as string[])[0] === 'Dat is goed, tot morgen bij Zoë.')!;
  const french = bySchema('Message').find((e) => (e.properties.bodyText as string[])[0] === BODIES.french)!;
  assert.deepEqual(translation.properties.entity, [french.id]);
  assert.match((translation.properties.summary as string[])[0]!, /not evidence/);
  assert.deepEqual(ftmEntities(bundle).map((e) => e.id).sort(), [...ids].sort());
});

test('a manifest round-trips any path through the real sha256sum -c', (t) => {
  const dir = tempDir(t);
  const names = ['plain.txt', 'back\\slash.txt', 'spaced  name.txt', 'café.txt'];
  const files = names.map((name) => {
    writeFileSync(join(dir, name), `content of ${name}\n`);
    return { path: name, sha256: sha256Hex(`content of ${name}\n`) };
  });
  const text = manifestText(files);
  writeFileSync(join(dir, 'MANIFEST.sha256'), text);
  const run = sha256sumCheck(dir);
  assert.equal(run.status, 0, run.output);
  assert.deepEqual(parseManifest(text).entries.map((e) => e.path).sort(), [...names].sort());
  assert.throws(() => manifestText([{ path: '../escape', sha256: files[0]!.sha256 }]), /relative path/);
  assert.throws(() => manifestText([files[0]!, files[0]!]), /twice/);
  fc.assert(fc.property(fc.string({ minLength: 1, unit: 'binary' }).filter((p) => !p.split('/').some((s) => s === '' || s === '.' || s === '..') && !p.includes('\0')), (path) => {
    assert.deepEqual(parseManifest(manifestText([{ path, sha256: 'a'.repeat(64) }])).entries, [{ path, sha256: 'a'.repeat(64) }]);
  }));
});

/** Characters of any kind: astral, controls, bidi overrides, lone surrogates, HTML syntax. */
const evidenceText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('<', '>', '&', '"', "'", '</div>', '<script>', '\u202E', '\u0000', '\n', '👍🏽', 'é'),
    fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)),
    fc.string({ unit: 'binary', maxLength: 1, minLength: 1 }),
  ),
  maxLength: 60,
});

test('property: no body can break out of its element in the HTML, and the JSONL returns it exactly', () => {
  fc.assert(fc.property(evidenceText, (body) => {
    const bundle = caseBundle();
    bundle.messages = [{ ...bundle.messages[4]!, body, entities: [] }];
    bundle.annotations = [];
    bundle.timeline = [];
    const html = renderReportHtml(bundle, { dataFiles: [], dataRootSha256: '0'.repeat(64) });
    const start = html.indexOf('<div class="body">') + '<div class="body">'.length;
    const end = html.indexOf('</div>', start);
    const inner = html.slice(start, end);
    const withoutMarkers = inner.replace(/<span class="ctl">(\[U\+[0-9A-F]{4,6}\])<\/span>/g, '$1');
    assert.ok(!/[<>]/.test(withoutMarkers), `raw markup from a body: ${JSON.stringify(inner)}`);
    const decoded = withoutMarkers.replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[name] ?? '');
    assert.equal(decoded, visiblePieces(body).map((p) => p.text).join(''));
    assert.ok(!/<script/i.test(html));

    const line = JSON.parse(itemsJsonl(bundle).split('\n')[0]!) as { body: string };
    assert.equal(line.body, body);
  }), { numRuns: 300 });
});
