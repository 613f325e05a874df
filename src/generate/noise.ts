// Chat noise applied to the free-text parts of a body (never to entities):
// typos from thumbs on a small keyboard, stretched letters, capitalisation and
// punctuation habits. Cheap string operations only: this runs per message.

import type { Rng } from './rng.ts';

// Neighbouring keys on QWERTY/AZERTY-ish layouts; enough for plausible slips.
const NEIGHBOURS: Readonly<Record<string, string>> = {
  a: 'sqz', b: 'vn', c: 'xv', d: 'sf', e: 'wr', f: 'dg', g: 'fh', h: 'gj', i: 'uo', j: 'hk', k: 'jl', l: 'k', m: 'n', n: 'bm',
  o: 'ip', p: 'o', q: 'wa', r: 'et', s: 'ad', t: 'ry', u: 'yi', v: 'cb', w: 'qe', x: 'zc', y: 'tu', z: 'xa',
};

function isLetter(c: number): boolean {
  return c >= 97 && c <= 122;
}

export function typo(rng: Rng, s: string): string {
  if (s.length < 4) return s;
  for (let attempt = 0; attempt < 4; attempt++) {
    const i = rng.range(1, s.length - 2);
    const c = s.charCodeAt(i);
    if (!isLetter(c)) continue;
    const op = rng.int(4);
    if (op === 0 && isLetter(s.charCodeAt(i + 1))) return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
    if (op === 1) return s.slice(0, i) + s.slice(i + 1);
    if (op === 2) return s.slice(0, i) + s[i] + s.slice(i);
    const n = NEIGHBOURS[s[i] ?? ''];
    if (n) return s.slice(0, i) + n[rng.int(n.length)] + s.slice(i + 1);
  }
  return s;
}

/** Stretch the last vowel of a short word: "ja" -> "jaaaa". */
export function stretch(rng: Rng, s: string): string {
  for (let i = s.length - 1; i >= 0; i--) {
    if ('aeiou'.includes(s[i] ?? '')) return s.slice(0, i + 1) + (s[i] ?? '').repeat(rng.range(1, 4)) + s.slice(i + 1);
  }
  return s;
}

export interface NoiseStyle {
  typo: number;
  capitalise: number;
  stretch: number;
  shout: number;
}

export function applyNoise(rng: Rng, s: string, atStart: boolean, style: NoiseStyle): string {
  let out = s;
  if (out.length > 3 && rng.chance(style.typo)) out = typo(rng, out);
  if (out.length <= 6 && rng.chance(style.stretch)) out = stretch(rng, out);
  if (atStart && rng.chance(style.capitalise)) out = out.charAt(0).toUpperCase() + out.slice(1);
  if (rng.chance(style.shout)) out = out.toUpperCase();
  return out;
}
