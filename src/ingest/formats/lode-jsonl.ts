// lode-jsonl v1: one JSON object a line, `kind` says what it is (docs/FORMATS.md).
import type { AttachmentRef, DeviceRef, LodeRecord, ReadItem } from '../../model/records.ts';
import { readLines } from '../lines.ts';
import type { FormatReader, ReaderInput } from './format.ts';
import { isIsoTimestamp } from '../timestamps.ts';

const KINDS = ['account', 'message', 'contact', 'note', 'group', 'event', 'exposure'] as const;

/** The fields each kind defines; anything else on a line is kept as `extra`. */
const KNOWN_FIELDS: Record<(typeof KINDS)[number], ReadonlySet<string>> = {
  account: new Set(['kind', 'platform', 'handle', 'name', 'device', 'devices']),
  message: new Set(['kind', 'platform', 'id', 'ts', 'from', 'to', 'group', 'body', 'lang', 'attachments']),
  contact: new Set(['kind', 'platform', 'owner', 'handle', 'alias']),
  note: new Set(['kind', 'platform', 'id', 'owner', 'ts', 'body', 'lang']),
  group: new Set(['kind', 'platform', 'id', 'name', 'members']),
  event: new Set(['kind', 'platform', 'id', 'account', 'type', 'ts', 'fields']),
  exposure: new Set(['kind', 'platform', 'identifier', 'identifierType', 'dataClasses', 'passwordSha1', 'passwordNtlm', 'hashType', 'account']),
};
const IDENTIFIER_TYPES = ['email', 'username', 'phone'] as const;
const EXCERPT_CHARS = 300;

export const lodeJsonl: FormatReader = {
  name: 'lode-jsonl',
  description: 'Lode JSON lines v1 (one object a line with a "kind" field)',
  detect(head, path) {
    const lines = head.split('\n').map((l) => l.trim()).filter((l) => l.length > 0).slice(0, 20);
    let objects = 0;
    for (const line of lines) {
      try {
        const value: unknown = JSON.parse(line);
        if (isObject(value) && typeof value.kind === 'string') objects += 1;
      } catch {
        // a truncated last line of the head, or a malformed line the reader will quarantine
      }
    }
    if (objects === 0) return /\.(jsonl|ndjson)$/i.test(path) && lines.length === 0 ? 0.2 : 0;
    return objects >= Math.min(lines.length - 1, 3) ? 0.95 : 0.6;
  },
  read: readLodeJsonl,
};

async function* readLodeJsonl(input: ReaderInput): AsyncGenerator<ReadItem> {
  for await (const line of readLines(input.path, { from: input.from })) {
    if (!line.ok) {
      yield { kind: 'malformed', location: line.location, reason: line.reason, excerpt: line.excerpt };
      continue;
    }
    if (line.text.trim() === '') continue;
    const parsed = parseLodeLine(line.text);
    if (typeof parsed === 'string') {
      yield { kind: 'malformed', location: line.location, reason: parsed, excerpt: line.text.slice(0, EXCERPT_CHARS) };
    } else {
      yield { kind: 'record', record: parsed, location: line.location };
    }
  }
}

/** Parses one line into a record, or returns why it cannot be one. */
export function parseLodeLine(text: string): LodeRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `malformed JSON: ${(error as Error).message}`;
  }
  if (!isObject(value)) return 'not a JSON object';
  const kind = value.kind;
  if (typeof kind !== 'string') return 'missing required field "kind"';
  if (!(KINDS as readonly string[]).includes(kind)) return `unknown kind "${kind.slice(0, 40)}"`;
  const fields = new FieldReader(value, KNOWN_FIELDS[kind as (typeof KINDS)[number]]);
  const record = toRecord(kind as (typeof KINDS)[number], fields);
  return fields.error ?? record;
}

