// Campaigns on both stores, through the Store interface and the campaign domain functions: a
// generated leak market ingested with the real pipeline, the Dutch paying customers selected,
// a campaign stored, letters generated, steps marked with their history, an e-mail found by its
// Message-ID, and a recipient found again in a later seizure. Each store's results are kept, and
// the last tests ask that both stores gave the same ones.
//
// Pages come by account id, a selection is sorted by first account, and so references follow how
// a store numbered the accounts at ingest. The comparisons key on the person (their accounts'
// handles) and the steps are taken for people chosen by handle, so that a difference in
// numbering shows in one test of its own (the last) instead of in all of them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { writeMarketDump } from '../../src/generate/write-market.ts';
import { createCountryResolver, type CountryResolver } from '../../src/campaigns/country.ts';
import { selectRecipients } from '../../src/campaigns/select.ts';
import { storeCampaign } from '../../src/campaigns/create.ts';
import { markRecipient, TrackingError } from '../../src/campaigns/tracking.ts';
import { generateLetters } from '../../src/campaigns/letters.ts';
import { openLetterFolder } from '../../src/campaigns/letter-folder.ts';
import { checkReoffending } from '../../src/campaigns/reoffending.ts';
import { campaignMessageId } from '../../src/campaigns/send.ts';
import { chooseTemplate } from '../../src/campaigns/view.ts';
import type { CampaignCriteria, CampaignPerson, Recipient } from '../../src/model/campaigns.ts';
import type { Viewer } from '../../src/model/security.ts';
import type { SiteAccount, Store } from '../../src/store/store.ts';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';
import { closePostgres } from '../postgres-fixture.ts';
import { eachStore, STORE_KINDS, type StoreKind } from './stores.ts';

after(closePostgres);

const CRITERIA: CampaignCriteria = { dataset: 'market', countries: ['NL'], paid: true };
const SENDER = { organisation: 'Politie Nederland', unit: 'Team Cybercrime', address: 'Postbus 1\n1000 AA Amsterdam', email: 'stopgesprek@politie.example', signatory: 'A. de Wit' };
const FROM = 'Team Cybercrime <stopgesprek@politie.example>';
const CONTACTED = '2026-12-08T09:00:00.000Z';

let home: string;
let marketDump: string;
let countries: CountryResolver;

before(async () => {
  home = temporaryDirectory();
  marketDump = join(home, 'market.sql');
  await writeMarketDump({ people: 150, seed: 11, out: marketDump });
  countries = await createCountryResolver();
});

/** What a store answered, by person, without what differs by design (account ids, the times of automatic steps, file paths). */
type Outcome = {
  accounts: unknown[];
  people: unknown[];
  references: string[];
  board: unknown[];
  histories: Record<string, string[]>;
  summary: unknown;
  /** reference, person, letter hash: in the store's numbering. */
  numbered: string[];
};
const outcomes = new Map<StoreKind, Outcome>();

// a person's accounts come in id order, and which few searches the person's activity quotes follows it
const withoutIds = (person: CampaignPerson) => ({
  ...person, accounts: person.accounts.map(({ platform, handle }) => `${platform}:${handle}`).sort(), activity: { ...person.activity, searchExamples: [] },
});
const siteAccountView = ({ id: _id, personId: _personId, ...rest }: SiteAccount) => rest;
/** Who a person is whatever a store numbered their accounts: their accounts' handles. */
const personKey = (person: CampaignPerson) => person.accounts.map((a) => `${a.platform}:${a.handle}`).sort().join(',');
const byPerson = (a: CampaignPerson, b: CampaignPerson) => (personKey(a) < personKey(b) ? -1 : personKey(a) > personKey(b) ? 1 : 0);
const byHandle = (a: SiteAccount, b: SiteAccount) => (`${a.platform}:${a.handle}` < `${b.platform}:${b.handle}` ? -1 : 1);

async function allSiteAccounts(store: Store, dataset: string, events: boolean, viewer?: Viewer, pageSize = 1000): Promise<SiteAccount[]> {
  const all: SiteAccount[] = [];
  for (let afterId = 0; ;) {
    const page = await store.siteAccounts({ dataset, afterId, limit: pageSize, events, viewer });
    all.push(...page);
    if (page.length < pageSize) return all;
    afterId = page.at(-1)!.id;
  }
}

