// Links between accounts that one person may hold: the same handset, the same phone number or
// e-mail address, a number one account gives out that is another account's own, or a real name
// that several owners saved for both. Each link carries its evidence and a score; an analyst
// decides. Pure: the evidence comes in, proposals go out.
import { normaliseEntityQuery } from '../extract/entities/extract.ts';
import { queryContext } from '../extract/entities/region.ts';
import type { LinkEvidence, LinkKind, ProposedLink } from '../model/attribution.ts';
import { nameHypotheses, nameTokens, type SavedBy } from './aliases.ts';

export const LINKER_COMPONENT = 'lode-analyze-links';
export const LINKER_VERSION = '1.0.0';

export type LinkSources = {
  sharedDevices: { a: number; b: number; imei: string; sinceA?: string; sinceB?: string }[];
  /** Handles that may themselves be phone numbers or e-mail addresses. */
  handles: { id: number; handle: string }[];
  /** Identifiers a site database recorded for its accounts. */
  exposures: { id: number; type: string; value: string }[];
  aliases: { account: number; alias: string; owner: string }[];
  names: { account: number; name: string }[];
  /** Who sent messages mentioning an entity (answered by the store, one value at a time). */
  sendersMentioning(type: string, value: string): Promise<{ account: number; messages: number; example: string }[]>;
  describe(account: number): string;
};

const CONTEXT = queryContext();

/** An identifier shared by more accounts than this is a switchboard or a default, not a person. */
const MAX_SHARING = 20;
const SCORES = { device: 0.9, identifier: 0.85, disclosedBase: 0.5, aliasBase: 0.5 } as const;

type OwnIdentifier = { account: number; type: 'phone' | 'email'; value: string; how: string };

export async function proposeLinks(sources: LinkSources): Promise<ProposedLink[]> {
  const links = new LinkSet();
  for (const d of sources.sharedDevices) {
    links.add(d.a, d.b, 'shared-device', SCORES.device, {
      what: 'imei', value: d.imei,
      a: `${sources.describe(d.a)} used it${d.sinceA ? ` from ${d.sinceA}` : ''}`, b: `${sources.describe(d.b)} used it${d.sinceB ? ` from ${d.sinceB}` : ''}`,
    });
  }
  const own = ownIdentifiers(sources);
  const byValue = groupBy(own, (i) => `${i.type}\u0000${i.value}`);
  for (const group of byValue.values()) {
    const accounts = [...new Map(group.map((i) => [i.account, i])).values()];
    if (accounts.length < 2 || accounts.length > MAX_SHARING) continue;
    for (let i = 0; i < accounts.length; i++) {
      for (let j = i + 1; j < accounts.length; j++) {
        const [x, y] = [accounts[i]!, accounts[j]!];
        links.add(x.account, y.account, 'shared-identifier', SCORES.identifier, { what: x.type, value: x.value, a: x.how, b: y.how });
      }
    }
  }
  for (const group of byValue.values()) {
    const owners = new Set(group.map((i) => i.account));
    const { type, value } = group[0]!;
    const senders = (await sources.sendersMentioning(type, value)).filter((s) => !owners.has(s.account));
    if (senders.length === 0 || senders.length > MAX_SHARING) continue;
    for (const sender of senders) {
      for (const owner of owners) {
        // giving out a number is what one does with one's own, and with a friend's: a weaker link
        const score = Math.min(0.7, SCORES.disclosedBase + 0.1 * (Math.min(sender.messages, 3) - 1));
        links.add(sender.account, owner, 'disclosed-identifier', score, {
          what: type, value, a: `${sources.describe(sender.account)} wrote it in ${sender.messages} message(s), e.g. ${sender.example}`,
          b: group.find((i) => i.account === owner)!.how,
        });
      }
    }
  }
  for (const match of nameMatches(sources)) links.add(match.a, match.b, 'alias-match', match.score, match.evidence);
  return links.all();
}

