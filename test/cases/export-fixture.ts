// A realistic case bundle built by code: Dutch and French messages with accents, an emoji, a body
// that is HTML, a device note, two accounts and a party that is not a case account, entities of
// several types with their spans, a person, notes and a translation, queries, alerts, a timeline.
import { createHash } from 'node:crypto';
import type { CaseBundle } from '../../src/model/cases.ts';
import type { StoredMessage } from '../../src/model/items.ts';

const DATASET = 'encro-2020';
const SOURCE_PATH = 'seizure/encro-2020/part-0042.jsonl';
export const SOURCE_SHA256 = createHash('sha256').update(SOURCE_PATH).digest('hex');
const NOTES_PATH = 'seizure/encro-2020/notes-0007.jsonl';
export const NOTES_SHA256 = createHash('sha256').update(NOTES_PATH).digest('hex');

export const BODIES = {
  meeting: 'Morgen 14:00 bij de loods in Vlissingen (51.44210, 3.57360). Bel 06-12345678 als je er bent.',
  money: 'Geld naar NL91ABNA0417164300, 25k. Auto is 12-BDF-3, zwarte Golf.',
  french: 'Ça marche, à demain chez Zoë.',
  frenchMail: 'Écris à zoe.leclerc@exemple.fr pour le bateau, frérot.',
  script: '<script>alert(1)</script> & "quotes" \'too\'',
  emoji: 'Deal 👍🏽 betaal in BTC: bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  note: 'Code kluis 4711 – niet vergeten',
} as const;

type Span = { type: string; value: string; start: number; end: number };

function span(body: string, written: string, type: string, value: string): Span {
  const start = body.indexOf(written);
  if (start < 0) throw new Error(`fixture: ${written} not in ${body}`);
  return { type, value, start, end: start + written.length };
}

function message(id: string, line: number, fields: Partial<StoredMessage> & Pick<StoredMessage, 'from' | 'to' | 'body'>): StoredMessage {
  const isNote = fields.kind === 'note';
  return {
    id,
    kind: 'message',
    dataset: DATASET,
    platform: 'encrochat',
    attachments: [],
    provenance: {
      sourceId: isNote ? 2 : 1,
      sourceSha256: isNote ? NOTES_SHA256 : SOURCE_SHA256,
      sourcePath: isNote ? NOTES_PATH : SOURCE_PATH,
      line,
      offset: (line - 1) * 181,
    },
    ...fields,
  };
}

