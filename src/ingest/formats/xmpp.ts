// XMPP archives (EncroChat ran on XMPP): XEP-0313 Message Archive Management results, plain
// message stanzas (a stream log, a root element around them, or stanzas simply concatenated)
// and XEP-0227 server exports (users, their rosters with the aliases they gave, their offline
// messages and archives). Each stanza is parsed on its own (xml-stream.ts), so a broken one is
// quarantined and the next one is read as usual.
import { createHash } from 'node:crypto';
import type { AccountRecord, AttachmentRef, ContactRecord, MessageRecord, ReadItem } from '../../model/records.ts';
import { isIsoTimestamp } from '../timestamps.ts';
import type { FormatReader, ReaderInput } from './format.ts';
import {
  childElement, childElements, excerptOf, parseXmlPiece, scanXml, textContent,
  type OpenElement, type XmlAncestor, type XmlElement, type XmlEvent,
} from './xml-stream.ts';

const PLATFORM = 'xmpp';
const NS_DELAY = 'urn:xmpp:delay';
const NS_LEGACY_DELAY = 'jabber:x:delay';
const NS_FORWARD = 'urn:xmpp:forward:0';
const NS_ROSTER = 'jabber:iq:roster';
const NS_MUC_USER = 'http://jabber.org/protocol/muc#user';
const NS_STANZA_ID = 'urn:xmpp:sid:0';
const NS_OOB = 'jabber:x:oob';
const STANZAS = new Set(['message', 'presence', 'iq']);
/** Children of a XEP-0227 <user> that hold records rather than being one. */
const USER_CONTAINERS = new Set(['offline-messages', 'archive']);
/** Elements of a message that the mapping reads; any other child is listed in extra.elements. */
const MAPPED_CHILDREN = new Set(['body', 'subject', 'thread', 'delay', 'stanza-id']);
const MAX_KEPT_XML_CHARS = 64 * 1024;

export const xmpp: FormatReader = {
  name: 'xmpp',
  description: 'XMPP archives: XEP-0313 (MAM) results, message stanzas, XEP-0227 server exports',
  detect(head, path) {
    const text = head.replace(/^\uFEFF/, '').trimStart();
    if (!text.startsWith('<')) return 0;
    if (/<server-data\b[^>]*urn:xmpp:pie:0/.test(head)) return 0.95;
    if (/urn:xmpp:mam:(?:[0-9]|tmp)/.test(head) && /<(?:\w+:)?forwarded\b/.test(head)) return 0.95;
    if (/<stream:stream\b/.test(head) && /jabber:(?:client|server)/.test(head)) return 0.9;
    if (/<message\b[^>]*\b(?:from|to)=/.test(head) && /<body[\s>]/.test(head)) return /\.xml$/i.test(path) ? 0.75 : 0.6;
    return 0;
  },
  read: readXmpp,
};

export function isMamNamespace(ns: string | undefined): boolean {
  return ns !== undefined && /^urn:xmpp:mam:(?:[0-9]+|tmp)$/.test(ns);
}

/** Where a record element sits in a XEP-0227 export: the user it belongs to. */
type UserScope = { handle: string; extra: Record<string, unknown> };

async function* readXmpp(input: ReaderInput): AsyncGenerator<ReadItem> {
  let user: UserScope | undefined;
  let userDepth = -1;
  for await (const batch of scanXml(input.path, { isPiece, cutsPiece })) for (const event of batch) {
    // a XEP-0227 user ends where an element outside it begins
    if (user && event.kind !== 'stray' && !isUnderUser(event.ancestors, userDepth)) {
      user = undefined;
      userDepth = -1;
    }
    if (event.kind === 'stray') {
      yield { kind: 'malformed', location: event.location, reason: event.reason ?? 'text outside any stanza', excerpt: event.excerpt };
    } else if (event.kind === 'open') {
      const opened = openUser(event);
      if (opened) {
        user = opened;
        userDepth = event.ancestors.length;
        yield { kind: 'record', record: accountOf(user), location: event.location };
      }
    } else {
      yield* readPiece(event, user);
    }
  }
}

