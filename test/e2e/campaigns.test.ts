// A campaign officer in a real Chromium against a real server: from a generated leak-market
// dataset to a preview that shows why each person counts as Dutch, a campaign, its board, a
// recipient's stop talk scheduled and held, a correction, letters with their hashes, e-mails
// planned on a server without a mail server and sent through a real relay by a second server on
// the same store, and the settings; the store's statuses and history are checked after each
// step, not only the page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { writeMarketDump } from '../../src/generate/write-market.ts';
import { ingest } from '../../src/ingest/pipeline.ts';
import { hashPassword } from '../../src/security/passwords.ts';
import { openMailer } from '../../src/main.ts';
import { startServer } from '../../src/server/listen.ts';
import { startTestSmtp } from '../mail/smtp-fixture.ts';
import { PASSWORD, logIn, openPage, startWorkbench, type Workbench } from './workbench-fixture.ts';

const SITE = 'leakmarket-synthetic';
const OFFICER = 'cora';
const CAMPAIGN = 'e2e-nl';
const CRITERIA = { dataset: SITE, countries: ['NL'], paid: true };

type Evidence = { kind: string; value: string; country: string; method: string };
type Person = { id: string; name?: string; accounts: { handle: string }[]; emails: string[]; evidence: Evidence[] };
type Preview = { recipients: number; peopleConsidered: number; ofCountry: number; excluded: Record<string, number>; people: Person[] };
type Recipient = { id: string; reference: string; status: string; talk?: { at: string; place?: string }; letter?: { sha256: string } };
type History = { status: string; at: string; actor: string; note?: string; details?: Record<string, unknown> }[];

let workbench: Workbench;
let context: BrowserContext;
let page: Page;
let problems: string[];
let token: string;
let preview: Preview;

async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${workbench.url}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

const recipientRows = () => page.getByTestId('recipients').locator('tbody tr');
const panel = () => page.getByTestId('recipient');

