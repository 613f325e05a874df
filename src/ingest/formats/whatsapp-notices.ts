// What WhatsApp writes into an export besides people's own words: system notices (encryption,
// group changes, security codes, deleted messages) and media placeholders, in the languages
// Lode meets most (en, nl, de, fr, es). Pure functions of one line of text.

export type ExportLanguage = 'en' | 'nl' | 'de' | 'fr' | 'es';

export type NoticeKind =
  | 'encryption' | 'created' | 'added' | 'removed' | 'left' | 'joined' | 'subject' | 'icon' | 'description'
  | 'security-code' | 'number-changed' | 'disappearing' | 'missed-call' | 'deleted';

export type Notice = {
  kind: NoticeKind;
  language: ExportLanguage;
  /** The notice describes a group (someone created, joined, left or renamed it). */
  isGroupEvent: boolean;
  /** Who acted, as shown; absent when the exporter acted ("You added...") or nobody did. */
  actor?: string;
  /** The exporter acted ("You", "Je", "Du", "Vous", "Creaste"...). */
  bySelf: boolean;
  target?: string;
  subject?: string;
};

export type Media = {
  /** `omitted`: exported without media; `attached`: the file travels with the export. */
  kind: 'omitted' | 'attached';
  language: ExportLanguage;
  name?: string;
  /** What was omitted, when the placeholder says (image, video, audio...). */
  what?: string;
};

/** Bidirectional marks WhatsApp puts around names, numbers and notices; invisible but not equal. */
const MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

const HAS_MARK = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

export function hasMarks(text: string): boolean {
  return HAS_MARK.test(text);
}

export function stripMarks(text: string): string {
  return text.replace(MARKS, '');
}

export function startsWithMark(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0xfeff;
}

// Quotes around group names differ per locale and platform: "x", “x”, „x“, « x », 'x'.
const OPEN = String.raw`["“”„«‘’‚']\s?`;
const CLOSE = String.raw`\s?["“”»‘’']`;
const SUBJECT = String.raw`${OPEN}(?<subject>.*)${CLOSE}`;
const OLD = String.raw`${OPEN}.*?${CLOSE}`;
const APOS = `['’]`;

type Pattern = { kind: NoticeKind; language: ExportLanguage; pattern: RegExp };
const p = (language: ExportLanguage, kind: NoticeKind, source: string): Pattern => ({ language, kind, pattern: new RegExp(`^${source}$`, 'u') });

// Order matters: deleted-message sentences and the specific group changes come before the
// generic "X added Y" / "X heeft Y verwijderd", which would otherwise swallow them.
const DELETED_PATTERNS: readonly Pattern[] = [
  p('en', 'deleted', String.raw`(?:This message was deleted|(?<self>You deleted this message))\.?`),
  p('nl', 'deleted', String.raw`(?:Dit bericht is verwijderd|(?<self>(?:Je|U) (?:hebt|heeft) dit bericht verwijderd))\.?`),
  p('de', 'deleted', String.raw`(?:Diese Nachricht wurde gelöscht|(?<self>Du hast diese Nachricht gelöscht))\.?`),
  p('fr', 'deleted', String.raw`(?:Ce message a été supprimé|(?<self>Vous avez supprimé ce message))\.?`),
  p('es', 'deleted', String.raw`(?:Se eliminó este mensaje|Este mensaje fue eliminado|(?<self>Eliminaste este mensaje))\.?`),
];

