import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CheckFinding } from '../../src/model/breachcheck.ts';
import { composeCheckNotice, hasLink, NOTICE_LANGUAGES } from '../../src/breachcheck/notice.ts';

const FINDINGS: CheckFinding[] = [
  { breach: 'NightMarket', title: 'Night Market', breachDate: '2024-11-05', dataClasses: ['Email addresses', 'Passwords', 'Phone numbers', 'IP addresses'] },
  { breach: 'OldForum', title: 'Old Forum', breachDate: '2019-03-01', dataClasses: ['Email addresses', 'Usernames'] },
];
const SERVICE = { organisation: 'Politie Nederland' };

test('the Dutch mail names the datasets with their dates, the classes in Dutch, the advice and the page code', () => {
  const notice = composeCheckNotice({ language: 'nl', code: 'K7PX3M', findings: FINDINGS, service: SERVICE });
  assert.equal(notice.subject, 'Uw controle: gegevens aangetroffen in in beslag genomen data');
  assert.match(notice.text, /De code op de pagina was: K7PX3M/);
  assert.match(notice.text, /- Night Market \(gegevens van 5 november 2024\)\n {2}Gegevens: E-mailadressen, Wachtwoorden, Telefoonnummers, IP-adressen/);
  assert.match(notice.text, /- Old Forum \(gegevens van 1 maart 2019\)\n {2}Gegevens: E-mailadressen, Gebruikersnamen/);
  assert.ok(notice.text.indexOf('Old Forum') < notice.text.indexOf('Night Market'), 'oldest first');
  for (const advice of [/Wijzig het wachtwoord/, /wachtwoordmanager/, /tweestapsverificatie/, /phishing/, /De politie vraagt nooit om uw wachtwoord/]) assert.match(notice.text, advice);
  assert.doesNotMatch(notice.text, /Email addresses|Passwords/);
});

test('the English mail says the same in English', () => {
  const notice = composeCheckNotice({ language: 'en', code: 'K7PX3M', findings: FINDINGS, service: { organisation: 'Dutch National Police', replyNote: 'Questions? Call 0900-8844.' } });
  assert.equal(notice.subject, 'Your check: your data was found in seized data');
  assert.match(notice.text, /The code on the page was: K7PX3M/);
  assert.match(notice.text, /- Night Market \(data from 5 November 2024\)\n {2}Data: Email addresses, Passwords, Phone numbers, IP addresses/);
  for (const advice of [/Change the password/, /password manager/, /two-step verification/, /phishing/, /The police will never ask for your password/]) assert.match(notice.text, advice);
  assert.match(notice.text, /This message contains no links\. Questions\? Call 0900-8844\./);
  assert.doesNotMatch(notice.text, /Replies to this message are not read/);
});

test('no mail carries a link or the address it is sent to', () => {
  fc.assert(fc.property(fc.constantFrom(...NOTICE_LANGUAGES), fc.subarray(FINDINGS, { minLength: 1 }), (language, findings) => {
    const { subject, text } = composeCheckNotice({ language, code: 'ABCDEF', findings, service: SERVICE });
    for (const part of [subject, text]) {
      assert.doesNotMatch(part, /http|www\.|:\/\/|@/i);
      assert.equal(hasLink(part), false);
    }
  }));
});

test('an input that would put a link into the mail is refused', () => {
  for (const service of [{ organisation: 'politie.nl' }, { organisation: 'Politie', replyNote: 'Mail check@politie.nl' }, { organisation: 'Politie', replyNote: 'see https://example.org' }]) {
    assert.throws(() => composeCheckNotice({ language: 'en', code: 'ABCDEF', findings: FINDINGS, service }), /link/);
  }
  assert.throws(() => composeCheckNotice({ language: 'nl', code: 'ABCDEF', findings: [{ ...FINDINGS[0]!, title: 'www.nightmarket.example' }], service: SERVICE }), /title would put a link/);
});

test('there is no mail without a finding, and none with a code the page could not have shown', () => {
  assert.throws(() => composeCheckNotice({ language: 'nl', code: 'ABCDEF', findings: [], service: SERVICE }), /no findings/);
  assert.throws(() => composeCheckNotice({ language: 'nl', code: 'abc def', findings: FINDINGS, service: SERVICE }), /code/);
});

test('link-like text is recognised, ordinary titles are not', () => {
  for (const link of ['http://x', 'HTTPS://x', 'ftp://host', 'www.example', 'jan@example', 'shop.nl', 'Night.Market']) assert.equal(hasLink(link), true, link);
  for (const plain of ['Night Market', 'Old Forum 2.0', 'Politie Nederland', 'IP-adressen', '5 november 2024']) assert.equal(hasLink(plain), false, plain);
});
