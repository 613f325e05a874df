// A small Tracery-like grammar: templates are compiled once into trees and
// expanded with the seeded RNG. Syntax inside a template:
//   {key}        another grammar rule (language rule first, then shared)
//   {$var}       a context variable (falls back to rule "var" when unset)
//   {@type}      an entity slot; {@type:case} / {@type:own} reuse a stable value
//   {!decoy}     a decoy look-alike
//   [a|b|]       inline alternatives (an empty branch makes it optional)
// Entities are kept as separate segments so noise never touches them and
// their offsets in the final body stay exact.

import type { Rng } from './rng.ts';
import type { DecoyName, EntityType, Lang } from './entities.ts';

export type Rules = Readonly<Record<string, readonly string[]>>;

type Node =
  | string
  | { ref: string }
  | { v: string }
  | { ent: EntityType; mode: string }
  | { decoy: DecoyName }
  | { alt: Node[][] };

export interface Compiled {
  rules: Map<string, Node[][]>;
}

function parseSeq(src: string, pos: { i: number }, inAlt: boolean): Node[] {
  const out: Node[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit) out.push(lit);
    lit = '';
  };
  while (pos.i < src.length) {
    const ch = src[pos.i] ?? '';
    if (inAlt && (ch === '|' || ch === ']')) break;
    if (ch === '{') {
      const end = src.indexOf('}', pos.i);
      if (end < 0) throw new Error('unclosed { in ' + src);
      const body = src.slice(pos.i + 1, end);
      flush();
      if (body.startsWith('$')) out.push({ v: body.slice(1) });
      else if (body.startsWith('@')) {
        const [type, mode] = body.slice(1).split(':');
        out.push({ ent: type as EntityType, mode: mode ?? '' });
      } else if (body.startsWith('!')) out.push({ decoy: body.slice(1) as DecoyName });
      else out.push({ ref: body });
      pos.i = end + 1;
    } else if (ch === '[') {
      flush();
      pos.i++;
      const branches: Node[][] = [];
      for (;;) {
        branches.push(parseSeq(src, pos, true));
        const c = src[pos.i];
        pos.i++;
        if (c === ']') break;
        if (c !== '|') throw new Error('unclosed [ in ' + src);
      }
      out.push({ alt: branches });
    } else {
      lit += ch;
      pos.i++;
    }
  }
  flush();
  return out;
}

export function compileTemplate(src: string): Node[] {
  return parseSeq(src, { i: 0 }, false);
}

export function compileRules(rules: Rules): Compiled {
  const map = new Map<string, Node[][]>();
  for (const [key, alts] of Object.entries(rules)) map.set(key, alts.map(compileTemplate));
  return { rules: map };
}

/** Names of every rule a compiled set refers to, for completeness checks in tests. */
export function referencedRules(c: Compiled): Set<string> {
  const out = new Set<string>();
  const walk = (nodes: Node[]): void => {
    for (const n of nodes) {
      if (typeof n === 'string') continue;
      if ('ref' in n) out.add(n.ref);
      else if ('alt' in n) for (const b of n.alt) walk(b);
    }
  };
  for (const alts of c.rules.values()) for (const a of alts) walk(a);
  return out;
}

export interface Sink {
  text(s: string): void;
  entity(type: EntityType, mode: string): void;
  decoy(name: DecoyName): void;
}

export interface ExpandEnv {
  rng: Rng;
  lang: Lang;
  own: Compiled;
  shared: Compiled;
  vars: Readonly<Record<string, string>>;
  sink: Sink;
}

export function hasRule(env: Pick<ExpandEnv, 'own' | 'shared'>, key: string): boolean {
  return env.own.rules.has(key) || env.shared.rules.has(key);
}

export function expandRule(env: ExpandEnv, key: string, depth = 0): void {
  const alts = env.own.rules.get(key) ?? env.shared.rules.get(key);
  if (!alts) throw new Error('unknown grammar rule ' + key + ' (' + env.lang + ')');
  const seq = alts[Math.floor(env.rng.next() * alts.length)];
  if (seq) expandSeq(env, seq, depth + 1);
}

function expandSeq(env: ExpandEnv, seq: Node[], depth: number): void {
  if (depth > 40) throw new Error('grammar recursion too deep');
  for (const n of seq) {
    if (typeof n === 'string') env.sink.text(n);
    else if ('ref' in n) expandRule(env, n.ref, depth);
    else if ('v' in n) {
      const value = env.vars[n.v];
      if (value !== undefined) env.sink.text(value);
      else expandRule(env, n.v, depth);
    } else if ('ent' in n) env.sink.entity(n.ent, n.mode);
    else if ('decoy' in n) env.sink.decoy(n.decoy);
    else {
      const branch = n.alt[Math.floor(env.rng.next() * n.alt.length)];
      if (branch) expandSeq(env, branch, depth + 1);
    }
  }
}
