import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activityOf, mergeActivity, parseAmount } from '../../src/campaigns/activity.ts';
import { accountIdentifiers } from '../../src/campaigns/identifiers.ts';
import { readBounce } from '../../src/campaigns/bounces.ts';
import { ACCOUNT_ROLES_KEY } from '../../src/model/records.ts';
import type { SiteAccount } from '../../src/store/store.ts';

test('sums as dumps write them: a point or a comma for decimals, separators for thousands', () => {
  assert.equal(parseAmount('12.50'), 12.5);
  assert.equal(parseAmount('12,50'), 12.5);
  assert.equal(parseAmount('1,234.56'), 1234.56);
  assert.equal(parseAmount('1.234,56'), 1234.56);
  assert.equal(parseAmount('1,234'), 1234);
  assert.equal(parseAmount('0.005'), 0.005);
  assert.equal(parseAmount('1.234.567'), 1234567);
  assert.equal(parseAmount('-3'), -3);
});

const ms = (iso: string) => Date.parse(iso);

test('activity: payments summed per currency, searches with a few terms, first and last activity', () => {
  const activity = activityOf([
    { type: 'payment', tsMs: ms('2019-02-01T12:00:00Z'), fields: { amount: '25.00', currency: 'eur' } },
    { type: 'search', tsMs: ms('2019-02-02T12:00:00Z'), fields: { query: 'jan@example.nl' } },
    { type: 'payment', tsMs: ms('2019-03-01T12:00:00Z'), fields: { Amount: '0.0050', Currency: 'BTC' } },
    { type: 'payment', tsMs: ms('2019-04-01T12:00:00Z'), fields: { amount: '12,50', currency: 'EUR' } },
    { type: 'search', tsMs: ms('2019-04-02T12:00:00Z'), fields: { query: 'jan@example.nl' } },
    { type: 'login', tsMs: ms('2019-01-01T12:00:00Z'), fields: { ip: '82.94.1.1' } },
  ], '2018-12-31T10:00:00.000Z');
  assert.deepEqual(activity.paid, [{ currency: 'BTC', amount: 0.005 }, { currency: 'EUR', amount: 37.5 }]);
  assert.equal(activity.payments, 3);
  assert.equal(activity.searches, 2);
  assert.deepEqual(activity.searchExamples, ['jan@example.nl']);
  assert.equal(activity.firstActive, '2019-01-01T12:00:00.000Z');
  assert.equal(activity.lastActive, '2019-04-02T12:00:00.000Z');
  assert.deepEqual(activity.eventTypes, { payment: 3, search: 2, login: 1 });
  const merged = mergeActivity(activity, activityOf([{ type: 'payment', tsMs: ms('2020-01-01T00:00:00Z'), fields: { price: '10', currency: 'EUR' } }], '2018-01-01T00:00:00.000Z'));
  assert.equal(merged.registered, '2018-01-01T00:00:00.000Z');
  assert.deepEqual(merged.paid, [{ currency: 'BTC', amount: 0.005 }, { currency: 'EUR', amount: 47.5 }]);
  assert.equal(merged.lastActive, '2020-01-01T00:00:00.000Z');
});

function account(extra: Record<string, unknown>, more: Partial<SiteAccount> = {}): SiteAccount {
  return { id: 1, platform: 'shop', handle: 'jan', extra, exposures: [], events: [], ...more };
}

test('identifiers come from the columns the mapping named, and IBANs and login IPs from the events', () => {
  const ids = accountIdentifiers(account({
    mail: 'Jan@Example.NL', gsm: '+31 6 12345678', last_ip: '82.94.1.1', street: 'Dorpsstraat 1', created_at: '2019-01-02 10:00:00', note: 'NL91ABNA0417164300',
    [ACCOUNT_ROLES_KEY]: { email: 'mail', phone: 'gsm', ip: 'last_ip', address: 'street', ts: 'created_at' },
  }, { events: [
    { type: 'payment', fields: { iban: 'BE68 5390 0754 7034' } }, { type: 'login', fields: { ip: '81.164.1.1' } }, { type: 'login', fields: { ip: 'not an ip' } },
  ] }));
  assert.deepEqual(ids.emails, ['jan@example.nl']);
  assert.deepEqual(ids.phones, ['+31 6 12345678']);
  assert.deepEqual(ids.ips, ['81.164.1.1', '82.94.1.1']);
  assert.deepEqual(ids.ibans, ['BE68539007547034', 'NL91ABNA0417164300']);
  assert.deepEqual(ids.addresses, ['Dorpsstraat 1']);
  assert.equal(ids.registered, '2019-01-02T10:00:00.000Z');
});

test('accounts stored before roles were recorded: addresses and e-mails by shape, phones by column name', () => {
  const ids = accountIdentifiers(account({ contact: 'x@example.be', mobile: '0470 12 34 56', seen_from: '2001:610::1', bio: 'fast shipping' }));
  assert.deepEqual(ids.emails, ['x@example.be']);
  assert.deepEqual(ids.phones, ['0470 12 34 56']);
  assert.deepEqual(ids.ips, ['2001:610::1']);
});

test('a delivery report: failed with the reason and the original ids; delayed is no bounce', () => {
  const report = readBounce(['Your message could not be delivered', 'Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 no such\n user here', 'Message-ID: <abc.campaign@police.example>\nX-Lode-Reference: WLI-00001-84']);
  assert.deepEqual(report, { messageIds: ['abc.campaign@police.example'], references: ['WLI-00001-84'], isFailure: true, reason: '550 5.1.1 no such user here' });
  assert.equal(readBounce(['Action: delayed\nStatus: 4.4.7']).isFailure, false);
  assert.equal(readBounce(['Mail delivery failed: returning message to sender\nuser unknown']).isFailure, true);
});