/** A later seizure of the same market: one recipient's e-mail, active after the warning, and another's username. */
function laterDump(email: string, handle: string): string {
  const path = join(temporaryDirectory(), 'later.sql');
  writeFileSync(path, [
    '-- Host: db    Database: leakmarket',
    'CREATE TABLE `users` (`id` int, `username` varchar(64), `email` varchar(191), `password` varchar(255), `created_at` datetime);',
    `INSERT INTO \`users\` VALUES (1,'newname','${email}','x','2027-01-05 10:00:00'),(2,'${handle}','someone.else@example.org','y','2027-01-06 10:00:00'),`
      + `(3,'stranger','stranger@example.org','z','2027-01-07 10:00:00');`,
    'CREATE TABLE `orders` (`id` int, `user_id` int, `amount` decimal(10,2), `paid_at` datetime);',
    "INSERT INTO `orders` VALUES (1,1,'99.00','2027-02-01 12:00:00');",
    '',
  ].join('\n'));
  return path;
}

eachStore('a campaign from selection to re-offending: recipients, steps with their history, letters, e-mail ids, a later seizure', async (store, kind) => {
  await ingest({ store, dataset: 'market', paths: [marketDump] });
  const accounts = await allSiteAccounts(store, 'market', true);
  assert.ok(accounts.length >= 150, `${accounts.length} accounts`);
  assert.ok(accounts.some((a) => a.events.length > 0 && a.exposures.length > 0));
  for (let i = 1; i < accounts.length; i++) assert.ok(accounts[i]!.id > accounts[i - 1]!.id, 'pages come by id');
  // without events, the newest activity is still there
  const light = await allSiteAccounts(store, 'market', false, undefined, 37);
  assert.deepEqual(light.map((a) => [a.id, a.lastActiveMs, a.events.length]), accounts.map((a) => [a.id, a.lastActiveMs, 0]));

  const selection = await selectRecipients({ store, criteria: CRITERIA, countries });
  assert.ok(selection.people.length >= 4, `${selection.people.length} Dutch payers`);
  assert.ok(selection.people.every((p) => p.activity.payments > 0 && p.evidence.some((e) => e.country === 'NL')));
  const paged = await selectRecipients({ store, criteria: CRITERIA, countries, pageSize: 13 });
  assert.deepEqual(paged.people, selection.people, 'small pages select the same people');

  const request = { name: 'wli', title: 'WLI', criteria: CRITERIA, language: 'nl', settings: { site: 'LeakMarket', sender: SENDER }, createdBy: 'cora' };
  const created = await storeCampaign(store, request, selection);
  assert.ok(created);
  const { campaign, people } = created;
  assert.equal(campaign.code, 'WLI');
  assert.equal(campaign.dataset, 'market');
  assert.deepEqual(campaign.criteria, CRITERIA);
  assert.equal(await storeCampaign(store, request, selection), undefined, 'a name is taken once');
  assert.deepEqual(await store.findCampaign('wli'), campaign);
  assert.equal(await store.findCampaign('nope'), undefined);

  let recipients = await store.recipients('wli');
  assert.deepEqual(recipients.map((r) => r.reference), people.map((p) => p.reference));
  assert.ok(recipients.every((r) => r.status === 'selected' && r.reoffences.length === 0 && r.contactedAt === undefined && r.letter === undefined && r.email === undefined));
  assert.deepEqual(recipients.map(({ id: _id, reference: _r, status: _s, statusAt: _a, reoffences: _o, talk: _t, contactedAt: _c, letter: _l, email: _e, ...person }) => person),
    JSON.parse(JSON.stringify(selection.people)), 'a recipient is the person as selected (as JSON keeps it)');
  assert.deepEqual((await store.recipientHistory('wli', recipients[0]!.reference)).map((h) => [h.status, h.actor]), [['selected', 'cora']]);
  let [summary] = await store.campaigns();
  assert.equal(summary?.recipients, recipients.length);
  assert.deepEqual(summary?.byStatus, { selected: recipients.length });
  assert.deepEqual(await store.campaigns(['othermarket']), []);
  assert.equal((await store.campaigns(['market'])).length, 1);

  // letters: one each, recorded on the recipients once the folder is complete
  const out = join(temporaryDirectory(), `letters-${kind}`);
  const { template, name: templateName } = chooseTemplate(campaign, 'letter', 'nl');
  const letters = await generateLetters({ store, campaign, template, templateName, language: 'nl', date: '2026-12-07', sink: await openLetterFolder(out), actor: 'cora' });
  assert.equal(letters.letters.length, recipients.length);
  recipients = await store.recipients('wli');
  for (const r of recipients) {
    assert.equal(r.status, 'letter-generated');
    assert.ok(r.letter && existsSync(r.letter.path) && r.letter.sha256 === letters.letters.find((l) => l.reference === r.reference)?.sha256);
  }
  assert.deepEqual((await store.recipients('wli', { status: 'letter-generated' })).length, recipients.length);
  assert.deepEqual(await store.recipients('wli', { status: 'talk-held' }), []);

  // the board: an e-mail first, the letter posted after it, a talk scheduled and held; a no-response; a note
  // chosen by handle, so both stores take each step for the same people
  const [first, second, third, untouched] = [...recipients.filter((r) => r.emails.length > 0).sort(byPerson), ...recipients.filter((r) => r.emails.length === 0).sort(byPerson)];
  assert.ok(first && second && third && untouched);
  const messageId = campaignMessageId(first.reference, FROM);
  const mailed = await store.updateRecipient('wli', first.reference, {
    status: 'email-sent', at: CONTACTED, email: { to: first.emails[0]!, state: 'sent', attempts: 1, messageId, sentAt: CONTACTED }, details: { response: '250 ok' },
  }, 'lode');
  assert.equal(mailed?.status, 'email-sent');
  assert.deepEqual(mailed?.email, { to: first.emails[0], state: 'sent', attempts: 1, messageId, lastError: undefined, sentAt: CONTACTED, bouncedAt: undefined, bounceReason: undefined });
  assert.equal(mailed?.contactedAt, CONTACTED);
  assert.deepEqual(await store.recipientByMessageId(messageId), { campaign: 'wli', reference: first.reference });
  assert.equal(await store.recipientByMessageId('<nobody@politie.example>'), undefined);
  assert.equal(await store.updateRecipient('wli', 'WLI-99999-00', { note: 'x' }, 'cora'), undefined);

  await markRecipient(store, 'wli', first.reference, { status: 'letter-sent', at: '2026-12-09T08:00:00.000Z', note: 'per post verstuurd' }, 'cora');
  await assert.rejects(markRecipient(store, 'wli', first.reference, { status: 'talk-held' }, 'cora'), TrackingError);
  await markRecipient(store, 'wli', first.reference, { status: 'talk-scheduled', at: '2026-12-10T08:00:00.000Z', talk: { at: '2026-12-14T09:00:00.000Z', place: 'Bureau Centrum' } }, 'cora');
  const held = await markRecipient(store, 'wli', first.reference, { status: 'talk-held', at: '2026-12-14T10:00:00.000Z', note: 'gesprek gevoerd' }, 'cora');
  assert.equal(held.status, 'talk-held');
  assert.equal(held.statusAt, '2026-12-14T10:00:00.000Z');
  assert.deepEqual(held.talk, { at: '2026-12-14T09:00:00.000Z', place: 'Bureau Centrum' });
  assert.equal(held.contactedAt, CONTACTED, 'the first contact, not the latest');
  await assert.rejects(markRecipient(store, 'wli', untouched.reference, { status: 'talk-scheduled' }, 'cora'), TrackingError, 'a talk needs its time');
  await markRecipient(store, 'wli', second.reference, { status: 'letter-sent', at: '2026-12-09T08:00:00.000Z' }, 'cora');
  await markRecipient(store, 'wli', second.reference, { status: 'no-response', at: '2027-01-09T08:00:00.000Z' }, 'cora');
  const noted = await markRecipient(store, 'wli', third.reference, { note: 'belde terug', at: '2026-12-11T08:00:00.000Z' }, 'cora');
  assert.equal(noted.status, 'letter-generated', 'a note moves nobody');

  const history = await store.recipientHistory('wli', first.reference);
  assert.deepEqual(history.map((h) => h.status), ['selected', 'letter-generated', 'email-sent', 'letter-sent', 'talk-scheduled', 'talk-held']);
  assert.deepEqual(history.slice(2).map((h) => [h.at, h.actor, h.note]), [
    [CONTACTED, 'lode', undefined], ['2026-12-09T08:00:00.000Z', 'cora', 'per post verstuurd'], ['2026-12-10T08:00:00.000Z', 'cora', undefined], ['2026-12-14T10:00:00.000Z', 'cora', 'gesprek gevoerd'],
  ]);
  assert.deepEqual(history[2]!.details, { response: '250 ok' });
  assert.deepEqual(history[4]!.details, { talk: { at: '2026-12-14T09:00:00.000Z', place: 'Bureau Centrum' } });
  assert.equal(history[1]!.details?.template, templateName);
  assert.deepEqual((await store.recipientHistory('wli', third.reference)).map((h) => [h.status, h.note]), [['selected', undefined], ['letter-generated', undefined], ['note', 'belde terug']]);
  assert.deepEqual(await store.recipientHistory('wli', 'WLI-99999-00'), []);

  // configure: title and settings replaced, the language kept
  const configured = await store.configureCampaign('wli', { title: 'WLI Nederland', settings: { ...campaign.settings, legalText: 'Artikel 1.' } });
  assert.equal(configured?.title, 'WLI Nederland');
  assert.equal(configured?.language, 'nl');
  assert.deepEqual(configured?.settings, { site: 'LeakMarket', sender: SENDER, legalText: 'Artikel 1.' });
  assert.equal(await store.configureCampaign('nope', { settings: {} }), undefined);

  // a later seizure: the warned recipient's e-mail active after the warning, an uncontacted one's username
  const untouchedHandle = untouched.accounts.map((a) => a.handle).sort()[0]!;
  await ingest({ store, dataset: 'nextmarket', paths: [laterDump(first.emails[0]!, untouchedHandle)] });
  const check = await checkReoffending({ store, campaign: configured!, countries });
  assert.deepEqual(check.datasetsRead, ['nextmarket']);
  assert.equal(check.found, 2);
  assert.deepEqual(await store.reoffenceScans('wli'), new Map([['nextmarket', 1]]));
  const again = await checkReoffending({ store, campaign: configured!, countries });
  assert.deepEqual(again.datasetsRead, [], 'a dataset is read again only when it grew');
  recipients = await store.recipients('wli');
  const flagged = recipients.filter((r) => r.reoffences.length > 0);
  assert.deepEqual(flagged.map((r) => r.reference).sort(), [first.reference, untouched.reference].sort());
  const warned = flagged.find((r) => r.reference === first.reference)!;
  assert.deepEqual(warned.reoffences.map((o) => [o.dataset, o.account.handle, o.matched, o.afterContact]), [['nextmarket', 'newname', `email:${first.emails[0]}`, true]]);
  assert.ok(warned.reoffences[0]!.lastActive! > CONTACTED);
  const unwarned = flagged.find((r) => r.reference === untouched.reference)!;
  assert.deepEqual(unwarned.reoffences.map((o) => [o.matched, o.afterContact]), [[`handle:${untouchedHandle}`, false]], 'nobody re-offends before being warned');
  assert.equal((await store.recipientHistory('wli', first.reference)).at(-1)?.status, 'reoffended');
  // a match seen again is not new: saving it once more adds nothing
  assert.equal(await store.saveReoffences('wli', [], [{ recipientId: warned.id, account: warned.reoffences[0]!.account, dataset: 'nextmarket', matched: warned.reoffences[0]!.matched, lastActive: warned.reoffences[0]!.lastActive }]), 0);

  [summary] = await store.campaigns();
  assert.equal(summary?.reoffending, 1);
  assert.equal(summary?.title, 'WLI Nederland');
  assert.deepEqual(summary?.byStatus, {
    'letter-generated': recipients.length - 2, 'no-response': 1, 'talk-held': 1,
  });

  // the Message-ID is made of the reference, which follows the store's numbering
  const stable = ({ id: _id, reference: _reference, statusAt: _statusAt, letter: _letter, email, reoffences, ...rest }: Recipient) => ({
    ...withoutIds(rest), email: email && { ...email, messageId: email.messageId !== undefined },
    reoffences: reoffences.map(({ account, foundAt: _at, ...o }) => ({ ...o, account: { platform: account.platform, handle: account.handle } })),
  });
  const histories: Record<string, string[]> = {};
  for (const r of recipients) histories[personKey(r)] = (await store.recipientHistory('wli', r.reference)).map((h) => `${h.status} ${h.actor} ${h.note ?? ''}`);
  const { id: _id, createdAt: _createdAt, ...campaignSummary } = summary!;
  const letterOf = new Map(letters.letters.map((l) => [l.reference, l.sha256]));
  outcomes.set(kind, {
    accounts: [...accounts].sort(byHandle).map(siteAccountView),
    people: [...selection.people].sort(byPerson).map(withoutIds),
    references: people.map((p) => p.reference),
    board: [...recipients].sort(byPerson).map(stable),
    histories,
    summary: campaignSummary,
    numbered: recipients.map((r) => `${r.reference} ${personKey(r)} ${letterOf.get(r.reference)}`),
  });
});

