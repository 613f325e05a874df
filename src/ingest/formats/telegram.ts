// Telegram Desktop exports (result.json): one chat ("Export chat history") or the whole account
// ("Export Telegram data": personal information, contacts, every chat). The file is one JSON
// document that can be gigabytes long, so it is streamed and each message is read on its own.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import type { AttachmentRef, Location, LodeRecord, ReadItem } from '../../model/records.ts';
import { isIsoTimestamp } from '../timestamps.ts';
import { FormatError, type FormatReader, type ReaderInput } from './format.ts';
import { excerptOf, isJsonObject, streamJson, type JsonEvent, type JsonObject, type JsonPath, type JsonValue, type Selection } from './json-stream.ts';

const PLATFORM = 'telegram';
const NOT_INCLUDED = /^\(File not included/;
/** Chat types whose messages go to every member: stored as a group, not a two-party conversation. */
const GROUP_TYPES = new Set(['private_group', 'private_supergroup', 'public_supergroup', 'private_channel', 'public_channel', 'supergroup', 'channel', 'group']);
const CHANNEL_TYPES = new Set(['private_channel', 'public_channel', 'channel']);
const CALL_ACTIONS = new Set(['phone_call', 'group_call']);
/** Fields that become the record itself; every other field of a message is kept as `extra`. */
const MAPPED_FIELDS = new Set(['id', 'date', 'date_unixtime', 'from', 'from_id', 'actor', 'actor_id', 'text', 'text_entities']);
const MIME_BY_EXTENSION: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.gif': 'image/gif',
  '.mp4': 'video/mp4', '.webm': 'video/webm', '.mov': 'video/quicktime', '.ogg': 'audio/ogg', '.oga': 'audio/ogg',
  '.opus': 'audio/opus', '.mp3': 'audio/mpeg', '.m4a': 'audio/mp4', '.pdf': 'application/pdf', '.tgs': 'application/x-tgsticker',
  '.vcf': 'text/vcard', '.zip': 'application/zip', '.txt': 'text/plain',
};

export const telegram: FormatReader = {
  name: 'telegram',
  description: 'Telegram Desktop export (result.json of one chat or of the whole account)',
  detect: detectTelegram,
  read: readTelegram,
};

