// One phase of the campaign bench in a process of its own, so its peak memory is its own:
//   select  --store F --dataset D --campaigns A,B,C   selectRecipients for Dutch paying users, then
//                                                      the selection stored as campaigns A, B, C
//   letters --store F --campaign A --out DIR            every recipient's PDF letter
//   send    --store F --campaign A --mailer smtp|smtp-pooled|outbox [--url U --ca FILE | --outbox DIR] --messages N
// Prints one JSON line with the figures and {memory} (bench/child-memory.ts) on stdout.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import { selectRecipients } from '../src/campaigns/select.ts';
import { storeCampaign } from '../src/campaigns/create.ts';
import { createCountryResolver } from '../src/campaigns/country.ts';
import { generateLetters } from '../src/campaigns/letters.ts';
import { openLetterFolder } from '../src/campaigns/letter-folder.ts';
import { chooseTemplate } from '../src/campaigns/view.ts';
import { sendCampaignEmails } from '../src/campaigns/send.ts';
import { openMailer } from '../src/main.ts';
import type { Mailer, OutgoingMail, SendOutcome } from '../src/mail/mailer.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../src/store/store.ts';
import { peakMemory } from './child-memory.ts';

const SENDER = {
  organisation: 'Politie Nederland', unit: 'Team Cybercrime', address: 'Postbus 1\n1000 AA Amsterdam',
  phone: '0900-8844', email: 'stopgesprek@politie.example', signatory: 'A. de Wit',
};
const FROM = 'Politie Nederland <stopgesprek@politie.example>';
const DATE = '2026-12-01';
const ACTOR = 'bench';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    store: { type: 'string' }, dataset: { type: 'string' }, campaigns: { type: 'string' }, campaign: { type: 'string' }, out: { type: 'string' },
    mailer: { type: 'string' }, url: { type: 'string' }, ca: { type: 'string' }, outbox: { type: 'string' }, messages: { type: 'string' },
  },
});
const phase = positionals[0];
if (!values.store) throw new Error('--store is required');
// as the CLI opens it for campaign work: bulk writing, no memory map
const store = openSqliteStore({ path: values.store, mmapMiB: 0 });
try {
  const figures = phase === 'select' ? await select(store) : phase === 'letters' ? await letters(store) : phase === 'send' ? await send(store) : undefined;
  if (!figures) throw new Error(`unknown phase ${phase}`);
  // select reads its peak before storing the campaigns; the others at their end
  process.stdout.write(`${JSON.stringify({ memory: peakMemory(), ...figures })}\n`);
} finally {
  await store.close();
}

async function select(store: Store) {
  const dataset = values.dataset!;
  const resolver = await createCountryResolver();
  // geoip-lite's tables are most of a selecting process's memory: what comes on top is the selection's
  const rssBeforeKiB = Math.round(process.memoryUsage().rss / 1024);
  const criteria = { dataset, countries: ['NL'], paid: true };
  const started = performance.now();
  const selection = await selectRecipients({ store, criteria, countries: resolver });
  const selectMs = performance.now() - started;
  const memory = peakMemory();
  const storeStarted = performance.now();
  const names = values.campaigns!.split(',');
  for (const name of names) {
    const stored = await storeCampaign(store, { name, criteria, language: 'nl', settings: { site: 'LeakMarket', sender: SENDER }, createdBy: ACTOR }, selection);
    if (!stored) throw new Error(`campaign ${name} exists already`);
  }
  return {
    accounts: selection.accounts, peopleConsidered: selection.peopleConsidered, ofCountry: selection.ofCountry, selected: selection.people.length,
    withEmail: selection.people.filter((p) => p.emails.length > 0).length, excluded: selection.excluded,
    selectMs, rssBeforeKiB, memory, storeMsEach: (performance.now() - storeStarted) / names.length,
  };
}

async function letters(store: Store) {
  const campaign = (await store.findCampaign(values.campaign!))!;
  const { template, name: templateName } = chooseTemplate(campaign, 'letter', 'nl');
  const folder = await openLetterFolder(values.out!);
  const started = performance.now();
  const run = await generateLetters({ store, campaign, template, templateName, language: 'nl', date: DATE, sink: folder, actor: ACTOR });
  const ms = performance.now() - started;
  let bytes = 0;
  for (const letter of run.letters) bytes += (await readFile(join(folder.dir, letter.file))).length;
  return { letters: run.letters.length, withoutAddress: run.withoutAddress, ms, bytes };
}

async function send(store: Store) {
  const campaign = (await store.findCampaign(values.campaign!))!;
  const { template, name: templateName } = chooseTemplate(campaign, 'email', 'nl');
  const messages = Number(values.messages);
  const references = (await store.recipients(campaign.name)).filter((r) => r.emails.length > 0).slice(0, messages).map((r) => r.reference);
  const ca = values.ca === undefined ? undefined : await readFile(values.ca, 'utf8');
  const mailer = values.mailer === 'outbox' ? await openMailer({ outbox: values.outbox! })
    : values.mailer === 'smtp' ? await openMailer({ url: values.url!, ca })
      : openPooledMailer(values.url!, ca);
  try {
    const started = performance.now();
    const run = await sendCampaignEmails({
      store, campaign, mailer, from: FROM, template, templateName, language: 'nl', date: DATE,
      // unthrottled: what the sender itself can do (the CLI's --rate caps at 6,000 a minute)
      ratePerMinute: Number.POSITIVE_INFINITY, maxAttempts: 1, retryDelayMs: 0, references, actor: ACTOR,
    });
    return { ...run, ms: performance.now() - started, mailer: mailer.description };
  } finally {
    mailer.close();
  }
}

/**
 * Not Lode's mailer: the same nodemailer SMTP transport with a pool of one connection kept open
 * (one TLS handshake and login for the run), to measure what pooling would change.
 */
function openPooledMailer(url: string, ca: string | undefined): Mailer {
  const transport = nodemailer.createTransport({ url, pool: true, maxConnections: 1, maxMessages: Number.POSITIVE_INFINITY, ...(ca ? { tls: { ca } } : {}) });
  return {
    description: `${url.replace(/\/\/[^@]*@/, '//')} (pooled, bench only)`,
    async verify() {
      await transport.verify();
    },
    async send(mail: OutgoingMail): Promise<SendOutcome> {
      try {
        const info = await transport.sendMail({
          from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}),
          messageId: `<${mail.messageId}>`, headers: mail.headers ?? {},
        });
        return info.rejected.length > 0 ? { kind: 'refused', permanent: true, response: String(info.response) } : { kind: 'accepted', response: String(info.response ?? '') };
      } catch (error) {
        return { kind: 'refused', permanent: false, response: (error as Error).message };
      }
    },
    close() {
      transport.close();
    },
  };
}