eachStore('site accounts leave out a privileged party and what only a privileged message shows, for a viewer who does not review privilege', async (store) => {
  const file = writeJsonl(join(temporaryDirectory(), 'mail.jsonl'), [
    message('p-1', '2024-03-03T10:00:00Z', 'client77', ['buddy'], 'hoi'),
    message('p-2', '2024-03-04T10:00:00Z', 'mr.smit@advocaat.nl', ['client77'], 'prima, tot morgen'),
    message('p-3', '2024-03-05T10:00:00Z', 'client77', ['mr.smit@advocaat.nl'], 'afspraak morgen op kantoor'),
  ]);
  await ingest({ store, dataset: 'mail', paths: [file] });
  const added = await store.addPrivileged('email', 'Mr.Smit@advocaat.nl', 'advocaat', 'root');
  assert.equal(added.kind, 'added');
  const page = (viewer?: Viewer, ids?: number[]) => store.siteAccounts({ dataset: 'mail', afterId: 0, limit: 100, events: false, viewer, ids });
  const reviewer: Viewer = { isAdmin: false, mayReviewPrivilege: true };
  const officer: Viewer = { isAdmin: false, mayReviewPrivilege: false };

  const all = await page(reviewer);
  assert.deepEqual(all.map((a) => a.handle).sort(), ['buddy', 'client77', 'mr.smit@advocaat.nl']);
  const lawyer = all.find((a) => a.handle === 'mr.smit@advocaat.nl')!;
  const client = all.find((a) => a.handle === 'client77')!;
  assert.equal(client.lastActiveMs, Date.parse('2024-03-05T10:00:00Z'), 'a reviewer sees the newest message');
  for (const viewer of [officer, undefined]) {
    const shown = await page(viewer);
    assert.deepEqual(shown.map((a) => a.handle).sort(), ['buddy', 'client77'], 'the lawyer is left out');
    assert.equal(shown.find((a) => a.handle === 'client77')!.lastActiveMs, Date.parse('2024-03-03T10:00:00Z'), 'a message to the lawyer does not say when the client was active');
  }
  assert.deepEqual(await page(officer, [lawyer.id]), [], 'asking by id does not get round it');
  assert.deepEqual((await page(reviewer, [lawyer.id, client.id])).map((a) => a.handle).sort(), ['client77', 'mr.smit@advocaat.nl']);
  assert.deepEqual(await store.siteAccounts({ dataset: 'mail', afterId: Math.max(...all.map((a) => a.id)), limit: 100, events: true }), []);
  assert.deepEqual(await store.siteAccounts({ dataset: 'nope', afterId: 0, limit: 100, events: true }), []);
});

