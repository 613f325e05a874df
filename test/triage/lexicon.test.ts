import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_LEXICON_FILES, builtinLexicon, compileLexicons, loadLexicons, parseLexiconFile, parseTerm } from '../../src/triage/lexicon.ts';
import type { LexiconFile } from '../../src/triage/lexicon.ts';
import { findSignals } from '../../src/triage/signals.ts';

function file(groups: LexiconFile['groups'], lang = 'xx', common?: string[]): LexiconFile {
  return { lang, groups, ...(common ? { common } : {}) };
}

test('a term is folded like message text, with prefixes and gaps', () => {
  assert.deepEqual(parseTerm('Défoncer'), [{ type: 'word', text: 'defoncer' }]);
  assert.deepEqual(parseTerm("z'n broertje"), [{ type: 'word', text: 'z' }, { type: 'word', text: 'n' }, { type: 'word', text: 'broertje' }]);
  assert.deepEqual(parseTerm('klap*'), [{ type: 'prefix', text: 'klap' }]);
  assert.deepEqual(parseTerm('take * out'), [{ type: 'word', text: 'take' }, { type: 'gap', min: 0, max: 3 }, { type: 'word', text: 'out' }]);
  assert.deepEqual(parseTerm('leg _ om'), [{ type: 'word', text: 'leg' }, { type: 'gap', min: 1, max: 1 }, { type: 'word', text: 'om' }]);
});

test('a term may not start or end with a gap, nor start with a prefix under three letters', () => {
  assert.throws(() => parseTerm('* weg'), /must start with a word/);
  assert.throws(() => parseTerm('moet *'), /must end with a word/);
  assert.throws(() => parseTerm('kl*'), /prefix needs 3 letters/);
});

test('a bad lexicon file is refused with its name and the field at fault', () => {
  assert.throws(() => parseLexiconFile({ lang: 'nl', groups: [{ kind: 'nonsense', category: 'x', weight: 0.2, terms: [] }] }, 'mine.json'), /mine\.json: groups\.0\.kind/);
  assert.throws(() => parseLexiconFile({ lang: 'nl', groups: [{ kind: 'intent', category: 'kill', weight: 3, terms: [] }] }, 'mine.json'), /groups\.0\.weight/);
  assert.equal(parseLexiconFile({ lang: 'nl', groups: [] }, 'ok.json').lang, 'nl');
});

test('the shipped lexicons parse and cover the three languages and every signal kind', () => {
  assert.deepEqual(BUILTIN_LEXICON_FILES.map((f) => f.lang).sort(), ['en', 'fr', 'nl', 'shared']);
  const kinds = new Set(BUILTIN_LEXICON_FILES.flatMap((f) => f.groups.map((g) => g.kind)));
  assert.deepEqual([...kinds].sort(), ['decoy', 'intent', 'leak', 'prep', 'target']);
  for (const lang of ['nl', 'en', 'fr']) {
    const f = BUILTIN_LEXICON_FILES.find((x) => x.lang === lang)!;
    const intents = new Set(f.groups.filter((g) => g.kind === 'intent').map((g) => g.category));
    assert.deepEqual([...intents].sort(), ['assault', 'kidnap', 'kill', 'torture'], lang);
    const sectors = new Set(f.groups.filter((g) => g.kind === 'leak').map((g) => g.category));
    for (const sector of ['police', 'customs', 'port', 'municipality', 'registry']) assert.ok(sectors.has(sector), `${lang} ${sector}`);
  }
});

test('a later file overrides a term of the same kind and category; weight 0 silences it', () => {
  const base = file([{ kind: 'intent', category: 'kill', weight: 0.5, terms: ['omleggen', 'klappen'] }]);
  const lexicon = compileLexicons([base, file([{ kind: 'intent', category: 'kill', weight: 0.2, terms: ['omleggen', { term: 'klappen', weight: 0 }] }])]);
  const intents = findSignals('omleggen of klappen', undefined, [], { lexicon }).filter((s) => s.kind === 'intent');
  assert.deepEqual(intents.map((s) => [s.term, s.weight]), [['omleggen', 0.2]]);
});

test('an analyst directory is merged on top of the shipped lexicons (option or LODE_LEXICONS)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lode-lexicons-'));
  try {
    await writeFile(join(dir, 'case-17.json'), JSON.stringify({
      lang: 'nl',
      groups: [
        { kind: 'intent', category: 'kill', weight: 0.5, terms: ['poetsen'] },
        { kind: 'intent', category: 'kill', weight: 0, terms: ['omleggen'] },
      ],
    }));
    for (const lexicon of [await loadLexicons({ extraDir: dir }), await loadLexicons({ env: { LODE_LEXICONS: dir } })]) {
      const found = findSignals('we gaan die gast poetsen, niet omleggen', 'nl', [], { lexicon });
      assert.ok(found.some((s) => s.kind === 'intent' && s.term === 'poetsen'), 'the analyst term is found');
      assert.ok(!found.some((s) => s.kind === 'intent' && s.term === 'omleggen'), 'the silenced term is not');
      assert.ok(found.some((s) => s.kind === 'target' && s.term === 'die gast'), 'the shipped terms still apply');
    }
    // without an extra directory the shipped, compiled-once lexicon is returned
    assert.equal(await loadLexicons({ env: {} }), builtinLexicon());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a directory replaces the shipped lexicons, and a broken file names itself', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lode-lexicons-'));
  try {
    await writeFile(join(dir, 'only.json'), JSON.stringify({ lang: 'xx', groups: [{ kind: 'prep', category: 'weapon', weight: 0.2, terms: ['slingshot'] }] }));
    const lexicon = await loadLexicons({ dir, env: {} });
    assert.equal(findSignals('a slingshot', undefined, [], { lexicon }).length, 1);
    assert.equal(findSignals('a glock', undefined, [], { lexicon }).length, 0);
    await writeFile(join(dir, 'z-broken.json'), '{"lang": ');
    await assert.rejects(loadLexicons({ dir, env: {} }), /z-broken\.json/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
