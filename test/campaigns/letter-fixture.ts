// A recipient of a warning letter, as the template, letter and e-mail tests build on it.
import { PDFParse } from 'pdf-parse';
import type { RecipientActivity } from '../../src/model/campaigns.ts';
import type { LetterContext, LetterLanguage } from '../../src/campaigns/template.ts';

export const REFERENCE = 'LEKSTOP-2026-0042';

export function activity(overrides: Partial<RecipientActivity> = {}): RecipientActivity {
  return {
    registered: '2024-03-01T10:15:00Z',
    firstActive: '2024-03-04',
    lastActive: '2025-11-30T22:10:00Z',
    payments: 3,
    paid: [{ currency: 'EUR', amount: 120 }, { currency: 'BTC', amount: 0.005 }],
    searches: 14,
    searchExamples: ['ing.nl combo', 'rabobank wachtwoorden'],
    events: 21,
    eventTypes: { payment: 3, search: 14, login: 4 },
    ...overrides,
  };
}

export function letterContext(overrides: Partial<LetterContext> = {}): LetterContext {
  const language: LetterLanguage = overrides.language ?? 'nl';
  return {
    language,
    reference: REFERENCE,
    date: '2026-12-06',
    site: 'DataBazaar',
    campaign: 'Operatie Lekstop',
    person: { name: 'Jan de Boer', usernames: ['d4rkbuyer', 'jdb_2020'], emails: ['jan@example.nl'], address: 'Kerkstraat 12\n1234 AB Utrecht' },
    activity: activity(),
    legalText: language === 'nl'
      ? 'Heling van gegevens is strafbaar (artikel 139g Sr).\n\nComputervredebreuk is strafbaar (artikel 138ab Sr).'
      : 'Handling stolen data is an offence (section 139g).\n\nComputer intrusion is an offence (section 138ab).',
    sender: {
      organisation: 'Politie', unit: 'Team High Tech Crime', address: 'Postbus 100\n2700 AC Zoetermeer',
      phone: '0900-8844', email: 'stopgesprek@politie.example', signatory: 'A. de Vries',
    },
    ...overrides,
  };
}

/** The text of a PDF as a reader would copy it, white space (also no-break space) as single spaces. */
export async function pdfTextOf(pdf: Uint8Array): Promise<{ text: string; pages: number }> {
  const parser = new PDFParse({ data: pdf.slice() });
  try {
    const { text, total } = await parser.getText();
    return { text: text.replace(/\s+/g, ' '), pages: total };
  } finally {
    await parser.destroy();
  }
}
