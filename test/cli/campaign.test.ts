// A campaign officer's whole path with the real bin/lode: a generated leak-market dump with
// planted truth, the Dutch paying customers selected (checked against the truth), letters as
// PDFs read back, e-mails through a real SMTP server on loopback (STARTTLS, login, a refused
// address, a relay that is busy for a while, a run killed halfway and resumed), stop talks
// tracked, a bounce report read, and a recipient found again in a later seizure.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFParse } from 'pdf-parse';
import { temporaryDirectory } from '../fixtures.ts';
import { startTestSmtp, type TestSmtp } from '../mail/smtp-fixture.ts';
import type { MarketPersonTruth } from '../../src/generate/market.ts';

const LODE = new URL('../../bin/lode', import.meta.url).pathname;
const FROM = 'Team Cybercrime <stopgesprek@politie.example>';

type Run = { status: number | null; stdout: string; stderr: string };
type Person = { id: string; reference: string; name?: string; emails: string[]; accounts: { handle: string }[]; countries: string[]; evidence: { kind: string; country: string; method: string }[]; activity: { payments: number } };
type RecipientJson = Person & { status: string; email?: { state: string; to: string; messageId?: string; bounceReason?: string }; talk?: { at: string; place?: string }; reoffences: { dataset: string; matched: string; afterContact: boolean }[]; reoffending: boolean };

let home: string;
let smtp: TestSmtp;
let truth: MarketPersonTruth[];
let caFile: string;

