// Triage lexicons: the data files (lexicons/*.json) an analyst extends without touching code,
// compiled once into lookup tables keyed by a term's first token, because signal finding runs
// on every message at ingest. Terms are written as folded tokens (lower case, no diacritics);
// docs/TRIAGE.md describes the format, the signals and their weights.

import { z } from 'zod';
import { foldText } from '../extract/tokens.ts';
import en from './lexicons/en.json' with { type: 'json' };
import fr from './lexicons/fr.json' with { type: 'json' };
import nl from './lexicons/nl.json' with { type: 'json' };
import shared from './lexicons/shared.json' with { type: 'json' };

/** What a signal says about a message. */
export const SIGNAL_KINDS = ['intent', 'target', 'prep', 'decoy', 'leak'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

const termSchema = z.union([
  z.string().min(1),
  z.object({ term: z.string().min(1), weight: z.number().min(-1).max(1).optional(), hasTarget: z.boolean().optional(), about: z.string().optional() }),
]);

const groupSchema = z.object({
  kind: z.enum(SIGNAL_KINDS),
  category: z.string().min(1),
  weight: z.number().min(-1).max(1),
  /** The terms name the person they are aimed at ("leg hem om", "take him out"). */
  hasTarget: z.boolean().optional(),
  /** An intent of ordinary words ("ophalen", "grab") counts only with one of these preparation kinds and a clear target. */
  needs: z.array(z.string()).optional(),
  about: z.string().optional(),
  terms: z.array(termSchema),
});

const fileSchema = z.object({
  lang: z.string().min(1),
  about: z.string().optional(),
  /** Ordinary words: never taken for a name or a handle next to an intent. */
  common: z.array(z.string()).optional(),
  groups: z.array(groupSchema),
});

/** One lexicon file as an analyst writes it. */
export type LexiconFile = z.infer<typeof fileSchema>;

/** A piece of a compiled term: a folded word, a word prefix (`klap*`), or a gap of other words. */
export type TermPart =
  | { type: 'word'; text: string }
  | { type: 'prefix'; text: string }
  /** `_` is exactly one word; `*` standing alone is zero to three words. */
  | { type: 'gap'; min: number; max: number };

export type CompiledTerm = {
  kind: SignalKind;
  category: string;
  weight: number;
  hasTarget: boolean;
  /** Preparation kinds one of which must be present for this intent to count. */
  needs?: readonly string[];
  /** The term as the lexicon wrote it, for the explanation. */
  term: string;
  lang: string;
  /** Every part after the first (the first is the key it is found under). */
  rest: readonly TermPart[];
};

/**
 * Terms that start with one word. Most tokens that start a term are common words ("de", "zijn",
 * "the"), so multi-word terms wait under their second word: one Map probe instead of a match per term.
 */
export type FirstWordEntry = {
  /** One-word terms. */
  whole: CompiledTerm[];
  /** Terms whose second part is a word, under that word. */
  bySecond: Map<string, CompiledTerm[]>;
  /** Terms whose second part is a prefix or a gap: tried one by one. */
  other: CompiledTerm[];
};

/** Lexicons compiled for one pass over a message's tokens. */
export type CompiledLexicon = {
  exact: Map<string, FirstWordEntry>;
  /** Terms whose first part is a prefix, under a number made of the prefix's first PROBE_LENGTH characters. */
  prefix: Map<number, { text: string; term: CompiledTerm }[]>;
  /** Ordinary words and every word of every term: what is not a name or a handle. */
  known: Set<string>;
  /** One-word look-alike cues of 5+ letters by length, found with one typo near an intent ("griep" for "groep"). */
  decoyWords: Map<number, { word: string; term: CompiledTerm }[]>;
  /** Ordinary known words of 4+ letters by length, for the one-typo test of a would-be name. */
  knownByLength: Map<number, string[]>;
  langs: string[];
};

/** A prefix needs this many letters: one probe per token then finds every prefix term. */
export const PROBE_LENGTH = 3;

/**
 * The first PROBE_LENGTH characters of a word as one small integer (a Map key that needs no
 * substring); -1 for a word too short or with characters past Latin-1, which no prefix starts with.
 */
export function probeKey(word: string): number {
  if (word.length < PROBE_LENGTH) return -1;
  const a = word.charCodeAt(0);
  const b = word.charCodeAt(1);
  const c = word.charCodeAt(2);
  if ((a | b | c) > 255) return -1;
  return (a << 16) | (b << 8) | c;
}
const MAX_GAP = 3;

/** Narrows parsed JSON to a lexicon file; the error names the file and the field. */
export function parseLexiconFile(json: unknown, source: string): LexiconFile {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`lexicon ${source}: ${issue ? issue.path.join('.') + ': ' + issue.message : 'invalid'}`);
  }
  return parsed.data;
}

