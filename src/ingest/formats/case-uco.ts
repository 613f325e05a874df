// CASE/UCO JSON-LD (caseontology.org), the exchange format of forensic tools: a graph of objects
// (messages, accounts, contacts, devices, calls) whose properties sit in facets and which refer to
// each other by "@id", forward as often as backward. A first pass keeps only the small identity
// facts (which @id is which account, application, thread); the second emits the records.
import type { AttachmentRef, Location, LodeRecord, ReadItem } from '../../model/records.ts';
import { isIsoTimestamp } from '../timestamps.ts';
import { FormatError, type FormatReader, type ReaderInput } from './format.ts';
import { excerptOf, isJsonObject, streamJson, type JsonEvent, type JsonObject, type JsonPath, type JsonValue, type Selection } from './json-stream.ts';

const FALLBACK_PLATFORM = 'case-uco';
/** Beyond these, message → thread and attachment facts are forgotten (bounded memory); messages then lose their thread. */
const MAX_THREADED_MESSAGES = 1_000_000;
const MAX_ATTACHMENT_FACTS = 200_000;
const MESSAGE_TYPES = ['Message', 'SMSMessage', 'MMSMessage', 'EmailMessage', 'MessageFacet', 'EmailMessageFacet'];
const ACCOUNT_TYPES = ['Account', 'ApplicationAccount', 'DigitalAccount', 'PhoneAccount', 'EmailAccount', 'MobileAccount', 'AccountFacet', 'ApplicationAccountFacet', 'PhoneAccountFacet', 'EmailAccountFacet', 'MobileAccountFacet', 'DigitalAccountFacet'];
const DEVICE_TYPES = ['Device', 'MobileDevice', 'DeviceFacet', 'MobileDeviceFacet'];
const CONTACT_TYPES = ['Contact', 'ContactFacet'];
const CALL_TYPES = ['Call', 'CallFacet'];
const THREAD_TYPES = ['MessageThread', 'MessageThreadFacet'];
const APPLICATION_TYPES = ['Application', 'ApplicationFacet'];

export const caseUco: FormatReader = {
  name: 'case-uco',
  description: 'CASE/UCO JSON-LD (messages, accounts, contacts, devices and calls of a forensic extraction)',
  detect: detectCaseUco,
  read: readCaseUco,
};

export function detectCaseUco(head: string): number {
  const text = head.replace(/^\ufeff/, '').trimStart();
  if (!text.startsWith('{') && !text.startsWith('[')) return 0;
  const isJsonLd = /"@(context|graph|id|type)"\s*:/.test(text);
  const isUco = /unifiedcyberontology\.org|caseontology\.org|"(uco-[a-z]+|observable|core|case-investigation):[A-Za-z]+"/.test(text);
  if (isJsonLd && isUco) return 0.95;
  return isJsonLd ? 0.2 : 0;
}

