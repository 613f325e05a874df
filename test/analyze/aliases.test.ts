import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstNamesAgree, groupAliases, nameHypotheses, nameTokens, type SavedBy } from '../../src/analyze/aliases.ts';
import { generateCorpus } from '../../src/generate/corpus.ts';

const saved = (...pairs: [string, string][]): SavedBy[] => pairs.map(([alias, owner]) => ({ alias, owner }));

test('spellings of one name by several owners become one hypothesis, written in full', () => {
  const [best, ...rest] = nameHypotheses(saved(
    ['Mohamed Bakkal', 'a'], ['Mo B.', 'b'], ['mo bakkal', 'c'], ['M. Bakkal', 'd'], ['BAKKAL', 'e'], ['Mo Bakkal 🇲🇦', 'f'], ['Mo kapper', 'g'],
  ));
  assert.equal(best!.name, 'Mohamed Bakkal');
  assert.equal(best!.support, 6);
  assert.deepEqual(best!.owners.sort(), ['a', 'b', 'c', 'd', 'e', 'f']);
  assert.ok(rest.every((h) => h.support < best!.support));
});

test('surname particles do not hide the initial; a nickname alone is no name', () => {
  const [best] = nameHypotheses(saved(['Kevin van der Berg', 'a'], ['Kev B.', 'b'], ['kevin van der berg', 'c']));
  assert.equal(best!.name, 'Kevin van der Berg');
  assert.equal(best!.support, 3);
  assert.deepEqual(nameHypotheses(saved(['neef', 'a'], ['🍁 Kev', 'b'])), []);
  assert.deepEqual(nameTokens('Mo Bakkal 🇲🇦!'), ['mo', 'bakkal']);
});

test('aliases are grouped by folded writing with their owners', () => {
  assert.deepEqual(groupAliases(saved(['Mo kapper', 'a'], ['mo Kapper', 'b'], ['neef', 'a'])), [
    { alias: 'Mo kapper', count: 2, savedBy: ['a', 'b'] },
    { alias: 'neef', count: 1, savedBy: ['a'] },
  ]);
});

test('the planted real name is the best hypothesis for at least 95% of planted handles in the generated corpus', () => {
  const contacts = new Map<string, SavedBy[]>();
  const planted: { handle: string; alias: string }[] = [];
  for (const { record, truth } of generateCorpus({ messages: 200_000, seed: 42 })) {
    if (record?.kind === 'contact') {
      const list = contacts.get(String(record.handle)) ?? [];
      list.push({ alias: String(record.alias ?? ''), owner: String(record.owner) });
      contacts.set(String(record.handle), list);
    } else if (truth?.kind === 'alias') planted.push({ handle: String(truth.handle), alias: String(truth.alias) });
    else if (record?.kind === 'message' && planted.length > 0) break;
  }
  assert.ok(planted.length >= 50, `only ${planted.length} planted aliases`);
  // found: the surname, and a first name that is the planted one or a short form of it ("Mo"
  // for "Mohamed"); a pet name no owner wrote in full ("Kez" for "Kieran") cannot be recovered
  let exact = 0;
  let found = 0;
  for (const p of planted) {
    const best = nameHypotheses(contacts.get(p.handle) ?? [])[0];
    if (!best) continue;
    const [first, ...surname] = nameTokens(p.alias);
    if (nameTokens(best.name).join(' ') === nameTokens(p.alias).join(' ')) exact += 1;
    if (nameTokens(best.surname).join(' ') === surname.join(' ') && firstNamesAgree(best.first, first!)) found += 1;
  }
  const share = found / planted.length;
  console.log(`planted aliases found: ${found}/${planted.length} (${(share * 100).toFixed(1)}%), written exactly: ${exact}`);
  assert.ok(share >= 0.95, `found ${(share * 100).toFixed(1)}%`);
});

test('relations and numbered nicknames propose no surname; initials alone still name a person several owners agree on', () => {
  assert.deepEqual(nameHypotheses(saved(['mijn broer Hamz', 'a'], ['Sem amsterdam 3', 'b'])), []);
  const [best] = nameHypotheses(saved(['Kevin V', 'a'], ['kevin v', 'b'], ['Kevin V.', 'c'], ['Roc', 'd']));
  assert.equal(best!.name, 'Kevin V.');
  assert.equal(best!.support, 3);
});
