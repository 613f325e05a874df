// The query AST shared by the parser (parse.ts) and the query compiler.
// Spans are 0-based UTF-16 offsets into the query text, `end` exclusive, so
// the CLI can point at the clause a diagnostic is about.

export type Span = { start: number; end: number };

/** Plain metadata fields: the value is matched by the compiler, kept raw here. */
export const FILTER_FIELDS = ['from', 'to', 'dataset', 'platform', 'lang'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/** Entity filters: the value is kept as typed; the compiler normalises it the way extraction does. */
export const ENTITY_FILTER_TYPES = [
  'phone',
  'iban',
  'email',
  'btc',
  'eth',
  'xmr',
  'imei',
  'ip',
  'url',
  'plate',
] as const;
export type EntityFilterType = (typeof ENTITY_FILTER_TYPES)[number];

/** Every field name the language accepts before a colon (matched case-insensitively). */
export const KNOWN_FIELDS = [...FILTER_FIELDS, 'has', 'date', ...ENTITY_FILTER_TYPES] as const;
export type KnownField = (typeof KNOWN_FIELDS)[number];

/** Values accepted after `has:`. */
export const HAS_VALUES = ['attachment'] as const;
export type HasValue = (typeof HAS_VALUES)[number];

export type TermNode = { kind: 'term'; value: string; span: Span };
/** `value` is the prefix without the trailing `*`. */
export type PrefixNode = { kind: 'prefix'; value: string; span: Span };
export type FuzzyNode = { kind: 'fuzzy'; value: string; distance: 0 | 1 | 2; span: Span };
/**
 * `terms` are the phrase's tokens as the index sees them: maximal runs of
 * letters/digits (combining marks stay attached), everything else separates.
 * `proximity` is the `~N` after the closing quote.
 */
export type PhraseNode = { kind: 'phrase'; terms: string[]; proximity?: number; span: Span };

export type TextNode = TermNode | PrefixNode | FuzzyNode | PhraseNode;

export type FieldNode = { kind: 'field'; field: FilterField; value: string; span: Span };
export type HasNode = { kind: 'has'; what: HasValue; span: Span };
/**
 * Normalised ISO instants (`YYYY-MM-DDTHH:MM:SS.sssZ`): `from` inclusive,
 * `to` EXCLUSIVE. At least one of them is present.
 */
export type DateNode = { kind: 'date'; from?: string; to?: string; span: Span };
export type EntityNode = { kind: 'entity'; type: EntityFilterType; value: string; span: Span };

export type FilterNode = FieldNode | HasNode | DateNode | EntityNode;

/** The parser flattens nested and/or of the same kind and never emits fewer than 2 children. */
export type AndNode = { kind: 'and'; children: QueryNode[]; span: Span };
export type OrNode = { kind: 'or'; children: QueryNode[]; span: Span };
export type NotNode = { kind: 'not'; child: QueryNode; span: Span };

export type QueryNode = TextNode | FilterNode | AndNode | OrNode | NotNode;