/** bin/lode without blocking this process: the SMTP server in it must keep answering. */
function run(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(LODE, args, { env: { ...process.env, LODE_HOME: home, LODE_STORE: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function lode<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  const result = await run(...args);
  assert.equal(result.status, 0, `lode ${args.join(' ')}: ${result.stderr}`);
  return (args.includes('--json') ? JSON.parse(result.stdout) : result.stdout) as T;
}

async function board(): Promise<RecipientJson[]> {
  return (await lode<{ recipients: RecipientJson[] }>('campaign', 'status', 'wli', '--json')).recipients;
}

const smtpArgs = () => ['--smtp', `${smtp.url}?requireTLS=true`, '--smtp-ca', caFile, '--from', FROM, '--rate', '6000', '--retry-delay', '0'];

before(async () => {
  home = temporaryDirectory();
  smtp = await startTestSmtp();
  caFile = join(home, 'relay-ca.pem');
  writeFileSync(caFile, smtp.ca);
  const dump = join(home, 'market.sql');
  await lode('generate', '--market', '--people', '160', '--seed', '11', '--out', dump, '--json');
  truth = readFileSync(`${dump}.truth.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.kind === 'person');
  await lode('ingest', dump, '--dataset', 'market', '--json');
});

after(async () => {
  await smtp.close();
});

test('the dry run selects exactly the Dutch paying people of the truth, one recipient per person, with their evidence; create stores the same', async () => {
  const dry = await lode<{ recipients: number; dryRun: boolean; people: Person[]; excluded: Record<string, number> }>('campaign', 'create', 'wli', '--dataset', 'market', '--country', 'NL', '--paid', '--dry-run', '--json');
  assert.equal(dry.dryRun, true);
  const key = (handles: readonly string[]) => [...handles].sort().join(',');
  const selected = new Set(dry.people.map((p) => key(p.accounts.map((a) => a.handle))));
  // accounts of one person that share an e-mail or a phone are one recipient; the truth's people
  // whose accounts share nothing cannot be told apart from strangers, so they are not asked for here
  const linkable = truth.filter((p) => p.paid && p.evidence.some((e) => e.country === 'NL') && (p.accounts.length === 1 || p.linkedBy !== 'none'));
  assert.ok(linkable.length >= 10, `the generated market has ${linkable.length} Dutch payers`);
  assert.ok(linkable.some((p) => p.accounts.length > 1), 'some have several accounts');
  for (const person of linkable) assert.ok(selected.has(key(person.accounts)), `${person.id} (${key(person.accounts)}) is one recipient`);
  const owner = new Map(truth.flatMap((p) => p.accounts.map((a) => [a, p] as const)));
  for (const recipient of dry.people) {
    const people = new Set(recipient.accounts.map((a) => owner.get(a.handle)!.id));
    assert.equal(people.size, 1, `${recipient.id} merges accounts of one person only`);
    const person = owner.get(recipient.accounts[0]!.handle)!;
    assert.ok(person.evidence.some((e) => e.country === 'NL') && person.paid, `${recipient.id} is a Dutch payer in the truth`);
  }
  for (const person of dry.people) {
    assert.ok(person.evidence.some((e) => e.country === 'NL' && e.method.length > 0), `${person.id} shows why it is Dutch`);
    assert.ok(person.activity.payments > 0);
  }
  assert.ok((dry.excluded.paid ?? 0) > 0, 'unpaid Dutch users were left out by --paid');
  assert.equal((await lode<{ campaigns: unknown[] }>('campaign', 'list', '--json')).campaigns.length, 0, 'a dry run stores nothing');

  const sender = join(home, 'sender.json');
  writeFileSync(sender, JSON.stringify({ organisation: 'Politie Nederland', unit: 'Team Cybercrime', address: 'Postbus 1\n1000 AA Amsterdam', phone: '0900-8844', email: 'stopgesprek@politie.example', signatory: 'A. de Wit' }));
  const created = await lode<{ recipients: number; code: string; people: Person[] }>('campaign', 'create', 'wli', '--dataset', 'market', '--country', 'NL', '--paid',
    '--title', 'WLI Nederland', '--site', 'LeakMarket', '--sender', sender, '--json');
  assert.equal(created.recipients, dry.recipients);
  assert.deepEqual(created.people.map((p) => p.id), dry.people.map((p) => p.id), 'the dry run\'s references are the campaign\'s');
  const again = await run('campaign', 'create', 'wli', '--dataset', 'market', '--country', 'NL');
  assert.equal(again.status, 1);
  assert.match(again.stderr, /exists already/);
  const recipients = await board();
  assert.ok(recipients.every((r) => r.status === 'selected' && r.id === r.reference));
});

test('letters: one PDF per recipient with its reference, name and usernames, a manifest sha256sum accepts', async () => {
  const out = join(home, 'letters');
  const result = await lode<{ letters: { reference: string; file: string; sha256: string }[]; dir: string }>('campaign', 'letters', 'wli', '--out', out, '--date', '2026-12-07', '--json');
  const recipients = await board();
  assert.equal(result.letters.length, recipients.length);
  const manifest = readFileSync(join(out, 'MANIFEST.sha256'), 'utf8').trim().split('\n').map((l) => l.split('  '));
  for (const [hash, file] of manifest) assert.equal(createHash('sha256').update(readFileSync(join(out, file!))).digest('hex'), hash, file);
  assert.deepEqual(new Set(readdirSync(out).filter((f) => f.endsWith('.pdf'))), new Set(recipients.map((r) => `${r.reference}.pdf`)));
  const sample = recipients[0]!;
  const parser = new PDFParse({ data: readFileSync(join(out, `${sample.reference}.pdf`)) });
  const text = (await parser.getText()).text.replace(/\s+/g, ' ');
  await parser.destroy();
  assert.ok(text.includes(sample.reference));
  assert.ok(text.includes(sample.accounts[0]!.handle), 'the letter names the username');
  assert.ok(text.includes('Politie Nederland') && text.includes('7 december 2026'));
  assert.ok((await board()).every((r) => r.status === 'letter-generated'));
  const refused = await run('campaign', 'letters', 'wli', '--out', out);
  assert.equal(refused.status, 1, 'a folder with letters is not written into again');
});

test('e-mails: each recipient once over STARTTLS; a refused address bounces; a busy relay is retried; a killed run resumes without sending twice', async () => {
  const recipients = (await board()).filter((r) => r.emails.length > 0);
  const gone = recipients[1]!;
  smtp.refuse.add(gone.emails[0]!.toLowerCase());
  smtp.failNext.count = 2;
  // the first run is killed after two messages arrived
  const before = smtp.received.length;
  const child: ChildProcess = spawn(LODE, ['campaign', 'send', 'wli', ...smtpArgs().map((a) => (a === '6000' ? '120' : a))], { env: { ...process.env, LODE_HOME: home, LODE_STORE: '' } });
  const exited = new Promise((resolve) => child.on('close', resolve));
  await smtp.waitFor(before + 2, 30_000);
  child.kill('SIGKILL');
  await exited;
  const resumed = await run('campaign', 'send', 'wli', ...smtpArgs(), '--json');
  assert.ok(resumed.status === 0 || resumed.status === 1, resumed.stderr);
  const report = JSON.parse(resumed.stdout) as { sent: number; bounced: number; failed: number; skipped: { alreadySent: number; uncertain: number } };
  assert.equal(report.failed, 0);
  // the message in hand when the run was killed may have left or not: it counts as uncertain, never sent again
  assert.ok(report.skipped.alreadySent + report.skipped.uncertain >= 2, `what the killed run sent is not sent again: ${resumed.stdout}`);
  assert.ok(report.skipped.uncertain <= 1, 'at most the message in hand when the run was killed is uncertain');
  const mails = smtp.received.slice(before);
  const byAddress = new Map<string, number>();
  for (const m of mails) for (const to of m.envelopeTo) byAddress.set(to, (byAddress.get(to) ?? 0) + 1);
  assert.ok([...byAddress.values()].every((n) => n === 1), 'nobody got two messages');
  assert.ok(!byAddress.has(gone.emails[0]!.toLowerCase()));
  const after = await board();
  const bounced = after.find((r) => r.reference === gone.reference)!;
  assert.equal(bounced.email?.state, 'bounced');
  assert.match(bounced.email?.bounceReason ?? '', /User unknown/);
  const sent = after.filter((r) => r.email?.state === 'sent');
  const uncertain = after.filter((r) => r.email?.state === 'sending');
  assert.equal(uncertain.length, report.skipped.uncertain);
  assert.ok(sent.length === mails.length || sent.length + uncertain.length === mails.length, 'every message that arrived is recorded (the one in hand at the kill as uncertain)');
  for (const r of sent) {
    assert.equal(r.status, 'email-sent');
    const mail = mails.find((m) => m.envelopeTo.includes(r.email!.to))!;
    assert.ok(mail.isSecure);
    assert.ok((mail.mail.subject ?? '').includes(r.reference));
    assert.equal(mail.mail.headers.get('x-lode-reference'), r.reference);
    assert.equal(mail.mail.messageId, `<${r.email!.messageId}>`);
    assert.doesNotMatch(`${mail.mail.text}${mail.mail.html || ''}`, /https?:\/\/|<a /);
  }
  // a third run sends nothing
  const count = smtp.received.length;
  const third = await lode<{ sent: number }>('campaign', 'send', 'wli', ...smtpArgs(), '--json');
  assert.equal(third.sent, 0);
  assert.equal(smtp.received.length, count);
});

test('stop talks: scheduled, held, no response; a step out of order is refused with the reason; everything is in the history and the audit log', async () => {
  const [first, second, third] = (await board()).filter((r) => r.status === 'email-sent');
  await lode('campaign', 'mark', 'wli', first!.reference, '--status', 'letter-sent', '--note', 'per post verstuurd');
  const early = await run('campaign', 'mark', 'wli', first!.reference, '--status', 'talk-held');
  assert.equal(early.status, 1);
  assert.match(early.stderr, /schedule it first/);
  await lode('campaign', 'talk', 'wli', first!.reference.toLowerCase(), '--at', '2026-12-14T10:00:00+01:00', '--place', 'Bureau Amsterdam-Centrum');
  await lode('campaign', 'mark', 'wli', first!.reference, '--status', 'talk-held', '--note', 'gesprek gevoerd, spijt betuigd');
  await lode('campaign', 'mark', 'wli', second!.reference, '--status', 'no-response');
  await lode('campaign', 'note', 'wli', third!.reference, 'belde terug, wil later afspraak');
  const typo = await run('campaign', 'mark', 'wli', first!.reference.replace(/\d$/, (d) => String((Number(d) + 1) % 10)), '--status', 'no-response');
  assert.equal(typo.status, 1);
  assert.match(typo.stderr, /check digits/);

  const shown = await lode<{ recipient: RecipientJson; history: { status: string; note?: string; actor: string }[] }>('campaign', 'show', 'wli', first!.reference, '--json');
  assert.equal(shown.recipient.status, 'talk-held');
  assert.equal(shown.recipient.talk?.place, 'Bureau Amsterdam-Centrum');
  assert.equal(shown.recipient.talk?.at, '2026-12-14T09:00:00.000Z');
  // the letter was posted after the e-mail: recorded in the history, the status stayed email-sent
  assert.deepEqual(shown.history.map((h) => h.status), ['selected', 'letter-generated', 'email-sent', 'letter-sent', 'talk-scheduled', 'talk-held']);
  assert.equal(shown.history.at(-1)!.note, 'gesprek gevoerd, spijt betuigd');
  const status = await lode<{ counts: Record<string, number> }>('campaign', 'status', 'wli', '--json');
  assert.equal(status.counts['talk-held'], 1);
  assert.equal(status.counts['no-response'], 1);
  const audit = await lode<{ events: { action: string }[] }>('audit', 'list', '--limit', '200', '--json');
  for (const action of ['campaign.create', 'campaign.letters', 'campaign.send', 'campaign.mark', 'campaign.status', 'campaign.recipient']) {
    assert.ok(audit.events.some((e) => e.action === action), `${action} is audited`);
  }
  assert.equal((await run('audit', 'verify')).status, 0);
});

test('a returned delivery report marks the e-mail bounced; a delay report does not', async () => {
  const target = (await board()).find((r) => r.email?.state === 'sent' && r.status === 'email-sent')!;
  const dsn = (action: string, status: string) => [
    'From: MAILER-DAEMON@relay.example', `To: ${FROM}`, 'Subject: Undelivered Mail Returned to Sender', `Message-ID: <dsn-${action}@relay.example>`,
    'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '',
    '--b', 'Content-Type: text/plain', '', 'Your message could not be delivered.', '',
    '--b', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; relay.example', '', `Final-Recipient: rfc822; ${target.email!.to}`,
    `Action: ${action}`, `Status: ${status}`, 'Diagnostic-Code: smtp; 550 5.2.1 mailbox disabled', '',
    '--b', 'Content-Type: text/rfc822-headers', '', `Message-ID: <${target.email!.messageId}>`, `X-Lode-Reference: ${target.reference}`, 'Subject: x', '',
    '--b--', '',
  ].join('\r\n');
  const delayed = join(home, 'delayed.eml');
  writeFileSync(delayed, dsn('delayed', '4.4.7'));
  const none = await lode<{ bounced: string[]; notFailures: number }>('campaign', 'bounces', 'wli', delayed, '--json');
  assert.deepEqual(none.bounced, []);
  assert.equal(none.notFailures, 1);
  const failed = join(home, 'failed.eml');
  writeFileSync(failed, dsn('failed', '5.2.1'));
  const outcome = await lode<{ bounced: string[] }>('campaign', 'bounces', 'wli', failed, '--json');
  assert.deepEqual(outcome.bounced, [target.reference]);
  const after = (await board()).find((r) => r.reference === target.reference)!;
  assert.equal(after.email?.state, 'bounced');
  assert.match(after.email?.bounceReason ?? '', /mailbox disabled/);
});

test('a recipient who turns up in a later seizure after being warned is flagged re-offending', async () => {
  const warned = (await board()).find((r) => r.status === 'talk-held')!;
  const email = warned.emails[0]!;
  const later = join(home, 'later.sql');
  writeFileSync(later, [
    '-- Host: db    Database: nextmarket',
    'CREATE TABLE `users` (`id` int, `username` varchar(64), `email` varchar(191), `password` varchar(255), `created_at` datetime);',
    `INSERT INTO \`users\` VALUES (1,'newname','${email}','x','2027-01-05 10:00:00'),(2,'stranger','stranger@example.org','y','2027-01-06 10:00:00');`,
    'CREATE TABLE `orders` (`id` int, `user_id` int, `amount` decimal(10,2), `paid_at` datetime);',
    "INSERT INTO `orders` VALUES (1,1,'99.00','2027-02-01 12:00:00');",
    '',
  ].join('\n'));
  await lode('ingest', later, '--dataset', 'nextmarket', '--json');
  const status = await lode<{ reoffending: number; recipients: RecipientJson[]; reoffendingCheck: { datasetsRead: string[] } }>('campaign', 'status', 'wli', '--json');
  assert.deepEqual(status.reoffendingCheck.datasetsRead, ['nextmarket']);
  const flagged = status.recipients.filter((r) => r.reoffences.length > 0);
  assert.deepEqual(flagged.map((r) => r.reference), [warned.reference]);
  assert.deepEqual(flagged[0]!.reoffences.map((o) => [o.dataset, o.matched, o.afterContact]), [['nextmarket', `email:${email}`, true]]);
  assert.equal(status.reoffending, 1);
  // asking again reads nothing new
  const again = await lode<{ reoffendingCheck: { datasetsRead: string[] } }>('campaign', 'status', 'wli', '--json');
  assert.deepEqual(again.reoffendingCheck.datasetsRead, []);
});