function isUnderUser(ancestors: readonly XmlAncestor[], userDepth: number): boolean {
  return userDepth >= 0 && ancestors.length > userDepth && localName(ancestors[userDepth]!.name) === 'user';
}

function isPiece(name: string, attributesOf: () => Record<string, string>, ancestors: readonly XmlAncestor[]): boolean {
  const local = localName(name);
  if (STANZAS.has(local)) return true;
  const attributes = attributesOf();
  if (local === 'result' && isMamNamespace(attributes.xmlns)) return true;
  if (local === 'include' && attributes.href !== undefined) return true;
  const parent = ancestors[ancestors.length - 1];
  if (!parent) return false;
  const parentLocal = localName(parent.name);
  if (parentLocal === 'user' && isXep0227(ancestors)) {
    if (local === 'query' && attributes.xmlns === NS_ROSTER) return false;
    return !USER_CONTAINERS.has(local);
  }
  if (parentLocal === 'query' && parent.attributes.xmlns === NS_ROSTER) return local === 'item';
  return false;
}

/** A stanza may only begin inside another as the one message a <forwarded> wraps. */
function cutsPiece(name: string, inside: readonly OpenElement[]): boolean {
  const local = localName(name);
  const parent = inside[inside.length - 1];
  if (STANZAS.has(local)) {
    const isForwardedMessage = local === 'message' && parent !== undefined && localName(parent.name) === 'forwarded'
      && ![...parent.closedChildren].some((c) => localName(c) === 'message');
    return !isForwardedMessage;
  }
  return local === 'result' && inside.some((e) => localName(e.name) === 'result');
}

function isXep0227(ancestors: readonly XmlAncestor[]): boolean {
  return ancestors.some((a) => localName(a.name) === 'host') && ancestors.some((a) => localName(a.name) === 'server-data');
}

/** A XEP-0227 <user>: its account (the password is never kept, only that there was one). */
function openUser(event: Extract<XmlEvent, { kind: 'open' }>): UserScope | undefined {
  if (localName(event.name) !== 'user' || !isXep0227([...event.ancestors, { name: 'user', attributes: {} }])) return undefined;
  const host = [...event.ancestors].reverse().find((a) => localName(a.name) === 'host')?.attributes.jid;
  const name = event.attributes.name;
  if (host === undefined || name === undefined || name === '') return undefined;
  const extra: Record<string, unknown> = { hasPassword: (event.attributes.password ?? '') !== '' };
  for (const [key, value] of Object.entries(event.attributes)) {
    if (key !== 'name' && key !== 'password' && !key.startsWith('xmlns')) extra[key] = value;
  }
  return { handle: bareJid(`${name}@${host}`), extra };
}

function accountOf(user: UserScope): AccountRecord {
  return { kind: 'account', platform: PLATFORM, handle: user.handle, extra: { ...user.extra } };
}

function* readPiece(event: Extract<XmlEvent, { kind: 'piece' }>, user: UserScope | undefined): Generator<ReadItem> {
  const location = event.location;
  const malformed = (reason: string): ReadItem => ({ kind: 'malformed', location, reason, excerpt: excerptOf(event.text) });
  if (event.broken !== undefined) {
    yield malformed(`broken XML: ${event.broken}`);
    return;
  }
  const local = localName(event.name);
  if (local === 'include') {
    yield malformed(`refers to another file (XInclude href="${event.text.match(/href=["']([^"']*)/)?.[1] ?? ''}"): ingest that file as well`);
    return;
  }
  const parsed = parseXmlPiece(event.text, event.ancestors);
  if ('error' in parsed) {
    yield malformed(parsed.error);
    return;
  }
  const root = parsed.root;
  if (local === 'presence' || local === 'iq') return; // presence and IQ stanzas are not messages: see docs/FORMATS.md
  if (local === 'message' || local === 'result') {
    const result = messageOfPiece(root, user?.handle);
    if (result === undefined) return;
    if (typeof result === 'string') yield malformed(result);
    else yield { kind: 'record', record: withFlags(result, parsed.flags), location };
    return;
  }
  if (!user) return;
  if (local === 'item') {
    const contact = contactOfRosterItem(root, user.handle);
    yield typeof contact === 'string' ? malformed(contact) : { kind: 'record', record: contact, location };
    return;
  }
  yield { kind: 'record', record: accountWithElement(user, root, event.text), location };
}

