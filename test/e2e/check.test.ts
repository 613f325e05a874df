// The public check page in a real Chromium against a real server that mails a real SMTP server on
// loopback: a known address gets a mail repeating the code the page showed; an unknown one the
// same page and no mail; English changes the page and the mail; the answers the server refuses
// with read as what to do; keyboard and screen-reader basics; and no CSP violation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ingest } from '../../src/ingest/pipeline.ts';
import { openPublicCheck } from '../../src/main.ts';
import { publishDataset } from '../../src/breachcheck/publish.ts';
import type { CheckService } from '../../src/breachcheck/check-service.ts';
import { startTestSmtp, type TestSmtp } from '../mail/smtp-fixture.ts';
import { openPage, startWorkbench, type Workbench } from './workbench-fixture.ts';

const KNOWN = 'alice.victim@example.nl';
const OTHER_KNOWN = 'bob@example.be';
const UNKNOWN = 'nobody-here@example.org';
// low: a solve takes a few hundred hashes, so the test measures the page, not the work
const BITS = 8;

let workbench: Workbench;
let smtp: TestSmtp;
let check: CheckService;
let closeCheck: () => Promise<void>;
let context: BrowserContext;
let page: Page;
let problems: string[];

before(async () => {
  smtp = await startTestSmtp();
  workbench = await startWorkbench({
    messages: 0,
    setup: async (store, dir) => {
      const leak = join(dir, 'leak.txt');
      writeFileSync(leak, `${[`${KNOWN}:Zomer2020!`, `${OTHER_KNOWN}:hunter2`, 'carol@example.de:Zomer2020!'].join('\n')}\n`);
      await ingest({ store, dataset: 'leak-2020', paths: [leak] });
      const opened = await openPublicCheck({ home: dir, env: {} }, {
        mail: { url: smtp.url, ca: smtp.ca }, from: 'Politie Check <check@politie.example>', organisation: 'Politie Nederland', challengeBits: BITS, log: () => {},
      });
      check = opened.service;
      closeCheck = opened.close;
      const key = Buffer.from(readFileSync(join(dir, 'secrets', 'check.key'), 'utf8').trim(), 'hex');
      await publishDataset({ store, index: opened.index, key, meta: { name: 'Leak2020', title: 'Combolijst 2020', breachDate: '2020-06-01', domain: 'leak.example', dataset: 'leak-2020' }, at: '2026-12-01T00:00:00Z' });
      return { check: opened.service, checkIndex: opened.index, checkLimits: { checks: 1000, challenges: 1000 } };
    },
  });
  ({ context, page, problems } = await openPage(workbench));
});

after(async () => {
  await context?.close();
  await workbench?.close();
  await closeCheck?.();
  await smtp?.close();
});

const result = () => page.locator('#result');

/** Fills the form and submits it with the keyboard; returns the code and the message as shown, the code blanked. */
async function submitCheck(address: string, label: RegExp): Promise<{ code: string; text: string }> {
  await page.getByLabel(label).fill(address);
  await page.getByLabel(label).press('Enter');
  await result().waitFor({ state: 'visible' });
  const code = (await page.locator('#code').innerText()).trim();
  const text = (await result().innerText()).replace(code, '######');
  return { code, text };
}

