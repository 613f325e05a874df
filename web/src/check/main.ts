// The public check page (GET /check): plain TypeScript on the static markup of check.html, no
// framework, so it loads at once on any phone. On submit it fetches a challenge, solves it in a
// worker, posts the address and shows one message whatever the address: the answer goes to the
// mailbox, never to the screen. The code it shows is repeated in the mail, so a person can tell
// our mail from an imitation.
import './check.css';
import { CHECK_LANGUAGES, type CheckKey, type CheckLanguage, checkText, isCheckLanguage } from './strings.ts';
import { InsecureContextError, solveChallenge } from './proof-of-work.ts';
import type { SolveAnswer, SolveJob } from './pow-worker.ts';

const API = '/api/v1';

type Challenge = { challenge: string; bits: number; code: string; expiresAt: string };
/** What went wrong, in the page's words: the server's own (English) messages are not shown. */
type Failure = { kind: 'invalid-email' } | { kind: 'reload' } | { kind: 'busy'; retryAfterSeconds: number } | { kind: 'unavailable' } | { kind: 'network' } | { kind: 'insecure' };

class CheckFailure extends Error {
  readonly failure: Failure;
  constructor(failure: Failure) {
    super(failure.kind);
    this.failure = failure;
  }
}

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`check.html has no #${id}`);
  return found;
}

const form = element('check-form', HTMLFormElement);
const email = element('email', HTMLInputElement);
const emailError = element('email-error', HTMLParagraphElement);
const submit = element('submit', HTMLButtonElement);
const status = element('status', HTMLParagraphElement);
const errorBox = element('error', HTMLDivElement);
const errorText = element('error-text', HTMLParagraphElement);
const reloadButton = element('reload', HTMLButtonElement);
const result = element('result', HTMLElement);
const code = element('code', HTMLElement);
const again = element('again', HTMLButtonElement);
const languages = element('languages', HTMLElement);

let language: CheckLanguage = initialLanguage();
let shownFailure: Failure | undefined;
let statusKey: CheckKey | undefined;
let isBusy = false;

function initialLanguage(): CheckLanguage {
  const asked = new URLSearchParams(window.location.search).get('lang');
  if (isCheckLanguage(asked)) return asked;
  const preferred = (navigator.languages ?? [navigator.language]).find((l) => /^(nl|en)\b/i.test(l));
  return preferred?.toLowerCase().startsWith('en') ? 'en' : 'nl';
}

const t = (key: CheckKey, vars?: Record<string, string | number>) => checkText(language, key, vars);

/** Puts every text of the page in `language`; what is on screen (status, error, result) follows. */
function applyLanguage(): void {
  document.documentElement.lang = language;
  document.title = t('documentTitle');
  languages.setAttribute('aria-label', t('languageLabel'));
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = node.dataset.i18n as CheckKey;
    node.textContent = t(key);
  }
  for (const button of languages.querySelectorAll<HTMLButtonElement>('button[data-language]')) {
    button.setAttribute('aria-pressed', String(button.dataset.language === language));
  }
  if (!emailError.hidden) emailError.textContent = t('invalidEmail');
  if (statusKey) status.textContent = t(statusKey);
  if (shownFailure) showFailure(shownFailure);
}

function setLanguage(next: CheckLanguage): void {
  language = next;
  const url = new URL(window.location.href);
  url.searchParams.set('lang', next);
  // a reload or a shared link keeps the language chosen
  window.history.replaceState(null, '', url);
  applyLanguage();
}

function setStatus(key: CheckKey | undefined): void {
  statusKey = key;
  status.textContent = key ? t(key) : '';
}

function showFailure(failure: Failure): void {
  shownFailure = failure;
  const minutes = failure.kind === 'busy' ? Math.max(1, Math.ceil(failure.retryAfterSeconds / 60)) : 0;
  const key: CheckKey = failure.kind === 'invalid-email' ? 'invalidEmail' : failure.kind === 'reload' ? 'errorReload' : failure.kind === 'busy' ? 'errorBusy' : failure.kind === 'unavailable' ? 'errorUnavailable'
    : failure.kind === 'insecure' ? 'errorInsecure' : 'errorNetwork';
  errorText.textContent = t(key, { minutes, n: minutes });
  reloadButton.hidden = failure.kind !== 'reload';
  errorBox.hidden = false;
}

