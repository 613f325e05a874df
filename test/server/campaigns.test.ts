// The campaign API on a real server: who may run campaigns (officers on their granted site
// datasets, admins), the path from preview to sent e-mails through a real SMTP relay, letters
// downloaded, steps refused with their reason, and the audit trail.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ingest } from '../../src/ingest/pipeline.ts';
import { hashPassword } from '../../src/security/passwords.ts';
import { startServer, type RunningServer } from '../../src/server/listen.ts';
import { openMailer } from '../../src/main.ts';
import type { Mailer } from '../../src/mail/mailer.ts';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { writeMarketDump } from '../../src/generate/write-market.ts';
import { openTestStore, temporaryDirectory } from '../fixtures.ts';
import { getJson, login, PASSWORD, sendJson, type Login } from './server-fixture.ts';
import { startTestSmtp, type TestSmtp } from '../mail/smtp-fixture.ts';

let server: RunningServer;
let store: SqliteStore;
let smtp: TestSmtp;
let mailer: Mailer;
let admin: Login;
let officer: Login;
let otherOfficer: Login;
let analyst: Login;
let api: string;

type Board = { counts: Record<string, number>; canSend: boolean; sending: { sent: number; finishedAt?: string; planned: number } | null; recipients: { id: string; status: string; emails: string[]; email?: { state: string } }[] };

before(async () => {
  const dir = temporaryDirectory();
  store = openTestStore(dir);
  const dump = join(dir, 'market.sql');
  await writeMarketDump({ people: 120, seed: 5, out: dump });
  await ingest({ store, dataset: 'market', paths: [dump] });
  await writeMarketDump({ people: 30, seed: 6, out: join(dir, 'other.sql') });
  await ingest({ store, dataset: 'othermarket', paths: [join(dir, 'other.sql')] });
  const hash = await hashPassword(PASSWORD);
  for (const [name, role] of [['root', 'admin'], ['cora', 'campaign-officer'], ['olaf', 'campaign-officer'], ['ana', 'analyst']] as const) await store.createUser(name, role, hash);
  await store.grant('cora', 'dataset', 'market', 'root');
  await store.grant('olaf', 'dataset', 'othermarket', 'root');
  await store.grant('ana', 'dataset', 'market', 'root');
  smtp = await startTestSmtp();
  mailer = await openMailer({ url: smtp.url, ca: smtp.ca });
  server = await startServer({
    store, host: '127.0.0.1', port: 0, log: () => {}, campaignDirectory: join(dir, 'campaigns'), mailer, mailFrom: 'Team Cyber <cyber@politie.example>',
  });
  api = `${server.url}/api/v1`;
  admin = await login(server.url, 'root');
  officer = await login(server.url, 'cora');
  otherOfficer = await login(server.url, 'olaf');
  analyst = await login(server.url, 'ana');
});

after(async () => {
  await server.close();
  mailer.close();
  await smtp.close();
});

const criteria = { dataset: 'market', countries: ['NL'], paid: true };

test('campaigns are for campaign officers on their granted datasets and for admins; analysts are refused', async () => {
  assert.equal((await getJson(`${api}/campaigns`, analyst.token)).status, 403);
  const listed = await getJson<{ datasets: { name: string }[]; canSend: boolean }>(`${api}/campaigns`, officer.token);
  assert.deepEqual(listed.body.datasets.map((d) => d.name), ['market']);
  assert.equal(listed.body.canSend, true);
  assert.equal((await getJson<{ datasets: unknown[] }>(`${api}/campaigns`, admin.token)).body.datasets.length, 2);
  const foreign = await sendJson(`${api}/campaigns/preview`, 'POST', otherOfficer, { criteria });
  assert.equal(foreign.status, 404, 'a dataset not granted is answered like one that does not exist');
  assert.equal((await getJson(`${api}/search?q=x`, officer.token)).status, 403, 'an officer reads campaigns, not the evidence');
});

test('preview, create, board: the officer sees each person\'s country evidence; the board shows every status', async () => {
  const preview = await sendJson<{ recipients: number; people: { id: string; evidence: { country: string; method: string }[] }[] }>(`${api}/campaigns/preview`, 'POST', officer, { name: 'nl-2026', criteria });
  assert.equal(preview.status, 200);
  assert.ok(preview.body.recipients > 3);
  assert.ok(preview.body.people.every((p) => p.evidence.some((e) => e.country === 'NL' && e.method)));
  const bad = await sendJson(`${api}/campaigns/preview`, 'POST', officer, { criteria: { ...criteria, countries: ['Netherlands'] } });
  assert.equal(bad.status, 400);
  const created = await sendJson<{ recipients: number; campaign: { code: string } }>(`${api}/campaigns`, 'POST', officer, {
    name: 'nl-2026', criteria, settings: { title: 'Nederland 2026', sender: { organisation: 'Politie Nederland', phone: '0900-8844' }, site: 'LeakMarket' },
  });
  assert.equal(created.status, 201);
  assert.equal(created.body.recipients, preview.body.recipients);
  assert.equal((await sendJson(`${api}/campaigns`, 'POST', officer, { name: 'nl-2026', criteria })).status, 409);
  const board = await getJson<Board>(`${api}/campaigns/nl-2026`, officer.token);
  assert.equal(board.status, 200);
  assert.deepEqual(board.body.recipients.map((r) => r.id), preview.body.people.map((p) => p.id));
  assert.equal(Object.keys(board.body.counts).length, 7);
  assert.equal(board.body.counts.selected, preview.body.recipients);
  assert.equal((await getJson(`${api}/campaigns/nl-2026`, otherOfficer.token)).status, 404);
});

