// What other users called an account, reconciled. Owners save the same person independently:
// "Mohamed Bakkal", "Mo B.", "mo bakkal", "M. Bakkal", "BAKKAL 🇲🇦". One owner's nickname is
// weak evidence; several owners agreeing on a first name and a surname is how a handle gets a
// name. Pure functions: the store hands in the saved aliases.
import { foldText } from '../extract/tokens.ts';
import { editDistanceWithin } from '../search/edit-distance.ts';

/** An alias as saved: the writing and the owner who saved it. */
export type SavedBy = { alias: string; owner: string };

/** A real name the aliases agree on, with the owners that support it and how they wrote it. */
export type NameHypothesis = { name: string; first: string; surname: string; support: number; owners: string[]; writings: string[] };

/** Surname particles: "van der Berg" has the initial B. */
const PARTICLES = new Set(['van', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'dos', 'el', 'al', 'ait', 'ter', 'ten', 'la', 'le', 'op']);

type ParsedAlias = { first: string; surname: string[]; writing: string; owner: string };

/**
 * Words that make an alias a relation or a role, not a name: "mijn broer Hamz", "achterneef Jer",
 * "cousin Far", "frérot Kader". Such an alias (or one with a number: "Sem amsterdam 3") proposes
 * no surname.
 */
const RELATION_WORDS = new Set([
  'mijn', 'broer', 'broertje', 'zus', 'zusje', 'neef', 'neefje', 'nicht', 'oom', 'ome', 'tante', 'zwager', 'schoonbroer', 'schoonzus',
  'achterneef', 'vader', 'pa', 'ma', 'opa', 'vriend', 'maat', 'my', 'bro', 'brother', 'sister', 'cousin', 'cuz', 'uncle', 'auntie',
  'mate', 'frere', 'frerot', 'soeur', 'tonton', 'tata', 'beau', 'mon', 'ma', 'pote', 'gars',
]);

function isNameLike(alias: ParsedAlias): boolean {
  return !/\d/.test(alias.writing) && ![alias.first, ...alias.surname].some((t) => RELATION_WORDS.has(t));
}

/** Folded name tokens: letters only, emoji and punctuation gone. */
export function nameTokens(alias: string): string[] {
  // a hyphen joins one name (Jean-Baptiste), it does not separate two
  return foldText(alias).split(/[^\p{L}-]+/u).map((t) => t.replace(/^-+|-+$/g, '')).filter((t) => t.length > 0);
}

function parse(saved: SavedBy): ParsedAlias | undefined {
  const tokens = nameTokens(saved.alias);
  if (tokens.length === 0) return undefined;
  // "de Vries" is a surname alone, not a first name "de"
  if (PARTICLES.has(tokens[0]!) && tokens.length > 1) return { first: '', surname: tokens, writing: saved.alias.trim(), owner: saved.owner };
  return { first: tokens[0]!, surname: tokens.slice(1), writing: saved.alias.trim(), owner: saved.owner };
}

function surnameCore(surname: readonly string[]): string {
  return surname.filter((t) => !PARTICLES.has(t)).join(' ');
}

/**
 * A first name written in full, shortened ("mo" for "mohamed"), as its initial, or spelled one
 * letter differently (Mohamed, Mohammed; Sofiane, Soufiane). A missing first name agrees.
 */
export function firstNamesAgree(a: string, b: string): boolean {
  if (a.startsWith(b) || b.startsWith(a)) return true;
  return a.length >= 5 && b.length >= 5 && editDistanceWithin(a, b, 1) !== undefined;
}

/**
 * The real names the aliases point at, best supported first. Surnames come first: a candidate
 * is a surname written out in some alias, supported by every owner who wrote it, or its initial
 * after a first name ("Mo B."). Its first name is the one most of those owners agree with (a
 * short form agrees with the full one: "Mo", "Moh", "Mohamed"), the fullest writing winning.
 * Nicknames ("Mo kapper") support nothing but themselves.
 */
export function nameHypotheses(aliases: readonly SavedBy[]): NameHypothesis[] {
  const parsed = aliases.map(parse).filter((p): p is ParsedAlias => p !== undefined);
  const surnames = new Map<string, string[]>();
  for (const p of parsed) {
    if (isNameLike(p) && surnameCore(p.surname).length >= 3) surnames.set(surnameCore(p.surname), p.surname);
  }
  // a lone word ("Kooistra") is a surname only when another owner saved its initial after a
  // first name ("Ferdi K"): otherwise it is as likely a nickname ("neef", "Belg")
  for (const p of parsed) {
    if (p.surname.length > 0 || p.first.length < 3 || surnames.has(p.first)) continue;
    if (parsed.some((q) => q.owner !== p.owner && q.first.length >= 2 && q.surname.length === 1 && q.surname[0]!.length === 1 && p.first.startsWith(q.surname[0]!))) {
      surnames.set(p.first, [p.first]);
    }
  }
  const hypotheses: NameHypothesis[] = [];
  const full = new Map<string, number>();
  for (const [core] of surnames) {
    const backing = parsed.filter((p) => writesSurname(p, core));
    const surname = surnameWriting(backing, core) ?? surnames.get(core)!;
    full.set(core, new Set(backing.filter((p) => surnameCore(p.surname) === core || p.first === core).map((p) => p.owner)).size);
    const first = agreedFirstName(backing.filter((p) => p.surname.length > 0));
    // pet names ("Ricky" for Ricardo) still back the surname: every owner who wrote it counts
    const owners = [...new Set(backing.map((p) => p.owner))];
    hypotheses.push({
      name: displayName(parsed, first, surname), first: first ?? '', surname: surname.join(' '), support: owners.length, owners,
      writings: [...new Set(backing.map((p) => p.writing))],
    });
  }
  hypotheses.push(...initialOnlyHypotheses(parsed, surnames));
  const writtenInFull = (h: NameHypothesis) => full.get(surnameCore(h.surname.split(' '))) ?? 0;
  return hypotheses.sort((a, b) => b.support - a.support || writtenInFull(b) - writtenInFull(a) || b.first.length - a.first.length || a.name.localeCompare(b.name));
}