function toRecord(kind: (typeof KINDS)[number], f: FieldReader): LodeRecord {
  const platform = f.string('platform', true) ?? '';
  switch (kind) {
    case 'account': {
      const device = f.object('device');
      return {
        kind, platform, handle: f.string('handle', true) ?? '', name: f.string('name'),
        device: device ? toDevice(device, f, 'device') : undefined,
        devices: f.objectArray('devices')?.map((d, i) => toDevice(d, f, `devices[${i}]`)),
        extra: f.rest(),
      };
    }
    case 'message':
      return {
        kind, platform, ref: f.string('id'), ts: f.timestamp('ts'), from: f.string('from', true) ?? '',
        to: f.stringArray('to') ?? [], group: f.string('group'), body: f.string('body') ?? '', lang: f.string('lang'),
        attachments: f.attachments('attachments'), extra: f.rest(),
      };
    case 'contact':
      return { kind, platform, owner: f.string('owner', true) ?? '', handle: f.string('handle', true) ?? '', alias: f.string('alias'), extra: f.rest() };
    case 'note':
      return { kind, platform, ref: f.string('id'), owner: f.string('owner', true) ?? '', ts: f.timestamp('ts'), body: f.string('body', true) ?? '', lang: f.string('lang'), extra: f.rest() };
    case 'group':
      return { kind, platform, ref: f.string('id', true) ?? '', name: f.string('name'), members: f.stringArray('members') ?? [], extra: f.rest() };
    case 'event':
      return {
        kind, platform, ref: f.string('id'), account: f.string('account', true) ?? '', type: f.string('type', true) ?? '',
        ts: f.timestamp('ts'), fields: { ...(f.object('fields') ?? {}), ...(f.rest() ?? {}) },
      };
    case 'exposure': {
      const identifierType = f.string('identifierType') ?? 'email';
      if (!(IDENTIFIER_TYPES as readonly string[]).includes(identifierType)) f.fail(`field "identifierType" must be one of ${IDENTIFIER_TYPES.join(', ')}`);
      const identifier = (f.string('identifier', true) ?? '').trim();
      return {
        kind, platform, identifier: identifierType === 'email' ? identifier.toLowerCase() : identifier,
        identifierType: identifierType as (typeof IDENTIFIER_TYPES)[number], dataClasses: f.stringArray('dataClasses') ?? [identifierType],
        passwordSha1: f.hexDigest('passwordSha1', 40), passwordNtlm: f.hexDigest('passwordNtlm', 32), hashType: f.string('hashType'),
        account: f.string('account'), extra: f.rest(),
      };
    }
  }
}

/** Reads typed fields off a JSON object, remembering the first problem and what was not read. */
class FieldReader {
  error: string | undefined;
  private readonly value: Record<string, unknown>;
  private readonly known: ReadonlySet<string>;

  constructor(value: Record<string, unknown>, known: ReadonlySet<string>) {
    this.value = value;
    this.known = known;
  }

  string(name: string, required = false): string | undefined {
    const v = this.value[name];
    if (v === undefined || v === null) {
      if (required) this.fail(`missing required field "${name}"`);
      return undefined;
    }
    if (typeof v === 'number' && name === 'id') return String(v);
    if (typeof v !== 'string') return this.fail(`field "${name}" must be a string, got ${describe(v)}`);
    if (required && v.trim() === '') return this.fail(`field "${name}" must not be empty`);
    return v;
  }

  /** An upper-case hex digest of the given length (lower case is accepted and raised). */
  hexDigest(name: string, length: number): string | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (v.length !== length || !/^[0-9a-fA-F]+$/.test(v)) return this.fail(`field "${name}" must be ${length} hex digits`);
    return v.toUpperCase();
  }

  timestamp(name: string): string | undefined {
    const v = this.string(name);
    if (v !== undefined && !isIsoTimestamp(v)) return this.fail(`field "${name}" must be an ISO 8601 time, got "${v.slice(0, 40)}"`);
    return v;
  }

  stringArray(name: string): string[] | undefined {
    const v = this.value[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return [v];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return this.fail(`field "${name}" must be an array of strings`);
    return v as string[];
  }

  object(name: string): Record<string, unknown> | undefined {
    const v = this.value[name];
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) return this.fail(`field "${name}" must be an object, got ${describe(v)}`);
    return v;
  }

  objectArray(name: string): Record<string, unknown>[] | undefined {
    const v = this.value[name];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || !v.every(isObject)) return this.fail(`field "${name}" must be an array of objects`);
    return v as Record<string, unknown>[];
  }

  attachments(name: string): AttachmentRef[] | undefined {
    const v = this.value[name];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) return this.fail(`field "${name}" must be an array`);
    const out = [];
    for (const a of v) {
      if (!isObject(a)) return this.fail(`field "${name}" must hold objects`);
      out.push({
        name: optionalString(a.name, this, `${name}.name`),
        mime: optionalString(a.mime, this, `${name}.mime`),
        sha256: optionalString(a.sha256, this, `${name}.sha256`),
        sizeBytes: typeof a.size === 'number' ? a.size : undefined,
      });
    }
    return out;
  }

  /** Fields the format does not define: kept with the item, never dropped. */
  rest(): Record<string, unknown> | undefined {
    let rest: Record<string, unknown> | undefined;
    for (const k in this.value) {
      if (!this.known.has(k)) (rest ??= {})[k] = this.value[k];
    }
    return rest;
  }

  fail(message: string): undefined {
    this.error ??= message;
    return undefined;
  }
}

function toDevice(value: Record<string, unknown>, f: FieldReader, name: string): DeviceRef {
  const since = optionalString(value.since, f, `${name}.since`);
  if (since !== undefined && !isIsoTimestamp(since)) f.fail(`field "${name}.since" must be an ISO 8601 time`);
  return { imei: optionalString(value.imei, f, `${name}.imei`), model: optionalString(value.model, f, `${name}.model`), since };
}

function optionalString(v: unknown, f: FieldReader, name: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return f.fail(`field "${name}" must be a string, got ${describe(v)}`);
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)?.slice(0, 30)}`;
}
