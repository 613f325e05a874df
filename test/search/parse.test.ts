import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';

import type { QueryNode } from '../../src/search/ast.ts';
import { ENTITY_FILTER_TYPES, FILTER_FIELDS, KNOWN_FIELDS } from '../../src/search/ast.ts';
import {
  MAX_CLAUSES,
  MAX_NESTING_DEPTH,
  MAX_QUERY_LENGTH,
  QuerySyntaxError,
  formatQueryError,
  parseQuery,
  printQuery,
  tokenizeText,
} from '../../src/search/parse.ts';

// --- helpers ---------------------------------------------------------------

type Bare = Record<string, unknown>;

/** Drop spans and flatten same-kind and/or, so ASTs compare by meaning. */
function strip(node: QueryNode): Bare {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const children = node.children.flatMap((c) => (c.kind === node.kind ? c.children : [c])).map(strip);
      const flat = children.flatMap((c) => (c['kind'] === node.kind ? (c['children'] as Bare[]) : [c]));
      return { kind: node.kind, children: flat };
    }
    case 'not':
      return { kind: 'not', child: strip(node.child) };
    default: {
      const { span: _span, ...rest } = node;
      return rest;
    }
  }
}

const p = (q: string): Bare => strip(parseQuery(q));

const term = (value: string): Bare => ({ kind: 'term', value });
const prefix = (value: string): Bare => ({ kind: 'prefix', value });
const fuzzy = (value: string, distance: 0 | 1 | 2): Bare => ({ kind: 'fuzzy', value, distance });
const phrase = (terms: string[], proximity?: number): Bare =>
  proximity === undefined ? { kind: 'phrase', terms } : { kind: 'phrase', terms, proximity };
const and = (...children: Bare[]): Bare => ({ kind: 'and', children });
const or = (...children: Bare[]): Bare => ({ kind: 'or', children });
const not = (child: Bare): Bare => ({ kind: 'not', child });
const field = (f: string, value: string): Bare => ({ kind: 'field', field: f, value });
const entity = (type: string, value: string): Bare => ({ kind: 'entity', type, value });
const date = (from?: string, to?: string): Bare => ({
  kind: 'date',
  ...(from === undefined ? {} : { from }),
  ...(to === undefined ? {} : { to }),
});