const PATTERNS: readonly Pattern[] = [
  ...DELETED_PATTERNS,

  p('en', 'encryption', String.raw`Messages (?:and calls |to this (?:group|chat) |you send to this (?:group|chat) ).*end-to-end encrypt.*`),
  p('nl', 'encryption', String.raw`Berichten .*end-to-end.*`),
  p('de', 'encryption', String.raw`Nachrichten .*Ende-zu-Ende.*`),
  p('fr', 'encryption', String.raw`Les messages .*(?:chiffrés de bout en bout|chiffrement de bout en bout).*`),
  p('es', 'encryption', String.raw`Los mensajes .*(?:cifrados de extremo a extremo|cifrado de extremo a extremo).*`),

  p('en', 'security-code', String.raw`(?:Your security code with (?<target>.+?)|(?<target2>.+?)${APOS}s security code) changed\..*`),
  p('nl', 'security-code', String.raw`(?:Je beveiligingscode (?:met|voor) (?<target>.+?)|De beveiligingscode van (?<target2>.+?)) is gewijzigd\..*`),
  p('de', 'security-code', String.raw`(?:Deine Sicherheitsnummer für (?<target>.+?)|Die Sicherheitsnummer von (?<target2>.+?)) hat sich geändert\..*`),
  p('fr', 'security-code', String.raw`(?:Votre code de sécurité avec (?<target>.+?)|Le code de sécurité de (?<target2>.+?)) a changé\..*`),
  p('es', 'security-code', String.raw`(?:Tu código de seguridad con (?<target>.+?)|El código de seguridad de (?<target2>.+?)) cambió\..*`),

  p('en', 'missed-call', String.raw`Missed (?:voice|video|group voice|group video) call.*`),
  p('nl', 'missed-call', String.raw`Gemiste (?:spraak|video|groepsspraak|groepsvideo)oproep.*`),
  p('de', 'missed-call', String.raw`Verpasster (?:Sprach|Video|Gruppensprach|Gruppenvideo)anruf.*`),
  p('fr', 'missed-call', String.raw`Appel (?:vocal|vidéo)(?: de groupe)? manqué.*`),
  p('es', 'missed-call', String.raw`Llamada (?:de voz|de video|de vídeo)? ?perdida.*`),

  p('en', 'subject', String.raw`(?<actor>.+?) changed the (?:subject|group name) (?:from ${OLD} )?to ${SUBJECT}`),
  p('nl', 'subject', String.raw`(?<actor>.+?) (?:heeft|hebt) (?:het onderwerp|de groepsnaam) gewijzigd (?:van ${OLD} )?(?:naar|in) ${SUBJECT}`),
  p('de', 'subject', String.raw`(?<actor>.+?) (?:hat|hast) den (?:Betreff|Gruppennamen) (?:von ${OLD} )?(?:zu|in) ${SUBJECT} geändert`),
  p('fr', 'subject', String.raw`(?<actor>.+?) (?:a|avez) (?:modifié|changé) (?:le sujet|le nom du groupe) (?:de ${OLD} )?(?:en|à|pour) ${SUBJECT}`),
  p('es', 'subject', String.raw`(?:(?<self>Cambiaste)|(?<actor>.+?) cambió) (?:el asunto|el nombre del grupo) (?:de ${OLD} )?a ${SUBJECT}`),

  p('en', 'icon', String.raw`(?<actor>.+?) (?:changed|deleted) (?:this group${APOS}s icon|the group icon|the group photo)`),
  p('nl', 'icon', String.raw`(?<actor>.+?) (?:heeft|hebt) (?:het pictogram van deze groep|de groepsafbeelding|de groepsfoto|het groepspictogram) (?:gewijzigd|verwijderd)`),
  p('de', 'icon', String.raw`(?<actor>.+?) (?:hat|hast) das (?:Gruppenbild|Gruppenfoto|Gruppensymbol|Gruppenicon) (?:geändert|gelöscht|entfernt)`),
  p('fr', 'icon', String.raw`(?<actor>.+?) (?:a|avez) (?:modifié|changé|supprimé) (?:l${APOS}icône|la photo|l${APOS}image) (?:de ce groupe|du groupe)`),
  p('es', 'icon', String.raw`(?:(?<self>Cambiaste|Eliminaste)|(?<actor>.+?) (?:cambió|eliminó)) (?:el ícono|el icono|la imagen|la foto) (?:de este grupo|del grupo)`),

  p('en', 'description', String.raw`(?<actor>.+?) (?:changed|deleted) the group description`),
  p('nl', 'description', String.raw`(?<actor>.+?) (?:heeft|hebt) de groepsbeschrijving (?:gewijzigd|verwijderd)`),
  p('de', 'description', String.raw`(?<actor>.+?) (?:hat|hast) die Gruppenbeschreibung (?:geändert|gelöscht)`),
  p('fr', 'description', String.raw`(?<actor>.+?) (?:a|avez) (?:modifié|supprimé) la description du groupe`),
  p('es', 'description', String.raw`(?:(?<self>Cambiaste|Eliminaste)|(?<actor>.+?) (?:cambió|eliminó)) la descripción del grupo`),

  p('en', 'created', String.raw`(?<actor>.+?) created (?:group ${SUBJECT}|this group)`),
  p('nl', 'created', String.raw`(?<actor>.+?) (?:heeft|hebt) (?:groep ${SUBJECT}|deze groep) (?:aan)?gemaakt`),
  p('de', 'created', String.raw`(?<actor>.+?) (?:hat|hast) (?:die Gruppe ${SUBJECT}|diese Gruppe) erstellt`),
  p('fr', 'created', String.raw`(?<actor>.+?) (?:a|avez) créé (?:le groupe ${SUBJECT}|ce groupe)`),
  p('es', 'created', String.raw`(?:(?<self>Creaste)|(?<actor>.+?) creó) (?:el grupo ${SUBJECT}|este grupo)`),

  p('en', 'joined', String.raw`(?<actor>.+?) joined (?:using|via) (?:this group${APOS}s|an) invite link`),
  p('nl', 'joined', String.raw`(?<actor>.+?) (?:is lid geworden|heeft deelgenomen|hebt deelgenomen|is toegetreden) via .*uitnodigingslink.*`),
  p('de', 'joined', String.raw`(?<actor>.+?) (?:ist|bist) .*Einladungslink.*beigetreten`),
  p('fr', 'joined', String.raw`(?<actor>.+?) (?:a|avez) rejoint .*lien d${APOS}invitation.*`),
  p('es', 'joined', String.raw`(?:(?<self>Te uniste)|(?<actor>.+?) se unió) (?:usando|mediante|con) el enlace de invitación.*`),

  p('en', 'number-changed', String.raw`(?<actor>.+?) changed (?:their phone number|to (?<target>\+[\d ()-]+)).*`),
  p('nl', 'number-changed', String.raw`(?<actor>.+?) (?:heeft|hebt) (?:het|zijn|haar|je) telefoonnummer gewijzigd.*`),
  p('de', 'number-changed', String.raw`(?<actor>.+?) (?:hat|hast) (?:die|seine|ihre|deine) Telefonnummer geändert.*`),
  p('fr', 'number-changed', String.raw`(?<actor>.+?) (?:a|avez) changé (?:de|son) numéro.*`),
  p('es', 'number-changed', String.raw`(?<actor>.+?) cambió (?:su|de) número.*`),

  p('en', 'disappearing', String.raw`(?<actor>.+?) turned (?:on|off) disappearing messages.*`),
  p('nl', 'disappearing', String.raw`(?<actor>.+?) (?:heeft|hebt) (?:verdwijnende berichten|tijdelijke berichten) (?:ingeschakeld|uitgeschakeld|aangezet|uitgezet).*`),
  p('de', 'disappearing', String.raw`(?<actor>.+?) (?:hat|hast) selbstlöschende Nachrichten (?:aktiviert|deaktiviert).*`),
  p('fr', 'disappearing', String.raw`(?<actor>.+?) (?:a|avez) (?:activé|désactivé) les messages éphémères.*`),
  p('es', 'disappearing', String.raw`(?<actor>.+?) (?:activó|desactivó) los mensajes temporales.*`),

  p('en', 'added', String.raw`(?<actor>.+?) added (?<target>.+)`),
  p('nl', 'added', String.raw`(?<actor>.+?) (?:heeft|hebt) (?<target>.+) toegevoegd`),
  p('de', 'added', String.raw`(?<actor>.+?) (?:hat|hast) (?<target>.+) hinzugefügt`),
  p('fr', 'added', String.raw`(?<actor>.+?) (?:a|avez) ajouté (?<target>.+)`),
  p('es', 'added', String.raw`(?:(?<self>Añadiste|Agregaste)|(?<actor>.+?) (?:añadió|agregó)) a (?<target>.+)`),

  p('en', 'removed', String.raw`(?<actor>.+?) removed (?<target>.+)`),
  p('nl', 'removed', String.raw`(?<actor>.+?) (?:heeft|hebt) (?<target>.+) verwijderd`),
  p('de', 'removed', String.raw`(?<actor>.+?) (?:hat|hast) (?<target>.+) entfernt`),
  p('fr', 'removed', String.raw`(?<actor>.+?) (?:a|avez) retiré (?<target>.+)`),
  p('es', 'removed', String.raw`(?:(?<self>Eliminaste)|(?<actor>.+?) eliminó) a (?<target>.+)`),

  p('en', 'left', String.raw`(?<actor>.+?) left`),
  p('nl', 'left', String.raw`(?<actor>.+?) (?:is vertrokken|(?:heeft|hebt) de groep verlaten)`),
  p('de', 'left', String.raw`(?<actor>.+?) (?:hat|hast) die Gruppe verlassen`),
  p('fr', 'left', String.raw`(?<actor>.+?) (?:est parti|est partie|(?:a|avez) quitté le groupe)`),
  p('es', 'left', String.raw`(?:(?<self>Saliste)|(?<actor>.+?) salió)(?: del grupo)?`),
];

