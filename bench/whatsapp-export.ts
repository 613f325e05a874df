// A big, realistic WhatsApp chat export for benchmarking the whatsapp reader: one group chat in
// the layout of a chosen phone locale, with multi-line messages, media placeholders, attached
// files, deleted messages and group notices. Written in 4 MiB chunks.
//   node bench/whatsapp-export.ts OUT N [SEED] [LAYOUT]
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/generate/rng.ts';

export const EXPORT_LAYOUTS = ['android-nl', 'android-en-us', 'android-en-gb', 'android-de', 'android-fr', 'android-es', 'ios-en', 'ios-nl', 'ios-de'] as const;
export type ExportLayout = (typeof EXPORT_LAYOUTS)[number];

export type WhatsAppExportResult = { path: string; layout: ExportLayout; messages: number; lines: number; bytes: number };

/** How one locale and platform writes an export. */
type Dialect = {
  stamp(t: Date): string;
  /** The separator between the stamp and the sender (Android " - ", iOS nothing more). */
  isIos: boolean;
  encryption: string;
  created(actor: string, subject: string): string;
  added(actor: string, target: string): string;
  left(actor: string): string;
  deleted: string;
  omitted: string;
  attached(name: string): string;
};

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const h12 = (h: number) => (h % 12 === 0 ? 12 : h % 12);
const LRM = '\u200e';

