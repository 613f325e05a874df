// The FollowTheMoney export (ftm.jsonl): the case as FtM entities, one `{"id","schema",
// "properties"}` object a line with every property value an array of strings, the form that
// `ftm validate`, `ftm aggregate` and `alephclient write-entities` read.
//
// Schema and property names follow the FtM model YAML files of alephdata/followthemoney
// (followthemoney/schema/*.yaml: Message.yaml, UserAccount.yaml, Person.yaml, LegalEntity.yaml,
// Thing.yaml, Document.yaml, BankAccount.yaml, CryptoWallet.yaml, Vehicle.yaml, Address.yaml,
// Note.yaml, Email.yaml, Mention.yaml) and its types (followthemoney/types/language.py: ISO 639
// alpha-3 codes; country.py: lower-case ISO 3166 alpha-2). What those files say, and what we
// therefore do:
// - Message extends Interval, Folder (a Document), PlainText and HyperText; it requires bodyText
//   and sender. `sender`/`recipients` have range LegalEntity, `senderAccount`/`recipientAccount`
//   range UserAccount. So every message names its accounts and also their owners.
// - UserAccount (username required; service, owner: LegalEntity, number: phone, email) is a
//   Lode account. Its owner is the Person an analyst confirmed, or else a LegalEntity standing
//   for the account's unidentified user (as Aleph's own e-mail ingest makes LegalEntities for
//   addresses): a Message needs a LegalEntity sender, and guessing a Person would be wrong.
// - FtM has no Phone or e-mail-address schema: `Email` is an e-mail *message*. Phone numbers, e-mail
//   addresses, IBANs and IPs found in a body become the Document properties phoneMentioned,
//   emailMentioned, ibanMentioned and ipMentioned of the Message.
// - IBANs are also BankAccount (iban), crypto addresses CryptoWallet (publicKey, currencySymbol),
//   plates Vehicle (registrationNumber, country), coordinates Address (latitude, longitude). Each
//   links to the messages that mention it through Thing.proof ("Source document", range
//   Document, reverse "Derived entities"): FtM's Mention.resolved only takes a LegalEntity.
// - Analyst annotations are Note (extends Thing; `entity` range Thing): clearly not evidence.
// - BIC, URL, IMEI, container numbers, amounts and alerts have no FtM schema that fits without
//   inventing; they stay in items.jsonl and alerts.jsonl.
// The model as Aleph ships it (npm @alephdata/followthemoney 3.8.4, dist/defaultModel.json, a
// devDependency) is what test/cases/export.test.ts checks every schema, property, range, language
// and country code written here against, and the required properties.
// Ids are SHA-1 (hex) of a Lode key (`lode:message:<id>`...), so two exports of a case give the
// same ids, and a re-import into the same Aleph collection replaces entities instead of adding twins.
import { createHash } from 'node:crypto';
import type { Annotation, CaseBundle } from '../../model/cases.ts';
import type { StoredMessage } from '../../model/items.ts';
import type { AccountRef } from '../../model/attribution.ts';
import { compareText, sortedAnnotations, sortedMessages } from './bundle-files.ts';

export type FtmEntity = { id: string; schema: string; properties: Record<string, string[]> };

/** The schemata this export writes, in the order their entities appear in ftm.jsonl. */
export const FTM_SCHEMATA = ['Person', 'LegalEntity', 'UserAccount', 'Message', 'BankAccount', 'CryptoWallet', 'Vehicle', 'Address', 'Note'] as const;

/** Lode's entity types and where they go in FtM (see the mapping table in docs/EXPORT.md). */
const MENTION_PROPERTY: Record<string, string> = { phone: 'phoneMentioned', email: 'emailMentioned', iban: 'ibanMentioned', ipv4: 'ipMentioned', ipv6: 'ipMentioned' };
const CURRENCY: Record<string, string> = { btc: 'BTC', eth: 'ETH', xmr: 'XMR' };

/** ISO 639-1 (what Lode detects) to the ISO 639 alpha-3 codes FtM's language type keeps. */
const LANGUAGE_ALPHA3: Record<string, string> = {
  nl: 'nld', en: 'eng', fr: 'fra', de: 'deu', es: 'spa', it: 'ita', pt: 'por', ar: 'ara', tr: 'tur', pl: 'pol',
  ru: 'rus', uk: 'ukr', ro: 'ron', sq: 'sqi', sr: 'srp', hr: 'hrv', bs: 'bos', el: 'ell', da: 'dan', sv: 'swe',
};

