// WhatsApp chat exports (.txt; `_chat.txt` inside iOS zips): Android ("01/04/2020, 12:34 -
// Name: text") and iOS ("[01/04/2020, 12:34:56] Name: text") layouts in many locales. Two
// passes: the first decides the file's day/month order and its participants, the second yields
// one message per timestamp header (continuation lines belong to it), system notices included.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { AttachmentRef, Location, MessageRecord, ReadItem } from '../../model/records.ts';
import { readLines } from '../lines.ts';
import type { FormatReader, ReaderInput } from './format.ts';
import { DateOrderEvidence, localTime, parseHeaderLine, type DateOrder, type DateOrderDecision, type HeaderLine } from './whatsapp-lines.ts';
import {
  hasMarks, mimeOfName, mimeOfOmitted, recogniseDeletedMessage, recogniseMedia, recogniseNotice, startsWithMark, stripMarks,
  type ExportLanguage, type Media, type Notice,
} from './whatsapp-notices.ts';

const PLATFORM = 'whatsapp';
const SYSTEM_SENDER = 'system';
const EXCERPT_CHARS = 300;
/** A message body longer than this is cut: what follows is quarantined, not buffered. */
const MAX_BODY_CHARS = 1 << 20;
/** WhatsApp groups hold at most 1024 members; a garbled file must not grow this without bound. */
const MAX_PARTICIPANTS = 2048;
/** Malformed lines met inside one open message, kept until the message is yielded. */
const MAX_DEFERRED = 1000;

export const whatsapp: FormatReader = {
  name: 'whatsapp',
  description: 'WhatsApp chat export (.txt, Android and iOS, many locales)',
  detect: detectWhatsApp,
  read: readWhatsApp,
};

/** What one timestamp header line is. Both passes classify headers with this one function. */
export type Entry =
  | { kind: 'message'; sender: string; text: string; media?: Media; deleted?: Notice }
  | { kind: 'notice'; text: string; notice?: Notice; shownAs?: string }
  | { kind: 'invalid'; reason: string };