const GROUP_EVENTS: ReadonlySet<NoticeKind> = new Set(['created', 'added', 'removed', 'left', 'joined', 'subject', 'icon', 'description']);
const SELF_PRONOUNS: ReadonlySet<string> = new Set(['You', 'you', 'Je', 'Jij', 'U', 'Du', 'Vous', 'Tú', 'Usted']);
/** Encryption notices of older versions name the group ("Messages to this group..."). */
const MENTIONS_GROUP = /\b(?:group|groep|Gruppe|groupe|grupo)\b/u;

/**
 * The notice a whole line of text is, or undefined. `text` must have its bidi marks stripped.
 * An actor holding ": " is refused: that is a message "Name: text" whose text reads like a
 * notice ("Bob: Alice left"), never a notice.
 */
export function recogniseNotice(text: string): Notice | undefined {
  return firstNotice(PATTERNS, text);
}

/** "This message was deleted" and its translations only: cheap enough for every message. */
export function recogniseDeletedMessage(text: string): Notice | undefined {
  return text.length > 60 ? undefined : firstNotice(DELETED_PATTERNS, text);
}

function firstNotice(patterns: readonly Pattern[], text: string): Notice | undefined {
  if (text.length === 0 || text.length > 600) return undefined;
  for (const { kind, language, pattern } of patterns) {
    const match = pattern.exec(text);
    if (!match) continue;
    const groups = match.groups ?? {};
    const rawActor = groups.actor?.trim();
    if (rawActor !== undefined && (rawActor.includes(': ') || rawActor === '')) continue;
    const bySelf = groups.self !== undefined || (rawActor !== undefined && SELF_PRONOUNS.has(rawActor));
    const target = (groups.target ?? groups.target2)?.trim();
    return {
      kind, language, bySelf,
      isGroupEvent: GROUP_EVENTS.has(kind) || (kind === 'encryption' && MENTIONS_GROUP.test(text)),
      actor: bySelf ? undefined : rawActor,
      target: target === '' ? undefined : target,
      subject: groups.subject?.trim(),
    };
  }
  return undefined;
}

