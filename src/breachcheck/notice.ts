// The mail a person gets when the address they checked is in published seized data. It goes
// only to that address, and it is written so that an imitation is easy to tell apart: plain
// text, no links at all (a link is what a phishing copy would add), the code the page showed,
// and the promise that the police never ask for a password. It does not repeat the address, so
// a forwarded or leaked copy says less about whom it concerns.
//
// An address that is not found gets no mail at all. A "nothing found" mail would let anyone
// send our mail to any address by typing it in: the service would become a mail cannon, and its
// mails spam that trains people to ignore the one that matters. The page says the same thing
// whatever the answer, so silence reveals nothing either.
import type { CheckFinding } from '../model/breachcheck.ts';

export const NOTICE_LANGUAGES = ['nl', 'en'] as const;
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number];

export type CheckNoticeInput = {
  language: NoticeLanguage;
  /** The code the check page showed (from the solved challenge). */
  code: string;
  findings: CheckFinding[];
  service: {
    organisation: string;
    /** Replaces the default sentence about replies (e.g. a phone number to call instead). */
    replyNote?: string;
  };
};

export type CheckNotice = { subject: string; text: string };

/**
 * Text a mail client would turn into a link: a scheme, `www.`, an address with `@` (mailto), or
 * a dotted host name such as `shop.nl`. Deliberately broad: a refused title costs an
 * administrator a rewording, a link in the mail costs every recipient the rule "our mail has none".
 */
export function hasLink(text: string): boolean {
  return /https?:|:\/\/|www\.|@|[a-z0-9-]\.[a-z]{2,}\b/i.test(text);
}

/** HIBP's data class names in Dutch; a class without a translation is shown as HIBP names it. */
export const DATA_CLASSES_NL: Record<string, string> = {
  'Email addresses': 'E-mailadressen',
  Usernames: 'Gebruikersnamen',
  Passwords: 'Wachtwoorden',
  'IP addresses': 'IP-adressen',
  'Phone numbers': 'Telefoonnummers',
  Names: 'Namen',
  'Physical addresses': 'Woonadressen',
  'Dates of birth': 'Geboortedata',
  Purchases: 'Aankopen',
  'Website activity': 'Websiteactiviteit',
};

type Wording = {
  subject: string;
  greeting: string;
  found: (organisation: string) => string;
  code: (code: string) => string;
  codeHelp: string;
  notYou: string;
  where: string;
  seen: (date: string) => string;
  exposed: string;
  whatToDo: string;
  advice: string[];
  noLinks: string;
  replies: string;
  locale: string;
  dataClass: (name: string) => string;
};