test('settings: a template with an unknown placeholder is refused with its place; a valid one is kept', async () => {
  const refused = await sendJson<{ error: { message: string } }>(`${api}/campaigns/nl-2026/settings`, 'PUT', officer, {
    emailTemplate: { name: 'mail.md', format: 'markdown', text: 'Subject: Hallo {{reference}}\n\nBeste {{nmae}},\n' },
  });
  assert.equal(refused.status, 400);
  assert.match(refused.body.error.message, /nmae/);
  const kept = await sendJson<{ campaign: { settings: { emailTemplate?: { name: string } } } }>(`${api}/campaigns/nl-2026/settings`, 'PUT', officer, {
    emailTemplate: { name: 'mail.md', format: 'markdown', text: 'Subject: Waarschuwing {{reference}}\n\n{{salutation}},\n\n{{activity}}\n\nBel ons en noem {{reference}}.\n' },
  });
  assert.equal(kept.status, 200);
  assert.equal(kept.body.campaign.settings.emailTemplate?.name, 'mail.md');
});

test('letters are generated under the server\'s home and downloaded one by one', async () => {
  const letters = await sendJson<{ run: string; letters: { reference: string; file: string }[]; download: string }>(`${api}/campaigns/nl-2026/letters`, 'POST', officer, { date: '2026-12-07' });
  assert.equal(letters.status, 200);
  const first = letters.body.letters[0]!;
  const pdf = await fetch(`${server.url}${letters.body.download}${first.file}`, { headers: { authorization: `Bearer ${officer.token}` } });
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
  const escape = await fetch(`${server.url}${letters.body.download}..%2F..%2Fsecrets`, { headers: { authorization: `Bearer ${officer.token}` } });
  assert.ok(escape.status === 400 || escape.status === 404);
  assert.equal((await fetch(`${server.url}${letters.body.download}${first.file}`, { headers: { authorization: `Bearer ${otherOfficer.token}` } })).status, 404);
});

