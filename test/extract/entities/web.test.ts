import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalIpv6 } from '../../../src/extract/entities/ip.ts';
import { found, valuesOf } from './helpers.ts';

test('e-mail addresses are lower-cased; the domain inside is not also a URL', () => {
  assert.deepEqual(found('mail Nordin.TMK@Tutanota.com nu'), [['email', 'nordin.tmk@tutanota.com', 'Nordin.TMK@Tutanota.com']]);
  assert.deepEqual(valuesOf('stuur naar jan@x', 'email'), []);
  assert.deepEqual(valuesOf('jan..de@gmail.com', 'email'), []);
});

test('URLs with a scheme, www. hosts, known bare domains and t.me links; sentence punctuation stays out', () => {
  assert.deepEqual(found('kijk https://pastebin.com/rUQNUx05.'), [['url', 'https://pastebin.com/rUQNUx05', 'https://pastebin.com/rUQNUx05']]);
  assert.deepEqual(found('filmpje https://mega.nz/file/J8sO#cC1f😅'), [['url', 'https://mega.nz/file/J8sO#cC1f', 'https://mega.nz/file/J8sO#cC1f']]);
  assert.deepEqual(found('(zie https://en.wikipedia.org/wiki/Foo_(bar))'), [['url', 'https://en.wikipedia.org/wiki/Foo_(bar)', 'https://en.wikipedia.org/wiki/Foo_(bar)']]);
  assert.deepEqual(valuesOf('site www.KevCars.be', 'url'), ['www.kevcars.be']);
  assert.deepEqual(valuesOf('op marktplaats.nl gezien', 'url'), ['marktplaats.nl']);
  assert.deepEqual(valuesOf('volg t.me/rico123', 'url'), ['t.me/rico123']);
  assert.deepEqual(valuesOf('kom morgen.de auto halen, ik.be er', 'url'), [], 'TLDs that are everyday words');
});

test('IPv4 needs octets up to 255 and is not a version number', () => {
  assert.deepEqual(valuesOf('server ip 86.50.75.253', 'ipv4'), ['86.50.75.253']);
  assert.deepEqual(valuesOf('vpn op 10.0.0.1:8080', 'ipv4'), ['10.0.0.1']);
  for (const text of ['update naar versie 1.2.33.459', 'v1.2.3.4', 'versie 1.2.3.4', 'firmware 6.7.39.837', '1.2.3.4.5', '01.2.3.4', 'om 12.30.45.10u']) {
    assert.deepEqual(valuesOf(text, 'ipv4'), [], text);
  }
});

test('IPv6 in every writing comes out RFC 5952 canonical; times are not addresses', () => {
  assert.deepEqual(valuesOf('log toont 2001:0db8:00ea:0000:0000:ec9b:00e6:9fd1', 'ipv6'), ['2001:db8:ea::ec9b:e6:9fd1']);
  assert.deepEqual(valuesOf('2A02:A46:5C97::2A15:897A', 'ipv6'), ['2a02:a46:5c97::2a15:897a']);
  assert.deepEqual(valuesOf('fe80::1:2', 'ipv6'), ['fe80::1:2']);
  assert.deepEqual(valuesOf('om 12:30:45 daar', 'ipv6'), []);
  assert.equal(canonicalIpv6('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(canonicalIpv6('::ffff:1.2.3.4'), '::ffff:102:304');
});
