// Escaping for the GEXF and GraphML writers. Account keys come from seized data and may hold any
// character: markup characters are escaped, and characters XML 1.0 cannot carry at all (most C0
// controls, lone surrogates, U+FFFE/U+FFFF) become U+FFFD, or no parser would read the file.

// With the `u` flag a valid surrogate pair is one code point (kept) and a lone surrogate is matched.
const NOT_XML_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function toXmlCharacters(text: string): string {
  return text.replace(NOT_XML_CHARACTER, '\uFFFD');
}

export function escapeXmlText(text: string): string {
  return toXmlCharacters(text).replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** Also escapes tab and line breaks, which a parser would otherwise normalise to spaces in an attribute. */
export function escapeXmlAttribute(text: string): string {
  return toXmlCharacters(text).replace(/[&<>"'\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c] ?? c);
}

const ATTRIBUTE_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** xsd:double and xsd:long accept JavaScript's shortest round-trip form (`1e-7` included). */
export function formatXmlNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'INF' : '-INF';
  return String(value);
}