function syntaxError(q: string): QuerySyntaxError {
  try {
    parseQuery(q);
  } catch (err) {
    assert.ok(err instanceof QuerySyntaxError, `expected QuerySyntaxError, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected ${JSON.stringify(q)} to be rejected`);
}

function rejects(q: string, position: number, message: RegExp): void {
  const err = syntaxError(q);
  assert.match(err.message, message);
  assert.equal(err.position, position, `position for ${JSON.stringify(q)}: ${err.message}`);
}

// --- terms and text ------------------------------------------------------------

describe('terms', () => {
  it('a single word is a term that keeps the user spelling', () => {
    assert.deepEqual(p('Café'), term('Café'));
    assert.deepEqual(p('ЖЕНЯ'), term('ЖЕНЯ'));
  });

  it('trailing punctuation that the index drops is ignored', () => {
    assert.deepEqual(p('waar?'), term('waar'));
    assert.deepEqual(p('nu!'), term('nu'));
  });

  it('internal punctuation turns a term into a phrase of its tokens', () => {
    assert.deepEqual(p('06-12345678'), phrase(['06', '12345678']));
    assert.deepEqual(p("o'neil"), phrase(['o', 'neil']));
    assert.deepEqual(p('jan@x.nl'), phrase(['jan', 'x', 'nl']));
  });

  it('a term without letters or digits is rejected', () => {
    rejects('!!!', 0, /^Term "!!!" contains no letters or digits at position 0/);
    rejects('geld ...', 5, /no letters or digits at position 5/);
  });

  it('backslash escapes special characters inside a term', () => {
    assert.deepEqual(p('a\\:b'), phrase(['a', 'b']));
    assert.deepEqual(p('\\(geld\\)'), term('geld'));
    assert.deepEqual(p('geld\\*'), term('geld'));
    assert.deepEqual(p('kilo\\~1'), phrase(['kilo', '1']));
    assert.deepEqual(p('\\"geld'), term('geld'));
    assert.deepEqual(p('\\-5'), term('5'));
  });

  it('a dangling backslash is rejected', () => {
    rejects('geld\\', 4, /^Dangling backslash at position 4/);
  });

  it('tokenizeText splits like the index: runs of letters and digits', () => {
    assert.deepEqual(tokenizeText('Geld, cash & 06-123!'), ['Geld', 'cash', '06', '123']);
    assert.deepEqual(tokenizeText('cafe\u0301 ok'), ['cafe\u0301', 'ok']);
    assert.deepEqual(tokenizeText('...'), []);
  });

  it('a colon at the start of a word is punctuation, not a field', () => {
    assert.deepEqual(p(':geld'), term('geld'));
  });
});

describe('prefix and fuzzy', () => {
  it('a trailing * is a prefix search without the star', () => {
    assert.deepEqual(p('coke*'), prefix('coke'));
  });

  it('a leading wildcard is rejected with an explanation', () => {
    rejects('*foo', 0, /^Leading wildcard at position 0: only a trailing \* is supported/);
    rejects('geld *', 5, /Leading wildcard at position 5/);
  });

  it('a wildcard in the middle is rejected', () => {
    rejects('co*ke', 2, /only a trailing \* is supported/);
    rejects('coke**', 4, /only a trailing \*/);
  });

  it('fuzzy with an explicit distance', () => {
    assert.deepEqual(p('kilo~0'), fuzzy('kilo', 0));
    assert.deepEqual(p('kilo~1'), fuzzy('kilo', 1));
    assert.deepEqual(p('kilo~2'), fuzzy('kilo', 2));
  });

  it('a bare ~ means distance 2', () => {
    assert.deepEqual(p('kilo~'), fuzzy('kilo', 2));
  });

  it('fuzzy distance above 2 is rejected at the tilde', () => {
    rejects('kilo~3', 4, /^Fuzzy distance must be 0, 1 or 2 at position 4$/);
  });

  it('a tilde followed by something other than digits is rejected', () => {
    rejects('kilo~x', 4, /^Expected a fuzzy distance/);
    rejects('kilo~1.5', 4, /^Expected a fuzzy distance/);
  });

  it('prefix and fuzzy cannot be combined', () => {
    rejects('kilo*~1', 5, /both a prefix/);
  });

  it('prefix or fuzzy on a term that splits into several words is rejected', () => {
    rejects("o'ne*", 0, /^Prefix search needs a single word/);
    rejects('06-123~1', 0, /^Fuzzy search needs a single word/);
  });
});

describe('phrases', () => {
  it('a quoted phrase is split into index tokens', () => {
    assert.deepEqual(p('"geld, cash"'), phrase(['geld', 'cash']));
  });

  it('a quoted single word stays a phrase', () => {
    assert.deepEqual(p('"AND"'), phrase(['AND']));
  });

  it('proximity after the closing quote', () => {
    assert.deepEqual(p('"geld cash"~5'), phrase(['geld', 'cash'], 5));
    assert.deepEqual(p('"geld cash"~0'), phrase(['geld', 'cash'], 0));
  });

  it('a proximity tilde needs a number', () => {
    rejects('"geld cash"~', 11, /^Expected a proximity distance/);
  });

  it('proximity is capped', () => {
    rejects('"geld cash"~1001', 11, /^Proximity must be between 0 and 1000/);
  });

  it('quoted phrases may contain anything, including operators, colons and links', () => {
    assert.deepEqual(p('"http://x.nl/a?b=c"'), phrase(['http', 'x', 'nl', 'a', 'b', 'c']));
    assert.deepEqual(p('"geld OR (cash) foo:bar *x"'), phrase(['geld', 'OR', 'cash', 'foo', 'bar', 'x']));
  });

  it('escaped quotes and backslashes inside a phrase', () => {
    assert.deepEqual(p('"zei \\"ja\\" \\\\ nee"'), phrase(['zei', 'ja', 'nee']));
  });

  it('an unclosed quote reports where it starts', () => {
    rejects('geld AND "cash', 9, /^Unclosed quote starting at position 9$/);
    rejects('"geld\\', 0, /^Unclosed quote starting at position 0$/);
  });

  it('a phrase without letters or digits is rejected', () => {
    rejects('geld "?!"', 5, /^Phrase "\?!" contains no letters or digits at position 5/);
    rejects('""', 0, /contains no letters or digits/);
  });
});

// --- operators -----------------------------------------------------------------

describe('operators and precedence', () => {
  it('adjacent clauses are joined by an implicit AND', () => {
    assert.deepEqual(p('geld cash'), and(term('geld'), term('cash')));
  });

  it('explicit AND and && are the same as implicit AND', () => {
    assert.deepEqual(p('geld AND cash'), and(term('geld'), term('cash')));
    assert.deepEqual(p('geld && cash'), and(term('geld'), term('cash')));
  });

  it('OR and || build a disjunction', () => {
    assert.deepEqual(p('geld OR cash'), or(term('geld'), term('cash')));
    assert.deepEqual(p('geld || cash'), or(term('geld'), term('cash')));
  });

  it('implicit AND binds tighter than OR', () => {
    assert.deepEqual(p('a b OR c'), or(and(term('a'), term('b')), term('c')));
    assert.deepEqual(p('a OR b c'), or(term('a'), and(term('b'), term('c'))));
  });

  it('explicit AND binds tighter than OR', () => {
    assert.deepEqual(p('a OR b AND c OR d'), or(term('a'), and(term('b'), term('c')), term('d')));
  });

  it('NOT binds tighter than AND', () => {
    assert.deepEqual(p('NOT a b'), and(not(term('a')), term('b')));
    assert.deepEqual(p('a AND NOT b OR c'), or(and(term('a'), not(term('b'))), term('c')));
  });

  it('-term is NOT and +term is the term itself', () => {
    assert.deepEqual(p('geld -cash'), and(term('geld'), not(term('cash'))));
    assert.deepEqual(p('+geld cash'), and(term('geld'), term('cash')));
    assert.deepEqual(p('-"geld cash"'), not(phrase(['geld', 'cash'])));
    assert.deepEqual(p('-(a OR b)'), not(or(term('a'), term('b'))));
    assert.deepEqual(p('-from:mo'), not(field('from', 'mo')));
  });

  it('a dash inside a word is punctuation, not NOT', () => {
    assert.deepEqual(p('e-mail'), phrase(['e', 'mail']));
  });

  it('a dash or plus must be attached to its term', () => {
    rejects('geld - cash', 5, /^Expected a term directly after '-' at position 5/);
    rejects('geld +', 5, /^Expected a term directly after '\+'/);
  });

  it('lowercase or is a word', () => {
    assert.deepEqual(p('geld or cash'), and(term('geld'), term('or'), term('cash')));
  });

  it('lowercase and, not and of are words', () => {
    assert.deepEqual(p('and not of'), and(term('and'), term('not'), term('of')));
    assert.deepEqual(p('Or'), term('Or'));
  });

  it('an escaped operator is searched as a word', () => {
    assert.deepEqual(p('\\AND'), term('AND'));
    assert.deepEqual(p('a \\OR b'), and(term('a'), term('OR'), term('b')));
  });

  it('parentheses override precedence', () => {
    assert.deepEqual(p('(a OR b) c'), and(or(term('a'), term('b')), term('c')));
    assert.deepEqual(p('a (b OR (c d))'), and(term('a'), or(term('b'), and(term('c'), term('d')))));
  });

  it('nested and/or of the same kind are flattened', () => {
    assert.deepEqual(p('(a b) (c d)'), and(term('a'), term('b'), term('c'), term('d')));
    assert.deepEqual(p('(a OR b) OR (c OR d)'), or(term('a'), term('b'), term('c'), term('d')));
    const raw = parseQuery('a (b c)');
    assert.equal(raw.kind, 'and');
    assert.ok(raw.kind === 'and' && raw.children.every((c) => c.kind === 'term'));
  });

  it('a parenthesised single clause is just that clause', () => {
    assert.deepEqual(p('((geld))'), term('geld'));
  });

  it('a query of only negations is accepted', () => {
    assert.deepEqual(p('NOT spam'), not(term('spam')));
    assert.deepEqual(p('NOT NOT spam'), not(not(term('spam'))));
  });
});

describe('operator errors', () => {
  it('NOT without a term', () => {
    rejects('geld NOT', 8, /^Expected a term after NOT at position 8$/);
    rejects('(NOT) a', 4, /^Expected a term after NOT at position 4$/);
    rejects('NOT AND a', 4, /Expected a term after NOT at position 4/);
  });

  it('AND / OR without a right-hand term', () => {
    rejects('geld AND', 8, /^Expected a term after AND at position 8$/);
    rejects('geld OR', 7, /^Expected a term after OR at position 7$/);
    rejects('a OR AND b', 5, /^Expected a term after OR at position 5$/);
    rejects('(a OR) b', 5, /^Expected a term after OR at position 5$/);
    rejects('a &&', 4, /^Expected a term after && at position 4$/);
  });

  it('AND / OR without a left-hand term', () => {
    rejects('OR geld', 0, /^Expected a term before OR at position 0$/);
    rejects('(AND a)', 1, /^Expected a term before AND at position 1$/);
  });

  it('unbalanced closing parenthesis', () => {
    rejects('geld)', 4, /^Unbalanced '\)' at position 4$/);
    rejects(')', 0, /^Unbalanced '\)' at position 0$/);
    rejects('(a) b) c', 5, /^Unbalanced '\)' at position 5$/);
  });

  it('unclosed opening parenthesis reports where it opens', () => {
    rejects('a (b (c)', 2, /^Unclosed '\(' at position 2$/);
  });

  it('empty parentheses', () => {
    rejects('a ()', 2, /^Empty parentheses at position 2$/);
  });

  it('empty query', () => {
    rejects('', 0, /^Empty query$/);
    rejects('   \t\n', 0, /^Empty query$/);
  });
});

// --- fields --------------------------------------------------------------------

describe('fields', () => {
  it('every metadata field takes a raw value', () => {
    for (const f of FILTER_FIELDS) assert.deepEqual(p(`${f}:Mo`), field(f, 'Mo'));
  });

  it('field values may be quoted', () => {
    assert.deepEqual(p('from:"Mo kapper" geld'), and(field('from', 'Mo kapper'), term('geld')));
    assert.deepEqual(p('dataset:"zaak \\"A\\""'), field('dataset', 'zaak "A"'));
  });

  it('field names are case-insensitive', () => {
    assert.deepEqual(p('FROM:Mo'), field('from', 'Mo'));
    assert.deepEqual(p('Phone:0612345678'), entity('phone', '0612345678'));
  });

  it('has:attachment', () => {
    assert.deepEqual(p('has:attachment'), { kind: 'has', what: 'attachment' });
    assert.deepEqual(p('has:Attachment'), { kind: 'has', what: 'attachment' });
    rejects('has:foto', 4, /^Unknown value "foto" for has: at position 4 \(known: attachment\)/);
  });

  it('every entity filter keeps its value raw', () => {
    for (const t of ENTITY_FILTER_TYPES) assert.deepEqual(p(`${t}:Ab-12_x`), entity(t, 'Ab-12_x'));
    assert.deepEqual(p('phone:+31 '), entity('phone', '+31'));
    assert.deepEqual(p('iban:"NL91 ABNA 0417 1643 00"'), entity('iban', 'NL91 ABNA 0417 1643 00'));
  });

  it('url: values keep colons and slashes', () => {
    assert.deepEqual(p('url:http://x.nl/a?b=c:d'), entity('url', 'http://x.nl/a?b=c:d'));
    assert.deepEqual(p('ip:2001:db8::1'), entity('ip', '2001:db8::1'));
  });

  it('a field value ends at a closing parenthesis unless it is balanced inside the value', () => {
    assert.deepEqual(p('(from:mo OR from:jan)'), or(field('from', 'mo'), field('from', 'jan')));
    assert.deepEqual(
      p('(url:https://w.org/Foo_(bar) geld)'),
      and(entity('url', 'https://w.org/Foo_(bar)'), term('geld')),
    );
  });

  it('escapes work in unquoted field values', () => {
    assert.deepEqual(p('from:Mo\\ kapper'), field('from', 'Mo kapper'));
  });

  it('a field with nothing after the colon is rejected', () => {
    rejects('from:', 5, /^Expected a value after "from:" at position 5$/);
    rejects('from: mo', 5, /^Expected a value after "from:" at position 5$/);
    rejects('(from:)', 6, /^Expected a value after "from:"/);
    rejects('from:""', 5, /^Expected a value after "from:"/);
    rejects('from:"  "', 5, /^Expected a value after "from:"/);
  });

  it('an unquoted field value with an unclosed quote is rejected', () => {
    rejects('from:"Mo', 5, /^Unclosed quote starting at position 5$/);
  });

  it('grouping after a field is rejected with a rewrite hint', () => {
    rejects('from:(mo OR jan)', 5, /^Grouping after a field is not supported at position 5 \(write \(from:a OR from:b\)/);
  });

  it('an unknown field is an error that lists the known fields', () => {
    const err = syntaxError('geld foo:bar');
    assert.equal(err.position, 5);
    assert.match(err.message, /^Unknown field "foo" at position 5 \(known fields: from, to, dataset/);
    for (const f of KNOWN_FIELDS) assert.ok(err.message.includes(f));
  });

  it('a bare link is an error that suggests url: or quotes', () => {
    rejects('http://x.nl', 0, /^Unknown field "http" at position 0: this looks like a link.*url:http:\/\/x\.nl.*"http:\/\/x\.nl"/);
  });

  it('a colon after something that is not a field name asks for quotes or an escape', () => {
    rejects('om 10:30', 5, /^Unexpected ":" at position 5 .*quotes.*\\:/);
    assert.deepEqual(p('om 10\\:30'), and(term('om'), phrase(['10', '30'])));
    assert.deepEqual(p('om "10:30"'), and(term('om'), phrase(['10', '30'])));
  });
});

describe('dates', () => {
  it('a single day covers that whole day', () => {
    assert.deepEqual(p('date:2020-04-01'), date('2020-04-01T00:00:00.000Z', '2020-04-02T00:00:00.000Z'));
  });

  it('a month or a year covers that whole period', () => {
    assert.deepEqual(p('date:2020-02'), date('2020-02-01T00:00:00.000Z', '2020-03-01T00:00:00.000Z'));
    assert.deepEqual(p('date:2020'), date('2020-01-01T00:00:00.000Z', '2021-01-01T00:00:00.000Z'));
  });

  it('an inclusive range includes the whole end day', () => {
    assert.deepEqual(
      p('date:[2020-04-01 TO 2020-05-01]'),
      date('2020-04-01T00:00:00.000Z', '2020-05-02T00:00:00.000Z'),
    );
  });

  it('an exclusive range excludes both end days', () => {
    assert.deepEqual(
      p('date:{2020-04-01 TO 2020-05-01}'),
      date('2020-04-02T00:00:00.000Z', '2020-05-01T00:00:00.000Z'),
    );
  });

  it('mixed brackets and extra whitespace', () => {
    assert.deepEqual(
      p('date:[ 2020-04-01   TO 2020-05-01 }'),
      date('2020-04-01T00:00:00.000Z', '2020-05-01T00:00:00.000Z'),
    );
  });

  it('an inclusive datetime end adds one millisecond', () => {
    assert.deepEqual(
      p('date:[2020-04-01T08:00:00Z TO 2020-04-01T12:00:00Z]'),
      date('2020-04-01T08:00:00.000Z', '2020-04-01T12:00:00.001Z'),
    );
  });

  it('open-ended ranges with *', () => {
    assert.deepEqual(p('date:[2020-04-01 TO *]'), date('2020-04-01T00:00:00.000Z'));
    assert.deepEqual(p('date:[* TO 2020-04-01]'), date(undefined, '2020-04-02T00:00:00.000Z'));
    rejects('date:[* TO *]', 5, /^A date range needs at least one date at position 5/);
  });

  it('comparison operators', () => {
    assert.deepEqual(p('date:>=2020-04-01'), date('2020-04-01T00:00:00.000Z'));
    assert.deepEqual(p('date:>2020-04-01'), date('2020-04-02T00:00:00.000Z'));
    assert.deepEqual(p('date:<2020-05-01'), date(undefined, '2020-05-01T00:00:00.000Z'));
    assert.deepEqual(p('date:<=2020-05-01'), date(undefined, '2020-05-02T00:00:00.000Z'));
  });

  it('two comparisons combine with AND', () => {
    assert.deepEqual(
      p('date:>=2020-04-01 date:<2020-05-01'),
      and(date('2020-04-01T00:00:00.000Z'), date(undefined, '2020-05-01T00:00:00.000Z')),
    );
  });

  it('datetimes: without zone is UTC, offsets are converted, fractions kept to the millisecond', () => {
    assert.deepEqual(
      p('date:>=2020-04-01T12:00'),
      date('2020-04-01T12:00:00.000Z'),
    );
    assert.deepEqual(p('date:>=2020-04-01T12:00:00+02:00'), date('2020-04-01T10:00:00.000Z'));
    assert.deepEqual(p('date:>=2020-04-01T12:00:00-0130'), date('2020-04-01T13:30:00.000Z'));
    assert.deepEqual(p('date:>=2020-04-01T12:00:00.1234Z'), date('2020-04-01T12:00:00.123Z'));
  });

  it('a single datetime matches that instant', () => {
    assert.deepEqual(p('date:2020-04-01T12:00:00Z'), date('2020-04-01T12:00:00.000Z', '2020-04-01T12:00:00.001Z'));
  });

  it('quoted date values', () => {
    assert.deepEqual(p('date:"2020-04-01"'), date('2020-04-01T00:00:00.000Z', '2020-04-02T00:00:00.000Z'));
  });

  it('date filters inside groups', () => {
    assert.deepEqual(
      p('(date:2020-04-01 OR date:[2020-05-01 TO 2020-05-02])'),
      or(
        date('2020-04-01T00:00:00.000Z', '2020-04-02T00:00:00.000Z'),
        date('2020-05-01T00:00:00.000Z', '2020-05-03T00:00:00.000Z'),
      ),
    );
  });

  it('invalid dates are rejected at the value', () => {
    rejects('geld date:2020-13-01', 10, /^Invalid date "2020-13-01" at position 10/);
    rejects('date:2021-02-29', 5, /^Invalid date "2021-02-29"/);
    rejects('date:2020-04-01T24:00', 5, /^Invalid date/);
    rejects('date:gisteren', 5, /^Invalid date "gisteren"/);
    rejects('date:*', 5, /^Invalid date "\*"/);
    rejects('date:[2020-04-01 TO 2020-04-31]', 20, /^Invalid date "2020-04-31" at position 20/);
    rejects('date:0999-01-01', 5, /^Invalid date/);
  });

  it('leap day is a valid date', () => {
    assert.deepEqual(p('date:2020-02-29'), date('2020-02-29T00:00:00.000Z', '2020-03-01T00:00:00.000Z'));
  });

  it('range syntax errors', () => {
    rejects('date:[2020-04-01 2020-05-01]', 17, /^Expected "TO" in date range at position 17/);
    rejects('date:[2020-04-01 to 2020-05-01]', 17, /^Expected "TO"/);
    rejects('date:[2020-04-01 TO 2020-05-01', 5, /^Unclosed date range starting at position 5/);
    rejects('date:[2020-04-01 TO', 5, /^Unclosed date range/);
    rejects('date:[2020-04-01 TO ]', 20, /^Expected an end date in date range at position 20/);
    rejects('date:[2020-04-01 TO 2020-05-01) x', 30, /^Expected "\]" or "\}"/);
  });

  it('a range that ends before it starts is rejected', () => {
    rejects('date:[2020-05-01 TO 2020-04-01]', 0, /^Empty date range at position 0/);
    rejects('date:{2020-04-01 TO 2020-04-02}', 0, /^Empty date range/);
  });

  it('comparison without a date', () => {
    rejects('date:>=', 7, /^Expected a date after "date:>=" at position 7/);
  });
});

// --- spans -------------------------------------------------------------------------

describe('spans', () => {
  it('leaves, negations and groups point at their source text', () => {
    const q = '(geld OR "cash"~2) -from:mo date:[2020 TO *]';
    const ast = parseQuery(q);
    assert.equal(ast.kind, 'and');
    if (ast.kind !== 'and') return;
    const [group, negation, dateNode] = ast.children;
    assert.deepEqual(ast.span, { start: 0, end: q.length });
    assert.deepEqual(group?.span, { start: 0, end: 18 });
    assert.equal(group?.kind, 'or');
    if (group?.kind === 'or') {
      assert.equal(q.slice(group.children[0]?.span.start, group.children[0]?.span.end), 'geld');
      assert.equal(q.slice(group.children[1]?.span.start, group.children[1]?.span.end), '"cash"~2');
    }
    assert.equal(q.slice(negation?.span.start, negation?.span.end), '-from:mo');
    assert.equal(q.slice(dateNode?.span.start, dateNode?.span.end), 'date:[2020 TO *]');
  });
});

// --- limits ------------------------------------------------------------------------

describe('limits', () => {
  it(`queries up to ${MAX_QUERY_LENGTH} characters are accepted, longer ones rejected`, () => {
    assert.deepEqual(p('a'.repeat(MAX_QUERY_LENGTH)), term('a'.repeat(MAX_QUERY_LENGTH)));
    rejects('a'.repeat(MAX_QUERY_LENGTH + 1), MAX_QUERY_LENGTH, /^Query is too long at position 4000 \(4001 characters/);
  });

  it(`nesting up to ${MAX_NESTING_DEPTH} levels is accepted, deeper is rejected`, () => {
    const nest = (n: number): string => '('.repeat(n) + 'a b' + ')'.repeat(n);
    assert.deepEqual(p(nest(MAX_NESTING_DEPTH)), and(term('a'), term('b')));
    rejects(nest(MAX_NESTING_DEPTH + 1), MAX_NESTING_DEPTH, /^Query is nested too deeply at position 32/);
    rejects('NOT '.repeat(MAX_NESTING_DEPTH + 1) + 'a', 4 * MAX_NESTING_DEPTH, /nested too deeply/);
    rejects('-'.repeat(MAX_NESTING_DEPTH + 1) + 'a', MAX_NESTING_DEPTH, /nested too deeply/);
  });

  it(`up to ${MAX_CLAUSES} clauses are accepted, more are rejected at the first one too many`, () => {
    const clauses = (n: number): string => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    const ok = parseQuery(clauses(MAX_CLAUSES));
    assert.equal(ok.kind === 'and' && ok.children.length, MAX_CLAUSES);
    const q = clauses(MAX_CLAUSES + 1);
    rejects(q, q.lastIndexOf(' ') + 1, /^Too many clauses at position \d+ \(at most 256/);
  });
});

// --- formatQueryError --------------------------------------------------------------

describe('formatQueryError', () => {
  it('shows the message, the query and a caret under the position', () => {
    const q = 'geld AND "cash';
    const out = formatQueryError(q, syntaxError(q));
    assert.equal(out, 'Unclosed quote starting at position 9\n  geld AND "cash\n           ^');
  });

  it('puts the caret after the end for errors at the end of the query', () => {
    const q = 'geld NOT';
    const lines = formatQueryError(q, syntaxError(q)).split('\n');
    assert.equal(lines[2], `  ${' '.repeat(8)}^`);
  });

  it('keeps the caret aligned across tabs, newlines and astral characters', () => {
    const q = 'ж😀ж\tgeld\n)';
    const err = syntaxError(q);
    assert.equal(err.position, 10);
    const lines = formatQueryError(q, err).split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[1], '  ж😀ж geld )');
    assert.equal(lines[2], `  ${' '.repeat(9)}^`);
  });

  it('windows long queries around the position', () => {
    const q = `${'geld '.repeat(60)}foo:bar ${'cash '.repeat(60)}`;
    const lines = formatQueryError(q, syntaxError(q)).split('\n');
    const shown = lines[1] ?? '';
    const caretLine = lines[2] ?? '';
    assert.ok(shown.length < 110);
    assert.ok(shown.includes('…'));
    assert.equal(shown.slice(caretLine.indexOf('^'), caretLine.indexOf('^') + 7), 'foo:bar');
  });

  it('passes other errors through as their message', () => {
    assert.equal(formatQueryError('x', new Error('boom')), 'boom');
  });
});

// --- printQuery ----------------------------------------------------------------------

describe('printQuery', () => {
  it('prints a canonical query', () => {
    assert.equal(
      printQuery(parseQuery('(geld OR cash*) -kilo~ from:"Mo kapper" date:2020-04-01')),
      '(geld OR cash*) NOT kilo~2 from:"Mo kapper" date:[2020-04-01T00:00:00.000Z TO 2020-04-02T00:00:00.000Z}',
    );
  });

  it('escapes operator words so they stay terms', () => {
    assert.equal(printQuery({ kind: 'term', value: 'OR', span: { start: 0, end: 2 } }), '\\OR');
  });
});

// --- properties ----------------------------------------------------------------------

function parsesOrThrowsSyntaxError(q: string): void {
  try {
    const node = parseQuery(q);
    assert.ok(typeof node === 'object' && node !== null && typeof node.kind === 'string');
  } catch (err) {
    if (!(err instanceof QuerySyntaxError)) throw err;
    assert.ok(Number.isInteger(err.position) && err.position >= 0 && err.position <= q.length, err.message);
    assert.ok(err.message.length > 0);
  }
}

// Fragments that reach the interesting corners of the grammar.
const queryish = fc.string({
  unit: fc.constantFrom(
    'geld', 'Café', 'or', 'OR', 'AND', 'NOT', '&&', '||', ' ', ' ', '(', ')', '"', '\\', '-', '+', '*', '~', '~1',
    ':', 'from:', 'has:', 'date:', 'url:', 'foo:', '[', ']', '{', '}', ' TO ', '*', '2020-04-01', '>=', '<',
    '06-123', '!', 'T12:00Z', '😀', '\t',
  ),
  maxLength: 30,
});

const word = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abzéßжΩñ07ANDORT'), minLength: 1, maxLength: 8 }),
  fc.constantFrom('AND', 'OR', 'NOT', 'TO', 'and', 'or'),
);

const rawValue = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom('"', '\\', '(', ')', ' ', ':', '*', '~', '-', '[', ']', '\n', 'a'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
    ),
    minLength: 1,
    maxLength: 12,
  })
  .filter((s) => !/^\s*$/u.test(s));

const MIN_MS = Date.UTC(1000, 0, 1);
const MAX_MS = Date.UTC(9998, 11, 31);
const instant = fc.integer({ min: MIN_MS, max: MAX_MS }).map((ms) => new Date(ms).toISOString());
const span = { start: 0, end: 0 };

const leaf: fc.Arbitrary<QueryNode> = fc.oneof(
  word.map((value): QueryNode => ({ kind: 'term', value, span })),
  word.map((value): QueryNode => ({ kind: 'prefix', value, span })),
  fc.record({ value: word, distance: fc.constantFrom(0 as const, 1 as const, 2 as const) }).map(
    ({ value, distance }): QueryNode => ({ kind: 'fuzzy', value, distance, span }),
  ),
  fc.record({ terms: fc.array(word, { minLength: 1, maxLength: 4 }), proximity: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }) }).map(
    ({ terms, proximity }): QueryNode =>
      proximity === undefined ? { kind: 'phrase', terms, span } : { kind: 'phrase', terms, proximity, span },
  ),
  fc.record({ f: fc.constantFrom(...FILTER_FIELDS), value: rawValue }).map(
    ({ f, value }): QueryNode => ({ kind: 'field', field: f, value, span }),
  ),
  fc.record({ t: fc.constantFrom(...ENTITY_FILTER_TYPES), value: rawValue }).map(
    ({ t, value }): QueryNode => ({ kind: 'entity', type: t, value, span }),
  ),
  fc.constant<QueryNode>({ kind: 'has', what: 'attachment', span }),
  fc.tuple(instant, instant, fc.constantFrom('both', 'from', 'to')).filter(([a, b]) => a !== b).map(([a, b, which]): QueryNode => {
    const [from, to] = a < b ? [a, b] : [b, a];
    if (which === 'from') return { kind: 'date', from, span };
    if (which === 'to') return { kind: 'date', to, span };
    return { kind: 'date', from, to, span };
  }),
);