const DIALECTS: Record<ExportLayout, Dialect> = {
  'android-nl': {
    stamp: (t) => `${pad2(t.getUTCDate())}-${pad2(t.getUTCMonth() + 1)}-${t.getUTCFullYear()} ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())} - `,
    isIos: false,
    encryption: 'Berichten en oproepen worden end-to-end versleuteld. Niemand buiten deze chat, zelfs WhatsApp niet, kan ze lezen of beluisteren. Tik voor meer informatie.',
    created: (a, s) => `${a} heeft groep "${s}" gemaakt`,
    added: (a, t) => `${a} heeft ${t} toegevoegd`,
    left: (a) => `${a} is vertrokken`,
    deleted: 'Dit bericht is verwijderd',
    omitted: '<Media weggelaten>',
    attached: (n) => `${n} (bestand bijgevoegd)`,
  },
  'android-en-us': {
    stamp: (t) => `${t.getUTCMonth() + 1}/${t.getUTCDate()}/${pad2(t.getUTCFullYear() % 100)}, ${h12(t.getUTCHours())}:${pad2(t.getUTCMinutes())}\u202f${t.getUTCHours() < 12 ? 'AM' : 'PM'} - `,
    isIos: false,
    encryption: 'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.',
    created: (a, s) => `${a} created group "${s}"`,
    added: (a, t) => `${a} added ${t}`,
    left: (a) => `${a} left`,
    deleted: 'This message was deleted',
    omitted: '<Media omitted>',
    attached: (n) => `${n} (file attached)`,
  },
  'android-en-gb': {
    stamp: (t) => `${pad2(t.getUTCDate())}/${pad2(t.getUTCMonth() + 1)}/${t.getUTCFullYear()}, ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())} - `,
    isIos: false,
    encryption: 'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.',
    created: (a, s) => `${a} created group "${s}"`,
    added: (a, t) => `${a} added ${t}`,
    left: (a) => `${a} left`,
    deleted: 'This message was deleted',
    omitted: '<Media omitted>',
    attached: (n) => `${n} (file attached)`,
  },
  'android-de': {
    stamp: (t) => `${pad2(t.getUTCDate())}.${pad2(t.getUTCMonth() + 1)}.${pad2(t.getUTCFullYear() % 100)}, ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())} - `,
    isIos: false,
    encryption: 'Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie lesen oder anhören, nicht einmal WhatsApp. Tippe, um mehr zu erfahren.',
    created: (a, s) => `${a} hat die Gruppe „${s}“ erstellt`,
    added: (a, t) => `${a} hat ${t} hinzugefügt`,
    left: (a) => `${a} hat die Gruppe verlassen`,
    deleted: 'Diese Nachricht wurde gelöscht',
    omitted: '<Medien ausgeschlossen>',
    attached: (n) => `${n} (Datei angehängt)`,
  },
  'android-fr': {
    stamp: (t) => `${pad2(t.getUTCDate())}/${pad2(t.getUTCMonth() + 1)}/${t.getUTCFullYear()} à ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())} - `,
    isIos: false,
    encryption: 'Les messages et les appels sont chiffrés de bout en bout. Aucun tiers, pas même WhatsApp, ne peut les lire ou les écouter. Appuyez pour en savoir plus.',
    created: (a, s) => `${a} a créé le groupe « ${s} »`,
    added: (a, t) => `${a} a ajouté ${t}`,
    left: (a) => `${a} est parti`,
    deleted: 'Ce message a été supprimé',
    omitted: '<Médias omis>',
    attached: (n) => `${n} (fichier joint)`,
  },
  'android-es': {
    stamp: (t) => `${t.getUTCDate()}/${t.getUTCMonth() + 1}/${pad2(t.getUTCFullYear() % 100)}, ${h12(t.getUTCHours())}:${pad2(t.getUTCMinutes())}\u202f${t.getUTCHours() < 12 ? 'a. m.' : 'p. m.'} - `,
    isIos: false,
    encryption: 'Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este chat, ni siquiera WhatsApp, puede leerlos ni escucharlos. Toca para obtener más información.',
    created: (a, s) => `${a} creó el grupo “${s}”`,
    added: (a, t) => `${a} añadió a ${t}`,
    left: (a) => `${a} salió del grupo`,
    deleted: 'Se eliminó este mensaje',
    omitted: '<Multimedia omitido>',
    attached: (n) => `${n} (archivo adjunto)`,
  },
  'ios-en': {
    stamp: (t) => `[${pad2(t.getUTCDate())}/${pad2(t.getUTCMonth() + 1)}/${t.getUTCFullYear()}, ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())}] `,
    isIos: true,
    encryption: `${LRM}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.`,
    created: (a, s) => `${LRM}${a} created group “${s}”`,
    added: (a, t) => `${LRM}${a} added ${t}`,
    left: (a) => `${LRM}${a} left`,
    deleted: `${LRM}This message was deleted.`,
    omitted: `${LRM}image omitted`,
    attached: (n) => `${LRM}<attached: ${n}>`,
  },
  'ios-nl': {
    stamp: (t) => `[${pad2(t.getUTCDate())}-${pad2(t.getUTCMonth() + 1)}-${t.getUTCFullYear()} ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())}] `,
    isIos: true,
    encryption: `${LRM}Berichten en gesprekken worden end-to-end versleuteld. Niemand buiten deze chat kan ze lezen of beluisteren, zelfs WhatsApp niet.`,
    created: (a, s) => `${LRM}${a} heeft groep ‘${s}’ gemaakt`,
    added: (a, t) => `${LRM}${a} heeft ${t} toegevoegd`,
    left: (a) => `${LRM}${a} is vertrokken`,
    deleted: `${LRM}Dit bericht is verwijderd.`,
    omitted: `${LRM}afbeelding weggelaten`,
    attached: (n) => `${LRM}<bijgevoegd: ${n}>`,
  },
  'ios-de': {
    stamp: (t) => `[${pad2(t.getUTCDate())}.${pad2(t.getUTCMonth() + 1)}.${pad2(t.getUTCFullYear() % 100)}, ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())}] `,
    isIos: true,
    encryption: `${LRM}Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie lesen oder anhören, nicht einmal WhatsApp.`,
    created: (a, s) => `${LRM}${a} hat die Gruppe „${s}“ erstellt`,
    added: (a, t) => `${LRM}${a} hat ${t} hinzugefügt`,
    left: (a) => `${LRM}${a} hat die Gruppe verlassen`,
    deleted: `${LRM}Diese Nachricht wurde gelöscht.`,
    omitted: `${LRM}Bild weggelassen`,
    attached: (n) => `${LRM}<Anhang: ${n}>`,
  },
};

const MEMBERS = ['Mo Kapper', 'Jaguar', 'Ghost', 'Sanne', 'Kevin B', '\u202a+31 6 12345678\u202c', 'Dennis', 'Tapeworm', 'Ricardo', 'Anouk'];
const WORDS = (
  'ik je hij we zij het de een en van dat niet is op te met voor morgen vandaag vanavond laat kom ga heb ' +
  'kilo gram pakket auto sleutel loods haven container geld cash euro betaald klaar onderweg bel app ' +
  'ok top prima goed slecht snel rustig wacht even later eerst daarna waar wanneer hoeveel wie waarom ' +
  'bro man gast lekker ff effe zometeen straks nu gelijk meteen adres locatie plek parkeer garage ' +
  'the a to and of you we are is it for on at this that tomorrow tonight now money car keys ready done'
).split(' ');
const CHAT_NAME = 'Zuid Crew';
const CHUNK_CHARS = 4 << 20;

/**
 * Writes an export of `messages` messages (notices included) to `path`. The same seed and
 * layout always write the same bytes.
 */