function bothOutcomes(): [Outcome, Outcome] {
  const [sqlite, postgres] = STORE_KINDS.map((kind) => outcomes.get(kind));
  assert.ok(sqlite && postgres, 'both stores ran the campaign');
  return [sqlite, postgres];
}

// deepEqual's diff of two unequal lists of a few hundred accounts takes a minute to print: the first difference says enough
function assertSameList(actual: readonly unknown[], expected: readonly unknown[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: as many`);
  const at = actual.findIndex((item, i) => JSON.stringify(item) !== JSON.stringify(expected[i]));
  if (at >= 0) assert.deepEqual(actual[at], expected[at], `${what}: the first difference, at ${at}`);
}

test('both stores select the same people and record the same campaign for each', () => {
  const [sqlite, postgres] = bothOutcomes();
  assertSameList(postgres.accounts, sqlite.accounts, 'the site accounts with their exposures and events in order');
  assertSameList(postgres.people, sqlite.people, 'the people selected');
  assert.deepEqual(postgres.references, sqlite.references);
  assertSameList(postgres.board, sqlite.board, 'the board');
  assert.deepEqual(postgres.histories, sqlite.histories);
  assert.deepEqual(postgres.summary, sqlite.summary);
});

test('both stores number accounts alike, so each person gets the same reference and the same letter', () => {
  const [sqlite, postgres] = bothOutcomes();
  assertSameList(postgres.numbered, sqlite.numbered, 'reference, person and letter');
});