const QUOTES = /["“”„«»‘’']/u;

export function classifyEntry(header: HeaderLine): Entry {
  const rest = header.rest;
  // most lines hold no bidi marks at all: strip (three times) only when there are some
  const strip = hasMarks(rest) ? stripMarks : (text: string) => text;
  const clean = strip(rest).trim();
  if (clean === '') return { kind: 'invalid', reason: 'a timestamp with no sender and no text' };
  const colon = senderColon(rest);
  // a notice never has "Name: " in front, unless a quoted group name holds a colon; iOS leads
  // its notices with U+200E (U+202A, by contrast, opens a phone number shown as a sender)
  if (colon === -1 || rest.charCodeAt(0) === 0x200e || QUOTES.test(rest.slice(0, colon))) {
    const notice = recogniseNotice(clean);
    if (notice) return { kind: 'notice', text: rest, notice };
    if (colon === -1) return { kind: 'notice', text: rest };
  }
  const sender = strip(rest.slice(0, colon)).trim();
  if (sender === '') return { kind: 'invalid', reason: 'a message with an empty sender name' };
  const text = rest.slice(colon + 2);
  const cleanText = strip(text).trim();
  const media = recogniseMedia(firstLineOf(cleanText));
  if (media) return { kind: 'message', sender, text, media };
  // iOS writes notices after the chat's name, the text led by U+200E: "Zuid Crew: ‎Alice left"
  const notice = header.layout === 'ios' && startsWithMark(text) ? recogniseNotice(cleanText) : recogniseDeletedMessage(cleanText);
  if (notice?.kind === 'deleted') return { kind: 'message', sender, text, deleted: notice };
  if (notice) return { kind: 'notice', text, notice, shownAs: sender };
  return { kind: 'message', sender, text };
}

function senderColon(rest: string): number {
  const index = rest.indexOf(': ');
  if (index !== -1) return index;
  return rest.endsWith(':') ? rest.length - 1 : -1;
}

function firstLineOf(text: string): string {
  const newline = text.indexOf('\n');
  return newline === -1 ? text : text.slice(0, newline);
}

function languageOf(entry: Entry): ExportLanguage | undefined {
  if (entry.kind === 'message') return entry.media?.language ?? entry.deleted?.language;
  if (entry.kind === 'notice') return entry.notice?.language;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// detection

function detectWhatsApp(head: string, path: string): number {
  const all = head.replace(/^\ufeff/, '').split('\n');
  // the last line of the head may be cut anywhere; it is not counted against the file
  if (all.length > 1 && !head.endsWith('\n')) all.pop();
  const complete = all.map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '').slice(0, 30);
  if (complete.length === 0) return 0;
  const headers = complete.filter((l) => {
    const header = parseHeaderLine(l);
    return header !== undefined && classifyEntry(header).kind !== 'invalid';
  }).length;
  if (headers === 0) return 0;
  const isNamedLikeAnExport = /\.txt$/i.test(path) || chatNameOfPath(path) !== undefined;
  const startsWithHeader = complete.length > 0 && parseHeaderLine(complete[0]!) !== undefined;
  if (startsWithHeader && headers >= Math.min(2, complete.length)) return isNamedLikeAnExport ? 0.95 : 0.85;
  if (headers >= 2) return isNamedLikeAnExport ? 0.7 : 0.6;
  return 0.3;
}

// ---------------------------------------------------------------------------------------------
// pass 1: what the whole file says about itself

type Survey = {
  decision: DateOrderDecision;
  language?: ExportLanguage;
  /** Distinct senders of people's messages, in order of first appearance. */
  senders: string[];
  /** Names that acted in notices (created, added, left...) but may never have written. */
  actors: string[];
  hasGroupEvent: boolean;
  /** The group's latest subject, from "created group ..." or "changed the subject to ...". */
  subject?: string;
  /** The chat's name as iOS shows it in front of its notices. */
  shownName?: string;
  isParticipantListCut: boolean;
  lastLine: number;
};

async function surveyExport(path: string): Promise<Survey> {
  const evidence = new DateOrderEvidence();
  const senders = new Set<string>();
  const actors = new Set<string>();
  const languages = new Map<ExportLanguage, number>();
  let hasGroupEvent = false;
  let subject: string | undefined;
  let shownName: string | undefined;
  let isParticipantListCut = false;
  let lastLine = 0;
  const remember = (set: Set<string>, name: string) => {
    if (set.has(name)) return;
    if (set.size >= MAX_PARTICIPANTS) isParticipantListCut = true;
    else set.add(name);
  };
  for await (const line of readLines(path)) {
    lastLine = line.location.line;
    if (!line.ok) continue;
    const header = parseHeaderLine(line.text);
    if (!header) continue;
    evidence.add(header);
    const entry = classifyEntry(header);
    const language = languageOf(entry);
    if (language) languages.set(language, (languages.get(language) ?? 0) + 1);
    if (entry.kind === 'message') remember(senders, entry.sender);
    if (entry.kind === 'notice' && entry.notice) {
      if (entry.notice.actor !== undefined) remember(actors, entry.notice.actor);
      if (entry.notice.isGroupEvent) hasGroupEvent = true;
      if (entry.notice.subject !== undefined && entry.notice.subject.trim() !== '') subject = entry.notice.subject.trim();
      if (entry.shownAs !== undefined) shownName ??= entry.shownAs;
    }
  }
  const language = [...languages.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  return {
    decision: evidence.decide(language), language, senders: [...senders], actors: [...actors].filter((a) => !senders.has(a)),
    hasGroupEvent, subject, shownName, isParticipantListCut, lastLine,
  };
}

// ---------------------------------------------------------------------------------------------
// the chat: who takes part, and whether (and as what) it is a group

const EXPORT_NAME = /^(?:WhatsApp[- ]?Chat (?:with|met|mit|con|avec|com|-)|WhatsApp-chat met|Chat de WhatsApp con|Discussion WhatsApp avec|Conversa do WhatsApp com|Chat WhatsApp con|Chat WhatsApp -)\s+(.+?)(?:\s\(\d+\))?(?:\.txt|\.zip)?$/iu;

/** The chat's name as the export's file (or, for iOS `_chat.txt`, its folder) names it. */
export function chatNameOfPath(path: string): string | undefined {
  const own = EXPORT_NAME.exec(basename(path))?.[1];
  if (own !== undefined) return own.trim();
  // an archive member's label ends its archive's name with '!' ("Chat - X.zip!/_chat.txt")
  if (/^_chat\.txt$/i.test(basename(path))) return EXPORT_NAME.exec(basename(dirname(path)).replace(/!$/, ''))?.[1]?.trim();
  return undefined;
}

type Chat = {
  decision: DateOrderDecision;
  dateFlag: string;
  participants: string[];
  group?: { key: string; members: string[]; isMemberListCut: boolean };
};

function describeChat(survey: Survey, path: string): Chat {
  const { decision } = survey;
  const dateFlag = `${decision.isInferred ? 'date-order-inferred' : 'date-order'}:${decision.order}`;
  const chatName = chatNameOfPath(path);
  const participants = [...survey.senders];
  const isGroup = participants.length > 2 || survey.hasGroupEvent;
  if (!isGroup) {
    // a one-to-one chat in which only the exporter wrote: the file name still names the other
    if (participants.length < 2 && chatName !== undefined && !participants.includes(chatName)) participants.push(chatName);
    return { decision, dateFlag, participants };
  }
  const key = chatName ?? survey.subject ?? survey.shownName ?? fallbackChatName(path);
  const members = [...participants, ...survey.actors];
  return { decision, dateFlag, participants, group: { key, members, isMemberListCut: survey.isParticipantListCut } };
}

/** iOS names every export `_chat.txt`: its folder tells two chats apart. */
function fallbackChatName(path: string): string {
  const name = basename(path).replace(/\.txt$/i, '');
  return name === '_chat' ? `${basename(dirname(path))}/${name}` : name;
}

/** Recipients of a message: every other participant; cached per sender. */
class Recipients {
  private readonly cache = new Map<string, string[]>();
  private readonly participants: readonly string[];

  constructor(participants: readonly string[]) {
    this.participants = participants;
  }

  of(from: string): string[] {
    let to = this.cache.get(from);
    if (to === undefined) {
      to = this.participants.filter((p) => p !== from);
      if (this.cache.size < MAX_PARTICIPANTS) this.cache.set(from, to);
    }
    return to;
  }
}

// ---------------------------------------------------------------------------------------------
// attachments that sit next to the export

class AttachmentFolder {
  private readonly directory: string;
  private names: Promise<Set<string>> | undefined;

  constructor(directory: string) {
    this.directory = directory;
  }

  async describe(media: Media): Promise<AttachmentRef> {
    const name = media.name ?? '';
    const ref: AttachmentRef = { name, mime: mimeOfName(name) };
    // only a plain file name is looked up: a name is text from the export, not a path to follow
    if (name.includes('/') || name.includes('\\') || name === '.' || name === '..') return ref;
    this.names ??= readdir(this.directory).then((entries) => new Set(entries), () => new Set<string>());
    if (!(await this.names).has(name)) return ref;
    const file = join(this.directory, name);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return ref;
    return { ...ref, sha256: await sha256Of(file), sizeBytes: info.size };
  }
}

function describeOmitted(media: Media): AttachmentRef {
  return { name: media.name, mime: mimeOfOmitted(media.what) ?? (media.name ? mimeOfName(media.name) : undefined) };
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

// ---------------------------------------------------------------------------------------------
// pass 2: records

/** A message being read: its header line, then the continuation lines that follow it. */
type OpenMessage = {
  kind: 'message';
  location: Location;
  ts: string;
  entry: Extract<Entry, { kind: 'message' | 'notice' }>;
  lines: string[];
  chars: number;
  isCut: boolean;
};

/** Lines that cannot belong to a message (before the first one, or after a bad header). */
type OpenPiece = { kind: 'piece'; location: Location; reason: string; excerpt: string; lineCount: number };

async function* readWhatsApp(input: ReaderInput): AsyncGenerator<ReadItem> {
  // the pipeline skips what an earlier run committed; a message's extent is only known from
  // the top, so this reader always starts there and ignores `input.from`
  const survey = await surveyExport(input.path);
  const chat = describeChat(survey, input.options.label ?? input.path);
  const recipients = new Recipients(chat.participants);
  const folder = new AttachmentFolder(dirname(input.path));
  let open: OpenMessage | OpenPiece | undefined;
  let deferred: ReadItem[] = [];
  let lastLine = 0;
  let hasSeenHeader = false;

  // synchronous unless an attachment must be looked up: one promise per message is measurable
  const close = (): ReadItem[] | Promise<ReadItem[]> => {
    const items: ReadItem[] = [];
    let lookup: Promise<AttachmentRef> | undefined;
    if (open?.kind === 'message') {
      const record = toRecord(open, chat, recipients);
      if (open.entry.kind === 'message' && open.entry.media?.kind === 'attached') lookup = folder.describe(open.entry.media);
      items.push({ kind: 'record', record, location: open.location });
    } else if (open?.kind === 'piece') items.push(pieceItem(open));
    open = undefined;
    if (deferred.length > 0) {
      items.push(...deferred);
      deferred = [];
    }
    if (lookup === undefined) return items;
    return lookup.then((attachment) => {
      (items[0] as { record: MessageRecord }).record.attachments = [attachment];
      return items;
    });
  };

  for await (const line of readLines(input.path)) {
    lastLine = line.location.line;
    if (!line.ok) {
      const item: ReadItem = { kind: 'malformed', location: line.location, reason: line.reason, excerpt: line.excerpt.slice(0, EXCERPT_CHARS) };
      if (open === undefined) yield item;
      else {
        // a bad line inside a message: kept for after it, so locations keep increasing
        deferred.push(item);
        if (deferred.length >= MAX_DEFERRED) yield* await close();
      }
      continue;
    }
    const header = parseHeaderLine(line.text);
    if (header === undefined) {
      if (open?.kind === 'message') {
        if (open.chars + line.text.length + 1 <= MAX_BODY_CHARS) {
          open.lines.push(line.text);
          open.chars += line.text.length + 1;
        } else {
          open.isCut = true;
          yield* await close();
          open = startPiece(line.location, `the message continues past the ${MAX_BODY_CHARS / (1 << 20)} MiB limit; these lines were not stored with it`, line.text);
        }
      } else if (open?.kind === 'piece') {
        extendPiece(open, line.text);
      } else if (line.text.trim() !== '') {
        const reason = hasSeenHeader
          ? `lines of a message closed early (after ${MAX_DEFERRED} unreadable lines inside it)`
          : 'text before the first message (no timestamp header)';
        open = startPiece(line.location, reason, line.text);
      }
      continue;
    }
    if (open !== undefined) yield* await close();
    hasSeenHeader = true;
    const entry = classifyEntry(header);
    const ts = localTime(header, chat.decision.order);
    if (ts === undefined) {
      open = startPiece(line.location, `timestamp header with an impossible date or time (${describeStamp(header)}, read ${orderName(chat.decision.order)}); its continuation lines are kept with it`, line.text);
    } else if (entry.kind === 'invalid') {
      open = startPiece(line.location, `${entry.reason}; its continuation lines are kept with it`, line.text);
    } else {
      open = { kind: 'message', location: line.location, ts, entry, lines: [], chars: entry.text.length, isCut: false };
    }
  }
  yield* await close();
  if (chat.group) {
    // after the last line, so that locations keep increasing and a resumed run still sees it
    yield {
      kind: 'record',
      location: { line: Math.max(lastLine, survey.lastLine) + 1, offset: (await stat(input.path)).size },
      record: {
        kind: 'group', platform: PLATFORM, ref: chat.group.key, name: chat.group.key, members: chat.group.members,
        extra: chat.group.isMemberListCut ? { membersCut: true } : undefined,
      },
    };
  }
}

/** The record of a finished message; a file attached to it is described by the caller. */
function toRecord(open: OpenMessage, chat: Chat, recipients: Recipients): MessageRecord {
  const { entry } = open;
  const body = open.lines.length === 0 ? entry.text : trimTrailingBlankLines(`${entry.text}\n${open.lines.join('\n')}`);
  const flags = [chat.dateFlag];
  const extra: Record<string, unknown> = { dateOrder: chat.decision.order };
  if (chat.decision.isInferred) extra.dateOrderBasis = chat.decision.basis;
  if (open.isCut) flags.push('body-truncated');
  let from: string;
  let attachments: AttachmentRef[] | undefined;
  if (entry.kind === 'message') {
    from = entry.sender;
    if (entry.media?.kind === 'omitted') {
      attachments = [describeOmitted(entry.media)];
      extra.mediaOmitted = true;
    }
    // "This message was deleted" followed by more lines is someone's text, not the notice
    if (entry.deleted && open.lines.length === 0) {
      flags.push('whatsapp-system-notice', 'deleted');
      extra.system = true;
      extra.notice = 'deleted';
      if (entry.deleted.bySelf) extra.bySelf = true;
    }
  } else {
    const notice = entry.notice;
    from = notice?.actor ?? SYSTEM_SENDER;
    flags.push('whatsapp-system-notice');
    if (notice?.kind === 'deleted') flags.push('deleted');
    extra.system = true;
    extra.notice = notice?.kind ?? 'unknown';
    if (notice?.bySelf) extra.bySelf = true;
    if (notice?.target !== undefined) extra.target = notice.target;
    if (notice?.subject !== undefined) extra.subject = notice.subject;
    if (entry.shownAs !== undefined) extra.shownAs = entry.shownAs;
  }
  return {
    kind: 'message', platform: PLATFORM, ts: open.ts, from, to: recipients.of(from), group: chat.group?.key, body,
    attachments, flags, extra,
  };
}

function trimTrailingBlankLines(body: string): string {
  return body.replace(/(?:\n[ \t\u00a0]*)+$/u, '');
}

function startPiece(location: Location, reason: string, text: string): OpenPiece {
  return { kind: 'piece', location, reason, excerpt: text.slice(0, EXCERPT_CHARS), lineCount: 1 };
}

function extendPiece(piece: OpenPiece, text: string): void {
  piece.lineCount += 1;
  if (piece.excerpt.length < EXCERPT_CHARS) piece.excerpt = `${piece.excerpt}\n${text}`.slice(0, EXCERPT_CHARS);
}

function pieceItem(piece: OpenPiece): ReadItem {
  const reason = piece.lineCount > 1 ? `${piece.reason} (${piece.lineCount} lines)` : piece.reason;
  return { kind: 'malformed', location: piece.location, reason, excerpt: piece.excerpt };
}

function describeStamp(header: HeaderLine): string {
  const [a, b, c] = header.fields;
  const minutes = String(header.minute).padStart(2, '0');
  return `${a}/${b}/${c} ${header.hour}:${minutes}${header.meridiem ? ` ${header.meridiem.toUpperCase()}` : ''}`;
}

function orderName(order: DateOrder): string {
  return order === 'dmy' ? 'day first' : order === 'mdy' ? 'month first' : 'year first';
}
