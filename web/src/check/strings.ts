// The check page's words, Dutch and English. English is the reference; the Dutch dictionary must
// have every key (the type says so). The page never says whether an address was found: every
// answer reads the same, and only the code differs from one check to the next.

export const CHECK_LANGUAGES = ['nl', 'en'] as const;
export type CheckLanguage = (typeof CHECK_LANGUAGES)[number];

const en = {
  documentTitle: 'Is your e-mail address in seized data? · Check',
  languageLabel: 'Language',
  title: 'Is your e-mail address in seized data?',
  intro: 'In investigations the police sometimes seize data that holds the e-mail addresses and passwords of ordinary people. Here you can check whether your address is among them.',
  how: 'You never get the answer on this page. If the address is in the data, we send a message to that address, so only whoever reads that mailbox learns the answer.',
  emailLabel: 'Your e-mail address',
  emailHint: 'We do not keep the address you enter.',
  submit: 'Check',
  working: 'Working… your browser does a small calculation that keeps automated floods out. This takes a few seconds.',
  sending: 'Sending your check…',
  invalidEmail: 'Enter an e-mail address such as name@example.nl.',
  resultTitle: 'Check your mailbox',
  resultBefore: 'If this address is in seized data we hold, a message is on its way to it. It repeats this code:',
  resultAfter: 'Our messages never contain links and we never ask for a password, login details or a payment. A message about this check with another code, or with a link, is not from us.',
  nothingTitle: 'Nothing arrived?',
  nothingSpam: 'Look in your spam or junk folder; the message can take a few minutes.',
  nothingMeans: 'No message means that we did not find the address, or that we already sent a message to it in the last day.',
  again: 'Check another address',
  errorReload: 'The form has expired. Reload the page and try again.',
  reload: 'Reload the page',
  errorBusy: 'Too many checks were made from your connection. Try again in {minutes} [minute|minutes].',
  errorUnavailable: 'The check cannot send messages at the moment. Please try again later.',
  errorNetwork: 'The check could not be reached. Check your connection and try again.',
  errorInsecure: 'This page needs a secure connection (https) for its calculation. Open it at its https address.',
  noscript: 'This check needs JavaScript: your browser does a small calculation before it sends the address.',
  aboutTitle: 'About this check',
  aboutMail: 'The message tells you in which data your address was found, what else was in it, and what you can do: change passwords, turn on two-step verification, and watch out for phishing.',
  aboutCode: 'The code on this page is new for every check. Compare it with the code in the message before you trust the message.',
} as const;

export type CheckKey = keyof typeof en;

const nl: Record<CheckKey, string> = {
  documentTitle: 'Staat uw e-mailadres in in beslag genomen gegevens? · Controle',
  languageLabel: 'Taal',
  title: 'Staat uw e-mailadres in in beslag genomen gegevens?',
  intro: 'Bij onderzoeken neemt de politie soms gegevens in beslag waarin e-mailadressen en wachtwoorden van gewone mensen staan. Hier kunt u controleren of uw adres daarbij is.',
  how: 'Het antwoord krijgt u nooit op deze pagina. Staat het adres in de gegevens, dan sturen we een bericht naar dat adres. Zo hoort alleen wie die mailbox leest het antwoord.',
  emailLabel: 'Uw e-mailadres',
  emailHint: 'We bewaren het adres dat u invult niet.',
  submit: 'Controleren',
  working: 'Even geduld… uw browser doet een kleine berekening die geautomatiseerde aanvallen tegenhoudt. Dat duurt een paar seconden.',
  sending: 'Uw controle wordt verstuurd…',
  invalidEmail: 'Vul een e-mailadres in, zoals naam@voorbeeld.nl.',
  resultTitle: 'Kijk in uw mailbox',
  resultBefore: 'Als dit adres voorkomt in in beslag genomen gegevens die wij hebben, is er een bericht naar dit adres onderweg. Daarin staat deze code:',
  resultAfter: 'Onze berichten bevatten nooit links en we vragen nooit om een wachtwoord, inloggegevens of een betaling. Een bericht over deze controle met een andere code, of met een link, komt niet van ons.',
  nothingTitle: 'Niets ontvangen?',
  nothingSpam: 'Kijk in uw map met ongewenste e-mail (spam); het bericht kan een paar minuten onderweg zijn.',
  nothingMeans: 'Geen bericht betekent dat we het adres niet hebben gevonden, of dat we in de afgelopen dag al een bericht naar dit adres hebben gestuurd.',
  again: 'Een ander adres controleren',
  errorReload: 'Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.',
  reload: 'Pagina opnieuw laden',
  errorBusy: 'Er zijn te veel controles gedaan vanaf uw verbinding. Probeer het over {minutes} [minuut|minuten] opnieuw.',
  errorUnavailable: 'De controle kan op dit moment geen berichten versturen. Probeer het later opnieuw.',
  errorNetwork: 'De controle is niet bereikbaar. Controleer uw verbinding en probeer het opnieuw.',
  errorInsecure: 'Deze pagina heeft een beveiligde verbinding (https) nodig voor de berekening. Open de pagina via het https-adres.',
  noscript: 'Deze controle heeft JavaScript nodig: uw browser doet een kleine berekening voordat het adres wordt verstuurd.',
  aboutTitle: 'Over deze controle',
  aboutMail: 'Het bericht vertelt in welke gegevens uw adres is gevonden, wat er nog meer in stond en wat u kunt doen: wachtwoorden wijzigen, tweestapsverificatie aanzetten en opletten voor phishing.',
  aboutCode: 'De code op deze pagina is bij elke controle anders. Vergelijk die met de code in het bericht voordat u het bericht vertrouwt.',
};

const DICTIONARIES: Record<CheckLanguage, Record<CheckKey, string>> = { en, nl };

/** `{name}` inserts a value; `[one|other]` picks a form by `n`. */
export function checkText(language: CheckLanguage, key: CheckKey, vars: Record<string, string | number> = {}): string {
  return DICTIONARIES[language][key]
    .replace(/\[([^|\]]*)\|([^\]]*)\]/g, (_, one: string, other: string) => (Number(vars.n) === 1 ? one : other))
    .replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function isCheckLanguage(value: string | null | undefined): value is CheckLanguage {
  return value === 'nl' || value === 'en';
}