/** A stable FtM id: SHA-1 of the Lode key. */
export function ftmId(kind: string, ...parts: (string | number)[]): string {
  const key = parts.length === 1 ? String(parts[0]) : JSON.stringify(parts.map(String));
  return createHash('sha1').update(`lode:${kind}:${key}`, 'utf8').digest('hex');
}

export function accountFtmId(account: AccountRef): string {
  return ftmId('account', account.dataset, account.platform, account.handle);
}

export function messageFtmId(id: string): string {
  return ftmId('message', id);
}

export function ftmJsonl(bundle: CaseBundle): string {
  return ftmEntities(bundle).map((e) => JSON.stringify(e) + '\n').join('');
}

export function ftmEntities(bundle: CaseBundle): FtmEntity[] {
  const out = new Map<string, FtmEntity>();
  const accounts = collectAccounts(bundle);
  const personOf = new Map<string, string>();
  for (const p of bundle.persons) {
    const id = personFtmId(p.id);
    for (const a of p.accounts) personOf.set(accountKey(a), id);
    const handles = p.accounts.map((a) => a.handle);
    put(out, id, 'Person', {
      name: [p.name ?? `Person ${p.id} (unnamed)`],
      phone: handles.filter(isPhoneHandle),
      email: handles.filter(isEmailHandle),
      description: [`Person ${p.id} of Lode case ${bundle.case.name}: accounts linked by confirmed attribution`],
    });
  }

  const ownerOf = new Map<string, string>();
  for (const account of accounts.values()) {
    const key = accountKey(account);
    let owner = personOf.get(key);
    if (!owner) {
      owner = ftmId('account-user', account.dataset, account.platform, account.handle);
      put(out, owner, 'LegalEntity', {
        name: [account.handle],
        phone: isPhoneHandle(account.handle) ? [account.handle] : [],
        email: isEmailHandle(account.handle) ? [account.handle] : [],
        description: [`Unidentified user of ${account.platform} account ${account.handle} (dataset ${account.dataset})`],
      });
    }
    ownerOf.set(key, owner);
    put(out, accountFtmId(account), 'UserAccount', {
      username: [account.handle],
      service: [account.platform],
      owner: [owner],
      number: isPhoneHandle(account.handle) ? [account.handle] : [],
      email: isEmailHandle(account.handle) ? [account.handle] : [],
      alias: [...(account.name ? [account.name] : []), ...account.aliases],
      description: [`Account of dataset ${account.dataset}${account.messages !== undefined ? `; ${account.messages} messages in the case` : ''}`],
    });
  }

  const proofs = new Map<string, string[]>();
  for (const m of sortedMessages(bundle.messages)) {
    const id = messageFtmId(m.id);
    const from = { dataset: m.dataset, platform: m.platform, handle: m.from };
    const to = m.to.map((handle) => ({ dataset: m.dataset, platform: m.platform, handle }));
    const mentioned: Record<string, string[]> = { phoneMentioned: [], emailMentioned: [], ibanMentioned: [], ipMentioned: [] };
    for (const e of m.entities ?? []) {
      const property = MENTION_PROPERTY[e.type];
      if (property) mentioned[property]?.push(e.value);
      const key = `${e.type}:${e.value}`;
      const list = proofs.get(key);
      if (list) list.push(id);
      else proofs.set(key, [id]);
    }
    const lang = m.lang ? LANGUAGE_ALPHA3[m.lang.toLowerCase()] : undefined;
    put(out, id, 'Message', {
      bodyText: m.body === '' ? [] : [m.body],
      date: m.ts ? [m.ts] : [],
      sender: [ownerOf.get(accountKey(from)) ?? ''],
      senderAccount: [accountFtmId(from)],
      recipients: to.map((a) => ownerOf.get(accountKey(a)) ?? ''),
      recipientAccount: to.map(accountFtmId),
      title: m.kind === 'note' ? [`Note on the device of ${m.from}`] : [],
      threadTopic: m.group !== undefined ? [m.group] : [],
      language: lang ? [lang] : [],
      messageId: [m.id],
      ...mentioned,
      metadata: [JSON.stringify(provenanceMetadata(m))],
    });
  }

  for (const [key, value] of entityValues(bundle)) {
    const type = key.slice(0, key.indexOf(':'));
    const proof = [...new Set(proofs.get(key) ?? [])];
    const id = ftmId('entity', type, value);
    if (type === 'iban') {
      put(out, id, 'BankAccount', { iban: [value], country: [value.slice(0, 2).toLowerCase()], proof });
    } else if (CURRENCY[type]) {
      put(out, id, 'CryptoWallet', { publicKey: [value], currencySymbol: [CURRENCY[type] ?? ''], proof });
    } else if (type === 'plate') {
      const match = /^([A-Z]{1,3}):(.+)$/.exec(value);
      put(out, id, 'Vehicle', { registrationNumber: [match?.[2] ?? value], country: match?.[1] ? [match[1].toLowerCase()] : [], proof });
    } else if (type === 'coordinates') {
      const [lat, lon] = value.split(',');
      if (lat === undefined || lon === undefined) continue;
      put(out, id, 'Address', { latitude: [lat], longitude: [lon], summary: [`Coordinates ${value} found in the evidence`], proof });
    }
  }

  for (const a of sortedAnnotations(bundle.annotations)) {
    const target = annotationTarget(bundle, a, out);
    put(out, ftmId('annotation', bundle.case.name, a.id), 'Note', {
      description: [a.text],
      summary: [`${a.kind === 'translation' ? 'Translation by hand' : 'Analyst note'} by ${a.author} at ${a.at} (Lode case ${bundle.case.name}; not evidence)`],
      entity: target ? [target] : [],
    });
  }

  const order = new Map<string, number>(FTM_SCHEMATA.map((s, i) => [s, i]));
  return [...out.values()].sort((a, b) => (order.get(a.schema) ?? 99) - (order.get(b.schema) ?? 99) || compareText(a.id, b.id));
}