export function caseBundle(): CaseBundle {
  const messages: StoredMessage[] = [
    message('m05e847a2e0a1b2c3d4e5f60718293a4b', 12, {
      ref: 'e-1001', ts: '2020-04-01T12:00:00Z', from: 'tapeworm', to: ['jaguar'], lang: 'nl', body: BODIES.meeting,
      entities: [
        span(BODIES.meeting, '51.44210, 3.57360', 'coordinates', '51.44210,3.57360'),
        span(BODIES.meeting, '06-12345678', 'phone', '+31612345678'),
      ],
    }),
    message('m05e847a3c0b2c3d4e5f60718293a4b5c', 13, {
      ref: 'e-1002', ts: '2020-04-01T12:04:00Z', from: 'jaguar', to: ['tapeworm'], lang: 'nl', body: BODIES.money,
      entities: [
        span(BODIES.money, 'NL91ABNA0417164300', 'iban', 'NL91ABNA0417164300'),
        span(BODIES.money, '25k', 'amount', 'EUR 25000'),
        span(BODIES.money, '12-BDF-3', 'plate', 'NL:12-BDF-3'),
      ],
      attachments: [{ name: 'loods.jpg', mime: 'image/jpeg', sha256: 'ab'.repeat(32), sizeBytes: 48213 }],
    }),
    message('m05e84a1e10c3d4e5f60718293a4b5c6d', 40, {
      ref: 'e-1050', ts: '2020-04-01T15:31:20Z', from: 'ghost', to: ['tapeworm', 'jaguar'], group: 'g-7', lang: 'fr', body: BODIES.french,
    }),
    message('m05e84a1f00d4e5f60718293a4b5c6d7e', 41, {
      ref: 'e-1051', ts: '2020-04-01T15:32:00Z', from: 'ghost', to: ['tapeworm', 'jaguar'], group: 'g-7', lang: 'fr', body: BODIES.frenchMail,
      entities: [span(BODIES.frenchMail, 'zoe.leclerc@exemple.fr', 'email', 'zoe.leclerc@exemple.fr')],
    }),
    message('m05e8612300e5f60718293a4b5c6d7e8f', 77, {
      ref: 'e-1100', ts: '2020-04-02T08:15:00Z', from: 'jaguar', to: ['tapeworm'], body: BODIES.script,
    }),
    message('m05e8613400f60718293a4b5c6d7e8f90', 78, {
      ref: 'e-1101', ts: '2020-04-02T08:20:00Z', from: 'tapeworm', to: ['jaguar'], lang: 'nl', body: BODIES.emoji,
      entities: [span(BODIES.emoji, 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'btc', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')],
    }),
    message('n05e8700000a1b2c3d4e5f6071829304', 3, {
      kind: 'note', ts: '2020-04-03T07:00:00Z', from: 'tapeworm', to: [], lang: 'nl', body: BODIES.note,
    }),
  ];
  const [meeting, money, french, , script, emoji] = messages;
  const at = (minute: number): string => `2024-05-01T10:${String(minute).padStart(2, '0')}:00Z`;
  return {
    case: {
      id: 7, name: 'kaapstander', title: 'Operatie Kaapstander: invoer via Vlissingen', status: 'open',
      description: 'Invoer van cocaïne via de haven van Vlissingen; betalingen en voertuigen.',
      candidate: 'cand-42', createdBy: 'inv.jansen', createdAt: '2024-04-30T08:00:00Z',
    },
    items: [
      ...messages.map((m, i) => ({ kind: 'message' as const, ref: m.id, addedBy: 'inv.jansen', addedAt: at(i), tags: i === 1 ? ['betaling', 'voertuig'] : i === 0 ? ['afspraak'] : [] })),
      { kind: 'account', ref: '11', addedBy: 'inv.jansen', addedAt: at(20), tags: ['verdachte'] },
      { kind: 'account', ref: '12', addedBy: 'inv.jansen', addedAt: at(21), tags: [] },
      { kind: 'entity', ref: 'iban:NL91ABNA0417164300', addedBy: 'an.dubois', addedAt: at(22), tags: ['geldstroom'] },
      { kind: 'person', ref: '3', addedBy: 'inv.jansen', addedAt: at(23), tags: [] },
    ],
    messages,
    accounts: [
      { id: 11, dataset: DATASET, platform: 'encrochat', handle: 'tapeworm', name: 'Mohamed B.', messages: 3, aliases: ['Mo kapper', 'Tape'] },
      { id: 12, dataset: DATASET, platform: 'encrochat', handle: 'jaguar', messages: 2, aliases: ['Jag'] },
    ],
    entities: [
      { type: 'phone', value: '+31612345678', mentions: 3 },
      { type: 'iban', value: 'NL91ABNA0417164300', mentions: 2 },
      { type: 'btc', value: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', mentions: 1 },
      { type: 'email', value: 'zoe.leclerc@exemple.fr', mentions: 1 },
      { type: 'plate', value: 'NL:12-BDF-3', mentions: 4 },
    ],
    persons: [{ id: 3, name: 'Mohamed B.', accounts: [{ dataset: DATASET, platform: 'encrochat', handle: 'tapeworm' }] }],
    annotations: [
      { id: 1, target: { kind: 'message', ref: meeting!.id }, kind: 'note', text: 'De loods is waarschijnlijk Kanaalweg 12.', author: 'inv.jansen', at: at(30) },
      { id: 2, target: { kind: 'message', ref: french!.id }, kind: 'translation', text: 'Dat is goed, tot morgen bij Zoë.', author: 'an.dubois', at: at(31) },
      { id: 3, kind: 'note', text: 'Zaak geopend na alert 1; zie ook kandidaat cand-42.', author: 'inv.jansen', at: at(32) },
      { id: 4, target: { kind: 'account', ref: '11' }, kind: 'note', text: 'Gebruikt ook een tweede toestel.', author: 'inv.jansen', at: at(33) },
      { id: 5, target: { kind: 'entity', ref: 'iban:NL91ABNA0417164300' }, kind: 'note', text: 'Vordering bank verstuurd.', author: 'an.dubois', at: at(34) },
      { id: 6, target: { kind: 'message', ref: script!.id }, kind: 'note', text: 'Bericht bevat <b>HTML</b>; zo ontvangen.', author: 'an.dubois', at: at(35) },
    ],
    queries: [
      { kind: 'query', text: 'loods AND (vlissingen OR "kanaalweg 12")', dataset: DATASET, hits: 14, addedBy: 'inv.jansen', at: at(1) },
      { kind: 'wordlist', text: 'klappen\nuitschakelen\nkogel\n"hij moet weg"', dataset: DATASET, hits: 3, addedBy: 'an.dubois', at: at(2) },
      { kind: 'candidate', text: 'cand-42', addedBy: 'inv.jansen', at: at(3) },
    ],
    alerts: [
      { id: 1, kind: 'threat', score: 0.91, item: meeting!.id, status: 'escalated', reasons: ['intent: meeting + location', 'target: a place'] },
      { id: 2, kind: 'watchlist', score: 1, item: money!.id, status: 'acknowledged', reasons: ['watchlist iban NL91ABNA0417164300'] },
    ],
    timeline: [
      { ts: '2020-04-01T12:00:00Z', kind: 'message', ref: meeting!.id, summary: 'Afspraak bij de loods in Vlissingen' },
      { ts: '2020-04-01T12:04:00Z', kind: 'alert', ref: '1', summary: 'Threat alert (0.91)' },
      { ts: '2020-04-02T08:20:00Z', kind: 'message', ref: emoji!.id, summary: 'Betaling in BTC 👍🏽' },
      { ts: at(30), kind: 'annotation', ref: '1', summary: 'Loods geïdentificeerd' },
    ],
    producedBy: { lode: '0.1.0', toolruns: [{ component: 'lode-extract-entities', version: '1.0.0' }, { component: 'lode-triage', version: '1.0.0' }] },
    exportedBy: 'inv.jansen',
    exportedAt: '2024-05-02T09:30:00Z',
  };
}