export async function writeWhatsAppExport(path: string, messages: number, seed: number, layout: ExportLayout = 'android-nl'): Promise<WhatsAppExportResult> {
  const dialect = DIALECTS[layout];
  const rng = new Rng(seed, 7);
  const file = await open(path, 'w');
  let chunk: string[] = [];
  let chunkChars = 0;
  let bytes = 0;
  let lines = 0;
  const flush = async () => {
    const buffer = Buffer.from(chunk.join(''), 'utf8');
    chunk = [];
    chunkChars = 0;
    bytes += buffer.length;
    await file.write(buffer);
  };
  const emit = (text: string) => {
    chunk.push(text);
    chunkChars += text.length;
    lines += 1;
  };
  const notice = (time: Date, text: string) => emit(`${dialect.stamp(time)}${text}\n`);
  try {
    // whole seconds from 2020-01-05 10:00 UTC; the clock only moves forward
    let seconds = Date.UTC(2020, 0, 5, 10, 0, 0) / 1000;
    const time = new Date(0);
    const members = MEMBERS.slice(0, 3);
    let written = 0;
    const advance = () => {
      seconds += rng.chance(0.02) ? rng.range(3600, 30 * 3600) : rng.range(1, 240);
      time.setTime(seconds * 1000);
    };
    time.setTime(seconds * 1000);
    if (messages > 0) {
      // iOS writes the encryption notice after the chat's name
      emit(`${dialect.stamp(time)}${dialect.isIos ? `${CHAT_NAME}: ` : ''}${dialect.encryption}\n`);
      written += 1;
    }
    if (written < messages) {
      notice(time, dialect.created(members[0]!, CHAT_NAME));
      written += 1;
    }
    let attachmentNumber = 1;
    while (written < messages) {
      advance();
      written += 1;
      const roll = rng.next();
      if (roll < 0.002 && members.length < MEMBERS.length) {
        const added = MEMBERS[members.length]!;
        notice(time, dialect.added(rng.pick(members), added));
        members.push(added);
        continue;
      }
      if (roll < 0.003 && members.length > 3) {
        const leaving = members.splice(3 + rng.int(members.length - 3), 1)[0]!;
        notice(time, dialect.left(leaving));
        continue;
      }
      const sender = rng.pick(members);
      const head = `${dialect.stamp(time)}${sender}: `;
      if (roll < 0.008) emit(`${head}${dialect.deleted}\n`);
      else if (roll < 0.04) emit(`${head}${dialect.omitted}\n`);
      else if (roll < 0.06) {
        const name = dialect.isIos
          ? `${String(attachmentNumber).padStart(8, '0')}-PHOTO-${time.toISOString().slice(0, 19).replace(/[T:]/g, '-')}.jpg`
          : `IMG-${time.toISOString().slice(0, 10).replace(/-/g, '')}-WA${String(attachmentNumber % 10000).padStart(4, '0')}.jpg`;
        attachmentNumber += 1;
        emit(`${head}${dialect.attached(name)}\n`);
        if (rng.chance(0.3)) emit(`${sentence(rng)}\n`);
      } else {
        emit(`${head}${sentence(rng)}\n`);
        // multi-line messages: continuation lines, now and then a blank one
        if (rng.chance(0.05)) {
          const extra = rng.range(1, 4);
          for (let i = 0; i < extra; i += 1) emit(rng.chance(0.15) ? '\n' : `${sentence(rng)}\n`);
        }
      }
      if (chunkChars >= CHUNK_CHARS) await flush();
    }
    await flush();
  } finally {
    await file.close();
  }
  return { path, layout, messages, lines, bytes };
}

function sentence(rng: Rng): string {
  const count = rng.range(1, 14);
  let text = rng.pick(WORDS);
  for (let i = 1; i < count; i += 1) text += ` ${rng.pick(WORDS)}`;
  if (rng.chance(0.1)) text += ` ${rng.range(1, 500)}`;
  return rng.chance(0.3) ? `${text}?` : text;
}

function isLayout(value: string): value is ExportLayout {
  return (EXPORT_LAYOUTS as readonly string[]).includes(value);
}

async function main(args: string[]): Promise<number> {
  const [out, count, seedText = '42', layout = 'android-nl'] = args;
  const messages = Number(count);
  const seed = Number(seedText);
  if (out === undefined || !Number.isInteger(messages) || messages < 0 || !Number.isInteger(seed) || !isLayout(layout)) {
    process.stderr.write(`usage: node bench/whatsapp-export.ts OUT N [SEED] [LAYOUT]\n  LAYOUT: ${EXPORT_LAYOUTS.join(', ')}\n`);
    return 2;
  }
  const started = performance.now();
  const result = await writeWhatsAppExport(out, messages, seed, layout);
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(`${result.path}: ${result.messages} messages, ${result.lines} lines, ${(result.bytes / (1 << 20)).toFixed(1)} MiB in ${seconds.toFixed(1)} s\n`);
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