describe('the public check page', { concurrency: false }, () => {
  test('GET /check is the check page, not the workbench, and carries the CSP', async () => {
    const response = await fetch(`${workbench.url}/check`, { headers: { accept: 'text/html' } });
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /id="check-form"/);
    assert.doesNotMatch(html, /id="root"/);
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(html, /\sstyle=|<style/, 'no inline style');
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.equal(response.headers.get('cache-control'), 'no-cache');
  });

  test('a known address: the page shows a code, and the mail that arrives at that address repeats exactly that code', async () => {
    await page.goto('/check?lang=nl');
    assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
    const before = smtp.received.length;
    const { code, text } = await submitCheck(KNOWN, /^Uw e-mailadres$/);
    assert.match(code, /^[A-HJ-NP-Z2-9]{6}$/);
    assert.match(text, /Als dit adres voorkomt in in beslag genomen gegevens die wij hebben, is er een bericht naar dit adres onderweg\. Daarin staat deze code: ######/);
    assert.match(text, /Onze berichten bevatten nooit links/);
    assert.match(text, /of dat we in de afgelopen dag al een bericht naar dit adres hebben gestuurd/);
    assert.equal(await page.evaluate('document.activeElement?.id'), 'result', 'focus moves to the answer');
    assert.equal(await page.getByLabel(/^Uw e-mailadres$/).inputValue(), '', 'the address does not stay on screen');
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    assert.deepEqual(mail!.envelopeTo, [KNOWN]);
    const body = mail!.mail.text ?? '';
    assert.ok(body.includes(`De code op de pagina was: ${code}`), body);
    assert.match(mail!.mail.subject ?? '', /in beslag/);
    assert.ok(!page.url().includes('example'), 'the address is never in the URL');
  });

  test('an unknown address gets the same words on the page (only the code differs) and no mail', async () => {
    const mailed = smtp.received.length;
    await page.goto('/check?lang=nl');
    const known = await submitCheck(OTHER_KNOWN, /^Uw e-mailadres$/);
    await smtp.waitFor(mailed + 1);
    await check.idle();
    const before = smtp.received.length;
    await page.goto('/check?lang=nl');
    const unknown = await submitCheck(UNKNOWN, /^Uw e-mailadres$/);
    assert.notEqual(unknown.code, known.code);
    assert.equal(unknown.text, known.text);
    await check.idle();
    assert.equal(smtp.received.length, before, 'no mail for an unknown address');
    assert.ok(smtp.received.every((m) => !m.envelopeTo.includes(UNKNOWN)));
  });

  test('switching to English changes the page, keeps it in the address, and the mail comes in English', async () => {
    await page.goto('/check?lang=nl');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Is your e-mail address in seized data?' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.match(page.url(), /\?lang=en$/);
    assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');
    assert.match(await page.title(), /^Is your e-mail address in seized data\?/);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Is your e-mail address in seized data?' }).waitFor();
    const before = smtp.received.length;
    const { code, text } = await submitCheck('Carol@Example.DE', /^Your e-mail address$/);
    assert.match(text, /If this address is in seized data we hold, a message is on its way to it\. It repeats this code: ######/);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    assert.deepEqual(mail!.envelopeTo, ['carol@example.de']);
    assert.match(mail!.mail.subject ?? '', /seized/i);
    assert.ok((mail!.mail.text ?? '').includes(`The code on the page was: ${code}`));
  });

  test('the first visit follows the browser language; ?lang= overrides it', async () => {
    for (const [locale, path, heading] of [
      ['en-US', '/check', 'Is your e-mail address in seized data?'],
      ['nl-NL', '/check', 'Staat uw e-mailadres in in beslag genomen gegevens?'],
      ['nl-BE', '/check?lang=en', 'Is your e-mail address in seized data?'],
    ] as const) {
      const fresh = await workbench.browser.newContext({ locale, baseURL: workbench.url });
      try {
        const other = await fresh.newPage();
        await other.goto(path);
        assert.equal((await other.getByRole('heading', { level: 1 }).innerText()).trim(), heading, `${locale} ${path}`);
      } finally {
        await fresh.close();
      }
    }
  });

  test('by keyboard alone: Tab reaches the language switch, the field and the button; a malformed address is named, not sent', async () => {
    await page.goto('/check?lang=en');
    const requests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/check')) requests.push(request.url());
    });
    const focused = async () => page.evaluate('document.activeElement?.id || document.activeElement?.textContent');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Nederlands');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'email');
    await page.keyboard.type('not-an-address');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'submit');
    await page.keyboard.press('Enter');
    const error = page.locator('#email-error');
    await error.waitFor({ state: 'visible' });
    assert.equal(await error.innerText(), 'Enter an e-mail address such as name@example.nl.');
    assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true');
    assert.match((await page.locator('#email').getAttribute('aria-describedby')) ?? '', /email-error/);
    assert.equal(await focused(), 'email');
    assert.deepEqual(requests, [], 'nothing was sent');
    assert.equal(await page.locator('#status').getAttribute('aria-live'), 'polite');
    assert.equal(await page.locator('#error').getAttribute('role'), 'alert');
  });

  test('refusals read as what to do: reload on 400, wait on 429 (Retry-After), later on 503', async () => {
    const cases: { path: string; status: number; body: unknown; headers: Record<string, string>; expect: string; reload: boolean }[] = [
      { path: '**/api/v1/check', status: 400, body: { error: { code: 'bad_request', message: 'the form has expired: reload the page and try again' } }, headers: {}, expect: 'The form has expired. Reload the page and try again.', reload: true },
      { path: '**/api/v1/check/challenge', status: 429, body: { error: { code: 'rate_limited', message: 'too many' } }, headers: { 'retry-after': '120' }, expect: 'Too many checks were made from your connection. Try again in 2 minutes.', reload: false },
      { path: '**/api/v1/check', status: 503, body: { error: { code: 'unavailable', message: 'no mail' } }, headers: {}, expect: 'The check cannot send messages at the moment. Please try again later.', reload: false },
    ];
    for (const c of cases) {
      await page.route(c.path, (route) => route.fulfill({ status: c.status, headers: { 'content-type': 'application/json', ...c.headers }, body: JSON.stringify(c.body) }));
      try {
        await page.goto('/check?lang=en');
        await page.getByLabel('Your e-mail address').fill(UNKNOWN);
        await page.getByRole('button', { name: 'Check', exact: true }).click();
        const error = page.getByRole('alert');
        await error.filter({ hasText: c.expect }).waitFor();
        assert.equal(await error.getByRole('button', { name: 'Reload the page' }).isVisible(), c.reload, `${c.status}: reload button`);
        assert.equal(await result().isVisible(), false, `${c.status}: no answer shown`);
        assert.equal(await page.getByRole('button', { name: 'Check', exact: true }).isEnabled(), true);
        // the page's language also switches what is shown
        await page.getByRole('button', { name: 'Nederlands' }).click();
        assert.notEqual((await error.innerText()).trim(), c.expect);
      } finally {
        await page.unroute(c.path);
      }
    }
  });

  test('on a phone-sized screen the form fits without scrolling sideways', async () => {
    const phone = await workbench.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'nl-NL', baseURL: workbench.url, isMobile: true, hasTouch: true });
    try {
      const small = await phone.newPage();
      await small.goto('/check');
      await small.locator('#email').waitFor();
      const widths = await small.evaluate('[document.documentElement.scrollWidth, document.documentElement.clientWidth]') as [number, number];
      assert.ok(widths[0] <= widths[1], `no horizontal scroll: ${widths.join(' > ')}`);
      const box = await small.locator('#submit').boundingBox();
      assert.ok(box && box.height >= 44, 'the button is a comfortable touch target');
    } finally {
      await phone.close();
    }
  });

  test('nothing broke the page or the Content Security Policy on the way', () => {
    assert.deepEqual(problems, []);
  });
});
