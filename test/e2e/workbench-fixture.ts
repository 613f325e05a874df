// The stack the browser tests drive: Debian's Chromium (installed when missing), the workbench
// built when web/dist is stale, and a real server on loopback over a temporary store holding a
// small generated corpus and a user per role the tests need.
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { writeCorpus } from '../../src/generate/write-corpus.ts';
import { ingest } from '../../src/ingest/pipeline.ts';
import { hashPassword } from '../../src/security/passwords.ts';
import { startServer, type RunningServer } from '../../src/server/listen.ts';
import type { AppOptions } from '../../src/server/app.ts';
import { ensureWorkbenchBuilt } from '../../src/server/static.ts';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { openTestStore, temporaryDirectory } from '../fixtures.ts';
import { CHROMIUM_ARGS, ensureChromium } from './chromium.ts';

export const PASSWORD = 'correct horse battery staple';
export const DATASET = 'e2e-synthetic';
export const USERS = [
  { name: 'root', role: 'admin' },
  { name: 'ana', role: 'analyst' },
] as const;

export type Workbench = { url: string; dir: string; store: SqliteStore; server: RunningServer; browser: Browser; close(): Promise<void> };

export type WorkbenchOptions = {
  /** Messages of the generated chat corpus; 0 for none (a test that brings its own data). */
  messages?: number;
  seed?: number;
  dataset?: string;
  /** More data and users before the server starts; what it returns is passed to the server. */
  setup?: (store: SqliteStore, dir: string) => Promise<Partial<Omit<AppOptions, 'store'>> | void>;
};

const log = (line: string) => process.stderr.write(`e2e: ${line}\n`);

/** Chromium, a fresh build if needed, a store with a generated corpus, a server and a browser. */
export async function startWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const executablePath = ensureChromium(log);
  await ensureWorkbenchBuilt(log);
  const dir = temporaryDirectory();
  const store = openTestStore(dir);
  const dataset = options.dataset ?? DATASET;
  const messages = options.messages ?? 3000;
  if (messages > 0) {
    const corpus = join(dir, 'corpus.jsonl');
    await writeCorpus({ messages, seed: options.seed ?? 7, out: corpus });
    await ingest({ store, paths: [corpus], dataset });
  }
  const hash = await hashPassword(PASSWORD);
  for (const u of USERS) await store.createUser(u.name, u.role, hash);
  if (messages > 0) await store.grant('ana', 'dataset', dataset, 'root');
  const more = (await options.setup?.(store, dir)) ?? {};
  const server = await startServer({
    store, host: '127.0.0.1', port: 0, log: (line) => log(`server: ${line}`), exportDirectory: join(dir, 'exports'), campaignDirectory: join(dir, 'campaigns'), ...more,
  });
  // launch() gives every run a fresh temporary profile (user-data-dir), removed on close
  const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], timeout: 30_000 });
  return {
    url: server.url, dir, store, server, browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** A page in a fresh context (no cookies), 1440×900, that records CSP violations and page errors. */
export async function openPage(workbench: Workbench): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await workbench.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB', baseURL: workbench.url });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  // runs in the page (a string: the tests are type-checked without the DOM library)
  await context.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (e) => console.error('Refused to load (CSP ' + e.violatedDirective + '): ' + e.blockedURI));",
  });
  page.setDefaultTimeout(10_000);
  return { context, page, problems };
}

/** Logs in through the login form. */
export async function logIn(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.goto('/');
  await page.getByLabel(/user name|gebruikersnaam/i).fill(username);
  await page.getByLabel(/^(password|wachtwoord)$/i).fill(password);
  await page.getByRole('button', { name: /^(log in|aanmelden)$/i }).click();
}
