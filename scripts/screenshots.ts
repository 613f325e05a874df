// `npm run screenshots`: the main views of the workbench on the synthetic demo data (the corpus
// `npm start` loads, and a generated leak market for the campaigns), 1440×900, and the public
// check page, into docs/screenshots/. Uses the e2e stack: Debian's Chromium (installed when
// missing), a fresh build when web/ changed, a temporary store and server.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeMarketDump } from '../src/generate/write-market.ts';
import { ingest } from '../src/ingest/pipeline.ts';
import { openPublicCheck } from '../src/main.ts';
import { logIn, openPage, PASSWORD, startWorkbench } from '../test/e2e/workbench-fixture.ts';

const OUT = new URL('../docs/screenshots/', import.meta.url).pathname;
// the same corpus as `npm start` (src/cli/start.ts): 50,000 messages, seed 2020
const DEMO = { messages: 50_000, seed: 2020, dataset: 'demo-encrochat-synthetic' };
const MARKET = 'leakmarket-synthetic';

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const started = performance.now();
  let closeCheck: (() => Promise<void>) | undefined;
  const workbench = await startWorkbench({
    ...DEMO,
    setup: async (store, dir) => {
      const dump = join(dir, 'leakmarket.sql');
      await writeMarketDump({ people: 400, seed: 2020, out: dump });
      await ingest({ store, paths: [dump], dataset: MARKET });
      // the check page's mails go to .eml files: the picture needs the page's answer, not a relay
      const check = await openPublicCheck({ home: dir, env: {} }, { mail: { outbox: join(dir, 'outbox') }, organisation: 'Politie', challengeBits: 12, log: () => {} });
      closeCheck = check.close;
      return { check: check.service, checkIndex: check.index };
    },
  });
  const token = await bearer(workbench.url);
  const call = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const response = await fetch(`${workbench.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const { page, context } = await openPage(workbench);
  const shoot = async (name: string, waitFor?: () => Promise<unknown>) => {
    await waitFor?.();
    // let layout and fonts settle: the picture is the documentation
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(OUT, `${name}.png`) });
    process.stderr.write(`screenshot ${name}.png\n`);
  };
  try {
    await page.goto('/');
    await shoot('01-login', () => page.getByRole('button', { name: 'Log in' }).waitFor());
    await logIn(page, 'root');
    await page.getByTestId('who').waitFor();

    // the example search `npm start` printed before it served the workbench
    const query = '(stenen OR kilo~1) AND (boot OR container OR haven)';
    await page.goto(`/search?q=${encodeURIComponent(query)}`);
    await shoot('02-search', () => page.getByTestId('hits').locator('li').first().waitFor());

    const firstHit = await call<{ hits: { id: string }[] }>(`/search?q=${encodeURIComponent(query)}&limit=1&facets=false`);
    const hitId = firstHit.hits[0]?.id;
    if (hitId) {
      await page.goto(`/items/${hitId}?q=${encodeURIComponent(query)}`);
      await shoot('03-conversation', () => page.getByTestId('conversation').locator('.bubble.current').waitFor());
    }

    const graph = await call<{ keyPlayers: { account: string }[] }>('/graph?limit=5');
    const player = graph.keyPlayers[0]?.account.split(':').slice(1).join(':');
    if (player) {
      await page.goto(`/accounts/${encodeURIComponent(player)}`);
      await shoot('04-account', () => page.getByTestId('heatmap').waitFor());
    }

    await page.goto('/entities');
    await shoot('05-entities', () => page.getByTestId('entities').locator('tbody tr').first().waitFor());

    await page.goto('/graph?limit=300');
    await shoot('06-network', async () => {
      await page.getByTestId('graph-count').waitFor({ timeout: 60_000 });
      await page.getByText(/Click an account/).waitFor({ timeout: 60_000 });
    });

    await page.goto(`/timeline?q=${encodeURIComponent('kilo~1 OR stenen OR wapen')}`);
    await shoot('07-timeline', () => page.getByTestId('timeline').waitFor({ timeout: 60_000 }));

    const alerts = await call<{ total: number }>('/alerts?limit=1');
    if (alerts.total === 0) {
      await call('/watchlists', { method: 'POST', body: { name: 'wapens', query: 'wapen OR klappen OR kogel', dataset: DEMO.dataset, backfill: true } });
    }
    await page.goto('/alerts');
    await shoot('08-alerts', async () => {
      await page.getByTestId('alerts').locator('li').first().click();
      await page.getByTestId('alert-detail').waitFor();
    });

    await call('/cases', { method: 'POST', body: { name: 'op-haven', title: 'Cocaine through the port (demo)' } });
    await call('/cases/op-haven/items', { method: 'POST', body: { query, dataset: DEMO.dataset } });
    await call('/cases/op-haven/annotations', { method: 'POST', body: { text: 'Pattern: "stenen" = kilos of cocaine; pick-ups at the container terminal.' } });
    await page.goto('/cases/op-haven');
    await page.getByTestId('case').waitFor();
    await page.getByRole('button', { name: 'Export court bundle' }).click();
    await shoot('09-case', () => page.getByTestId('case-export').waitFor({ timeout: 60_000 }));

    await page.goto('/ingest');
    await shoot('10-ingest', () => page.getByTestId('sources').locator('tbody tr').first().waitFor());

    await page.goto('/audit');
    await page.getByTestId('audit').locator('tbody tr').first().waitFor();
    await page.getByRole('button', { name: 'Verify the hash chain' }).click();
    await shoot('11-audit', () => page.getByTestId('audit-verdict').waitFor());

    await page.goto('/users');
    await shoot('12-users', () => page.getByTestId('users').locator('tbody tr').first().waitFor());

    await page.goto(`/search?q=${encodeURIComponent(query)}`);
    await page.getByRole('button', { name: 'NL', exact: true }).first().click();
    await shoot('13-search-nl', () => page.getByTestId('hits').locator('li').first().waitFor());
    await page.getByRole('button', { name: 'EN', exact: true }).first().click();

    await campaignShots(page, call, shoot);

    const check = await workbench.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'nl-NL', baseURL: workbench.url });
    try {
      const visitor = await check.newPage();
      await visitor.goto('/check');
      await visitor.getByLabel('Uw e-mailadres').fill('naam@voorbeeld.nl');
      await visitor.getByRole('button', { name: 'Controleren' }).click();
      await visitor.locator('#result').waitFor({ state: 'visible', timeout: 30_000 });
      await visitor.waitForTimeout(300);
      // the whole page: the answer has taken the focus and scrolled the question away
      await visitor.screenshot({ path: join(OUT, '17-check-nl.png'), fullPage: true });
      process.stderr.write('screenshot 17-check-nl.png\n');
    } finally {
      await check.close();
    }
  } finally {
    await context.close();
    await workbench.close();
    await closeCheck?.();
  }
  process.stderr.write(`screenshots in ${OUT} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
}

