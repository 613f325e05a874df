// `lode links --update` and POST /api/v1/links/update: gathers the link evidence of every dataset
// again and stores the proposals. One function for both, so the CLI and the API propose alike.
import { normaliseEntityQuery } from '../extract/entities/extract.ts';
import { queryContext } from '../extract/entities/region.ts';
import type { AccountLink } from '../model/attribution.ts';
import type { Viewer } from '../model/security.ts';
import type { Store } from '../store/store.ts';
import { LINKER_COMPONENT, LINKER_VERSION, proposeLinks } from './links.ts';

/**
 * Links are stored once and shown to every reader of both accounts' datasets, whoever gathered
 * them (CLI or API, admin or analyst). So the evidence drawn from messages (a disclosed number,
 * with an example message id) comes only from messages any such reader may see: within the legal
 * scope and not privileged.
 */
export const LINK_EVIDENCE_READER: Viewer = { isAdmin: false, mayReviewPrivilege: false };

/**
 * Links an analyst confirmed or rejected keep that decision; their evidence is refreshed.
 * The store leaves privileged parties' accounts out of the evidence (their handles, exposures,
 * devices and names); a site record that gives another account a lawyer's number or address is
 * left out here too, so no proposal names a privileged identifier.
 */
export async function updateLinks(store: Store): Promise<{ added: number; updated: number }> {
  const gathered = await store.linkEvidence();
  const privileged = new Set((await store.privilegedIdentifiers()).filter((i) => i.kind !== 'platform-handle').map((i) => `${i.kind}\u0000${i.value}`));
  const context = queryContext();
  const isPrivileged = (type: string, value: string) =>
    (type === 'phone' || type === 'email') && privileged.has(`${type}\u0000${normaliseEntityQuery(type, value, context) ?? ''}`);
  const evidence = privileged.size === 0 ? gathered : { ...gathered, exposures: gathered.exposures.filter((e) => !isPrivileged(e.type, e.value)) };
  const names = new Map<number, string>();
  const name = async (ids: Iterable<number>) => {
    for (const id of ids) {
      if (names.has(id)) continue;
      const ref = await store.describeAccount(id);
      names.set(id, ref ? `${ref.platform}:${ref.handle} [${ref.dataset}]` : `#${id}`);
    }
  };
  await name([...evidence.sharedDevices.flatMap((d) => [d.a, d.b]), ...evidence.handles.map((h) => h.id), ...evidence.exposures.map((e) => e.id), ...evidence.aliases.map((a) => a.account), ...evidence.names.map((n) => n.account)]);
  // the senders of a disclosed number are found while proposing: they are named as they come
  const sendersMentioning = async (type: string, value: string) => {
    const senders = await store.sendersMentioning(type, value, LINK_EVIDENCE_READER);
    await name(senders.map((s) => s.account));
    return senders;
  };
  const proposals = await proposeLinks({ ...evidence, sendersMentioning, describe: (id) => names.get(id) ?? `#${id}` });
  return store.saveLinks(proposals, { component: LINKER_COMPONENT, version: LINKER_VERSION });
}

/** The person a confirmed link's accounts now form (persons are regrouped on every decision). */
export async function personOfLink(store: Store, link: AccountLink) {
  const [account] = await store.findAccounts(link.a.handle, link.a.dataset, link.a.platform);
  return account ? store.personOf(account.id) : undefined;
}
