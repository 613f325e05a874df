// References printed on letters and in e-mails: CODE-NNNNN-CC, a campaign code, the recipient's
// number and two check digits (ISO 7064 MOD 97-10, as IBANs use), so a reference read out over
// the phone or typed from a letter with one wrong character is refused instead of finding
// someone else.

const MAX_CODE = 10;

/** A campaign code from its name: its letters and digits, upper case (at most ten). */
export function campaignCode(name: string): string {
  const code = name.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(0, MAX_CODE);
  return code === '' ? 'CAMPAIGN' : code;
}

export function formatReference(code: string, seq: number): string {
  const body = `${code}-${String(seq).padStart(5, '0')}`;
  return `${body}-${String(98 - mod97(`${body}00`)).padStart(2, '0')}`;
}

/** The reference as written (any case, spaces), or undefined when its check digits do not fit. */
export function normaliseReference(input: string): string | undefined {
  const reference = input.trim().toUpperCase().replace(/\s+/g, '');
  const match = /^([A-Z0-9]{1,10})-(\d{5,})-(\d{2})$/.exec(reference);
  if (!match) return undefined;
  return mod97(`${match[1]}-${match[2]}${match[3]}`) === 1 ? reference : undefined;
}

/** Letters count as 10..35, digits as themselves, other characters not at all (ISO 7064). */
function mod97(text: string): number {
  let remainder = 0;
  for (const char of text) {
    const code = char.charCodeAt(0);
    const digits = code >= 48 && code <= 57 ? char : code >= 65 && code <= 90 ? String(code - 55) : '';
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}
