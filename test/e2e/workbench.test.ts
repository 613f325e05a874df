// The workbench in a real Chromium against a real server: log in, search, read a conversation,
// open an account and the network, switch language, work by keyboard, raise and handle an alert,
// check the audit chain; and no page error or CSP violation on the way.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { DATASET, PASSWORD, logIn, openPage, startWorkbench, type Workbench } from './workbench-fixture.ts';

let workbench: Workbench;
let context: BrowserContext;
let page: Page;
let problems: string[];
/** A query with more hits than one page, chosen from the generated corpus. */
let query: string;
let token: string;

async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${workbench.url}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

before(async () => {
  workbench = await startWorkbench();
  const login = await fetch(`${workbench.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'root', password: PASSWORD }) });
  token = ((await login.json()) as { token: string }).token;
  for (const candidate of ['kilo~1 OR geld OR stenen', 'wagwan OR alles OR goed OR naar', 'de OR het OR the']) {
    const { body } = await api<{ total: number }>(`/search?q=${encodeURIComponent(candidate)}&limit=1&facets=false`);
    if (body.total > 60) {
      query = candidate;
      break;
    }
  }
  assert.ok(query, 'the generated corpus has a word with more than one page of hits');
  ({ context, page, problems } = await openPage(workbench));
});

after(async () => {
  await context?.close();
  await workbench?.close();
});

const hits = () => page.getByTestId('hits').locator('li.hit');

describe('the workbench', { concurrency: false }, () => {
  test('a wrong password is refused; the right one logs in', async () => {
    await logIn(page, 'root', 'not the password');
    await page.getByRole('alert').filter({ hasText: 'wrong user name or password' }).waitFor();
    assert.equal(await page.getByTestId('who').count(), 0, 'no signed-in shell after a wrong password');
    await logIn(page, 'root');
    await page.getByTestId('who').filter({ hasText: 'root' }).waitFor();
    assert.match(page.url(), /\/search$/);
  });

  test('a search shows highlighted hits and facets, and loads more hits on scrolling', async () => {
    await page.locator('#query').fill(query);
    await page.locator('#query').press('Enter');
    await hits().first().waitFor();
    assert.equal(await hits().count(), 50, 'the first page');
    assert.ok(await page.getByTestId('hits').locator('mark').count() > 0, 'matches are marked');
    assert.match(await page.getByTestId('result-summary').innerText(), /^\d[\d,.]* hits/);
    assert.ok(await page.getByTestId('facets').locator('li').count() > 0, 'facets are listed');
    await hits().last().scrollIntoViewIfNeeded();
    await hits().nth(50).waitFor();
  });

  test('a query with a syntax error is pointed at its position', async () => {
    await page.locator('#query').fill('geld AND "cash');
    await page.locator('#query').press('Enter');
    const error = page.getByTestId('syntax-error');
    await error.waitFor();
    assert.match(await error.innerText(), /Unclosed quote starting at position 9/);
    const caret = (await error.locator('pre').innerText()).split('\n')[1];
    assert.equal(caret, `${' '.repeat(9)}^`);
  });

  test('a hit opens its conversation, with provenance', async () => {
    await page.goto(`/search?q=${encodeURIComponent(query)}`);
    await hits().first().locator('.hit-snippet').click();
    await page.waitForURL(/\/items\/[mn][0-9a-f]{29}/);
    const conversation = page.getByTestId('conversation');
    await conversation.locator('.bubble.current').waitFor();
    assert.ok(await conversation.locator('.bubble').count() > 1, 'messages around the hit');
    assert.match(await page.getByTestId('provenance').innerText(), /[0-9a-f]{64}/);
  });

  test('a handle opens the account profile with its activity heat map', async () => {
    const handle = (await page.getByTestId('item-detail').locator('a.handle').first().innerText()).trim();
    await page.getByTestId('item-detail').locator('a.handle').first().click();
    await page.getByTestId('account').waitFor();
    assert.equal((await page.locator('h1').innerText()).trim(), handle);
    await page.getByTestId('heatmap').waitFor();
    assert.ok(await page.getByTestId('heatmap').locator('td.heat:not(.heat-0):not(.heat-total)').count() > 0, 'some hour is active');
  });

  test('the network graph draws on a canvas and says how many accounts it shows', async () => {
    await page.goto('/graph?limit=100');
    const count = page.getByTestId('graph-count');
    await count.waitFor({ timeout: 20_000 });
    const [, nodes, ties] = /^([\d,.]+) accounts · ([\d,.]+) ties/.exec(await count.innerText()) ?? [];
    const { body: graph } = await api<{ totals: { accounts: number } }>('/graph?limit=100');
    assert.equal(Number(nodes?.replace(/[,.]/g, '')), Math.min(100, graph.totals.accounts), `nodes: ${nodes}`);
    assert.ok(Number(ties?.replace(/[,.]/g, '')) > 0, `ties: ${ties}`);
    await page.getByTestId('graph-canvas').locator('canvas').first().waitFor();
    assert.ok(await page.getByTestId('graph-canvas').locator('canvas').count() >= 2, 'sigma layers');
    const hasDrawn = await page.getByTestId('graph-canvas').locator('canvas').first().evaluate((c) => (c as unknown as { width: number; height: number }).width > 0 && (c as unknown as { height: number }).height > 0);
    assert.ok(hasDrawn);
  });

  test('the timeline draws every hit of a query, counted per day', async () => {
    await page.goto(`/timeline?q=${encodeURIComponent('kilo~1 OR stenen')}`);
    await page.getByTestId('timeline').waitFor({ timeout: 20_000 });
    const titles = await page.getByTestId('timeline').locator('g.bar title').allTextContents();
    assert.ok(titles.length > 1, `bars: ${titles.length}`);
    const drawn = titles.reduce((n, title) => n + Number(/: ([\d,.]+)$/.exec(title)?.[1]?.replace(/[,.]/g, '') ?? Number.NaN), 0);
    const { body } = await api<{ total: number }>(`/search?q=${encodeURIComponent('kilo~1 OR stenen')}&limit=1&facets=false`);
    assert.equal(drawn, body.total, 'the bars add up to the search total');
  });

  test('switching to Dutch changes the labels and is remembered', async () => {
    await page.goto('/search');
    await page.getByRole('button', { name: 'NL', exact: true }).first().click();
    await page.getByRole('link', { name: 'Zoeken', exact: true }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Netwerk', exact: true }).count(), 1);
    await page.reload();
    await page.getByRole('link', { name: 'Zoeken', exact: true }).waitFor();
    await page.getByRole('button', { name: 'EN', exact: true }).first().click();
    await page.getByRole('link', { name: 'Search', exact: true }).waitFor();
  });

  test('the keyboard moves through results, opens one, and goes back', async () => {
    await page.goto(`/search?q=${encodeURIComponent(query)}`);
    await hits().first().waitFor();
    await page.locator('body').click({ position: { x: 5, y: 880 } });
    await page.keyboard.press('/');
    assert.equal(await page.evaluate('document.activeElement?.id'), 'query');
    await page.keyboard.press('Escape');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.locator('li.hit.selected[data-row="1"]').waitFor();
    const search = page.url();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/items\//);
    await page.getByTestId('conversation').waitFor();
    await page.keyboard.press('Escape');
    await page.waitForURL(search);
    await page.keyboard.press('?');
    await page.getByTestId('shortcuts').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts').waitFor({ state: 'detached' });
  });

  test('an alert is raised by a watchlist and handled with a note', async () => {
    await page.goto('/alerts');
    await page.getByRole('button', { name: /Watchlists/ }).click();
    await page.getByLabel('Name', { exact: true }).fill('e2e-watch');
    await page.getByLabel('Query', { exact: true }).fill(query);
    await page.getByRole('button', { name: 'Add watchlist' }).click();
    await page.getByRole('status').filter({ hasText: /Watchlist e2e-watch added; [1-9]\d* alerts? raised/ }).waitFor();
    const rows = page.getByTestId('alerts').locator('li.alert-row');
    await rows.first().waitFor();
    await rows.first().click();
    const detail = page.getByTestId('alert-detail');
    const id = Number(/#(\d+)/.exec(await detail.locator('h2').innerText())?.[1]);
    assert.ok(id > 0);
    await detail.getByTestId('alert-note').fill('Called the duty officer; team informed.');
    await detail.getByRole('button', { name: 'Escalate' }).click();
    await detail.getByTestId('alert-status').filter({ hasText: 'Escalated' }).waitFor();
    await detail.getByTestId('alert-notes').filter({ hasText: 'Called the duty officer' }).waitFor();
    const stored = await api<{ status: string; notes: { author: string; text: string }[] }>(`/alerts/${id}`);
    assert.equal(stored.body.status, 'escalated');
    assert.deepEqual(stored.body.notes.map((n) => [n.author, n.text]), [['root', 'Called the duty officer; team informed.']]);
  });

  test('a case is opened on the board, given the hits of a search, and exported with hashes', async () => {
    await page.goto('/cases');
    await page.getByLabel('Case name').fill('e2e-case');
    await page.getByLabel('Title').fill('Port pick-ups');
    await page.getByRole('button', { name: 'Open case' }).click();
    await page.waitForURL(/\/cases\/e2e-case$/);
    await page.goto(`/search?q=${encodeURIComponent(query)}`);
    await hits().first().waitFor();
    await page.getByRole('button', { name: 'Add the hits to a case' }).click();
    await page.getByLabel('Add the hits to a case').selectOption('e2e-case');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const { body: found } = await api<{ total: number }>(`/search?q=${encodeURIComponent(query)}&limit=1&facets=false`);
    await page.getByRole('status').filter({ hasText: `${found.total} added to e2e-case` }).waitFor();
    await page.goto('/cases/e2e-case');
    await page.getByTestId('case').waitFor();
    await page.getByRole('button', { name: 'Export court bundle' }).click();
    const exported = page.getByTestId('case-export');
    await exported.waitFor({ timeout: 30_000 });
    assert.match(await exported.innerText(), /Manifest SHA-256: [0-9a-f]{64}/);
    const files = await exported.locator('a').allInnerTexts();
    assert.ok(files.includes('report.html') && files.includes('items.jsonl'), files.join(', '));
    // the file the link downloads (with the session) is the one whose SHA-256 the board shows
    const row = exported.locator('tr', { has: page.locator('a', { hasText: 'items.jsonl' }) });
    const href = await row.locator('a').getAttribute('href');
    const text = await page.evaluate(async (url) => (await fetch(url!)).text(), href);
    assert.equal(createHash('sha256').update(text).digest('hex'), (await row.locator('code.hash').innerText()).trim());
    assert.ok(text.trim().split('\n').length >= found.total, 'every hit is in the bundle');
  });

  test('the audit log lists what was done and its hash chain verifies', async () => {
    await page.goto('/audit?actor=root');
    await page.getByTestId('audit').locator('tbody tr').first().waitFor();
    const actions = await page.getByTestId('audit').locator('tbody td:nth-child(4)').allInnerTexts();
    for (const action of ['search', 'item.view', 'account.view', 'alert.update', 'case.create', 'case.export']) assert.ok(actions.includes(action), `${action} in ${actions.slice(0, 20).join(', ')}`);
    await page.getByRole('button', { name: 'Verify the hash chain' }).click();
    await page.getByTestId('audit-verdict').filter({ hasText: /The chain is intact: [\d,.]+ events verified/ }).waitFor();
  });

  test('the API refuses a page without a session, also after logging out', async () => {
    const fresh = await workbench.browser.newContext({ baseURL: workbench.url });
    try {
      const stranger = await fresh.newPage();
      await stranger.goto('/');
      assert.equal(await stranger.evaluate(async () => (await fetch('/api/v1/me')).status), 401);
      assert.equal(await stranger.evaluate(async () => (await fetch('/api/v1/search?q=kilo')).status), 401);
    } finally {
      await fresh.close();
    }
    assert.equal(await page.evaluate(async () => (await fetch('/api/v1/me')).status), 200);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    assert.equal(await page.evaluate(async () => (await fetch('/api/v1/me')).status), 401);
  });

  test('an analyst sees their dataset but not the admin views', async () => {
    await logIn(page, 'ana');
    await page.getByTestId('who').filter({ hasText: 'ana' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Users', exact: true }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Audit log', exact: true }).count(), 0);
    await page.getByRole('cell', { name: DATASET }).first().waitFor();
  });

  test('nothing broke the page or the Content Security Policy on the way', () => {
    assert.deepEqual(problems, []);
  });
});