type ExportAccount = AccountRef & { name?: string; aliases: string[]; messages?: number };

/** The case's accounts, plus every party of a message and every account of a person, so that each reference resolves. */
function collectAccounts(bundle: CaseBundle): Map<string, ExportAccount> {
  const accounts = new Map<string, ExportAccount>();
  const add = (a: ExportAccount): void => {
    const key = accountKey(a);
    if (!accounts.has(key)) accounts.set(key, a);
  };
  for (const a of bundle.accounts) add({ dataset: a.dataset, platform: a.platform, handle: a.handle, ...(a.name ? { name: a.name } : {}), aliases: a.aliases, messages: a.messages });
  for (const m of bundle.messages) {
    add({ dataset: m.dataset, platform: m.platform, handle: m.from, aliases: [] });
    for (const handle of m.to) add({ dataset: m.dataset, platform: m.platform, handle, aliases: [] });
  }
  for (const p of bundle.persons) for (const a of p.accounts) add({ ...a, aliases: [] });
  return accounts;
}

function entityValues(bundle: CaseBundle): Map<string, string> {
  const values = new Map<string, string>();
  for (const e of bundle.entities) values.set(`${e.type}:${e.value}`, e.value);
  for (const m of bundle.messages) for (const e of m.entities ?? []) values.set(`${e.type}:${e.value}`, e.value);
  return values;
}

function annotationTarget(bundle: CaseBundle, a: Annotation, out: Map<string, FtmEntity>): string | undefined {
  if (!a.target) return undefined;
  const { kind, ref } = a.target;
  let id: string | undefined;
  if (kind === 'message') id = messageFtmId(ref);
  else if (kind === 'person') id = personFtmId(Number(ref));
  else if (kind === 'account') {
    const account = bundle.accounts.find((x) => String(x.id) === ref);
    id = account ? accountFtmId(account) : undefined;
  } else {
    const at = ref.indexOf(':');
    id = at > 0 ? ftmId('entity', ref.slice(0, at), ref.slice(at + 1)) : undefined;
  }
  return id !== undefined && out.has(id) ? id : undefined;
}

function provenanceMetadata(m: StoredMessage): unknown {
  return {
    lode_id: m.id,
    ref: m.ref ?? null,
    kind: m.kind,
    dataset: m.dataset,
    platform: m.platform,
    provenance: { source_sha256: m.provenance.sourceSha256, source_path: m.provenance.sourcePath, line: m.provenance.line, offset: m.provenance.offset },
  };
}

function personFtmId(id: number): string {
  return ftmId('person', id);
}

function accountKey(a: AccountRef): string {
  return JSON.stringify([a.dataset, a.platform, a.handle]);
}

function isPhoneHandle(handle: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(handle);
}

function isEmailHandle(handle: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(handle);
}

/** Adds an entity with its non-empty, de-duplicated property values (FtM drops empty ones anyway). */
function put(out: Map<string, FtmEntity>, id: string, schema: (typeof FTM_SCHEMATA)[number], properties: Record<string, string[]>): void {
  const clean: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(properties)) {
    const kept = [...new Set(values.filter((v) => v !== ''))];
    if (kept.length) clean[name] = kept;
  }
  out.set(id, { id, schema, properties: clean });
}