before(async () => {
  workbench = await startWorkbench({
    messages: 0,
    setup: async (store, dir) => {
      const dump = join(dir, 'leakmarket.sql');
      await writeMarketDump({ people: 200, seed: 5, out: dump });
      await ingest({ store, paths: [dump], dataset: SITE });
      await store.createUser(OFFICER, 'campaign-officer', await hashPassword(PASSWORD));
      await store.grant(OFFICER, 'dataset', SITE, 'root');
    },
  });
  const login = await fetch(`${workbench.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: OFFICER, password: PASSWORD }) });
  token = ((await login.json()) as { token: string }).token;
  ({ body: preview } = await api<Preview>('/campaigns/preview', { method: 'POST', body: { criteria: CRITERIA } }));
  assert.ok(preview.recipients >= 10, `the generated site has Dutch paying users (${preview.recipients})`);
  ({ context, page, problems } = await openPage(workbench));
});

after(async () => {
  await context?.close();
  await workbench?.close();
});

describe('campaigns in the workbench', { concurrency: false }, () => {
  test('a campaign officer lands on Campaigns, the only view offered, and the shell asks for no datasets', async () => {
    const asked: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (new URL(request.url()).pathname === '/api/v1/datasets') asked.push(request.url());
    };
    page.on('request', onRequest);
    await logIn(page, OFFICER);
    await page.getByTestId('who').filter({ hasText: OFFICER }).waitFor();
    await page.waitForURL(/\/campaigns$/);
    const nav = await page.getByRole('navigation', { name: 'Views' }).getByRole('link').allInnerTexts();
    assert.deepEqual(nav, ['Campaigns']);
    await page.getByRole('cell', { name: new RegExp(SITE) }).first().waitFor();
    assert.equal(await page.getByText('No campaigns yet.').count(), 1);
    // g m is the campaigns' shortcut; / has no search to open for this role
    await page.goto('/campaigns/new');
    await page.getByTestId('criteria').waitFor();
    await page.keyboard.press('/');
    await page.keyboard.press('g');
    await page.keyboard.press('m');
    await page.waitForURL(/\/campaigns$/);
    page.off('request', onRequest);
    assert.deepEqual(asked, [], 'GET /datasets is not for campaign officers');
  });

  test('the preview of Dutch paying users shows each person with the evidence that makes them Dutch', async () => {
    await page.getByRole('link', { name: 'New campaign', exact: true }).click();
    await page.waitForURL(/\/campaigns\/new$/);
    // the datasets come with GET /campaigns: the form is ready when they are its options
    await page.getByLabel('Site dataset').locator('option', { hasText: SITE }).waitFor({ state: 'attached' });
    assert.equal(await page.getByLabel('Site dataset').inputValue(), SITE);
    assert.equal(await page.getByLabel('Countries').inputValue(), 'NL', 'NL is preselected');
    await page.getByLabel('Paying users only').check();
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const count = page.getByTestId('preview-count');
    await count.waitFor();
    assert.equal(await count.innerText(), String(preview.recipients));
    const rows = page.getByTestId('preview-people').locator(':scope > tbody > tr');
    assert.equal(await rows.count(), preview.recipients);
    // how many each criterion left out, as the server counted it
    const neverPaid = page.getByTestId('funnel').locator('[data-criterion="paid"] .stat-value');
    assert.equal(await neverPaid.innerText(), `−${preview.excluded.paid}`);
    assert.match(await page.getByTestId('funnel').innerText(), new RegExp(`−${preview.peopleConsidered - preview.ofCountry}\\s+No evidence for NL`, 'i'));
    // every piece of evidence of a person is on their row: kind, value, country and how it was decided
    const person = preview.people.find((p) => p.evidence.length >= 2) ?? preview.people[0]!;
    const row = page.getByTestId('preview-people').locator(`tr[data-reference="${person.id}"]`);
    const items = row.getByTestId('evidence').locator('tbody tr');
    assert.equal(await items.count(), person.evidence.length);
    const shown = await items.allInnerTexts();
    for (const e of person.evidence) {
      assert.ok(shown.some((line) => line.includes(e.value) && line.includes(e.country) && line.includes(e.method)), `${e.kind} ${e.value} → ${e.country} (${e.method}) in ${shown.join(' | ')}`);
    }
    assert.ok(person.evidence.some((e) => e.country === 'NL'));
  });

  test('changing a criterion asks for a new preview before a campaign can be created', async () => {
    const create = page.getByRole('button', { name: 'Create campaign' });
    assert.equal(await create.isEnabled(), true);
    await page.getByLabel('At least … searches').fill('3');
    assert.equal(await create.isDisabled(), true);
    await page.getByText('The criteria changed since this preview').waitFor();
    await page.getByLabel('At least … searches').fill('');
    assert.equal(await create.isEnabled(), true);
  });

  test('creating the campaign stores every previewed person as a recipient and opens its board', async () => {
    await page.getByLabel('Campaign name').fill(CAMPAIGN);
    await page.getByLabel('Title', { exact: true }).fill('Operation Leakstop');
    await page.getByLabel('Site name in letters').fill('LeakMarket');
    await page.getByLabel('Organisation').fill('Politie');
    await page.getByLabel('Signed by').fill('A. de Vries');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForURL(new RegExp(`/campaigns/${CAMPAIGN}$`));
    await page.getByTestId('campaign-board').waitFor();
    assert.equal(await recipientRows().count(), preview.recipients);
    const strip = page.getByTestId('status-strip');
    assert.equal(await strip.locator('[data-status="selected"] .strip-count').innerText(), String(preview.recipients));
    const stored = await workbench.store.recipients(CAMPAIGN);
    assert.equal(stored.length, preview.recipients);
    assert.ok(stored.every((r) => r.status === 'selected'));
    const campaign = await workbench.store.findCampaign(CAMPAIGN);
    assert.equal(campaign?.createdBy, OFFICER);
    assert.deepEqual(campaign?.settings.sender, { organisation: 'Politie', signatory: 'A. de Vries' });
    assert.equal(campaign?.settings.site, 'LeakMarket');
  });

  test('a recipient: a refused step shows the reason; a talk is scheduled and then held', async () => {
    const reference = (await recipientRows().first().getAttribute('data-reference'))!;
    await recipientRows().first().getByRole('link').click();
    await page.waitForURL(new RegExp(`/campaigns/${CAMPAIGN}/${reference}`));
    await panel().getByTestId('evidence').waitFor();
    assert.match(await panel().locator('h2').innerText(), new RegExp(reference));

    await panel().getByRole('button', { name: 'Talk held' }).click();
    await panel().getByTestId('step-refused').filter({ hasText: 'a talk is held after it was scheduled' }).waitFor();
    assert.equal((await workbench.store.recipients(CAMPAIGN, { reference }))[0]?.status, 'selected', 'nothing changed');

    await panel().getByRole('button', { name: 'Schedule talk…' }).click();
    await panel().getByLabel('Time of the talk (your clock)').fill('2026-12-21T10:30');
    await panel().getByLabel('Place').fill('Bureau Utrecht');
    const talkAt = await page.evaluate(() => new Date('2026-12-21T10:30').toISOString());
    await panel().getByTestId('talk-form').getByText(`= ${talkAt.slice(0, 16).replace('T', ' ')} UTC`).waitFor();
    await panel().getByRole('button', { name: 'Schedule the talk' }).click();
    await panel().getByTestId('recipient-status').filter({ hasText: 'Talk scheduled' }).waitFor();
    await panel().getByTestId('recipient-talk').filter({ hasText: 'Bureau Utrecht' }).waitFor();

    await panel().getByLabel('Note').fill('Came with his mother; will stop.');
    await panel().getByRole('button', { name: 'Talk held' }).click();
    await panel().getByTestId('recipient-status').filter({ hasText: 'Talk held' }).waitFor();
    await page.getByTestId('status-strip').locator('[data-status="talk-held"] .strip-count').filter({ hasText: /^1$/ }).waitFor();
    await page.locator(`tr[data-reference="${reference}"]`).getByText('Talk held').waitFor();

    const { body } = await api<{ recipient: Recipient; history: History }>(`/campaigns/${CAMPAIGN}/recipients/${reference}`);
    assert.equal(body.recipient.status, 'talk-held');
    assert.deepEqual(body.recipient.talk, { at: talkAt, place: 'Bureau Utrecht' });
    assert.deepEqual(body.history.map((h) => [h.status, h.actor]), [['selected', OFFICER], ['talk-scheduled', OFFICER], ['talk-held', OFFICER]]);
    assert.deepEqual(body.history[1]?.details, { talk: { at: talkAt, place: 'Bureau Utrecht' } });
    assert.equal(body.history[2]?.note, 'Came with his mother; will stop.');
    await panel().getByTestId('history').locator('li').nth(2).waitFor();
  });

  test('a correction asks for a reason and a confirmation, and is recorded as one', async () => {
    const reference = (await recipientRows().first().getAttribute('data-reference'))!;
    await panel().getByRole('button', { name: 'Correct a mistake…' }).click();
    const correction = panel().getByTestId('correction');
    await correction.getByLabel('Set the status to').selectOption('talk-scheduled');
    const submit = correction.getByRole('button', { name: 'Correct…' });
    assert.equal(await submit.isDisabled(), true, 'no correction without a reason');
    await correction.getByLabel('Reason (required)').fill('Marked held by mistake: the talk is next week.');
    await submit.click();
    await correction.getByRole('alertdialog').filter({ hasText: `Set ${reference} from "Talk held" to "Talk scheduled" as a correction?` }).waitFor();
    await correction.getByRole('button', { name: 'Yes, record the correction' }).click();
    await panel().getByTestId('recipient-status').filter({ hasText: 'Talk scheduled' }).waitFor();
    await panel().getByTestId('history').locator('li.history-correction').waitFor();
    const history = await workbench.store.recipientHistory(CAMPAIGN, reference);
    const last = history.at(-1)!;
    assert.equal(last.status, 'talk-scheduled');
    assert.equal(last.note, 'Marked held by mistake: the talk is next week.');
    assert.equal(last.details?.correction, true);
    assert.equal(last.details?.from, 'talk-held');
    // back to where the letters test expects it
    await panel().getByRole('button', { name: 'Talk held' }).click();
    await panel().getByTestId('recipient-status').filter({ hasText: 'Talk held' }).waitFor();
  });

  test('letters: every recipient gets a PDF whose link downloads the file with the listed SHA-256', async () => {
    await page.getByRole('button', { name: 'Generate letters' }).first().click();
    const letters = page.getByTestId('letters-panel');
    await letters.getByRole('button', { name: 'Generate letters' }).click();
    const files = page.getByTestId('letter-files');
    await files.waitFor({ timeout: 60_000 });
    const pdfLinks = files.locator('a[href$=".pdf"]');
    assert.equal(await pdfLinks.count(), preview.recipients);
    assert.equal(await files.getByRole('link', { name: 'letters.csv' }).count(), 1);
    assert.equal(await files.getByRole('link', { name: 'MANIFEST.sha256' }).count(), 1);
    await files.getByTestId('default-legal').filter({ hasText: 'legal text shipped with Lode' }).waitFor();
    const first = files.locator('tbody tr').first();
    const href = (await first.locator('a').getAttribute('href'))!;
    const downloaded = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return { status: response.status, type: response.headers.get('content-type'), bytes: Array.from(new Uint8Array(await response.arrayBuffer())) };
    }, href);
    assert.equal(downloaded.status, 200);
    assert.equal(downloaded.type, 'application/pdf');
    const bytes = Buffer.from(downloaded.bytes);
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(createHash('sha256').update(bytes).digest('hex'), (await first.locator('code.hash').innerText()).trim());

    const stored = await workbench.store.recipients(CAMPAIGN);
    const withoutAddress = stored.filter((r) => r.addresses.length === 0).length;
    if (withoutAddress > 0) assert.match(await files.getByTestId('without-address').innerText(), new RegExp(`^${withoutAddress} letters? ha(s|ve) no postal address`));
    assert.ok(stored.every((r) => r.letter !== undefined && /^[0-9a-f]{64}$/.test(r.letter.sha256)), 'every recipient records its letter');
    // a generated letter moves recipients on, never back: the talk held stays held
    assert.deepEqual([...new Set(stored.map((r) => r.status))].sort(), ['letter-generated', 'talk-held']);
    await page.getByTestId('status-strip').locator('[data-status="letter-generated"] .strip-count').filter({ hasText: String(preview.recipients - 1) }).waitFor();
    // the open recipient shows its letter with a download link of its own
    const reference = (await recipientRows().first().getAttribute('data-reference'))!;
    await recipientRows().nth(1).getByRole('link').click();
    await recipientRows().first().getByRole('link').click();
    await page.waitForURL(new RegExp(`/${reference}`));
    const letter = panel().getByTestId('recipient-letter');
    await letter.waitFor();
    assert.equal(await letter.getByRole('link').innerText(), `${reference}.pdf`);
  });

  test('e-mails: without a mail server the dry run lists the messages and sending says why it cannot', async () => {
    await page.getByRole('button', { name: 'Send e-mails' }).first().click();
    const send = page.getByTestId('send-panel');
    await send.getByTestId('cannot-send').filter({ hasText: 'This server has no mail server' }).waitFor();
    await send.getByRole('button', { name: 'Dry run: list the e-mails' }).click();
    const plan = send.getByTestId('send-plan');
    await plan.waitFor();
    const stored = await workbench.store.recipients(CAMPAIGN);
    const withEmail = stored.filter((r) => r.emails.length > 0).length;
    assert.equal(await plan.locator('tbody tr').count(), withEmail);
    assert.equal(await plan.getByRole('button', { name: `Send ${withEmail} e-mails` }).isDisabled(), true);
    assert.ok(stored.every((r) => r.email === undefined), 'a dry run sends nothing');
  });

  test('e-mails: through a server with a mail server they go out in the background and the board shows the progress', async () => {
    const smtp = await startTestSmtp();
    const mailer = await openMailer({ url: smtp.url, ca: smtp.ca });
    const mailing = await startServer({
      store: workbench.store, host: '127.0.0.1', port: 0, log: () => {}, mailer, mailFrom: 'Politie <stopgesprek@politie.example>', campaignDirectory: join(workbench.dir, 'campaigns'),
    });
    const second = await openPage({ ...workbench, url: mailing.url });
    try {
      await logIn(second.page, OFFICER);
      await second.page.getByTestId('who').waitFor();
      await second.page.goto(`/campaigns/${CAMPAIGN}?panel=send`);
      const send = second.page.getByTestId('send-panel');
      assert.equal(await send.getByTestId('cannot-send').count(), 0);
      await send.getByLabel('Per minute').fill('6000');
      await send.getByRole('button', { name: 'Dry run: list the e-mails' }).click();
      const withEmail = (await workbench.store.recipients(CAMPAIGN)).filter((r) => r.emails.length > 0);
      await send.getByRole('button', { name: `Send ${withEmail.length} e-mails` }).click();
      await send.getByRole('status').filter({ hasText: `Sending ${withEmail.length} e-mails in the background.` }).waitFor();
      // the board polls its own answer until the run has finished
      await second.page.getByTestId('sending').filter({ hasText: `E-mails sent. ${withEmail.length} of ${withEmail.length}: ${withEmail.length} sent, 0 bounced, 0 failed` }).waitFor({ timeout: 30_000 });
      assert.equal(smtp.received.length, withEmail.length);
      assert.deepEqual(smtp.received.flatMap((m) => m.envelopeTo).sort(), withEmail.map((r) => r.emails[0]!).sort());
      const stored = await workbench.store.recipients(CAMPAIGN);
      assert.ok(stored.filter((r) => r.emails.length > 0).every((r) => r.email?.state === 'sent'), 'every e-mail is recorded as sent');
      assert.ok(stored.every((r) => r.status === (r.emails.length === 0 ? 'letter-generated' : 'email-sent') || r.status === 'talk-held'), 'sending moves recipients on, never back');
      await second.page.getByTestId('status-strip').locator('[data-status="email-sent"] .strip-count').filter({ hasText: String(stored.filter((r) => r.status === 'email-sent').length) }).waitFor();
      assert.deepEqual(second.problems, []);
    } finally {
      await second.context.close();
      await mailing.close();
      mailer.close();
      await smtp.close();
    }
  });

  test('settings: the legal review note is shown; a bad template is refused with its reason, a good one kept', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByTestId('campaign-settings');
    await settings.getByTestId('legal-review').filter({ hasText: 'legal officer must review it' }).waitFor();
    assert.equal(await settings.getByLabel('Organisation').inputValue(), 'Politie');
    await settings.getByLabel('Letter template').setInputFiles({ name: 'brief.md', mimeType: 'text/markdown', buffer: Buffer.from('# Waarschuwing\n\nBeste {{naam}},\n') });
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByRole('alert').filter({ hasText: /naam/ }).waitFor();
    assert.equal((await workbench.store.findCampaign(CAMPAIGN))?.settings.letterTemplate, undefined);
    await settings.getByLabel('Letter template').setInputFiles({ name: 'brief.md', mimeType: 'text/markdown', buffer: Buffer.from('# Waarschuwing\n\nBeste {{name}},\n\nKenmerk {{reference}}.\n') });
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await settings.getByTestId('set-letter-state').filter({ hasText: 'Own template: brief.md' }).waitFor();
    const campaign = await workbench.store.findCampaign(CAMPAIGN);
    assert.equal(campaign?.settings.letterTemplate?.name, 'brief.md');
    assert.equal(campaign?.settings.letterTemplate?.format, 'markdown');
  });

  test('the list shows the campaign with its counts by status', async () => {
    await page.getByRole('link', { name: 'All campaigns' }).click();
    const row = page.getByTestId('campaigns').locator('tbody tr').filter({ hasText: CAMPAIGN });
    await row.waitFor();
    const stored = await workbench.store.recipients(CAMPAIGN);
    for (const status of ['selected', 'letter-generated', 'email-sent', 'talk-held'] as const) {
      const n = stored.filter((r) => r.status === status).length;
      if (n === 0) assert.equal(await row.locator(`[data-status="${status}"]`).count(), 0, `${status}: statuses nobody has are left out`);
      else assert.equal(await row.locator(`[data-status="${status}"] .count`).innerText(), String(n), status);
    }
    assert.equal(await row.locator('[data-status="talk-held"] .count').innerText(), '1');
  });

  test('an analyst is offered no campaigns', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await logIn(page, 'ana');
    await page.getByTestId('who').filter({ hasText: 'ana' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Campaigns', exact: true }).count(), 0);
  });

  test('nothing broke the page or the Content Security Policy on the way', () => {
    assert.deepEqual(problems, []);
  });
});
