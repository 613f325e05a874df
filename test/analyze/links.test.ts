import { test } from 'node:test';
import assert from 'node:assert/strict';
import { personsFromLinks, proposeLinks, type LinkSources } from '../../src/analyze/links.ts';

function sources(more: Partial<LinkSources>): LinkSources {
  return {
    sharedDevices: [], handles: [], exposures: [], aliases: [], names: [],
    sendersMentioning: async () => [], describe: (id) => `#${id}`, ...more,
  };
}

test('a name several owners saved for two handles, or a handle calling itself that name, proposes an alias match below device evidence', async () => {
  const links = await proposeLinks(sources({
    sharedDevices: [{ a: 7, b: 8, imei: '356938035643809' }],
    aliases: [
      { account: 1, alias: 'Mohamed Bakkal', owner: 'a' }, { account: 1, alias: 'Mo B.', owner: 'b' },
      { account: 2, alias: 'mo bakkal', owner: 'c' }, { account: 2, alias: 'Mohamed Bakkal 🇲🇦', owner: 'd' },
      // one owner is not enough to name anyone
      { account: 3, alias: 'Mohamed Bakkal', owner: 'e' },
    ],
    names: [{ account: 4, name: 'Mohamed Bakkal' }, { account: 5, name: 'Mo' }],
  }));
  assert.deepEqual(links.map((l) => [l.kind, l.aId, l.bId]), [['shared-device', 7, 8], ['alias-match', 1, 2], ['alias-match', 1, 4], ['alias-match', 2, 4]]);
  assert.ok(links.filter((l) => l.kind === 'alias-match').every((l) => l.score < links[0]!.score && l.score <= 0.7));
  assert.equal(links[1]!.evidence[0]!.value, 'Mohamed Bakkal');
});

test('an identifier shared by many accounts is a switchboard, not a person', async () => {
  const handles = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, handle: `+31 6 1234 5678` }));
  assert.deepEqual(await proposeLinks(sources({ handles })), []);
  const two = await proposeLinks(sources({ handles: handles.slice(0, 2), exposures: [{ id: 9, type: 'email', value: 'X@Y.NL' }, { id: 10, type: 'email', value: 'x@y.nl' }] }));
  assert.deepEqual(two.map((l) => [l.kind, l.aId, l.bId, l.evidence[0]!.value]), [['shared-identifier', 1, 2, '+31612345678'], ['shared-identifier', 9, 10, 'x@y.nl']]);
});

test('confirmed links group accounts transitively into persons', () => {
  assert.deepEqual(personsFromLinks([{ aId: 5, bId: 9 }, { aId: 1, bId: 2 }, { aId: 2, bId: 9 }, { aId: 20, bId: 21 }]), [[1, 2, 5, 9], [20, 21]]);
  assert.deepEqual(personsFromLinks([]), []);
});
