import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { countryEvidence, createCountryResolver, rankCountries, type CountryIdentifiers, type IpLocator } from '../../src/campaigns/country.ts';
import type { CountryEvidence } from '../../src/model/campaigns.ts';

const NONE: CountryIdentifiers = { emails: [], phones: [], ibans: [], ips: [] };
const GEOIP_VERSION = (JSON.parse(readFileSync(new URL('../../node_modules/geoip-lite/package.json', import.meta.url), 'utf8')) as { version: string }).version;
/** Places every address in NL, so only the filter for unrouted addresses can keep one out. */
const EVERYWHERE_NL: IpLocator = { method: 'test locator', countryOf: () => 'NL' };

const countriesOf = (evidence: readonly CountryEvidence[]) => evidence.map((e) => e.country);

test('real geoip-lite lookups place IPv4 and IPv6 addresses and name geoip-lite with its version', async () => {
  const resolver = await createCountryResolver();
  const cases: [string, string][] = [['82.94.1.1', 'NL'], ['81.164.1.1', 'BE'], ['62.4.1.1', 'FR'], ['8.8.8.8', 'US'], ['2001:610::1', 'NL']];
  for (const [ip, country] of cases) {
    const { evidence } = resolver.countryEvidence({ ...NONE, ips: [ip] });
    assert.deepEqual(evidence, [{ kind: 'ip', value: ip, country, method: `geoip-lite ${GEOIP_VERSION} (GeoLite2 data)` }], ip);
  }
  assert.deepEqual(resolver.countryEvidence({ ...NONE, ips: ['10.0.0.1'] }).evidence, []);
});