/**
 * When no owner wrote the surname out ("Kevin V", "kevin v", "Kevin V."), the first name and the
 * initial are still a name several owners agree on.
 */
function initialOnlyHypotheses(parsed: readonly ParsedAlias[], surnames: ReadonlyMap<string, string[]>): NameHypothesis[] {
  const byInitial = new Map<string, ParsedAlias[]>();
  for (const p of parsed) {
    if (p.first.length < 2 || p.surname.length !== 1 || p.surname[0]!.length !== 1 || !isNameLike(p)) continue;
    if ([...surnames.keys()].some((core) => core.startsWith(p.surname[0]!))) continue;
    const list = byInitial.get(p.surname[0]!) ?? [];
    list.push(p);
    byInitial.set(p.surname[0]!, list);
  }
  const hypotheses: NameHypothesis[] = [];
  for (const [initial, backing] of byInitial) {
    const first = agreedFirstName(backing)!;
    const owners = [...new Set(backing.map((p) => p.owner))];
    if (owners.length < 2) continue;
    const capitalised = first[0]!.toUpperCase() + first.slice(1);
    hypotheses.push({ name: `${capitalised} ${initial.toUpperCase()}.`, first, surname: initial, support: owners.length, owners, writings: [...new Set(backing.map((p) => p.writing))] });
  }
  return hypotheses;
}

/** How the surname is written most often after a first name ("van Bouchikhi" may be "Van" + surname). */
function surnameWriting(backing: readonly ParsedAlias[], core: string): string[] | undefined {
  const counts = new Map<string, number>();
  for (const p of backing) {
    if (p.first === '' || surnameCore(p.surname) !== core) continue;
    const key = p.surname.join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length)[0];
  return best?.[0].split(' ');
}

/** The alias writes this surname: in full, alone, or as the initial after a first name. */
function writesSurname(p: ParsedAlias, core: string): boolean {
  if (p.surname.length === 0) return p.first === core;
  const written = surnameCore(p.surname);
  return written === core || (written.length === 1 && core.startsWith(written));
}

/**
 * The first name: the fullest writing that owners use with this surname. Owners shorten a name
 * ("Mo", "Ricky", "Jay") far more often than they lengthen one, so the longest writing backed by
 * a fair share of the owners is the best guess at the name itself.
 */
function agreedFirstName(backing: readonly ParsedAlias[]): string | undefined {
  const names = [...new Set(backing.map((p) => p.first).filter((f) => f.length >= 2))];
  const agreeing = (name: string) => backing.filter((p) => firstNamesAgree(p.first, name)).length;
  const most = Math.max(0, ...names.map(agreeing));
  const fair = names.filter((name) => agreeing(name) * 3 >= most);
  fair.sort((a, b) => b.length - a.length || agreeing(b) - agreeing(a) || a.localeCompare(b));
  return fair[0];
}

/** The name as an owner typed it when one wrote it fully (not in capitals), else assembled. */
function displayName(parsed: readonly ParsedAlias[], first: string | undefined, surname: readonly string[]): string {
  const full = parsed.filter((p) => p.first === first && p.surname.join(' ') === surname.join(' '));
  const readable = full.find((p) => p.writing !== p.writing.toUpperCase());
  if (readable) return readable.writing.replace(/[^\p{L}\p{M}' .-]+/gu, ' ').replace(/\s+/g, ' ').trim();
  const capitalise = (t: string) => (PARTICLES.has(t) ? t : t[0]!.toUpperCase() + t.slice(1));
  return [first, ...surname].filter((t): t is string => !!t).map(capitalise).join(' ');
}

/** Aliases grouped by their folded writing: how many owners saved each, and who. */
export function groupAliases(aliases: readonly SavedBy[]): { alias: string; count: number; savedBy: string[] }[] {
  const groups = new Map<string, { alias: string; owners: Set<string> }>();
  for (const a of aliases) {
    const key = nameTokens(a.alias).join(' ') || a.alias.trim();
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { alias: a.alias.trim(), owners: new Set() }));
    group.owners.add(a.owner);
  }
  return [...groups.values()]
    .map((g) => ({ alias: g.alias, count: g.owners.size, savedBy: [...g.owners].sort() }))
    .sort((a, b) => b.count - a.count || a.alias.localeCompare(b.alias));
}