test('e-mails: a dry run lists them; the real run goes in the background through the relay, once per recipient', async () => {
  const dry = await sendJson<{ messages: { reference: string; to: string; subject: string }[] }>(`${api}/campaigns/nl-2026/send`, 'POST', officer, { dryRun: true });
  assert.equal(dry.status, 200);
  assert.ok(dry.body.messages.every((m) => m.subject.startsWith('Waarschuwing ') && m.subject.includes(m.reference)), 'the campaign\'s own template');
  const before = smtp.received.length;
  const started = await sendJson<{ planned: number }>(`${api}/campaigns/nl-2026/send`, 'POST', officer, { ratePerMinute: 6000 });
  assert.equal(started.status, 202);
  assert.equal(started.body.planned, dry.body.messages.length);
  await smtp.waitFor(before + dry.body.messages.length, 30_000);
  let board: Board;
  for (;;) {
    board = (await getJson<Board>(`${api}/campaigns/nl-2026`, officer.token)).body;
    if (board.sending?.finishedAt) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(board.sending!.sent, dry.body.messages.length);
  const arrived = smtp.received.slice(before).map((m) => m.envelopeTo[0]).sort();
  assert.deepEqual(arrived, dry.body.messages.map((m) => m.to).sort());
  assert.ok(board.recipients.filter((r) => r.emails.length > 0).every((r) => r.status === 'email-sent' && r.email?.state === 'sent'));
  const again = await sendJson<{ planned: number }>(`${api}/campaigns/nl-2026/send`, 'POST', officer, { ratePerMinute: 6000 });
  assert.equal(again.body.planned, 0, 'nobody is mailed twice');
});

test('marks: a talk needs its time; a step out of order says why; the history and the audit log keep it all', async () => {
  const [recipient] = (await getJson<Board>(`${api}/campaigns/nl-2026`, officer.token)).body.recipients;
  const url = `${api}/campaigns/nl-2026/recipients/${recipient!.id}`;
  const noTime = await sendJson<{ error: { message: string } }>(`${url}/mark`, 'POST', officer, { status: 'talk-scheduled' });
  assert.equal(noTime.status, 400);
  assert.match(noTime.body.error.message, /time/);
  const early = await sendJson<{ error: { message: string } }>(`${url}/mark`, 'POST', officer, { status: 'talk-held' });
  assert.equal(early.status, 400);
  assert.match(early.body.error.message, /schedule it first/);
  assert.equal((await sendJson(`${url}/mark`, 'POST', officer, { status: 'talk-scheduled', talk: { at: '2026-12-15T14:00:00+01:00', place: 'Bureau Noord' } })).status, 200);
  assert.equal((await sendJson(`${url}/mark`, 'POST', officer, { status: 'talk-held', note: 'gevoerd' })).status, 200);
  const shown = await getJson<{ recipient: { status: string; talk: { at: string; place: string } }; history: { status: string; actor: string }[] }>(url, officer.token);
  assert.equal(shown.body.recipient.status, 'talk-held');
  assert.deepEqual(shown.body.recipient.talk, { at: '2026-12-15T13:00:00.000Z', place: 'Bureau Noord' });
  assert.deepEqual(shown.body.history.slice(-2).map((h) => [h.status, h.actor]), [['talk-scheduled', 'cora'], ['talk-held', 'cora']]);
  assert.equal((await getJson(`${api}/campaigns/nl-2026/recipients/NL2026-00001-00`, officer.token)).status, 404, 'a reference with wrong check digits');
  const audit = await store.auditEvents({ limit: 500, offset: 0, actor: 'cora' });
  const actions = new Set(audit.events.map((e) => e.action));
  for (const action of ['campaign.dry-run', 'campaign.create', 'campaign.configure', 'campaign.letters', 'campaign.download', 'campaign.send', 'campaign.status', 'campaign.mark', 'campaign.recipient']) {
    assert.ok(actions.has(action), `${action} audited`);
  }
});

test('the legal officer reads the texts a run would use; one letter or e-mail is previewed without recording anything', async () => {
  const texts = await getJson<{ legalText: { text: string; isDefault: boolean }; letterTemplate: { name: string; text: string; isDefault: boolean }; emailTemplate: { name: string; isDefault: boolean }; placeholders: string[] }>(`${api}/campaigns/nl-2026/texts`, officer.token);
  assert.equal(texts.status, 200);
  assert.equal(texts.body.legalText.isDefault, true);
  assert.match(texts.body.legalText.text, /139g/);
  assert.equal(texts.body.letterTemplate.isDefault, true);
  assert.match(texts.body.letterTemplate.text, /\{\{reference\}\}/);
  assert.deepEqual([texts.body.emailTemplate.name, texts.body.emailTemplate.isDefault], ['mail.md', false]);
  assert.ok(texts.body.placeholders.includes('activity'));
  const board = (await getJson<Board>(`${api}/campaigns/nl-2026`, officer.token)).body;
  const target = board.recipients[2]!;
  const pdf = await fetch(`${api}/campaigns/nl-2026/recipients/${target.id}/preview`, { headers: { authorization: `Bearer ${officer.token}` } });
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
  const mail = await getJson<{ subject: string; text: string }>(`${api}/campaigns/nl-2026/recipients/${target.id}/preview?kind=email&language=en`, officer.token);
  assert.ok(mail.body.subject.includes(target.id));
  const after = (await getJson<{ recipient: { status: string }; history: unknown[] }>(`${api}/campaigns/nl-2026/recipients/${target.id}`, officer.token)).body;
  assert.equal(after.recipient.status, target.status, 'a preview changes nothing');
});

test('the board shows letters by their download address, never the server\'s paths; progress is polled without the board', async () => {
  const board = (await getJson<{ recipients: { letter?: Record<string, unknown> }[] }>(`${api}/campaigns/nl-2026`, officer.token)).body;
  const letter = board.recipients.find((r) => r.letter)!.letter!;
  assert.equal(letter.path, undefined);
  assert.match(String(letter.download), /^\/api\/v1\/campaigns\/nl-2026\/letters\/\d{8}T\d{6}Z(-\d+)?\/[A-Z0-9-]+\.pdf$/);
  assert.equal((await fetch(`${server.url}${String(letter.download)}`, { headers: { authorization: `Bearer ${officer.token}` } })).status, 200);
  const before = (await store.auditEvents({ limit: 1, offset: 0 })).total;
  const sending = await getJson<{ sending: { finishedAt?: string } | null }>(`${api}/campaigns/nl-2026/sending`, officer.token);
  assert.ok(sending.body.sending?.finishedAt);
  assert.equal((await store.auditEvents({ limit: 1, offset: 0 })).total, before, 'polling progress writes no audit event');
});

test('settings can be cleared; names the workbench uses for its own pages are refused', async () => {
  const cleared = await sendJson<{ campaign: { settings: Record<string, unknown> } }>(`${api}/campaigns/nl-2026/settings`, 'PUT', officer, { site: null, emailTemplate: null });
  assert.equal(cleared.status, 200);
  assert.equal(cleared.body.campaign.settings.site, undefined);
  assert.equal(cleared.body.campaign.settings.emailTemplate, undefined);
  assert.ok(cleared.body.campaign.settings.sender, 'what was not named stays');
  for (const name of ['new', 'Preview']) assert.equal((await sendJson(`${api}/campaigns`, 'POST', officer, { name, criteria })).status, 400, name);
});