/** The message a stanza or MAM result holds; undefined for stanzas without text (chat states, receipts). */
export function messageOfPiece(root: XmlElement, owner: string | undefined): MessageRecord | string | undefined {
  if (root.local === 'result') return messageOfMamResult(root, owner, undefined);
  const result = root.children.find((c) => c.local === 'result' && isMamNamespace(c.ns));
  if (result) return messageOfMamResult(result, owner, root);
  const carbon = root.children.find((c) => (c.local === 'received' || c.local === 'sent') && c.ns.startsWith('urn:xmpp:carbons:'));
  const forwarded = carbon && childElement(carbon, 'forwarded', NS_FORWARD);
  const inner = forwarded && childElement(forwarded, 'message');
  if (carbon && inner) return messageOfStanza(inner, { owner, delay: forwarded && childElement(forwarded, 'delay'), carbon: carbon.local });
  return messageOfStanza(root, { owner });
}

function messageOfMamResult(result: XmlElement, owner: string | undefined, wrapper: XmlElement | undefined): MessageRecord | string | undefined {
  const forwarded = childElement(result, 'forwarded');
  const inner = forwarded && childElement(forwarded, 'message');
  if (!forwarded || !inner) return 'MAM result without a forwarded message';
  return messageOfStanza(inner, {
    owner, delay: childElement(forwarded, 'delay'), archiveId: result.attributes.id, queryId: result.attributes.queryid,
    archiveNamespace: result.ns, archiveOwner: wrapper?.attributes.to,
  });
}

type StanzaContext = {
  owner?: string;
  delay?: XmlElement;
  archiveId?: string;
  queryId?: string;
  archiveNamespace?: string;
  /** Whom the MAM result was delivered to (the `to` of the wrapping message). */
  archiveOwner?: string;
  carbon?: string;
};

