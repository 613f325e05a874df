// Everything a case holds, read from the store as one viewer may see it: the input of an
// export and of the case view. Evidence the viewer may not see (legal scope, privilege) is left
// out and counted, so a bundle never carries what its reader was not allowed to read.
import type { Annotation, CaseAccount, CaseAlert, CaseBundle, CaseEntity, CasePerson, TimelineEntry } from '../model/cases.ts';
import type { StoredMessage } from '../model/items.ts';
import type { Viewer } from '../model/security.ts';
import { LODE_VERSION } from '../model/version.ts';
import type { Store } from '../store/store.ts';

export type CaseContents = CaseBundle & { withheld: number };

export async function caseContents(store: Store, name: string, viewer: Viewer | undefined, exportedBy: string, now = new Date()): Promise<CaseContents | undefined> {
  const found = await store.findCase(name);
  if (!found) return undefined;
  const items = await store.caseItems(name);
  const messages: StoredMessage[] = [];
  let withheld = 0;
  for (const item of items.filter((i) => i.kind === 'message')) {
    const message = await store.message(item.ref, viewer);
    if (message) messages.push(message);
    else withheld += 1;
  }
  messages.sort((a, b) => (a.ts ?? '').localeCompare(b.ts ?? '') || a.id.localeCompare(b.id));
  const ids = messages.map((m) => m.id);

  const accounts = await caseAccounts(store, items.filter((i) => i.kind === 'account').map((i) => Number(i.ref)), messages, viewer);
  const entities = mergeEntities(items.filter((i) => i.kind === 'entity').map((i) => i.ref), await store.entityCounts(ids));
  const persons = await casePersons(store, items.filter((i) => i.kind === 'person').map((i) => Number(i.ref)), accounts);
  const annotations = await store.annotations(name);
  const queries = await store.caseQueries(name);
  const alerts: CaseAlert[] = (await store.alertsOfMessages(ids)).map((a) => ({
    id: a.id, kind: a.kind, score: a.score, item: a.item.id, status: a.status, reasons: a.reasons.map((r) => r.text),
  }));
  return {
    case: found, items, messages, accounts, entities, persons, annotations, queries, alerts,
    timeline: timeline(messages, annotations, alerts),
    producedBy: { lode: LODE_VERSION, toolruns: await store.toolrunsOf(ids) },
    exportedBy, exportedAt: now.toISOString(), withheld,
  };
}

/** Accounts linked to the case and every party of its messages. */
async function caseAccounts(store: Store, linked: readonly number[], messages: readonly StoredMessage[], viewer: Viewer | undefined): Promise<CaseAccount[]> {
  const ids = new Set(linked.filter((id) => Number.isInteger(id)));
  const seen = new Set<string>();
  for (const m of messages) {
    for (const handle of [m.from, ...m.to]) {
      const key = `${m.dataset}\u0000${m.platform}\u0000${handle}`;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const account of await store.findAccounts(handle, m.dataset, m.platform, viewer)) if (account.handle === handle) ids.add(account.id);
    }
  }
  const out: CaseAccount[] = [];
  for (const id of ids) {
    const account = await store.caseAccount(id);
    if (account) out.push(account);
  }
  return out.sort((a, b) => b.messages - a.messages || a.handle.localeCompare(b.handle));
}

function mergeEntities(linked: readonly string[], counted: readonly { type: string; value: string; mentions: number }[]): CaseEntity[] {
  const byKey = new Map<string, CaseEntity>(counted.map((e) => [`${e.type}:${e.value}`, { ...e }]));
  for (const ref of linked) {
    const colon = ref.indexOf(':');
    if (colon > 0 && !byKey.has(ref)) byKey.set(ref, { type: ref.slice(0, colon), value: ref.slice(colon + 1), mentions: 0 });
  }
  return [...byKey.values()];
}

async function casePersons(store: Store, linked: readonly number[], accounts: readonly CaseAccount[]): Promise<CasePerson[]> {
  const persons = new Map<number, CasePerson>();
  for (const id of linked) {
    const person = await store.person(id);
    if (person) persons.set(person.id, person);
  }
  for (const account of accounts) {
    const person = await store.personOf(account.id);
    if (person) persons.set(person.id, person);
  }
  return [...persons.values()].sort((a, b) => a.id - b.id);
}

function timeline(messages: readonly StoredMessage[], annotations: readonly Annotation[], alerts: readonly CaseAlert[]): TimelineEntry[] {
  const tsOf = new Map(messages.map((m) => [m.id, m.ts]));
  const entries: TimelineEntry[] = [];
  for (const m of messages) {
    if (m.ts === undefined) continue;
    entries.push({ ts: m.ts, kind: 'message', ref: m.id, summary: `${m.from} → ${m.to.join(', ') || '(note)'}: ${oneLine(m.body)}` });
  }
  for (const a of alerts) {
    const ts = tsOf.get(a.item);
    if (ts !== undefined) entries.push({ ts, kind: 'alert', ref: String(a.id), summary: `${a.kind} alert (${a.score.toFixed(2)}, ${a.status}) on ${a.item}` });
  }
  for (const a of annotations) entries.push({ ts: a.at, kind: 'annotation', ref: String(a.id), summary: `${a.kind} by ${a.author}: ${oneLine(a.text)}` });
  return entries.sort((a, b) => a.ts.localeCompare(b.ts) || a.kind.localeCompare(b.kind));
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
}