const OMITTED_ANDROID: Record<string, ExportLanguage> = {
  'Media omitted': 'en', 'Media weggelaten': 'nl', 'Medien ausgeschlossen': 'de', 'Medien weggelassen': 'de',
  'Multimedia omitido': 'es', 'Archivo omitido': 'es', 'Multimedia omitida': 'es', 'Médias omis': 'fr', 'Fichier omis': 'fr',
};
const OMITTED_ANDROID_PATTERN = /^<([^<>]{3,30})>$/u;
// iOS says what was left out: "image omitted", "afbeelding weggelaten", "Bild weggelassen"...
const OMITTED_IOS: readonly { language: ExportLanguage; pattern: RegExp }[] = [
  { language: 'en', pattern: /^(?:(?<name>.+?) • .+ )?(?<what>image|video|audio|sticker|GIF|document|Contact card|contact card) omitted$/u },
  { language: 'nl', pattern: /^(?:(?<name>.+?) • .+ )?(?<what>afbeelding|video|audio|sticker|GIF|document|contactkaart) weggelaten$/u },
  { language: 'de', pattern: /^(?:(?<name>.+?) • .+ )?(?<what>Bild|Video|Audio|Sticker|GIF|Dokument|Kontaktkarte) weggelassen$/u },
  { language: 'fr', pattern: /^(?:(?<name>.+?) • .+ )?(?<what>image|vidéo|audio|autocollant|GIF|document|fiche contact) (?:absente?|omise?)$/u },
  { language: 'es', pattern: /^(?:(?<name>.+?) • .+ )?(?<what>imagen|video|vídeo|audio|sticker|GIF|documento|tarjeta de contacto) omitid[oa]$/u },
];
const OMITTED_IOS_ENDING = / (?:omitted|weggelaten|weggelassen|absente?|omise?|omitid[oa])$/u;
// iOS exports with media: "<attached: 00000012-PHOTO-2020-04-01-12-34-56.jpg>".
const ATTACHED_IOS = /^<(?<label>[^<>:]{2,24}?)\s?:\s?(?<name>[^<>/\\]+\.[A-Za-z0-9]{1,6})>$/u;
const ATTACHED_IOS_LABELS: Record<string, ExportLanguage> = {
  attached: 'en', bijgevoegd: 'nl', bijlage: 'nl', Anhang: 'de', angehängt: 'de', adjunto: 'es', 'pièce jointe': 'fr', joint: 'fr',
};
// Android exports with media: "IMG-20200401-WA0001.jpg (file attached)".
const ATTACHED_ANDROID = /^(?<name>[^<>/\\]+?\.[A-Za-z0-9]{1,6}) \((?<label>file attached|bestand bijgevoegd|Datei angehängt|archivo adjunto|fichier joint)\)$/u;
const ATTACHED_ANDROID_LABELS: Record<string, ExportLanguage> = {
  'file attached': 'en', 'bestand bijgevoegd': 'nl', 'Datei angehängt': 'de', 'archivo adjunto': 'es', 'fichier joint': 'fr',
};

