import { test } from 'node:test';
import assert from 'node:assert/strict';
import { found, valuesOf } from './helpers.ts';

test('Dutch sidecodes with dashes (any case), spaces or no separator (upper case)', () => {
  assert.deepEqual(found('kenteken 12-BDF-3'), [['plate', 'NL:12-BDF-3', '12-BDF-3']]);
  assert.deepEqual(valuesOf('auto is 4-gjx-92', 'plate'), ['NL:4-GJX-92']);
  assert.deepEqual(valuesOf('huurauto XV 958 B', 'plate'), ['NL:XV-958-B']);
  assert.deepEqual(valuesOf('die bus 12BDF3 volgt me', 'plate'), ['NL:12-BDF-3']);
  for (const w of ['LBS-92-X', 'K-04-BVD', '999-XX-9'.replace(/X/g, 'Z'), 'BB-12-34', '12-34-BB', '12-BB-34', 'BB-12-BB', 'BB-BB-12', '12-BB-BB', 'BB-123-B', 'B-123-BB', '1-BB-123']) {
    assert.equal(valuesOf('kenteken ' + w, 'plate').length, 1, w);
  }
});

test('words, times and lower-case spaced text are not Dutch plates', () => {
  for (const text of ['OM-12-EN', 'om 12 uur', 'ik 12 kg', 'AB-12-CD', '12-04-20', 'mp3', 'zo 12 bd']) assert.deepEqual(valuesOf(text, 'plate'), [], text);
});

test('Belgian, French, German and British plates', () => {
  assert.deepEqual(valuesOf('plaque 1-ABC-234', 'plate'), ['BE:1-ABC-234']);
  assert.deepEqual(valuesOf('plaque ab-123-cd', 'plate'), ['FR:AB-123-CD']);
  assert.deepEqual(valuesOf('plaque AB 123 CD', 'plate'), ['FR:AB-123-CD']);
  assert.deepEqual(valuesOf('plaque AI-123-CD', 'plate'), [], 'no I in French plates');
  assert.deepEqual(valuesOf('Kennzeichen M AB 1234', 'plate'), ['DE:M-AB-1234']);
  assert.deepEqual(valuesOf('KLE-X 42', 'plate'), ['DE:KLE-X-42']);
  assert.deepEqual(valuesOf('zwarte macan HH GN 29', 'plate'), ['DE:HH-GN-29'], 'spaced: German, not Dutch sidecode 5');
  assert.deepEqual(valuesOf('XY M AB 1234', 'plate'), ['DE:M-AB-1234']);
  assert.deepEqual(valuesOf('reg AB12 CDE', 'plate'), ['GB:AB12-CDE']);
  assert.deepEqual(valuesOf('reg AB12CDE', 'plate'), ['GB:AB12-CDE']);
});

test('a container number is not a plate', () => {
  assert.deepEqual(found('bak CSQU 305438 3'), [['container', 'CSQU3054383', 'CSQU 305438 3']]);
});