const NON_ASCII = /[^\x00-\x7f]/;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** The folded words of a piece of a term, split like message text is split. */
function wordsOf(text: string): string[] {
  const folded = NON_ASCII.test(text) ? foldText(text) : text.toLowerCase();
  return folded.match(WORD) ?? [];
}

/** A term's parts: `klap*` is a prefix, a lone `*` a gap of 0..3 words, `_` one word. */
export function parseTerm(term: string): TermPart[] {
  const parts: TermPart[] = [];
  for (const piece of term.trim().split(/\s+/)) {
    if (piece === '*') parts.push({ type: 'gap', min: 0, max: MAX_GAP });
    else if (piece === '_') parts.push({ type: 'gap', min: 1, max: 1 });
    else {
      const isPrefix = piece.endsWith('*');
      const words = wordsOf(isPrefix ? piece.slice(0, -1) : piece);
      words.forEach((text, i) => parts.push(isPrefix && i === words.length - 1 ? { type: 'prefix', text } : { type: 'word', text }));
    }
  }
  const first = parts[0];
  if (!first || first.type === 'gap') throw new Error(`term "${term}" must start with a word`);
  if (parts[parts.length - 1]?.type === 'gap') throw new Error(`term "${term}" must end with a word`);
  if (first.type === 'prefix' && probeKey(first.text) < 0) throw new Error(`term "${term}": a leading prefix needs ${PROBE_LENGTH} letters`);
  return parts;
}

/**
 * Compiles lexicon files; later files win: a term of the same kind, category and writing takes
 * the later weight (an analyst silences a term with weight 0).
 */