function messageOfStanza(stanza: XmlElement, context: StanzaContext): MessageRecord | string | undefined {
  const bodies = childElements(stanza, 'body');
  const body = bodies.find((b) => b.attributes['xml:lang'] === undefined) ?? bodies[0];
  const subject = childElement(stanza, 'subject');
  if (!body && !subject) return undefined;
  const type = stanza.attributes.type ?? 'normal';
  const from = stanza.attributes.from;
  const to = stanza.attributes.to;
  const extra: Record<string, unknown> = { type };
  const put = (key: string, value: unknown) => {
    if (value !== undefined && value !== '') extra[key] = value;
  };

  let sender: string;
  let group: string | undefined;
  if (type === 'groupchat') {
    if (from === undefined) return 'group chat message without a sender ("from")';
    // the room's own JID is the group; a participant is known by its occupant JID room/nick,
    // unless the room told its real account (non-anonymous rooms)
    group = bareJid(from);
    const nick = resourceOf(from);
    const realJid = mucRealJid(stanza);
    sender = realJid !== undefined ? bareJid(realJid) : nick !== undefined ? `${group}/${nick}` : group;
    put('nick', nick);
  } else {
    const fromHandle = from ?? context.owner;
    if (fromHandle === undefined) return 'message without a sender ("from")';
    sender = bareJid(fromHandle);
    put('fromResource', from === undefined ? undefined : resourceOf(from));
  }
  const recipients = to !== undefined ? [bareJid(to)] : type !== 'groupchat' && context.owner !== undefined && context.owner !== sender ? [context.owner] : [];
  put('toResource', to === undefined ? undefined : resourceOf(to));

  const stamp = delayStamp(stanza, context.delay);
  if (typeof stamp === 'object') return stamp.error;
  const id = stanza.attributes.id;
  const serverId = childElements(stanza, 'stanza-id', NS_STANZA_ID).find((s) => context.archiveOwner === undefined || s.attributes.by === undefined || sameBare(s.attributes.by, context.archiveOwner));
  const ref = context.archiveId ?? serverId?.attributes.id ?? (id !== undefined && id !== '' ? `${sender}#${id}` : undefined);

  put('id', id);
  put('archiveId', context.archiveId);
  put('archiveNamespace', context.archiveNamespace);
  put('queryId', context.queryId);
  put('stanzaId', serverId?.attributes.id);
  put('carbon', context.carbon);
  put('xmlLang', body?.attributes['xml:lang'] ?? stanza.attributes['xml:lang']);
  put('thread', childElement(stanza, 'thread')?.text);
  if (subject) put('subject', textContent(subject));
  const otherBodies = bodies.filter((b) => b !== body).map((b) => ({ lang: b.attributes['xml:lang'], text: textContent(b) }));
  if (otherBodies.length > 0) extra.otherBodies = otherBodies;
  const { attachments, urls } = outOfBandData(stanza);
  if (urls.length > 0) extra.oobUrls = urls;
  const unmapped = stanza.children.filter((c) => !MAPPED_CHILDREN.has(c.local) && !(c.local === 'x' && (c.ns === NS_OOB || c.ns === NS_LEGACY_DELAY || c.ns === NS_MUC_USER)));
  if (unmapped.length > 0) extra.elements = unmapped.map((c) => (c.ns === '' ? c.local : `${c.local} ${c.ns}`));

  return {
    kind: 'message', platform: PLATFORM, ref, ts: stamp, from: sender, to: recipients, group,
    // a subject change carries text but no body: its text is the subject
    body: body ? textContent(body) : textContent(subject!),
    attachments: attachments.length > 0 ? attachments : undefined,
    extra,
  };
}