test('private, loopback, link-local, CGNAT, documentation and reserved addresses give nothing, even to a locator that would place them', async () => {
  const resolver = await createCountryResolver({ ipLocator: EVERYWHERE_NL });
  const unrouted = ['10.0.0.1', '172.16.5.4', '192.168.1.1', '127.0.0.1', '169.254.10.10', '100.64.1.1', '100.127.255.254', '0.0.0.0', '192.0.2.7',
    '198.51.100.1', '203.0.113.9', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00::1', '2001:db8::1', 'ff02::1', 'not an address', '999.1.1.1', ''];
  assert.deepEqual(resolver.countryEvidence({ ...NONE, ips: unrouted }).evidence, []);
  assert.deepEqual(countriesOf(resolver.countryEvidence({ ...NONE, ips: ['100.128.0.1', '11.0.0.1'] }).evidence), ['NL', 'NL']);
});

test('an IPv4 address written as IPv6 is placed as the IPv4 address, and IPv6 is compared in canonical form', async () => {
  const resolver = await createCountryResolver();
  const { evidence } = resolver.countryEvidence({ ...NONE, ips: ['::ffff:82.94.1.1', '82.94.1.1', '2001:0610:0000:0000:0000:0000:0000:0001', '2001:610::1'] });
  assert.deepEqual(evidence.map((e) => [e.value, e.country]), [['2001:610::1', 'NL'], ['82.94.1.1', 'NL']]);
});

test('e-mail domains give their country code, not generic or international ones, and .uk is GB', async () => {
  const { evidence } = await countryEvidence({
    ...NONE,
    emails: ['x@ziggo.nl', 'y@mail.telenet.be', 'z@gmail.com', 'a@startup.io', 'b@bbc.co.uk', 'c@company.eu', 'd@proton.me', 'e@protonmail.ch', 'f@site.nu', 'g@free.tk', 'not an address@x.nl', 'h@', ' Mixed.Case@GMX.DE '],
  });
  assert.deepEqual(evidence.map((e) => [e.value, e.country, e.method]), [
    ['b@bbc.co.uk', 'GB', 'country-code domain .uk'],
    ['mixed.case@gmx.de', 'DE', 'country-code domain .de'],
    ['x@ziggo.nl', 'NL', 'country-code domain .nl'],
    ['y@mail.telenet.be', 'BE', 'country-code domain .be'],
  ]);
  assert.ok(evidence.every((e) => e.kind === 'email-domain'));
});

test('international numbers give the country of their calling code; +1 numbers the country of their area code', async () => {
  const { evidence, phones } = await countryEvidence({ ...NONE, phones: ['+31 6 12345678', '0032 470 12 34 56', '+1 212 555 0123', '+1 204 555 0123', '+800 1234 5678', '+31 6 1234'] });
  assert.deepEqual(evidence.map((e) => [e.value, e.country]), [['+12045550123', 'CA'], ['+12125550123', 'US'], ['+31612345678', 'NL'], ['+32470123456', 'BE']]);
  assert.match(evidence.find((e) => e.country === 'NL')!.method, /^calling code \+31 \(libphonenumber-js \d+\.\d+\.\d+\)$/);
  // a non-geographic number is a phone number, just not evidence of a country
  assert.deepEqual(phones, ['+12045550123', '+12125550123', '+31612345678', '+32470123456', '+80012345678']);
});

test('a national number counts only for a campaign country where it is valid, and says so', async () => {
  const alone = await countryEvidence({ ...NONE, phones: ['0612345678'] });
  assert.deepEqual(alone, { evidence: [], phones: [], ibans: [] });
  const dutch = await countryEvidence({ ...NONE, phones: ['0612345678'] }, { nationalPhoneCountries: ['NL'] });
  assert.deepEqual(dutch.evidence, [{ kind: 'phone', value: '+31612345678', country: 'NL', method: 'valid national number for NL, no country code' }]);
  assert.deepEqual(dutch.phones, ['+31612345678']);
  // Belgian mobiles start 04: 06 is no valid Belgian number
  assert.deepEqual((await countryEvidence({ ...NONE, phones: ['0612345678'] }, { nationalPhoneCountries: ['BE'] })).evidence, []);
  const both = await countryEvidence({ ...NONE, phones: ['06 12 34 56 78'] }, { nationalPhoneCountries: ['nl', 'FR', 'XX'] });
  assert.deepEqual(both.evidence.map((e) => [e.value, e.country]), [['+31612345678', 'NL'], ['+33612345678', 'FR']]);
  assert.deepEqual(both.phones, ['+31612345678'], 'the number is kept once, as the first country reads it');
});

test('valid IBANs give their country; a bad check digit gives nothing', async () => {
  const { evidence, ibans } = await countryEvidence({ ...NONE, ibans: ['NL91ABNA0417164300', 'nl91 abna 0417 1643 00', 'NL92ABNA0417164300', 'BE68 5390 0754 7034', 'garbage'] });
  assert.deepEqual(evidence, [
    { kind: 'iban', value: 'BE68539007547034', country: 'BE', method: 'IBAN country code' },
    { kind: 'iban', value: 'NL91ABNA0417164300', country: 'NL', method: 'IBAN country code' },
  ]);
  assert.deepEqual(ibans, ['BE68539007547034', 'NL91ABNA0417164300']);
});

test('evidence is deduplicated by kind and value (the calling code wins over a national reading) and sorted by kind, then value', async () => {
  const resolver = await createCountryResolver({ ipLocator: EVERYWHERE_NL });
  const { evidence } = resolver.countryEvidence({
    emails: ['b@x.nl', 'a@y.be', 'B@X.NL'], phones: ['0612345678', '+31612345678', '+32 470 12 34 56'], ibans: ['NL91ABNA0417164300', 'NL91 ABNA 0417 1643 00'], ips: ['11.0.0.2', '11.0.0.1', '11.0.0.2'],
  }, { nationalPhoneCountries: ['NL'] });
  assert.deepEqual(evidence.map((e) => `${e.kind} ${e.value}`), [
    'email-domain a@y.be', 'email-domain b@x.nl', 'phone +31612345678', 'phone +32470123456', 'iban NL91ABNA0417164300', 'ip 11.0.0.1', 'ip 11.0.0.2',
  ]);
  assert.match(evidence.find((e) => e.value === '+31612345678')!.method, /^calling code \+31/);
});

test('rankCountries puts the country with most evidence first, ties alphabetical', () => {
  const piece = (country: string, value: string): CountryEvidence => ({ kind: 'ip', value, country, method: 'test' });
  assert.deepEqual(rankCountries([piece('NL', '1'), piece('BE', '2'), piece('BE', '3'), piece('FR', '4'), piece('DE', '5'), piece('NL', '6'), piece('BE', '7')]), ['BE', 'NL', 'DE', 'FR']);
  assert.deepEqual(rankCountries([]), []);
});

test('importing the module, or asking without IP addresses, does not load geoip-lite', () => {
  const script = `
    import { createRequire } from 'node:module';
    const cache = createRequire(import.meta.url).cache;
    const loaded = () => Object.keys(cache).some((path) => path.includes('geoip-lite'));
    const country = await import(${JSON.stringify(new URL('../../src/campaigns/country.ts', import.meta.url).href)});
    const before = loaded();
    await country.countryEvidence({ emails: ['a@b.nl'], phones: ['+31612345678'], ibans: [], ips: [] });
    const withoutIps = loaded();
    await country.countryEvidence({ emails: [], phones: [], ibans: [], ips: ['8.8.8.8'] });
    console.log(JSON.stringify([before, withoutIps, loaded()]));`;
  const output = execFileSync(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(output), [false, false, true]);
});