/** The media placeholder the first line of a message is, or undefined. `text`: marks stripped. */
export function recogniseMedia(text: string): Media | undefined {
  if (text.length === 0 || text.length > 400) return undefined;
  const first = text.charCodeAt(0);
  if (first === 0x3c /* < */) {
    const omitted = OMITTED_ANDROID_PATTERN.exec(text);
    const language = omitted ? OMITTED_ANDROID[omitted[1]!] : undefined;
    if (language) return { kind: 'omitted', language };
    const attached = ATTACHED_IOS.exec(text);
    const label = attached?.groups?.label?.trim();
    const attachedLanguage = label === undefined ? undefined : ATTACHED_IOS_LABELS[label];
    if (attached && attachedLanguage) return { kind: 'attached', language: attachedLanguage, name: attached.groups!.name!.trim() };
    return undefined;
  }
  if (text.endsWith(')')) {
    const attached = ATTACHED_ANDROID.exec(text);
    if (attached) return { kind: 'attached', language: ATTACHED_ANDROID_LABELS[attached.groups!.label!]!, name: attached.groups!.name! };
    return undefined;
  }
  if (!OMITTED_IOS_ENDING.test(text)) return undefined;
  for (const { language, pattern } of OMITTED_IOS) {
    const match = pattern.exec(text);
    if (match) return { kind: 'omitted', language, what: match.groups!.what!.toLowerCase(), name: match.groups!.name };
  }
  return undefined;
}

const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', heic: 'image/heic',
  mp4: 'video/mp4', '3gp': 'video/3gpp', mov: 'video/quicktime', opus: 'audio/ogg', ogg: 'audio/ogg', mp3: 'audio/mpeg',
  m4a: 'audio/mp4', aac: 'audio/aac', amr: 'audio/amr', pdf: 'application/pdf', vcf: 'text/vcard', txt: 'text/plain',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', zip: 'application/zip',
};

export function mimeOfName(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot === -1 ? undefined : MIME_BY_EXTENSION[name.slice(dot + 1).toLowerCase()];
}

const MIME_OF_OMITTED: Record<string, string> = {
  image: 'image/*', afbeelding: 'image/*', bild: 'image/*', imagen: 'image/*',
  video: 'video/*', vidéo: 'video/*', vídeo: 'video/*', audio: 'audio/*', gif: 'image/gif',
};

export function mimeOfOmitted(what: string | undefined): string | undefined {
  return what === undefined ? undefined : MIME_OF_OMITTED[what];
}