export function detectTelegram(head: string): number {
  const text = head.replace(/^\ufeff/, '').trimStart();
  if (!text.startsWith('{')) return 0;
  const hasMessages = /"messages"\s*:\s*\[/.test(text);
  const hasMessageKeys = /"(date_unixtime|from_id|text_entities|actor_id)"\s*:/.test(text);
  const hasChatType = /"type"\s*:\s*"(personal_chat|bot_chat|saved_messages|private_group|private_supergroup|public_supergroup|private_channel|public_channel)"/.test(text);
  const isFullExport = /"personal_information"\s*:\s*\{/.test(text) || /"chats"\s*:\s*\{\s*"about"/.test(text);
  if (isFullExport) return 0.95;
  if (hasMessages && (hasMessageKeys || hasChatType)) return 0.95;
  if (hasMessages) return 0.3;
  return 0;
}

/** What is known about the chat being read: its header fields come before its messages. */
export type Chat = { location: Location; id?: string; name?: string; type?: string; isGroupEmitted: boolean };

type Context = {
  exportDir: string;
  owner?: string;
  seenAccounts: Set<string>;
  chat?: Chat;
};

type Located = { record: LodeRecord; location: Location };

async function* readTelegram(input: ReaderInput): AsyncGenerator<ReadItem> {
  const context: Context = { exportDir: dirname(resolve(input.path)), owner: await findSingleChatOwner(input.path), seenAccounts: new Set() };
  let hasYielded = false;
  let isTelegram = false;
  for await (const event of streamJson(input.path, selectTelegramParts)) {
    if (event.kind === 'error') {
      if (event.fatal && !hasYielded && !isTelegram) throw new FormatError(`not a readable Telegram export: ${event.reason}`);
      yield { kind: 'malformed', location: event.location, reason: event.reason, excerpt: event.excerpt };
      hasYielded = true;
      continue;
    }
    if (event.path.length > 0) isTelegram ||= isTelegramKey(event.path);
    for (const item of await itemsOf(event, context)) {
      hasYielded = true;
      yield item;
    }
  }
  if (!isTelegram) throw new FormatError('not a Telegram export: the JSON holds no "messages", "chats" or "personal_information"');
}

function isTelegramKey(path: JsonPath): boolean {
  return ['messages', 'chats', 'left_chats', 'personal_information', 'contacts'].includes(String(path[0]));
}

/** The parts of the document the reader needs; everything else streams past unassembled. */
export function selectTelegramParts(path: JsonPath): Selection {
  const [first, second, , fourth] = path;
  switch (path.length) {
    case 0:
      return 'mark';
    case 1:
      if (first === 'messages') return 'mark';
      return first === 'name' || first === 'type' || first === 'id' || first === 'personal_information' ? 'value' : undefined;
    case 2:
      return first === 'messages' ? 'value' : undefined;
  }
  if (second !== 'list') return undefined;
  if (first === 'contacts') return path.length === 3 ? 'value' : undefined;
  if (first !== 'chats' && first !== 'left_chats') return undefined;
  if (path.length === 3) return 'mark';
  if (path.length === 4) return fourth === 'messages' ? 'mark' : fourth === 'name' || fourth === 'type' || fourth === 'id' ? 'value' : undefined;
  return path.length === 5 && fourth === 'messages' ? 'value' : undefined;
}

/** Where an event sits in the export: the root chat, a chat of the list, or neither. */
function chatPathLength(path: JsonPath): number | undefined {
  if (path[0] === 'chats' || path[0] === 'left_chats') return path[1] === 'list' && path.length >= 3 ? 3 : undefined;
  return 0;
}

async function itemsOf(event: Exclude<JsonEvent, { kind: 'error' }>, context: Context): Promise<ReadItem[]> {
  const depth = chatPathLength(event.path);
  if (event.kind === 'open') {
    if (depth === event.path.length) context.chat = { location: event.location, isGroupEmitted: false };
    else if (event.path.at(-1) === 'messages') return groupOf(context);
    return [];
  }
  if (event.kind === 'close') {
    // a chat without a "messages" list still names a group
    return depth === event.path.length && depth !== 0 ? groupOf(context) : [];
  }
  if (event.path[0] === 'personal_information') return ownerOf(event.value, event.location, context);
  if (event.path[0] === 'contacts') return [contactOf(event.value, event.location, context)];
  const key = event.path.at(-1);
  if (depth !== undefined && event.path.length === depth + 1 && context.chat) {
    if (key === 'id' && (typeof event.value === 'number' || typeof event.value === 'string')) context.chat.id = String(event.value);
    else if (key === 'name' && typeof event.value === 'string') context.chat.name = event.value;
    else if (key === 'type' && typeof event.value === 'string') context.chat.type = event.value;
    return [];
  }
  if (event.path.at(-2) === 'messages') return messageItems(event, context);
  return [];
}

function groupOf(context: Context): ReadItem[] {
  const chat = context.chat;
  if (!chat || chat.isGroupEmitted || chat.id === undefined || !isGroupChat(chat)) return [];
  chat.isGroupEmitted = true;
  const record: LodeRecord = {
    kind: 'group', platform: PLATFORM, ref: groupRef(chat.id), name: chat.name, members: [],
    extra: chat.type === undefined ? undefined : { type: chat.type },
  };
  return [{ kind: 'record', record, location: chat.location }];
}

function isGroupChat(chat: Chat): boolean {
  return chat.type !== undefined && GROUP_TYPES.has(chat.type);
}

function groupRef(chatId: string): string {
  return `telegram:${chatId}`;
}

function ownerOf(value: JsonValue, location: Location, context: Context): ReadItem[] {
  if (!isJsonObject(value)) return [{ kind: 'malformed', location, reason: '"personal_information" is not an object', excerpt: excerptOf(value) }];
  const userId = idText(value.user_id);
  if (userId === undefined) return [{ kind: 'malformed', location, reason: '"personal_information" has no user_id: the export\'s owner is unknown', excerpt: excerptOf(value) }];
  const handle = `user${userId}`;
  context.owner = handle;
  context.seenAccounts.add(handle);
  const { user_id: _id, first_name: _first, last_name: _last, ...rest } = value;
  const record: LodeRecord = { kind: 'account', platform: PLATFORM, handle, name: fullName(value), extra: nonEmpty(rest) };
  return [{ kind: 'record', record, location }];
}

function contactOf(value: JsonValue, location: Location, context: Context): ReadItem {
  const malformed = (reason: string): ReadItem => ({ kind: 'malformed', location, reason, excerpt: excerptOf(value) });
  if (!isJsonObject(value)) return malformed('contact is not an object');
  const userId = idText(value.user_id);
  const phone = typeof value.phone_number === 'string' && value.phone_number.trim() !== '' ? value.phone_number.trim() : undefined;
  // user_id 0 is what old exports wrote for a phone-book entry without a Telegram account
  const handle = userId !== undefined && userId !== '0' ? `user${userId}` : phone;
  if (handle === undefined) return malformed('contact has neither a user_id nor a phone_number');
  if (context.owner === undefined) return malformed('contact list without "personal_information": whose contacts these are is unknown');
  const { user_id: _id, first_name: _first, last_name: _last, ...rest } = value;
  const record: LodeRecord = { kind: 'contact', platform: PLATFORM, owner: context.owner, handle, alias: fullName(value), extra: nonEmpty(rest) };
  return { kind: 'record', record, location };
}

async function messageItems(event: Extract<JsonEvent, { kind: 'value' }>, context: Context): Promise<ReadItem[]> {
  const malformed = (reason: string): ReadItem[] => [{ kind: 'malformed', location: event.location, reason, excerpt: excerptOf(event.value) }];
  const chat = context.chat;
  if (!chat || chat.id === undefined) return malformed('message of a chat without an "id" before its messages: its reference cannot be made');
  const message = event.value;
  if (!isJsonObject(message)) return malformed('message is not an object');
  const parsed = parseMessage(message, chat, context);
  if (typeof parsed === 'string') return malformed(parsed);
  const located: Located[] = [{ record: parsed.message, location: event.location }];
  const senderField = ['from_id', 'actor_id', 'from', 'actor'].find((f) => event.fields.has(f));
  if (senderField !== undefined && !parsed.isSenderInferred && !context.seenAccounts.has(parsed.message.from)) {
    context.seenAccounts.add(parsed.message.from);
    const name = typeof message.from === 'string' ? message.from : typeof message.actor === 'string' ? message.actor : undefined;
    located.push({ record: { kind: 'account', platform: PLATFORM, handle: parsed.message.from, name }, location: event.fields.get(senderField)! });
  }
  if (parsed.call) located.push({ record: parsed.call, location: event.fields.get('action') ?? event.end });
  parsed.message.attachments = await Promise.all(parsed.attachments.map((a) => describeAttachment(a, context.exportDir)));
  if (parsed.message.attachments.length === 0) delete parsed.message.attachments;
  located.sort((a, b) => a.location.line - b.location.line || a.location.offset - b.location.offset);
  return located.map(({ record, location }) => ({ kind: 'record', record, location }));
}

type ParsedMessage = {
  message: Extract<LodeRecord, { kind: 'message' }>;
  call?: LodeRecord;
  attachments: PendingAttachment[];
  isSenderInferred: boolean;
};

type PendingAttachment = { path?: string; name?: string; mime?: string };

/** A message object as a record, or why it cannot be one. Pure apart from the chat it is in. */
export function parseMessage(message: JsonObject, chat: Chat, context: Pick<Context, 'owner'>): ParsedMessage | string {
  const id = idText(message.id);
  if (id === undefined) return 'message has no usable "id"';
  const ts = timeOf(message);
  if (ts === undefined) return `message ${id} has no usable "date"${message.date === undefined ? '' : ` (${excerptOf(message.date, 40)})`}`;
  const isService = message.type === 'service';
  const senderId = handleOf(message.from_id) ?? handleOf(message.actor_id);
  const isSenderInferred = senderId === undefined;
  const from = senderId ?? (chat.type !== undefined && CHANNEL_TYPES.has(chat.type) ? `channel${chat.id}` : 'unknown');
  const flags: string[] = [];
  if (isService) flags.push('telegram-service');
  if (isSenderInferred) flags.push(from === 'unknown' ? 'sender-unknown' : 'sender-inferred');
  const isGroup = isGroupChat(chat);
  const to = isGroup ? [] : recipientsOf(from, chat, context.owner);
  const { text, entities } = textOf(message.text ?? message.text_entities);
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message)) if (!MAPPED_FIELDS.has(key)) extra[key] = value;
  if (entities.length > 0) extra.entities = entities;
  if (typeof message.from === 'string' || typeof message.actor === 'string') extra.from_name = message.from ?? message.actor;
  if (message.reply_to_message_id !== undefined) extra.reply_to_ref = `${chat.id}:${idText(message.reply_to_message_id) ?? ''}`;
  if (message.date !== undefined && message.date_unixtime !== undefined) extra.local_date = message.date;
  const ref = `${chat.id}:${id}`;
  const record: ParsedMessage['message'] = {
    kind: 'message', platform: PLATFORM, ref, ts, from, to, group: isGroup ? groupRef(chat.id!) : undefined,
    body: text === '' ? pollText(message.poll) : text, flags: flags.length > 0 ? flags : undefined, extra: nonEmpty(extra),
  };
  const parsed: ParsedMessage = { message: record, attachments: attachmentsOf(message), isSenderInferred };
  if (isService && typeof message.action === 'string' && CALL_ACTIONS.has(message.action)) {
    const fields: Record<string, unknown> = { chat: chat.id, action: message.action, to: isGroup ? groupRef(chat.id!) : to };
    for (const key of ['duration_seconds', 'discard_reason', 'title']) if (message[key] !== undefined) fields[key] = message[key];
    parsed.call = { kind: 'event', platform: PLATFORM, ref, account: from, type: 'call', ts, fields };
  }
  return parsed;
}

function recipientsOf(from: string, chat: Chat, owner: string | undefined): string[] {
  if (chat.type === 'saved_messages') return [from];
  const other = `user${chat.id}`;
  if (from !== other) return [other];
  return owner === undefined ? [] : [owner];
}

/** Epoch seconds (`date_unixtime`) are UTC; the older `date` alone is the exporter's local time. */
function timeOf(message: JsonObject): string | undefined {
  const unix = message.date_unixtime;
  if ((typeof unix === 'string' && /^\d{1,12}$/.test(unix)) || (typeof unix === 'number' && Number.isSafeInteger(unix) && unix >= 0)) {
    return new Date(Number(unix) * 1000).toISOString().replace('.000Z', 'Z');
  }
  const date = message.date;
  return typeof date === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(date) && isIsoTimestamp(date) ? date : undefined;
}

/** "user123", "channel456" as they are; the bare numbers of old exports are users. */
export function handleOf(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return `user${value}`;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return /^\d+$/.test(value.trim()) ? `user${value.trim()}` : value.trim();
}

function idText(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return value;
  return undefined;
}

type Entity = { type: string; text: string; href?: string };

/** `text` is a string, or an array of strings and typed parts (links, mentions, bold...). */
export function textOf(value: JsonValue | undefined): { text: string; entities: Entity[] } {
  if (typeof value === 'string') return { text: value, entities: [] };
  if (!Array.isArray(value)) return { text: '', entities: [] };
  let text = '';
  const entities: Entity[] = [];
  for (const part of value) {
    if (typeof part === 'string') {
      text += part;
    } else if (isJsonObject(part) && typeof part.text === 'string') {
      text += part.text;
      const type = typeof part.type === 'string' ? part.type : 'unknown';
      if (type !== 'plain') entities.push(typeof part.href === 'string' ? { type, text: part.text, href: part.href } : { type, text: part.text });
    }
  }
  return { text, entities };
}

/** A poll has no text of its own: its question and answers are what a search should find. */
function pollText(poll: JsonValue | undefined): string {
  if (!isJsonObject(poll) || typeof poll.question !== 'string') return '';
  const answers = Array.isArray(poll.answers) ? poll.answers.flatMap((a) => (isJsonObject(a) && typeof a.text === 'string' ? [a.text] : [])) : [];
  return [poll.question, ...answers].join('\n');
}

function attachmentsOf(message: JsonObject): PendingAttachment[] {
  const found: PendingAttachment[] = [];
  const mime = typeof message.mime_type === 'string' ? message.mime_type : undefined;
  const fileName = typeof message.file_name === 'string' ? message.file_name : undefined;
  if (typeof message.photo === 'string') found.push(pending(message.photo, undefined, 'image/jpeg'));
  if (typeof message.file === 'string') found.push(pending(message.file, fileName, mime));
  else if (fileName !== undefined) found.push({ name: fileName, mime });
  if (typeof message.contact_vcard === 'string') found.push(pending(message.contact_vcard, undefined, 'text/vcard'));
  return found;
}

function pending(path: string, name: string | undefined, mime: string | undefined): PendingAttachment {
  if (NOT_INCLUDED.test(path)) return { name, mime };
  return { path, name: name ?? basename(path), mime: mime ?? MIME_BY_EXTENSION[extname(path).toLowerCase()] };
}

/** Size and SHA-256 of an exported media file beside result.json (never outside its folder). */
async function describeAttachment(attachment: PendingAttachment, exportDir: string): Promise<AttachmentRef> {
  const ref: AttachmentRef = {};
  if (attachment.name !== undefined) ref.name = attachment.name;
  if (attachment.mime !== undefined) ref.mime = attachment.mime;
  if (attachment.path === undefined) return ref;
  const full = resolve(exportDir, attachment.path);
  const inside = relative(exportDir, full);
  if (inside.startsWith('..') || isAbsolute(inside)) return ref;
  const info = await stat(full).catch(() => undefined);
  if (!info?.isFile()) return ref;
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(full, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  } catch {
    return ref;
  }
  return { ...ref, sha256: hash.digest('hex'), sizeBytes: info.size };
}

function fullName(value: JsonObject): string | undefined {
  const parts = [value.first_name, value.last_name].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function nonEmpty(value: Record<string, unknown>): Record<string, unknown> | undefined {
  return Object.keys(value).length > 0 ? value : undefined;
}

/**
 * In a one-chat export of a personal chat the exporting user is not named anywhere: they are the
 * sender who is not the chat's other party. Reads only until that sender (or a full export's
 * `personal_information`, or a chat that is not personal) turns up.
 */
async function findSingleChatOwner(path: string): Promise<string | undefined> {
  let chatId: string | undefined;
  const select = (p: JsonPath): Selection => {
    if (p.length === 1) return p[0] === 'chats' ? 'mark' : p[0] === 'id' || p[0] === 'type' || p[0] === 'personal_information' ? 'value' : undefined;
    return p.length === 2 && p[0] === 'messages' ? 'value' : undefined;
  };
  for await (const event of streamJson(path, select)) {
    if (event.kind === 'error') return undefined;
    if (event.kind === 'open') return undefined;
    if (event.kind !== 'value') continue;
    const [key] = event.path;
    if (key === 'personal_information' || key === 'chats') return undefined;
    if (key === 'type' && event.value !== 'personal_chat') return undefined;
    if (key === 'id') chatId = idText(event.value);
    if (key === 'messages' && chatId !== undefined && isJsonObject(event.value)) {
      const sender = handleOf(event.value.from_id) ?? handleOf(event.value.actor_id);
      if (sender !== undefined && sender !== `user${chatId}`) return sender;
    }
  }
  return undefined;
}