type Call = <T>(path: string, init?: { method?: string; body?: unknown }) => Promise<T>;
type Page = Awaited<ReturnType<typeof openPage>>['page'];

/** The campaign views as an officer sees them mid-campaign: some letters posted, talks planned and held. */
async function campaignShots(page: Page, call: Call, shoot: (name: string, waitFor?: () => Promise<unknown>) => Promise<void>): Promise<void> {
  await page.goto(`/campaigns/new?dataset=${MARKET}`);
  await page.getByLabel('Paying users only').check();
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  await page.getByTestId('preview-count').waitFor({ timeout: 60_000 });
  await shoot('15-campaign-preview');

  const criteria = { dataset: MARKET, countries: ['NL'], paid: true };
  await call('/campaigns', {
    method: 'POST',
    body: {
      name: 'lekstop-nl', criteria,
      settings: { title: 'Operatie Lekstop (demo)', language: 'nl', site: 'LeakMarket', sender: { organisation: 'Politie', unit: 'Team High Tech Crime', signatory: 'A. de Vries' } },
    },
  });
  await call('/campaigns/lekstop-nl/letters', { method: 'POST', body: {} });
  const board = await call<{ recipients: { id: string }[] }>('/campaigns/lekstop-nl');
  const refs = board.recipients.map((r) => r.id);
  const mark = (ref: string | undefined, body: unknown) => (ref ? call(`/campaigns/lekstop-nl/recipients/${ref}/mark`, { method: 'POST', body }) : Promise.resolve());
  for (const ref of refs.slice(0, Math.floor(refs.length * 0.6))) await mark(ref, { status: 'letter-sent', at: '2026-11-02T09:00:00Z' });
  const day = (n: number) => `2026-11-${String(16 + n).padStart(2, '0')}T${String(9 + (n % 7)).padStart(2, '0')}:30:00Z`;
  for (const [i, ref] of refs.slice(0, 9).entries()) await mark(ref, { status: 'talk-scheduled', talk: { at: day(i), place: 'Bureau Utrecht Noord' } });
  for (const ref of refs.slice(0, 4)) await mark(ref, { status: 'talk-held', note: 'Stopgesprek gevoerd; geeft aan te stoppen.' });
  for (const ref of refs.slice(12, 16)) await mark(ref, { status: 'no-response', note: 'Geen reactie binnen vier weken.' });
  await page.goto('/campaigns');
  await shoot('14-campaigns', () => page.getByTestId('campaigns').locator('tbody tr').first().waitFor());
  await page.goto(`/campaigns/lekstop-nl/${refs[4]}`);
  await shoot('16-campaign-board', () => page.getByTestId('recipient').getByTestId('history').waitFor());
}

async function bearer(url: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'root', password: PASSWORD }) });
  return ((await response.json()) as { token: string }).token;
}


await main();