/** The phone numbers and e-mail addresses that are an account's own: its handle, or its site record. */
function ownIdentifiers(sources: LinkSources): OwnIdentifier[] {
  const found: OwnIdentifier[] = [];
  for (const { id, handle } of sources.handles) {
    const type = handle.includes('@') ? 'email' : 'phone';
    const value = normaliseEntityQuery(type, handle, CONTEXT);
    if (value) found.push({ account: id, type, value, how: `${sources.describe(id)} is ${type === 'email' ? 'this address' : 'this number'}` });
  }
  for (const { id, type, value } of sources.exposures) {
    if (type !== 'email' && type !== 'phone') continue;
    const normalised = normaliseEntityQuery(type, value, CONTEXT);
    if (normalised) found.push({ account: id, type, value: normalised, how: `the site database gives it for ${sources.describe(id)}` });
  }
  return found;
}

type NameMatch = { a: number; b: number; score: number; evidence: LinkEvidence };

/**
 * Accounts that owners independently saved under the same real name, or whose own display name is
 * that name. A name needs two owners behind it before it links anything.
 */
function nameMatches(sources: LinkSources): NameMatch[] {
  const byAccount = groupBy(sources.aliases, (a) => String(a.account));
  const named: { account: number; key: string; name: string; support: number; how: string }[] = [];
  for (const [account, aliases] of byAccount) {
    const best = nameHypotheses(aliases.map((a): SavedBy => ({ alias: a.alias, owner: a.owner })))[0];
    if (!best || best.support < 2 || best.surname.length <= 1 || !best.first) continue;
    named.push({ account: Number(account), key: nameTokens(best.name).join(' '), name: best.name, support: best.support, how: `${best.support} owners saved ${sources.describe(Number(account))} as ${best.writings.slice(0, 4).map((w) => `"${w}"`).join(', ')}` });
  }
  for (const { account, name } of sources.names) {
    const tokens = nameTokens(name);
    if (tokens.length < 2) continue;
    named.push({ account, key: tokens.join(' '), name, support: 0, how: `${sources.describe(account)} calls itself "${name}"` });
  }
  const matches: NameMatch[] = [];
  for (const group of groupBy(named, (n) => n.key).values()) {
    const accounts = [...new Map(group.map((n) => [n.account, n])).values()];
    if (accounts.length < 2 || accounts.length > MAX_SHARING) continue;
    for (let i = 0; i < accounts.length; i++) {
      for (let j = i + 1; j < accounts.length; j++) {
        const [x, y] = [accounts[i]!, accounts[j]!];
        // common names are shared by strangers: the score stays below device and number evidence
        const score = Math.min(0.7, SCORES.aliasBase + 0.025 * Math.min(x.support + y.support, 8));
        matches.push({ a: x.account, b: y.account, score, evidence: { what: 'name', value: x.name, a: x.how, b: y.how } });
      }
    }
  }
  return matches;
}

/** Proposals keyed by pair and kind: evidence accumulates, the strongest score stays. */
class LinkSet {
  private readonly links = new Map<string, ProposedLink>();

  add(one: number, other: number, kind: LinkKind, score: number, evidence: LinkEvidence): void {
    if (one === other) return;
    const [aId, bId, e] = one < other ? [one, other, evidence] : [other, one, { ...evidence, a: evidence.b, b: evidence.a }];
    const key = `${aId}:${bId}:${kind}`;
    const existing = this.links.get(key);
    if (!existing) {
      this.links.set(key, { aId, bId, kind, score, evidence: [e] });
      return;
    }
    existing.score = Math.max(existing.score, score);
    if (!existing.evidence.some((x) => x.value === e.value && x.a === e.a && x.b === e.b)) existing.evidence.push(e);
  }

  all(): ProposedLink[] {
    return [...this.links.values()].sort((x, y) => y.score - x.score || x.aId - y.aId || x.bId - y.bId);
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Accounts joined by confirmed links, as groups of two or more (one group per person). */
export function personsFromLinks(confirmed: readonly { aId: number; bId: number }[]): number[][] {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let root = x;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  for (const { aId, bId } of confirmed) {
    if (!parent.has(aId)) parent.set(aId, aId);
    if (!parent.has(bId)) parent.set(bId, bId);
    const [ra, rb] = [find(aId), find(bId)];
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  const groups = groupBy([...parent.keys()], (x) => String(find(x)));
  return [...groups.values()].map((g) => g.sort((x, y) => x - y)).sort((x, y) => x[0]! - y[0]!);
}