/** The time of a stanza: the archive's delay, the stanza's own delay, or the legacy jabber:x:delay. */
function delayStamp(stanza: XmlElement, archiveDelay: XmlElement | undefined): string | undefined | { error: string } {
  const delay = archiveDelay ?? childElements(stanza, 'delay').find((d) => d.ns === NS_DELAY || d.ns === '');
  if (delay) {
    const stamp = delay.attributes.stamp;
    if (stamp === undefined) return undefined;
    return isIsoTimestamp(stamp) ? stamp : { error: `delay stamp "${stamp.slice(0, 40)}" is not an ISO 8601 time` };
  }
  const legacy = childElements(stanza, 'x', NS_LEGACY_DELAY)[0];
  const stamp = legacy?.attributes.stamp;
  if (stamp === undefined) return undefined;
  // XEP-0091: CCYYMMDDThh:mm:ss, always UTC
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2}:\d{2}:\d{2})$/.exec(stamp);
  const iso = m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}Z` : undefined;
  return iso !== undefined && isIsoTimestamp(iso) ? iso : { error: `legacy delay stamp "${stamp.slice(0, 40)}" is not a CCYYMMDDThh:mm:ss time` };
}

function mucRealJid(stanza: XmlElement): string | undefined {
  const x = childElements(stanza, 'x', NS_MUC_USER)[0];
  const jid = x && childElement(x, 'item')?.attributes.jid;
  return jid === undefined || jid === '' ? undefined : jid;
}

function outOfBandData(stanza: XmlElement): { attachments: AttachmentRef[]; urls: string[] } {
  const urls = childElements(stanza, 'x', NS_OOB).map((x) => (childElement(x, 'url') ? textContent(childElement(x, 'url')!).trim() : '')).filter((u) => u !== '');
  const attachments = urls.map((url) => ({ name: decodeURIComponentSafely(url.split(/[?#]/)[0]!.split('/').pop() ?? '') || undefined }));
  return { attachments, urls };
}

function contactOfRosterItem(item: XmlElement, owner: string): ContactRecord | string {
  const jid = item.attributes.jid;
  if (jid === undefined || jid.trim() === '') return 'roster item without a jid';
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item.attributes)) {
    if (key !== 'jid' && key !== 'name' && !key.startsWith('xmlns')) extra[key] = value;
  }
  const groups = childElements(item, 'group').map(textContent);
  if (groups.length > 0) extra.groups = groups;
  const resource = resourceOf(jid);
  if (resource !== undefined) extra.resource = resource;
  const name = item.attributes.name;
  return {
    kind: 'contact', platform: PLATFORM, owner, handle: bareJid(jid), alias: name === undefined || name === '' ? undefined : name,
    extra: Object.keys(extra).length > 0 ? extra : undefined,
  };
}

/**
 * Another element of a XEP-0227 user (vCard, private storage, PEP nodes, credentials): the
 * account again with that element added to its extra (the store keeps the latest extra, so
 * each record carries everything read of the user so far). Credentials only set hasPassword.
 */
function accountWithElement(user: UserScope, element: XmlElement, xml: string): AccountRecord {
  let name: string | undefined;
  if (/^(scram-credentials|password|scram)$/i.test(element.local)) {
    user.extra.hasPassword = true;
  } else if (element.local.toLowerCase() === 'vcard') {
    const vcard = flattenVcard(element);
    user.extra.vcard = vcard;
    const fn = vcard.FN ?? vcard.NICKNAME;
    name = typeof fn === 'string' && fn.trim() !== '' ? fn.trim() : undefined;
  } else {
    const key = element.ns === '' ? element.local : `${element.local} ${element.ns}`;
    user.extra[key] = xml.length > MAX_KEPT_XML_CHARS ? `${xml.slice(0, MAX_KEPT_XML_CHARS)}… (${xml.length} characters)` : xml;
  }
  return { ...accountOf(user), name };
}

/** vCard fields as path → text; a photo's BINVAL becomes its SHA-256 and size. */
function flattenVcard(vcard: XmlElement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (element: XmlElement, path: string) => {
    for (const child of element.children) {
      const key = path === '' ? child.local : `${path}/${child.local}`;
      if (child.local === 'BINVAL') {
        const bytes = Buffer.from(textContent(child).replace(/\s+/g, ''), 'base64');
        out[key] = { sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length };
      } else if (child.children.length > 0) {
        walk(child, key);
      } else {
        const text = child.text.trim();
        const previous = out[key];
        if (previous === undefined) out[key] = text;
        else out[key] = Array.isArray(previous) ? [...previous, text] : [previous, text];
      }
    }
  };
  walk(vcard, '');
  return out;
}

function withFlags(record: MessageRecord, flags: readonly string[]): MessageRecord {
  return flags.length > 0 ? { ...record, flags: [...(record.flags ?? []), ...flags] } : record;
}

/** local@domain without the resource; the local part and the domain lower-cased (nodeprep and nameprep, simplified). */
export function bareJid(jid: string): string {
  const trimmed = jid.trim();
  const slash = trimmed.indexOf('/');
  const bare = slash === -1 ? trimmed : trimmed.slice(0, slash);
  return bare.toLowerCase();
}

function resourceOf(jid: string): string | undefined {
  const slash = jid.indexOf('/');
  return slash === -1 || slash === jid.length - 1 ? undefined : jid.slice(slash + 1);
}

function sameBare(a: string, b: string): boolean {
  return bareJid(a) === bareJid(b);
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

function decodeURIComponentSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