const WORDING: Record<NoticeLanguage, Wording> = {
  nl: {
    subject: 'Uw controle: gegevens aangetroffen in in beslag genomen data',
    greeting: 'Geachte heer, mevrouw,',
    found: (organisation) => `Bij ${organisation} is gecontroleerd of dit e-mailadres voorkomt in gegevens die de politie in beslag heeft genomen. Dat is zo.`,
    code: (code) => `De code op de pagina was: ${code}`,
    codeHelp: 'Heeft u de controle zelf gedaan, dan zag u deze code op de pagina. Een bericht over deze controle met een andere code, of met een link, komt niet van ons.',
    notYou: 'Heeft u zelf geen controle gedaan, dan heeft iemand anders uw adres ingevuld. Wat hieronder staat, geldt dan evengoed voor u.',
    where: 'Waar uw e-mailadres is aangetroffen:',
    seen: (date) => `gegevens van ${date}`,
    exposed: 'Gegevens',
    whatToDo: 'Wat kunt u doen?',
    advice: [
      'Wijzig het wachtwoord dat u daar gebruikte, en ook overal waar u hetzelfde of een vergelijkbaar wachtwoord gebruikt.',
      'Gebruik voor elke dienst een ander wachtwoord. Een wachtwoordmanager helpt daarbij.',
      'Zet tweestapsverificatie aan waar dat kan.',
      'Let op phishing: berichten, sms\'jes of telefoontjes die deze gegevens gebruiken om echt te lijken.',
      'De politie vraagt nooit om uw wachtwoord, om inloggegevens of om een betaling.',
    ],
    noLinks: 'Dit bericht bevat geen links.',
    replies: 'Op dit bericht kunt u niet antwoorden.',
    locale: 'nl-NL',
    dataClass: (name) => DATA_CLASSES_NL[name] ?? name,
  },
  en: {
    subject: 'Your check: your data was found in seized data',
    greeting: 'Dear Sir or Madam,',
    found: (organisation) => `${organisation} was asked to check whether this e-mail address appears in data seized by the police. It does.`,
    code: (code) => `The code on the page was: ${code}`,
    codeHelp: 'If you did the check yourself, you saw this code on the page. A message about this check with another code, or with a link, is not from us.',
    notYou: 'If you did not ask for a check, someone else entered your address. What follows applies to you all the same.',
    where: 'Where your e-mail address was found:',
    seen: (date) => `data from ${date}`,
    exposed: 'Data',
    whatToDo: 'What you can do',
    advice: [
      'Change the password you used there, and change it everywhere you use the same or a similar password.',
      'Use a different password for every service. A password manager makes that easy.',
      'Turn on two-step verification wherever you can.',
      'Be alert for phishing: messages, texts or calls that use this data to seem genuine.',
      'The police will never ask for your password, your login details or a payment.',
    ],
    noLinks: 'This message contains no links.',
    replies: 'Replies to this message are not read.',
    locale: 'en-GB',
    dataClass: (name) => name,
  },
};

const CODE = /^[A-Z0-9]{4,12}$/;

/**
 * The mail for an address found in one or more published datasets. Throws when there is
 * nothing to tell or when an input would put a link into the mail: both are bugs or
 * misconfiguration, and sending anyway would break the promises above.
 */
export function composeCheckNotice(input: CheckNoticeInput): CheckNotice {
  const w = WORDING[input.language];
  if (input.findings.length === 0) throw new Error('no findings: an address that is not found gets no mail');
  if (!CODE.test(input.code)) throw new Error(`not a page code: ${input.code}`);
  const { organisation, replyNote } = input.service;
  if (organisation.trim() === '') throw new Error('the organisation must be named');
  const shown: [string, string][] = [['organisation', organisation], ['replyNote', replyNote ?? ''], ...input.findings.map((f): [string, string] => ['title', f.title])];
  for (const [what, value] of shown) {
    if (hasLink(value)) throw new Error(`${what} would put a link into the check mail: ${value}`);
  }
  const dates = new Intl.DateTimeFormat(w.locale, { dateStyle: 'long', timeZone: 'UTC' });
  const findings = [...input.findings].sort((a, b) => a.breachDate.localeCompare(b.breachDate) || a.title.localeCompare(b.title));
  const lines = [
    w.greeting,
    '',
    w.found(organisation.trim()),
    '',
    w.code(input.code),
    w.codeHelp,
    w.notYou,
    '',
    w.where,
    ...findings.flatMap((f) => [
      `- ${f.title} (${w.seen(formatDate(dates, f.breachDate))})`,
      ...(f.dataClasses.length > 0 ? [`  ${w.exposed}: ${f.dataClasses.map(w.dataClass).join(', ')}`] : []),
    ]),
    '',
    w.whatToDo,
    ...w.advice.map((line, i) => `${i + 1}. ${line}`),
    '',
    `${w.noLinks} ${replyNote?.trim() || w.replies}`,
    '',
    organisation.trim(),
  ];
  return { subject: w.subject, text: lines.join('\n') + '\n' };
}

function formatDate(format: Intl.DateTimeFormat, date: string): string {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(ms) ? date : format.format(ms);
}