function clearFailure(): void {
  shownFailure = undefined;
  errorBox.hidden = true;
}

async function failureOf(response: Response): Promise<Failure> {
  if (response.status === 429) return { kind: 'busy', retryAfterSeconds: Number(response.headers.get('retry-after')) || 300 };
  if (response.status === 400) {
    const body = await response.json().catch(() => undefined) as { error?: { code?: string } } | undefined;
    return body?.error?.code === 'invalid_email' ? { kind: 'invalid-email' } : { kind: 'reload' };
  }
  return { kind: 'unavailable' };
}

async function post(path: string, body?: unknown): Promise<Response> {
  try {
    return await fetch(`${API}${path}`, {
      method: 'POST', credentials: 'omit', cache: 'no-store',
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new CheckFailure({ kind: 'network' });
  }
}

/** In a worker when the browser allows one, else on this thread (still asynchronous, digest by digest). */
function solve(job: SolveJob): Promise<string> {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./pow-worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return solveOnPage(job);
  }
  return new Promise<string>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<SolveAnswer>) => {
      worker.terminate();
      const answer = event.data;
      if ('solution' in answer) resolve(answer.solution);
      else reject(new CheckFailure({ kind: answer.error === 'insecure' ? 'insecure' : 'network' }));
    };
    worker.onerror = () => {
      worker.terminate();
      solveOnPage(job).then(resolve, reject);
    };
    worker.postMessage(job);
  });
}

async function solveOnPage(job: SolveJob): Promise<string> {
  try {
    return await solveChallenge(job.challenge, job.bits);
  } catch (error) {
    throw new CheckFailure(error instanceof InsecureContextError ? { kind: 'insecure' } : { kind: 'network' });
  }
}

async function check(address: string): Promise<string> {
  const issued = await post('/check/challenge');
  if (!issued.ok) throw new CheckFailure(await failureOf(issued));
  const challenge = await issued.json() as Challenge;
  setStatus('working');
  const solution = await solve({ challenge: challenge.challenge, bits: challenge.bits });
  setStatus('sending');
  const answer = await post('/check', { email: address, language, challenge: challenge.challenge, solution });
  // 202 for every well-formed address, known or not: nothing else here depends on the address
  if (answer.status !== 202) throw new CheckFailure(await failureOf(answer));
  return challenge.code;
}

function showInvalid(isInvalid: boolean): void {
  emailError.hidden = !isInvalid;
  emailError.textContent = isInvalid ? t('invalidEmail') : '';
  email.setAttribute('aria-invalid', String(isInvalid));
  email.setAttribute('aria-describedby', isInvalid ? 'email-error email-hint' : 'email-hint');
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (isBusy) return;
  const address = email.value.trim();
  if (!address || !email.checkValidity()) {
    showInvalid(true);
    email.focus();
    return;
  }
  showInvalid(false);
  clearFailure();
  result.hidden = true;
  isBusy = true;
  submit.disabled = true;
  form.setAttribute('aria-busy', 'true');
  check(address).then((shownCode) => {
    setStatus(undefined);
    code.textContent = shownCode;
    // the address leaves the page: a shared computer does not keep it on screen
    email.value = '';
    result.hidden = false;
    result.focus();
  }, (error: unknown) => {
    setStatus(undefined);
    const failure: Failure = error instanceof CheckFailure ? error.failure : { kind: 'network' };
    if (failure.kind === 'invalid-email') {
      showInvalid(true);
      email.focus();
    } else showFailure(failure);
  }).finally(() => {
    isBusy = false;
    submit.disabled = false;
    form.removeAttribute('aria-busy');
  });
});

email.addEventListener('input', () => {
  if (!emailError.hidden && email.checkValidity()) showInvalid(false);
});
reloadButton.addEventListener('click', () => window.location.reload());
again.addEventListener('click', () => {
  result.hidden = true;
  email.focus();
});
for (const button of languages.querySelectorAll<HTMLButtonElement>('button[data-language]')) {
  button.addEventListener('click', () => {
    const next = button.dataset.language;
    if (isCheckLanguage(next) && CHECK_LANGUAGES.includes(next)) setLanguage(next);
  });
}

applyLanguage();