const { tree } = fc.letrec<{ tree: QueryNode }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', maxDepth: 4, withCrossShrink: true },
    leaf,
    fc.array(tie('tree'), { minLength: 2, maxLength: 3 }).map((children): QueryNode => ({ kind: 'and', children, span })),
    fc.array(tie('tree'), { minLength: 2, maxLength: 3 }).map((children): QueryNode => ({ kind: 'or', children, span })),
    tie('tree').map((child): QueryNode => ({ kind: 'not', child, span })),
  ),
}));

describe('properties', () => {
  it('any ASCII-ish string either parses or throws QuerySyntaxError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), parsesOrThrowsSyntaxError), { numRuns: 2000 });
  });

  it('any full-Unicode string either parses or throws QuerySyntaxError', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), parsesOrThrowsSyntaxError), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), parsesOrThrowsSyntaxError), { numRuns: 1000 });
  });

  it('strings with lone surrogates either parse or throw QuerySyntaxError', () => {
    const units = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });
    fc.assert(fc.property(units, parsesOrThrowsSyntaxError), { numRuns: 1000 });
  });

  it('query-like strings either parse or throw QuerySyntaxError, and formatQueryError never throws', () => {
    fc.assert(
      fc.property(queryish, (q) => {
        parsesOrThrowsSyntaxError(q);
        try {
          parseQuery(q);
        } catch (err) {
          const out = formatQueryError(q, err);
          assert.equal(out.split('\n').length, 3);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('successful parses have spans inside the query and re-print to the same AST', () => {
    fc.assert(
      fc.property(queryish, (q) => {
        let ast: QueryNode;
        try {
          ast = parseQuery(q);
        } catch {
          return;
        }
        const check = (n: QueryNode): void => {
          assert.ok(n.span.start >= 0 && n.span.start < n.span.end && n.span.end <= q.length, JSON.stringify(n));
          if (n.kind === 'and' || n.kind === 'or') {
            assert.ok(n.children.length >= 2);
            for (const c of n.children) {
              assert.notEqual(c.kind, n.kind, 'same-kind children are flattened');
              check(c);
            }
          } else if (n.kind === 'not') check(n.child);
        };
        check(ast);
        assert.deepEqual(p(printQuery(ast)), strip(ast));
      }),
      { numRuns: 3000 },
    );
  });

  it('printed ASTs parse back to an equivalent AST', () => {
    fc.assert(
      fc.property(tree, (ast) => {
        const text = printQuery(ast);
        let parsed: QueryNode;
        try {
          parsed = parseQuery(text);
        } catch (err) {
          assert.fail(`${text}\n${formatQueryError(text, err)}`);
        }
        assert.deepEqual(strip(parsed), strip(ast), text);
      }),
      { numRuns: 2000 },
    );
  });
});