export function compileLexicons(files: readonly LexiconFile[]): CompiledLexicon {
  const byKey = new Map<string, { parts: TermPart[]; term: CompiledTerm }>();
  const known = new Set<string>();
  // names are known words too, but a handle one letter off a name is still a handle ("condor", "conor")
  const names = new Set<string>();
  const langs: string[] = [];
  for (const file of files) {
    if (!langs.includes(file.lang)) langs.push(file.lang);
    for (const word of file.common ?? []) for (const w of wordsOf(word)) known.add(w);
    for (const group of file.groups) {
      for (const entry of group.terms) {
        const written = typeof entry === 'string' ? entry : entry.term;
        const parts = parseTerm(written);
        for (const part of parts) if (part.type === 'word') (group.kind === 'target' && group.category === 'name' ? names : known).add(part.text);
        const compiled: CompiledTerm = {
          kind: group.kind,
          category: group.category,
          weight: typeof entry === 'string' ? group.weight : (entry.weight ?? group.weight),
          hasTarget: (typeof entry === 'string' ? undefined : entry.hasTarget) ?? group.hasTarget ?? false,
          ...(group.needs !== undefined ? { needs: group.needs } : {}),
          term: written.trim(),
          lang: file.lang,
          rest: parts.slice(1),
        };
        const key = group.kind + '\u0000' + group.category + '\u0000' + parts.map(describePart).join(' ');
        byKey.set(key, { parts, term: compiled });
      }
    }
  }
  const lexicon: CompiledLexicon = { exact: new Map(), prefix: new Map(), known, knownByLength: new Map(), decoyWords: new Map(), langs };
  for (const { parts, term } of byKey.values()) {
    if (term.weight === 0) continue;
    const first = parts[0]!;
    if (term.kind === 'decoy' && parts.length === 1 && first.type === 'word' && first.text.length >= 5) {
      const list = lexicon.decoyWords.get(first.text.length);
      if (list) list.push({ word: first.text, term });
      else lexicon.decoyWords.set(first.text.length, [{ word: first.text, term }]);
    }
    if (first.type === 'word') {
      let entry = lexicon.exact.get(first.text);
      if (!entry) {
        entry = { whole: [], bySecond: new Map(), other: [] };
        lexicon.exact.set(first.text, entry);
      }
      const second = parts[1];
      if (second === undefined) entry.whole.push(term);
      else if (second.type === 'word') {
        const list = entry.bySecond.get(second.text);
        if (list) list.push(term);
        else entry.bySecond.set(second.text, [term]);
      } else entry.other.push(term);
    } else if (first.type === 'prefix') {
      const probe = probeKey(first.text);
      const list = lexicon.prefix.get(probe);
      if (list) list.push({ text: first.text, term });
      else lexicon.prefix.set(probe, [{ text: first.text, term }]);
    }
  }
  for (const word of known) {
    if (word.length < 4) continue;
    const list = lexicon.knownByLength.get(word.length);
    if (list) list.push(word);
    else lexicon.knownByLength.set(word.length, [word]);
  }
  for (const name of names) known.add(name);
  return lexicon;
}

function describePart(part: TermPart): string {
  return part.type === 'word' ? part.text : part.type === 'prefix' ? part.text + '*' : part.min === 1 ? '_' : '*';
}

/** The lexicons shipped with Lode, parsed (they are code's data: a bad one fails at start). */
export const BUILTIN_LEXICON_FILES: readonly LexiconFile[] = [
  parseLexiconFile(shared, 'shared.json'),
  parseLexiconFile(nl, 'nl.json'),
  parseLexiconFile(en, 'en.json'),
  parseLexiconFile(fr, 'fr.json'),
];

let builtin: CompiledLexicon | undefined;

/** The shipped lexicons, compiled once. */
export function builtinLexicon(): CompiledLexicon {
  builtin ??= compileLexicons(BUILTIN_LEXICON_FILES);
  return builtin;
}

export type LoadLexiconOptions = {
  /** Replaces the shipped lexicons with this directory's *.json files. */
  dir?: string;
  /** An analyst's directory merged on top (default: the LODE_LEXICONS environment variable). */
  extraDir?: string;
  env?: Readonly<Record<string, string | undefined>>;
};

/**
 * The I/O edge: reads lexicon files (shipped ones, or `dir`), then an analyst's extra directory
 * on top, in file-name order, and compiles them.
 */
export async function loadLexicons(options: LoadLexiconOptions = {}): Promise<CompiledLexicon> {
  const { readdir, readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const readDir = async (dir: string): Promise<LexiconFile[]> => {
    const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
    const files: LexiconFile[] = [];
    for (const name of names) {
      const path = join(dir, name);
      let json: unknown;
      try {
        json = JSON.parse(await readFile(path, 'utf8'));
      } catch (error) {
        throw new Error(`lexicon ${path}: ${(error as Error).message}`);
      }
      files.push(parseLexiconFile(json, path));
    }
    return files;
  };
  const base = options.dir !== undefined ? await readDir(options.dir) : [...BUILTIN_LEXICON_FILES];
  const extraDir = options.extraDir ?? (options.env ?? process.env)['LODE_LEXICONS'];
  const extra = extraDir ? await readDir(extraDir) : [];
  return extra.length === 0 && options.dir === undefined ? builtinLexicon() : compileLexicons([...base, ...extra]);
}
