import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allDataClasses, hibpDataClass, publicBreach, validateBreachMeta, type BreachMeta } from '../../src/breachcheck/breaches.ts';

const META: BreachMeta = { name: 'NightMarket', title: 'Night Market', breachDate: '2024-11-05', dataset: 'op-nightfall', description: 'Accounts of a <market> & "forum"' };

test('a breach is published in HIBP v3 shape with HIBP class names, escaped description and fixed flags', () => {
  const breach = publicBreach(META, { pwnCount: 1234, dataClasses: ['password', 'email', 'password-hash', 'ip', 'email'] }, '2026-03-01T10:00:00.123Z', '2026-02-01T09:00:00Z');
  assert.deepEqual(breach, {
    Name: 'NightMarket',
    Title: 'Night Market',
    Domain: '',
    BreachDate: '2024-11-05',
    AddedDate: '2026-02-01T09:00:00Z',
    ModifiedDate: '2026-03-01T10:00:00Z',
    PwnCount: 1234,
    Description: 'Accounts of a &#60;market&#62; &#38; &#34;forum&#34;',
    LogoPath: '',
    DataClasses: ['Email addresses', 'IP addresses', 'Passwords'],
    IsVerified: true,
    IsFabricated: false,
    IsSensitive: false,
    IsRetired: false,
    IsSpamList: false,
    IsMalware: false,
    IsSubscriptionFree: false,
    IsStealerLog: false,
  });
  assert.equal(publicBreach({ ...META, sensitive: true, domain: 'night.example' }, { pwnCount: 0, dataClasses: [] }, '2026-03-01T10:00:00Z').IsSensitive, true);
  assert.equal(publicBreach(META, { pwnCount: 0, dataClasses: [] }, '2026-03-01T10:00:00Z').AddedDate, '2026-03-01T10:00:00Z');
});

test('a class HIBP has no name for is shown readably, and HIBP names pass through unchanged', () => {
  assert.equal(hibpDataClass('crypto-wallet'), 'Crypto wallet');
  assert.equal(hibpDataClass('social_media_profile'), 'Social media profile');
  assert.equal(hibpDataClass('date-of-birth'), 'Dates of birth');
  assert.equal(hibpDataClass('IP addresses'), 'IP addresses');
  assert.equal(hibpDataClass(hibpDataClass('phone')), 'Phone numbers');
});

test('all data classes are the sorted union over breaches', () => {
  const a = publicBreach(META, { pwnCount: 1, dataClasses: ['phone', 'email'] }, '2026-03-01T10:00:00Z');
  const b = publicBreach({ ...META, name: 'Other' }, { pwnCount: 1, dataClasses: ['email', 'crypto-wallet', 'username'] }, '2026-03-01T10:00:00Z');
  assert.deepEqual(allDataClasses([a, b]), ['Crypto wallet', 'Email addresses', 'Phone numbers', 'Usernames']);
  assert.deepEqual(allDataClasses([]), []);
});

test('valid metadata passes, trimmed and with the domain lower-cased', () => {
  const result = validateBreachMeta({ name: 'Shop2024', title: '  Shop  ', domain: 'Shop.Example', breachDate: '2024-02-29', dataset: 'op-x', sensitive: true });
  assert.deepEqual(result, { ok: true, meta: { name: 'Shop2024', title: 'Shop', domain: 'shop.example', breachDate: '2024-02-29', dataset: 'op-x', sensitive: true } });
});

test('invalid metadata gets one clear sentence per problem, naming the field', () => {
  const result = validateBreachMeta({ name: 'Night Market!', title: 'night.example', breachDate: '2023-02-29', dataset: '', sensitive: 'yes', domain: 'not a domain', colour: 'red' });
  assert.equal(result.ok, false);
  const problems = result.ok ? [] : result.problems;
  for (const expected of [/^name must be 1 to 64 letters and digits/, /^title is shown in the check mail, which carries no links/, /^breachDate must be a real calendar date/,
    /^dataset must not be empty/, /^sensitive must be true or false/, /^domain must be a host name/, /^unknown field: colour/]) {
    assert.ok(problems.some((p) => expected.test(p)), `${expected} in ${JSON.stringify(problems)}`);
  }
  assert.deepEqual(validateBreachMeta({}), { ok: false, problems: ['name is required', 'title is required', 'breachDate is required', 'dataset is required'] });
  assert.deepEqual(validateBreachMeta('NightMarket'), { ok: false, problems: ['breach metadata must be an object'] });
  assert.equal(validateBreachMeta({ ...META, name: 'A'.repeat(65) }).ok, false);
  assert.equal(validateBreachMeta({ ...META, breachDate: '2024-1-5' }).ok, false);
  assert.equal(validateBreachMeta({ ...META, title: 'Market\nforum' }).ok, false);
});