/** Property and type names without their prefix: `uco-observable:`, `observable:`, a full IRI or a prefix of @context. */
export function localName(name: string): string {
  return name.replace(/^.*[:/#]/, '');
}

/** An object with its facets folded in: every type it and its facets have, and their properties by local name. */
export type Flat = { id?: string; types: Set<string>; props: Map<string, JsonValue> };

export function flatten(object: JsonObject): Flat {
  const types = new Set(typesOf(object));
  const props = new Map<string, JsonValue>();
  const facets = ['hasFacet', 'facets', 'propertyBundle'].flatMap((name) => asList(propOf(object, name)));
  for (const facet of facets) {
    if (!isJsonObject(facet)) continue;
    for (const t of typesOf(facet)) types.add(t);
    for (const [key, value] of Object.entries(facet)) if (!key.startsWith('@')) setOnce(props, localName(key), value);
  }
  for (const [key, value] of Object.entries(object)) {
    if (!key.startsWith('@') && !['hasFacet', 'facets', 'propertyBundle'].includes(localName(key))) setOnce(props, localName(key), value);
  }
  const id = typeof object['@id'] === 'string' ? object['@id'] : undefined;
  return { id, types, props };
}

function setOnce(props: Map<string, JsonValue>, key: string, value: JsonValue): void {
  if (!props.has(key)) props.set(key, value);
}

function propOf(object: JsonObject, name: string): JsonValue | undefined {
  for (const [key, value] of Object.entries(object)) if (localName(key) === name) return value;
  return undefined;
}

function typesOf(object: JsonObject): string[] {
  return asList(object['@type']).flatMap((t) => (typeof t === 'string' ? [localName(t)] : []));
}

function asList(value: JsonValue | undefined): JsonValue[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function isA(flat: Flat, names: readonly string[]): boolean {
  return names.some((n) => flat.types.has(n));
}

/** A literal as text: plain values and typed literals ({"@value": ...}). */
export function literal(value: JsonValue | undefined): string | undefined {
  for (const v of asList(value)) {
    if (typeof v === 'string' && v.trim() !== '') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (isJsonObject(v) && v['@value'] !== undefined && v['@value'] !== null && !isJsonObject(v['@value'])) return String(v['@value']);
  }
  return undefined;
}

/** The @ids a property refers to (references, or inline objects that carry an @id). */
export function references(value: JsonValue | undefined): { id: string; node: JsonObject }[] {
  return asList(value).flatMap((v) => (isJsonObject(v) && typeof v['@id'] === 'string' ? [{ id: v['@id'], node: v }] : []));
}

type AccountFacts = {
  identifier?: string;
  emailRef?: string;
  application?: string;
  name?: string;
};

/** What the first pass learns: small, keyed by @id. */
export type Identities = {
  applications: Map<string, string>;
  accounts: Map<string, AccountFacts>;
  emailAddresses: Map<string, string>;
  organisations: Map<string, string>;
  /** An application an account was used with, learnt from its messages and calls. */
  usedWith: Map<string, string>;
  threads: Map<string, { name?: string; participants: string[] }>;
  threadOfMessage: Map<string, string>;
  attachmentsOf: Map<string, string[]>;
  attachmentFacts: Map<string, AttachmentRef>;
  contactRefs: Map<string, Set<string>>;
  contactAliases: Map<string, string | undefined>;
  /** Sources of Has_Account relationships: contacts whose accounts are named elsewhere. */
  accountHolders: Set<string>;
  devices: { id: string; lines: string[] }[];
};

function emptyIdentities(): Identities {
  return {
    applications: new Map(), accounts: new Map(), emailAddresses: new Map(), organisations: new Map(), usedWith: new Map(),
    threads: new Map(), threadOfMessage: new Map(), attachmentsOf: new Map(), attachmentFacts: new Map(),
    contactRefs: new Map(), contactAliases: new Map(), accountHolders: new Set(), devices: [],
  };
}

/** Objects of the graph: under @graph, under a bundle's uco-core:object, or the elements of a bare array. */
export function selectGraphObjects(path: JsonPath): Selection {
  const last = path.at(-1);
  const parent = path.at(-2);
  if (typeof last !== 'number') return undefined;
  if (path.length === 1) return 'value';
  return parent === '@graph' || (typeof parent === 'string' && localName(parent) === 'object') ? 'value' : undefined;
}

async function* graphObjects(path: string): AsyncGenerator<JsonEvent> {
  yield* streamJson(path, selectGraphObjects, { extractNested: true, locateContainers: true });
}

async function* readCaseUco(input: ReaderInput): AsyncGenerator<ReadItem> {
  const identities = await learnIdentities(input.path);
  const owner = deviceOwner(identities);
  let hasYielded = false;
  let last: Location = { line: 0, offset: -1 };
  let isGraph = false;
  for await (const event of graphObjects(input.path)) {
    if (event.kind === 'error') {
      if (event.fatal && !hasYielded) throw new FormatError(`not readable as CASE/UCO JSON-LD: ${event.reason}`);
      const location = isAfter(event.location, last) ? event.location : { line: last.line, offset: last.offset + 1 };
      last = location;
      yield { kind: 'malformed', location, reason: event.reason, excerpt: event.excerpt };
      continue;
    }
    if (event.kind !== 'value' || !isJsonObject(event.value)) continue;
    isGraph ||= event.value['@id'] !== undefined || event.value['@type'] !== undefined;
    for (const item of itemsOf(event, identities, owner)) {
      // a container whose nested objects were read first (an inline bundle) is placed at its end;
      // two records of one object at one spot are told apart by a byte inside that object
      let location = isAfter(item.location, last) ? item.location : event.end;
      if (!isAfter(location, last)) location = { line: last.line, offset: last.offset + 1 };
      last = location;
      hasYielded = true;
      yield { ...item, location };
    }
  }
  if (!isGraph) throw new FormatError('not CASE/UCO JSON-LD: no objects with "@id" or "@type" under "@graph", "uco-core:object" or a top-level array');
}

function isAfter(a: Location, b: Location): boolean {
  return a.line > b.line || (a.line === b.line && a.offset > b.offset);
}

/** Pass one: every object that says who is who, wherever it sits in the file. */
export async function learnIdentities(path: string): Promise<Identities> {
  const identities = emptyIdentities();
  for await (const event of graphObjects(path)) {
    if (event.kind !== 'value' || !isJsonObject(event.value)) continue;
    learnFrom(event.value, identities);
  }
  return identities;
}

function learnFrom(object: JsonObject, known: Identities): void {
  const flat = flatten(object);
  const id = flat.id;
  for (const nested of inlineObjects(flat)) learnFrom(nested, known);
  if (id === undefined) return;
  const p = flat.props;
  if (isA(flat, APPLICATION_TYPES)) {
    const name = literal(p.get('name')) ?? literal(p.get('applicationIdentifier'));
    if (name !== undefined) known.applications.set(id, name);
  }
  if (flat.types.has('Organization') || flat.types.has('Identity')) {
    const name = literal(p.get('name'));
    if (name !== undefined) known.organisations.set(id, name);
  }
  if (flat.types.has('EmailAddress') || flat.types.has('EmailAddressFacet')) {
    const value = literal(p.get('addressValue'));
    if (value !== undefined) known.emailAddresses.set(id, value);
  }
  if (isA(flat, ACCOUNT_TYPES)) {
    const email = p.get('emailAddress');
    known.accounts.set(id, {
      identifier: literal(p.get('accountIdentifier')) ?? literal(p.get('phoneNumber')) ?? literal(p.get('MSISDN')) ?? literal(email)
        ?? literal(p.get('value')) ?? literal(p.get('accountLogin')) ?? literal(p.get('IMSI')),
      emailRef: references(email)[0]?.id,
      application: references(p.get('application'))[0]?.id,
      name: literal(p.get('displayName')) ?? literal(p.get('name')),
    });
  }
  if (isA(flat, DEVICE_TYPES)) known.devices.push({ id, lines: references(p.get('MSISDN')).map((r) => r.id) });
  if (isA(flat, THREAD_TYPES)) {
    known.threads.set(id, { name: literal(p.get('displayName')) ?? literal(p.get('name')), participants: references(p.get('participant')).map((r) => r.id) });
    for (const message of threadMessages(flat)) {
      if (known.threadOfMessage.size < MAX_THREADED_MESSAGES) known.threadOfMessage.set(message, id);
    }
  }
  if (isA(flat, MESSAGE_TYPES) || isA(flat, CALL_TYPES)) {
    const application = references(p.get('application'))[0]?.id;
    if (application !== undefined) {
      for (const r of [...references(p.get('from')), ...references(p.get('to'))]) if (!known.usedWith.has(r.id)) known.usedWith.set(r.id, application);
    }
    const thread = references(p.get('messageThread'))[0]?.id;
    if (thread !== undefined && known.threadOfMessage.size < MAX_THREADED_MESSAGES) known.threadOfMessage.set(id, thread);
  }
  if (isA(flat, CONTACT_TYPES)) {
    known.contactRefs.set(id, new Set(contactReferences(flat)));
    known.contactAliases.set(id, aliasOf(flat));
  }
  const relationship = literal(p.get('kindOfRelationship'));
  if (relationship !== undefined) {
    const source = references(p.get('source'))[0]?.id;
    if (source !== undefined && /^attach/i.test(relationship)) {
      for (const target of references(p.get('target'))) known.attachmentsOf.set(target.id, [...(known.attachmentsOf.get(target.id) ?? []), source]);
    }
    if (source !== undefined && /^has_account$/i.test(relationship)) known.accountHolders.add(source);
  }
  const file = attachmentFacts(flat);
  if (file !== undefined && known.attachmentFacts.size < MAX_ATTACHMENT_FACTS) known.attachmentFacts.set(id, file);
}

/** Objects written inline where a reference could stand: they are objects of the graph too. */
function inlineObjects(flat: Flat): JsonObject[] {
  const found: JsonObject[] = [];
  for (const value of flat.props.values()) {
    for (const v of asList(value)) if (isJsonObject(v) && typeof v['@id'] === 'string' && Object.keys(v).some((k) => k !== '@id')) found.push(v);
  }
  return found;
}

function threadMessages(flat: Flat): string[] {
  const direct = references(flat.props.get('message')).map((r) => r.id);
  // UCO 1.x orders thread members as olo slots: messageThread.slot[].item
  const slots = asList(flat.props.get('messageThread') ?? flat.props.get('messages')).flatMap((thread) =>
    isJsonObject(thread) ? asList(propOf(thread, 'slot')).flatMap((slot) => (isJsonObject(slot) ? references(propOf(slot, 'item')).map((r) => r.id) : [])) : []);
  return [...direct, ...slots];
}

function attachmentFacts(flat: Flat): AttachmentRef | undefined {
  const p = flat.props;
  const name = literal(p.get('fileName')) ?? literal(p.get('fullValue')) ?? literal(p.get('filePath'));
  const hash = asList(p.get('hash')).find((h) => isJsonObject(h) && /sha-?256/i.test(literal(propOf(h, 'hashMethod')) ?? ''));
  const sha256 = isJsonObject(hash) ? literal(propOf(hash, 'hashValue'))?.toLowerCase() : undefined;
  const size = Number(literal(p.get('sizeInBytes')));
  const mime = literal(p.get('mimeType'));
  if (name === undefined && sha256 === undefined) return undefined;
  const ref: AttachmentRef = {};
  if (name !== undefined) ref.name = name;
  if (mime !== undefined) ref.mime = mime;
  if (sha256 !== undefined) ref.sha256 = sha256;
  if (Number.isFinite(size) && size >= 0) ref.sizeBytes = size;
  return ref;
}

/** Contact properties that name the contact's accounts. */
const CONTACT_PROPERTIES = ['phoneNumber', 'emailAddress', 'contactPhone', 'contactEmail', 'contactMessaging', 'contactPhoneNumber', 'account', 'screenName', 'contactURL'];
/** ContactPhone/ContactEmail/ContactMessaging objects wrap the account they name. */
const CONTACT_WRAPPED = ['contactPhoneNumber', 'contactEmailAddress', 'messagingAddress', 'contactMessagingPlatform'];

function contactReferences(flat: Flat): string[] {
  const ids: string[] = [];
  for (const name of CONTACT_PROPERTIES) {
    for (const r of references(flat.props.get(name))) {
      const inner = CONTACT_WRAPPED.flatMap((n) => references(propOf(r.node, n)));
      ids.push(...(inner.length > 0 ? inner.map((i) => i.id) : [r.id]));
    }
  }
  return ids;
}

function aliasOf(flat: Flat): string | undefined {
  const p = flat.props;
  const full = [literal(p.get('firstName')), literal(p.get('middleName')), literal(p.get('lastName'))].filter((x) => x !== undefined).join(' ');
  return literal(p.get('displayName')) ?? (full !== '' ? full : undefined) ?? literal(p.get('nickname')) ?? literal(p.get('name'));
}

/** The handle of an account (@id when it names nothing better). */
function handleOf(id: string, known: Identities): string | undefined {
  const account = known.accounts.get(id);
  if (account === undefined) return known.emailAddresses.get(id);
  return account.identifier ?? (account.emailRef === undefined ? undefined : known.emailAddresses.get(account.emailRef)) ?? id;
}

function platformOf(applicationId: string | undefined, known: Identities): string | undefined {
  if (applicationId === undefined) return undefined;
  const name = known.applications.get(applicationId);
  return name === undefined ? undefined : name.trim().toLowerCase();
}

function accountPlatform(id: string, known: Identities): string {
  return platformOf(known.accounts.get(id)?.application, known) ?? platformOf(known.usedWith.get(id), known) ?? FALLBACK_PLATFORM;
}

/** A single device in the file is the phone the extraction came from: its user owns the contact list. */
function deviceOwner(known: Identities): string | undefined {
  const device = known.devices.length === 1 ? known.devices[0]! : undefined;
  if (device === undefined) return undefined;
  const line = device.lines.find((id) => known.accounts.has(id));
  return line === undefined ? `device:${device.id}` : (handleOf(line, known) ?? line);
}

type Located = { kind: 'record'; record: LodeRecord; location: Location } | { kind: 'malformed'; location: Location; reason: string; excerpt: string };

/** Pass two: the records one graph object yields, in location order. */
export function itemsOf(event: Extract<JsonEvent, { kind: 'value' }>, known: Identities, owner: string | undefined): Located[] {
  const object = event.value as JsonObject;
  const flat = flatten(object);
  const at = (node: JsonObject): Location => event.containers.get(node) ?? event.location;
  const malformed = (reason: string): Located[] => [{ kind: 'malformed', location: event.location, reason, excerpt: excerptOf(object) }];
  const items: Located[] = [];
  if (isA(flat, MESSAGE_TYPES)) return messageOf(flat, event.location, known, malformed);
  if (isA(flat, CALL_TYPES)) return callOf(flat, event.location, known, malformed);
  if (isA(flat, DEVICE_TYPES)) items.push(...devicesOf(flat, event.location, known, at));
  else if (isA(flat, ACCOUNT_TYPES) && flat.id !== undefined) {
    const handle = handleOf(flat.id, known) ?? flat.id;
    items.push({ kind: 'record', location: event.location, record: { kind: 'account', platform: accountPlatform(flat.id, known), handle, name: known.accounts.get(flat.id)?.name, extra: extraOf(flat, ['accountIdentifier', 'displayName']) } });
  }
  if (isA(flat, THREAD_TYPES) && flat.id !== undefined) items.push(...groupOf(flat, event.location, known));
  if (isA(flat, CONTACT_TYPES)) items.push(...contactsOf(flat, event.location, known, owner, at, malformed));
  const relationship = literal(flat.props.get('kindOfRelationship'));
  if (relationship !== undefined && /^has_account$/i.test(relationship)) items.push(...relatedContacts(flat, event.location, known, owner));
  return items.sort((a, b) => a.location.line - b.location.line || a.location.offset - b.location.offset);
}

function messageOf(flat: Flat, location: Location, known: Identities, malformed: (reason: string) => Located[]): Located[] {
  const p = flat.props;
  const senderRef = references(p.get('from'))[0];
  if (senderRef === undefined) return malformed('message has no sender ("from")');
  const from = handleOf(senderRef.id, known);
  if (from === undefined) return malformed(`message sender ${senderRef.id} is not an account described in the file`);
  const flags: string[] = [];
  const to = references(p.get('to')).map((r) => {
    const handle = handleOf(r.id, known);
    if (handle === undefined) flags.push('recipient-unresolved');
    return handle ?? r.id;
  });
  const body = literal(p.get('messageText')) ?? literal(p.get('body')) ?? '';
  const attachments = (known.attachmentsOf.get(flat.id ?? '') ?? []).map((id) => known.attachmentFacts.get(id) ?? { name: id });
  if (body === '' && attachments.length === 0) return malformed('message has no text and no attachments');
  const platform = platformOf(references(p.get('application'))[0]?.id, known) ?? accountPlatform(senderRef.id, known);
  const rawTime = literal(p.get('sentTime')) ?? literal(p.get('receivedTime'));
  const ts = rawTime !== undefined && isIsoTimestamp(rawTime) ? rawTime : undefined;
  if (rawTime !== undefined && ts === undefined) flags.push('time-unreadable');
  const threadId = flat.id === undefined ? undefined : known.threadOfMessage.get(flat.id);
  const thread = threadId === undefined ? undefined : known.threads.get(threadId);
  let group: string | undefined;
  if (threadId !== undefined && thread !== undefined && isGroupThread(thread)) group = threadId;
  else if (thread !== undefined && to.length === 0) {
    to.push(...thread.participants.filter((id) => id !== senderRef.id).flatMap((id) => handleOf(id, known) ?? []));
  }
  const record: LodeRecord = {
    kind: 'message', platform, ref: flat.id, ts, from, to: [...new Set(to)], group, body,
    attachments: attachments.length > 0 ? attachments : undefined, flags: flags.length > 0 ? [...new Set(flags)] : undefined,
    extra: extraOf(flat, ['from', 'to', 'messageText', 'body', 'application', 'sentTime'], threadId === undefined ? {} : { thread: threadId }),
  };
  return [{ kind: 'record', record, location }];
}

function isGroupThread(thread: { participants: string[] }): boolean {
  return thread.participants.length > 2;
}

function groupOf(flat: Flat, location: Location, known: Identities): Located[] {
  const thread = known.threads.get(flat.id!);
  if (thread === undefined || !isGroupThread(thread)) return [];
  const members = thread.participants.flatMap((id) => handleOf(id, known) ?? []);
  const platform = accountPlatform(thread.participants[0]!, known);
  return [{ kind: 'record', location, record: { kind: 'group', platform, ref: flat.id!, name: thread.name, members } }];
}

function callOf(flat: Flat, location: Location, known: Identities, malformed: (reason: string) => Located[]): Located[] {
  const p = flat.props;
  const fromRef = references(p.get('from'))[0];
  const toRefs = references(p.get('to'));
  const caller = fromRef ?? toRefs[0];
  if (caller === undefined) return malformed('call has no participants ("from"/"to")');
  const account = handleOf(caller.id, known);
  if (account === undefined) return malformed(`call participant ${caller.id} is not an account described in the file`);
  const start = literal(p.get('startTime'));
  const fields: Record<string, unknown> = {
    to: toRefs.filter((r) => r !== caller).map((r) => handleOf(r.id, known) ?? r.id),
    direction: literal(p.get('callType')),
    duration: numberOrText(literal(p.get('duration'))),
    endTime: literal(p.get('endTime')),
    ...extraOf(flat, ['from', 'to', 'callType', 'duration', 'startTime', 'endTime', 'application']),
  };
  if (fromRef === undefined) fields.undirected = true;
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  const platform = platformOf(references(p.get('application'))[0]?.id, known) ?? accountPlatform(caller.id, known);
  const record: LodeRecord = { kind: 'event', platform, ref: flat.id, account, type: 'call', ts: start !== undefined && isIsoTimestamp(start) ? start : undefined, fields };
  return [{ kind: 'record', location, record }];
}

function devicesOf(flat: Flat, location: Location, known: Identities, at: (node: JsonObject) => Location): Located[] {
  const p = flat.props;
  const manufacturer = references(p.get('manufacturer'))[0];
  const device = { imei: literal(p.get('IMEI')), model: literal(p.get('model')) };
  const extra = extraOf(flat, ['IMEI', 'model', 'MSISDN', 'manufacturer'], manufacturer === undefined ? {} : { manufacturer: known.organisations.get(manufacturer.id) ?? manufacturer.id });
  const lines = references(p.get('MSISDN')).filter((r) => known.accounts.has(r.id));
  if (lines.length === 0) {
    return [{ kind: 'record', location, record: { kind: 'account', platform: FALLBACK_PLATFORM, handle: `device:${flat.id ?? device.imei ?? 'unknown'}`, device, extra } }];
  }
  return lines.map((r) => ({
    kind: 'record' as const, location: at(r.node),
    record: { kind: 'account' as const, platform: accountPlatform(r.id, known), handle: handleOf(r.id, known) ?? r.id, device, extra: { ...extra, device: flat.id } },
  }));
}

function contactsOf(flat: Flat, location: Location, known: Identities, owner: string | undefined, at: (node: JsonObject) => Location, malformed: (reason: string) => Located[]): Located[] {
  if (owner === undefined) return malformed('contact of an extraction that does not name exactly one device: whose contact it is is unknown');
  const alias = aliasOf(flat);
  const seen = new Set<string>();
  const items: Located[] = [];
  const written: string[] = [];
  for (const name of CONTACT_PROPERTIES) {
    for (const r of references(flat.props.get(name))) {
      const inner = CONTACT_WRAPPED.flatMap((n) => references(propOf(r.node, n)));
      for (const target of inner.length > 0 ? inner : [r]) {
        const handle = handleOf(target.id, known);
        if (handle === undefined || seen.has(handle)) continue;
        seen.add(handle);
        items.push({ kind: 'record', location: at(target.node), record: { kind: 'contact', platform: accountPlatform(target.id, known), owner, handle, alias, extra: { contact: flat.id } } });
      }
    }
    for (const value of asList(flat.props.get(name))) if (typeof value === 'string' && value.trim() !== '') written.push(value.trim());
  }
  // numbers written as plain text (no account object) share the contact's own location: one record, the rest in its extra
  const plain = written.filter((w) => !seen.has(w));
  if (plain.length > 0) {
    const extra: Record<string, unknown> = { contact: flat.id };
    if (plain.length > 1) extra.otherHandles = plain.slice(1);
    items.push({ kind: 'record', location, record: { kind: 'contact', platform: FALLBACK_PLATFORM, owner, handle: plain[0]!, alias, extra } });
  }
  if (items.length === 0 && !(flat.id !== undefined && known.accountHolders.has(flat.id))) return malformed('contact names no phone number, e-mail address or account');
  return items;
}

/** A Has_Account relationship from a contact to an account the contact's own facets did not name. */
function relatedContacts(flat: Flat, location: Location, known: Identities, owner: string | undefined): Located[] {
  const source = references(flat.props.get('source'))[0]?.id;
  if (source === undefined || owner === undefined || !known.contactRefs.has(source)) return [];
  const named = known.contactRefs.get(source)!;
  const targets = references(flat.props.get('target')).filter((t) => !named.has(t.id));
  const target = targets[0];
  if (target === undefined) return [];
  const handle = handleOf(target.id, known);
  if (handle === undefined) return [];
  return [{ kind: 'record', location, record: { kind: 'contact', platform: accountPlatform(target.id, known), owner, handle, alias: known.contactAliases.get(source), extra: { contact: source, relationship: flat.id } } }];
}

/** What a record does not map, kept under its local name; the object's @id and types always. */
function extraOf(flat: Flat, mapped: readonly string[], more: Record<string, unknown> = {}): Record<string, unknown> {
  const extra: Record<string, unknown> = { id: flat.id, types: [...flat.types], ...more };
  for (const [key, value] of flat.props) if (!mapped.includes(key)) extra[key] = value;
  if (extra.id === undefined) delete extra.id;
  return extra;
}

function numberOrText(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
}
