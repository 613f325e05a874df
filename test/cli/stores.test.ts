// Every command works on both stores with the same results: the real bin/lode, one child process a
// command, runs one realistic session (a generated corpus, a hand-made seizure with its traps, a
// seized leak market, a combo list; then search, attribution, the network, triage, cases,
// campaigns, the public check, users, scope, privilege, the audit log and the HTTP API) once with
// --store sqlite:HOME/lode.sqlite and once with --store postgres://..., and each command's --json
// answer must be the same on both once `normalise` has taken out what legitimately differs (the
// clock, the home folder, the store's own name, secrets). Ids are compared as they are: the
// PostgreSQL ingest numbers everything as SQLite does, by design, and so must every later step: the
// session repeats an ingest and a few creations that are refused, which must spend no id. A few
// absolute facts are asserted on each store too, so two empty answers cannot pass for agreement.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCorpus } from '../../src/generate/write-corpus.ts';
import { writeMarketDump } from '../../src/generate/write-market.ts';
import { message, temporaryDirectory, writeJsonl } from '../fixtures.ts';
import { closePostgres, postgresDatabase } from '../postgres-fixture.ts';

after(closePostgres);

const LODE = new URL('../../bin/lode', import.meta.url).pathname;

type Run = { code: number | null; stdout: string; stderr: string };
/** One session's answers: command name -> its normalised JSON. */
type Answers = Record<string, unknown>;

// Node's cache of compiled modules, shared by every child: it halves what starting bin/lode costs,
// and this file starts it a couple of hundred times
const compileCache = temporaryDirectory();

/** The child's environment: this process's, without any LODE_ setting that would point it elsewhere. */
function environment(home: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('LODE_')));
  // USER is the audit log's actor (cli:root): the same on both runs
  return { ...env, LODE_HOME: home, USER: 'root', NODE_COMPILE_CACHE: compileCache };
}

/** bin/lode without blocking: both sessions run at the same time. */
function run(home: string, args: readonly string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(LODE, args, { env: environment(home), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

// ---- what legitimately differs between the two runs

// Keys whose values differ between any two runs, or are one store's own: dropped, with the reason.
const VARYING: Record<string, string> = {
  took_ms: 'a timing',
  seconds: 'a timing (reindex)',
  store: 'the store\'s description: its file path or its URL',
  password: 'a generated secret (user add)',
  head: 'the audit chain\'s head hash covers the times of the events',
  hash: 'an audit event\'s hash covers its time',
  prevHash: 'as hash',
  bytesBefore: 'purge\'s file sizes are each store\'s own on-disk size',
  bytesAfter: 'as bytesBefore',
  walEmptied: 'whether purge emptied SQLite\'s write-ahead log: the file\'s own; PostgreSQL\'s WAL is the server\'s (docs/DEPLOY.md)',
  manifestSha256: 'an export\'s files carry the time of the export and of each step, so their hashes differ',
  dataRootSha256: 'as manifestSha256',
};

/** An ISO 8601 time, with or without seconds and fractions; or compact, as in a file name (20261206T044552896Z). */
const TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})|(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})?Z/g;

/**
 * The answer without what differs between two runs by nature: the keys in VARYING; the temporary
 * home, in paths (`<home>`); and the times at which this run did things (created, granted, decided,
 * audited, published...), as `<now>`. Those are told from the data's own times by the clock: the
 * data dates from 2020 and every time the session gives (a talk, a mark) lies in 2030, so a time
 * within the last hours is one the clock gave while the session ran.
 */
function normalise(value: unknown, home: string, since: number, varying: readonly string[] = []): unknown {
  if (typeof value === 'string') {
    const now = Date.now();
    return value.replaceAll(home, '<home>').replace(TIME, (time, ...compact: (string | undefined)[]) => {
      const [y, mo, d, h, mi, sec, ms] = compact;
      const at = y === undefined ? Date.parse(time) : Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec}.${ms ?? '000'}Z`);
      return at >= since - 60_000 && at <= now + 60_000 ? '<now>' : time;
    });
  }
  if (Array.isArray(value)) return value.map((v) => normalise(v, home, since, varying));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value)
      .filter(([key]) => !(key in VARYING) && !varying.includes(key))
      .map(([key, v]) => [key, normalise(v, home, since, varying)]));
  }
  return value;
}

// ---- the data: written once, read by both sessions from the same paths

type Inputs = {
  corpus: string; seizure: string; second: string; unextracted: string; later: string; market: string; combo: string;
  numbers: string; lookups: string; words: string; sender: string;
};

const day = (d: number, h: number, m = 0) => `2020-04-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00Z`;
const account = (handle: string, imei?: string) => ({ kind: 'account', platform: 'encrochat', handle, ...(imei ? { device: { imei, model: 'Aquaris X2' } } : {}) });
const contact = (owner: string, handle: string, alias: string) => ({ kind: 'contact', platform: 'encrochat', owner, handle, alias });
const whatsapp = (id: string, ts: string, from: string, to: string, body: string) => ({ kind: 'message', platform: 'whatsapp', id, ts, from, to: [to], body });

async function writeInputs(dir: string): Promise<Inputs> {
  const corpus = join(dir, 'encro.jsonl');
  // 4,000 messages of seed 1 hold threats, leaks and a planted case: enough for triage and discovery
  await writeCorpus({ messages: 4000, seed: 1, out: corpus });
  const market = join(dir, 'market.sql');
  await writeMarketDump({ people: 150, seed: 11, out: market });
  const seizure = writeJsonl(join(dir, 'zuid.jsonl'), [
    // ghost and ghost2 used one handset; three owners saved jaguar under names that agree
    account('ghost', '356938035643809'), account('ghost2', '356938035643809'), account('jaguar'), account('tapeworm'),
    contact('tapeworm', 'jaguar', 'Mohamed Bakkal'), contact('ghost', 'jaguar', 'Mo B.'), contact('ghost2', 'jaguar', 'mo bakkal'),
    contact('jaguar', 'tapeworm', 'neef'),
    // jaguar gives out the number of the WhatsApp phone below, and an e-mail address
    message('z-1', day(1, 8), 'jaguar', ['tapeworm'], 'mijn nieuwe nummer is 06-12345678, mail me op mo.bakkal@protonmail.com'),
    message('z-2', day(1, 8, 5), 'tapeworm', ['jaguar'], 'ok. stort op NL91 ABNA 0417 1643 00 vandaag, geld cash klaar'),
    message('z-3', day(2, 21), 'tapeworm', ['ghost'], 'heb je jaguar gesproken? tien kilo bij de haven'),
    message('z-4', day(2, 21, 10), 'ghost', ['tapeworm'], 'ja, +31 6 1234 5678 werkt'),
    // a threat thread (intent with a target, then preparation) and an insider leak
    message('t-1', day(3, 20), 'tapeworm', ['jaguar'], 'die rat Kevin moet weg, hij heeft ons verraden'),
    message('t-2', day(4, 21), 'jaguar', ['tapeworm'], 'de AK ligt klaar en ik heb een gestolen golf'),
    message('t-3', day(5, 22), 'tapeworm', ['jaguar'], 'hij woont op de Dorpsstraat 12, elke avond om 22:00 thuis'),
    message('l-1', day(6, 10), 'ghost', ['tapeworm'], 'mijn neef bij de politie heeft zijn kenteken nagetrokken in het systeem'),
    // the same words twice within two minutes: a near-duplicate
    message('d-1', day(7, 10), 'tapeworm', ['jaguar'], 'Tien kilo bij de haven.'),
    message('d-2', day(7, 10, 1), 'tapeworm', ['jaguar'], 'tien kilo bij de haven'),
    // the WhatsApp phone, its owner's lawyer (privileged once registered) and someone else
    { kind: 'account', platform: 'whatsapp', handle: '+31612345678', name: 'Mo' },
    { kind: 'account', platform: 'whatsapp', handle: '+31201234567', name: 'mr. De Vries' },
    whatsapp('w-1', '2020-05-01T10:00:00Z', '+31612345678', '+31201234567', 'kunt u mij bijstaan bij het verhoor morgen?'),
    whatsapp('w-2', '2020-05-01T10:30:00Z', '+31201234567', '+31612345678', 'ja, ik kom om 9 uur, zeg niets zonder mij'),
    whatsapp('w-3', '2020-05-01T11:00:00Z', '+31612345678', '+31687654321', 'ben er over 10 min'),
    // quarantined: a line cut off, and a kind nobody knows
    '{"kind":"message","platform":"encrochat","id":"bad-1","ts":"2020-04-08T10:00:00Z","from":"ghost","bo',
    '{"kind":"telemetry"}',
  ]);
  // the next batch, which the watchlists look at
  const second = writeJsonl(join(dir, 'zuid-2.jsonl'), [
    message('x-1', day(8, 10), 'jaguar', ['tapeworm'], 'nieuw nummer van hem: 0612345678'),
    message('x-2', day(8, 11), 'tapeworm', ['jaguar'], 'de container staat in de haven'),
    message('x-3', day(8, 12), 'jaguar', ['tapeworm'], 'lekker weertje vandaag'),
    message('x-4', day(8, 13), 'ghost', ['jaguar'], 'alles goed?'),
  ]);
  // ingested without entity extraction, for reindex --entities
  const unextracted = writeJsonl(join(dir, 'zuid-3.jsonl'), [
    message('s-1', day(9, 9), 'ghost2', ['jaguar'], 'stuur het naar DE89 3704 0044 0532 0130 00 of bel 0687654321'),
  ]);
  // new data after a re-score: a new threat, and a hit of a watchlist
  const later = writeJsonl(join(dir, 'zuid-4.jsonl'), [
    message('n-1', day(20, 20), 'ghost2', ['ghost'], 'die rat Dennis moet weg, hij heeft ons verraden'),
    message('n-2', day(20, 21), 'ghost', ['ghost2'], 'de AK ligt klaar en ik heb een gestolen audi'),
    message('n-3', day(20, 22), 'ghost', ['jaguar'], 'de container komt morgen in de haven'),
  ]);
  const combo = join(dir, 'combo.txt');
  writeFileSync(combo, 'jan@x.nl:Welkom01\npiet@voorbeeld.nl:Zomer2019!\nkees@example.com:hunter2\nnot a credential\n');
  const numbers = join(dir, 'informant.txt');
  writeFileSync(numbers, '# numbers from the informant\n+31 6 1234 5678\nhandle:ghost\n');
  const lookups = join(dir, 'lookups.txt');
  writeFileSync(lookups, '06-1234 5678\nNL91ABNA0417164300\njaguar\nmo.bakkal@protonmail.com\n+31699999999\n');
  const words = join(dir, 'words.txt');
  writeFileSync(words, '# words of the case\nkenteken\ngestolen golf\n');
  const sender = join(dir, 'sender.json');
  writeFileSync(sender, JSON.stringify({ organisation: 'Politie Nederland', unit: 'Team Cybercrime', address: 'Postbus 1\n1000 AA Amsterdam', phone: '0900-8844', email: 'stopgesprek@politie.example', signatory: 'A. de Wit' }));
  return { corpus, seizure, second, unextracted, later, market, combo, numbers, lookups, words, sender };
}

// ---- the session

type Hit = { id: string; ref?: string };
type SearchJson = { total: number; hits: Hit[] };
type AlertJson = { id: number; kind: string; item: { id: string; ref?: string } };
type LinkJson = { id: number; kind: string; a: { handle: string }; b: { handle: string } };
type PersonJson = { id: string; reference: string };

/** Runs bin/lode against one store and keeps each answer, normalised, under a name. */
class Session {
  readonly answers: Answers = {};
  invocations = 0;
  private readonly since = Date.now();
  readonly store: string;
  readonly home: string;
  constructor(store: string, home: string) {
    this.store = store;
    this.home = home;
  }

  /**
   * `lode ARGS --store S --json`, which must succeed; its answer is kept as `name` and returned as
   * parsed. `varying`: keys of this answer that differ by nature (the caller says why).
   */
  async lode<T = unknown>(name: string, args: readonly string[], options: { input?: string; varying?: string[] } = {}): Promise<T> {
    const result = await this.run(args, options.input);
    assert.equal(result.code, 0, `${this.store}: lode ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    const parsed = JSON.parse(result.stdout) as T;
    this.keep(name, parsed, options.varying);
    return parsed;
  }

  /** `lode ARGS`, which must fail: its exit code and message are kept as `name`. */
  async fails(name: string, args: readonly string[]): Promise<void> {
    const result = await this.run(args);
    assert.notEqual(result.code, 0, `${this.store}: lode ${args.join(' ')} succeeded`);
    this.keep(name, { code: result.code, stdout: result.stdout, stderr: result.stderr });
  }

  keep(name: string, value: unknown, varying?: readonly string[]): void {
    assert.ok(!(name in this.answers), `two answers named ${name}`);
    this.answers[name] = normalise(value, this.home, this.since, varying);
  }

  private run(args: readonly string[], input?: string): Promise<Run> {
    this.invocations += 1;
    return run(this.home, [...args, '--store', this.store, '--json'], input);
  }
}

async function session(store: string, home: string, inputs: Inputs): Promise<Session> {
  const s = new Session(store, home);
  // the first start of a store creates its admin and prints the password once: kept for the API at the end
  const adminPassword = await firstServe(s);

  // ingest: a corpus, a seizure with quarantined lines, a leak market's dump
  await s.lode('ingest corpus', ['ingest', inputs.corpus, '--dataset', 'encro']);
  await s.lode('ingest seizure', ['ingest', inputs.seizure, '--dataset', 'zuid']);
  // the same file again adds nothing, and spends no dataset or source id
  await s.lode('ingest seizure again', ['ingest', inputs.seizure, '--dataset', 'zuid']);
  await s.lode('ingest market', ['ingest', inputs.market, '--dataset', 'market']);

  // users and grants
  await s.lode('user add ana', ['user', 'add', 'ana', '--role', 'analyst']);
  await s.lode('user add rita', ['user', 'add', 'rita', '--role', 'privilege-reviewer', '--password-stdin'], { input: 'a long enough secret for rita\n' });
  await s.lode('user add ivo', ['user', 'add', 'ivo', '--role', 'investigator']);
  // refused: the next user's id shows whether the refusal spent one
  await s.fails('user add ana again', ['user', 'add', 'ana', '--role', 'admin']);
  await s.lode('user add aud', ['user', 'add', 'aud', '--role', 'auditor']);
  await s.lode('grant rita', ['grant', 'rita', '--dataset', 'zuid']);
  await s.lode('grant ivo case', ['grant', 'ivo', '--case', 'haven']);
  await s.lode('revoke ivo', ['revoke', 'ivo', '--case', 'haven']);
  await s.lode('user list', ['user', 'list']);

  // watchlists before the next batch, which they must catch
  await s.lode('watchlist add informant', ['watchlist', 'add', 'informant', '--entities', inputs.numbers]);
  await s.lode('watchlist add haven', ['watchlist', 'add', 'haven', '--query', 'haven AND container', '--priority', '0.9']);
  await s.lode('watchlist add kilo', ['watchlist', 'add', 'kilo', '--query', 'kilo', '--dataset', 'zuid', '--backfill']);
  await s.fails('watchlist add kilo again', ['watchlist', 'add', 'kilo', '--query', 'kilo']);
  await s.lode('ingest second batch', ['ingest', inputs.second, '--dataset', 'zuid']);
  await s.lode('watchlist run haven --backfill', ['watchlist', 'run', 'haven', '--backfill']);
  // kilo's alerts stay kilo's: the next watchlist must not take its id (and with it, its alerts)
  await s.lode('watchlist remove kilo', ['watchlist', 'remove', 'kilo']);
  await s.lode('watchlist add weer', ['watchlist', 'add', 'weer', '--query', 'weertje']);
  await s.lode('watchlist list after', ['watchlist', 'list']);

  // entities found later for a batch ingested without them
  await s.lode('ingest without entities', ['ingest', inputs.unextracted, '--dataset', 'zuid', '--skip-entities']);
  await s.lode('reindex --entities', ['reindex', '--entities']);

  // search: every construct of the query language, facets, paging, sorting, lists
  const searches: [string, ...string[]][] = [
    ['kilo'],
    ['kilo~1 AND haven'],
    ['"geld cash"'],
    ['"kilo haven"~3'],
    ['from:tapeworm date:[2020-04-01 TO 2020-04-05]', '--sort', 'oldest'],
    ['phone:0612345678'],
    ['iban:DE89370400440532013000'],
    ['-kilo dataset:zuid', '--sort', 'oldest', '--limit', '50'],
    ['platform:encrochat lang:nl', '--limit', '5', '--offset', '10'],
    ['platform:encrochat', '--limit', '5'],
  ];
  const found: Record<string, SearchJson> = {};
  for (const [query, ...options] of searches) found[query] = await s.lode<SearchJson>(`search ${[query, ...options].join(' ')}`, ['search', query, ...options]);
  await s.lode('search --list', ['search', '--list', inputs.lookups]);

  // show: a message with its provenance and conversation
  const z3 = found['kilo~1 AND haven']!.hits.find((h) => h.ref === 'z-3');
  assert.ok(z3, `${store}: z-3 is found by kilo~1 AND haven`);
  await s.lode('show z-3', ['show', z3.id]);

  // entities and accounts
  await s.lode('entities', ['entities']);
  await s.lode('account jaguar', ['account', 'jaguar']);

  // links: proposed with evidence, one confirmed into a person, one rejected
  const links = await s.lode<{ links: LinkJson[] }>('links --update', ['links', '--update', '--limit', '500']);
  const pair = (l: LinkJson) => [l.a.handle, l.b.handle].sort().join('~');
  const device = links.links.find((l) => l.kind === 'shared-device' && pair(l) === 'ghost~ghost2');
  const disclosed = links.links.find((l) => l.kind === 'disclosed-identifier' && pair(l) === '+31612345678~jaguar');
  assert.ok(device && disclosed, `${store}: the shared handset and the disclosed number are proposed`);
  const confirmed = await s.lode<{ person: { id: number } }>('link confirm', ['link', 'confirm', String(device.id), '--note', 'one handset', '--by', 'analyst1']);
  await s.lode('link reject', ['link', 'reject', String(disclosed.id), '--note', 'a number given out for someone else', '--by', 'analyst1']);
  await s.lode('links --update again', ['links', '--update', '--status', 'rejected']);

  // the network
  const graph = await s.lode<{ keyPlayers: { account: string }[] }>('graph', ['graph', '--limit', '10']);
  await s.lode('path tapeworm ghost2', ['path', 'tapeworm', 'ghost2']);
  await s.lode('path between key players', ['path', graph.keyPlayers[0]!.account, graph.keyPlayers.at(-1)!.account, '--dataset', 'encro']);

  // what ingest could not read or merge
  await s.lode('quarantine', ['quarantine']);
  await s.lode('duplicates --dataset zuid', ['duplicates', '--dataset', 'zuid']);

  // triage: the queue, alerts worked, a re-score that keeps the work
  const queue = await s.lode<{ alerts: AlertJson[] }>('alerts', ['alerts', '--limit', '100']);
  const threat = queue.alerts.find((a) => a.kind === 'threat' && a.item.ref === 't-3');
  const leak = queue.alerts.find((a) => a.kind === 'leak' && a.item.ref === 'l-1');
  const watched = queue.alerts.find((a) => a.kind === 'watchlist');
  const corpusAlert = queue.alerts.find((a) => a.item.ref?.startsWith('e-'));
  assert.ok(threat && leak && watched && corpusAlert, `${store}: a threat, a leak, a watchlist hit and a corpus alert are raised`);
  await s.lode('alert ack', ['alert', String(threat.id), 'ack', '--note', 'called the duty officer']);
  await s.lode('alert escalate', ['alert', String(leak.id), 'escalate', '--assign', 'ana', '--note', 'the neighbour is a police officer']);
  await s.lode('alert dismiss', ['alert', String(corpusAlert.id), 'dismiss', '--note', 'a film quote']);
  await s.lode('alerts --assignee ana', ['alerts', '--assignee', 'ana', '--status', 'all']);
  // a re-score raises again what is raised already; the alerts of the next batch show whether that spent ids
  await s.lode('triage --rescore', ['triage', '--rescore']);
  await s.lode('ingest after rescore', ['ingest', inputs.later, '--dataset', 'zuid']);
  await s.lode('alerts after rescore', ['alerts', '--status', 'all', '--limit', '200']);

  // discovery and cases
  const discovered = await s.lode<{ candidates: { id: string }[] }>('discover', ['discover']);
  await s.lode('discover --stored', ['discover', '--stored', '--dataset', 'encro']);
  assert.ok(discovered.candidates.length > 0, `${store}: discovery finds candidates`);
  await s.lode('case create haven', ['case', 'create', 'haven', '--title', 'Haven Zuid', '--description', 'ten kilos at the port']);
  await s.fails('case create haven again', ['case', 'create', 'haven']);
  await s.lode('case create from candidate', ['case', 'create', 'operatie', '--from-candidate', discovered.candidates[0]!.id.slice(0, 12)]);
  await s.lode('case add items', ['case', 'add', 'haven', z3.id, 'account:zuid/jaguar', 'entity:phone:+31612345678', `person:${confirmed.person.id}`, `alert:${threat.id}`, '--tag', 'kern']);
  await s.lode('case add --query', ['case', 'add', 'haven', '--query', 'kilo AND haven', '--dataset', 'zuid', '--tag', 'kilo']);
  await s.lode('case add --wordlist', ['case', 'add', 'haven', '--wordlist', inputs.words]);
  await s.lode('case note translation', ['case', 'note', 'haven', 'have you spoken to jaguar? ten kilos at the port', '--on', z3.id, '--translation']);
  await s.lode('case show haven', ['case', 'show', 'haven']);
  const exportDir = join(home, 'export-haven');
  // the files carry the export's time and each step's, so their hashes differ, and so does the
  // compressed PDF's size: their contents are compared next
  await s.lode('case export', ['case', 'export', 'haven', '--out', exportDir], { varying: ['sha256', 'bytes'] });
  s.keep('case export bundle', exportedBundle(exportDir));
  await s.lode('case list', ['case', 'list']);

  // legal scope and privilege
  await s.lode('scope set', ['scope', 'set', 'zuid', '--handles', 'tapeworm,jaguar,+31612345678', '--from', '2020-04-01', '--to', '2020-05-31', '--warrant', 'RC-2020-17']);
  await s.lode('scope show', ['scope', 'show', 'zuid']);
  await s.lode('privileged add', ['privileged', 'add', 'phone:020-1234567', '--label', 'mr. De Vries']);
  // the same number in another writing is the same identifier, and spends no id
  await s.lode('privileged add again', ['privileged', 'add', 'phone:+31 20 123 4567']);
  await s.lode('privileged add e-mail', ['privileged', 'add', 'email:bureau@devries-advocaten.nl', '--label', 'mr. De Vries']);
  await s.lode('privileged list', ['privileged', 'list']);
  await s.lode('search verhoor, privileged', ['search', 'verhoor OR zonder']);
  // a reviewer is no admin: the scope applies to what rita reviews
  const review = await s.lode<{ messages: Hit[] }>('privileged review in scope', ['privileged', 'review', '--as-reviewer', 'rita']);
  await s.lode('scope clear', ['scope', 'clear', 'zuid']);
  await s.lode('privileged review', ['privileged', 'review', '--as-reviewer', 'rita', '--dataset', 'zuid']);
  const w1 = review.messages.find((m) => m.ref === 'w-1');
  const w2 = review.messages.find((m) => m.ref === 'w-2');
  assert.ok(w1 && w2, `${store}: both messages with the lawyer are withheld for review`);
  await s.lode('privileged release', ['privileged', 'release', w2.id, '--as-reviewer', 'rita', '--note', 'no advice']);
  await s.lode('privileged destroy', ['privileged', 'destroy', w1.id, '--as-reviewer', 'rita', '--note', 'legal advice']);
  await s.lode('privileged purge', ['privileged', 'purge']);
  await s.lode('search verhoor, decided', ['search', 'verhoor OR zonder']);

  // a campaign on the leak market's Dutch paying customers
  await s.lode('campaign create --dry-run', ['campaign', 'create', 'wli', '--dataset', 'market', '--country', 'NL', '--paid', '--dry-run']);
  const created = await s.lode<{ people: PersonJson[] }>('campaign create', ['campaign', 'create', 'wli', '--dataset', 'market', '--country', 'NL', '--paid', '--title', 'WLI', '--site', 'LeakMarket', '--sender', inputs.sender]);
  assert.ok(created.people.length >= 3, `${store}: the campaign has recipients`);
  const [first, second, third] = created.people.map((p) => p.reference) as [string, string, string];
  await s.lode('campaign configure', ['campaign', 'configure', 'wli', '--title', 'WLI Nederland']);
  await s.lode('campaign letters', ['campaign', 'letters', 'wli', '--out', join(home, 'letters'), '--date', '2030-01-07']);
  await s.lode('campaign send', ['campaign', 'send', 'wli', '--outbox', join(home, 'outbox'), '--from', 'stopgesprek@politie.example', '--date', '2030-01-07', '--rate', '6000', '--only', first, '--only', second]);
  await s.lode('campaign mark', ['campaign', 'mark', 'wli', third, '--status', 'letter-sent', '--at', '2030-01-08T09:00:00Z']);
  await s.lode('campaign talk', ['campaign', 'talk', 'wli', first, '--at', '2030-01-15T10:00:00Z', '--place', 'Bureau Zuid']);
  await s.lode('campaign show', ['campaign', 'show', 'wli', first]);
  await s.lode('campaign status', ['campaign', 'status', 'wli']);
  await s.lode('campaign reoffending', ['campaign', 'reoffending', 'wli']);

  // the public check: the market's and a combo list's exposures published, one taken back
  await s.lode('ingest combolist', ['ingest', inputs.combo, '--dataset', 'combo']);
  await s.lode('check publish market', ['check', 'publish', 'market', '--name', 'LeakMarket', '--title', 'Leak Market', '--breach-date', '2020-06-30', '--domain', 'leakmarket.example']);
  await s.lode('check publish combo', ['check', 'publish', 'combo', '--name', 'Combo1', '--title', 'Combo list', '--breach-date', '2020-01-01']);
  await s.lode('check list', ['check', 'list']);
  await s.lode('check unpublish', ['check', 'unpublish', 'Combo1']);

  // the API over the same store
  await serveAndAsk(s, adminPassword, { message: z3.id, alert: threat.id });

  // the audit log of all of it
  await s.lode('audit verify', ['audit', 'verify']);
  await s.lode('audit list', ['audit', 'list', '--limit', '1000']);
  await s.lode('status at the end', ['status']);

  await s.lode('relevance stenen OR coke* OR kilo*', ['search', 'stenen OR coke* OR kilo*', '--sort', 'relevance', '--dataset', 'encro', '--limit', '200']);
  return s;
}

/** What an export holds: its files by name and the data files' contents (the reports render the same data as HTML and PDF). */
function exportedBundle(dir: string): unknown {
  const manifest = readFileSync(join(dir, 'MANIFEST.sha256'), 'utf8').trim().split('\n').map((line) => line.split('  ')[1]);
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  const lines = (file: string) => read(file).split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
  return {
    manifest,
    'case.json': JSON.parse(read('case.json')),
    'queries.json': JSON.parse(read('queries.json')),
    ...Object.fromEntries(['items.jsonl', 'annotations.jsonl', 'timeline.jsonl', 'alerts.jsonl', 'ftm.jsonl'].map((f) => [f, lines(f)])),
  };
}

// ---- lode serve

type Served = { url: string; stderr: () => string; stop: () => Promise<number | null> };

async function serve(s: Session): Promise<Served> {
  const child = spawn(LODE, ['serve', '--port', '0', '--store', s.store], { env: environment(s.home), stdio: ['ignore', 'pipe', 'pipe'] });
  s.invocations += 1;
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (listening) resolve(listening[1]!);
    });
    child.once('exit', () => reject(new Error(`${s.store}: lode serve exited early: ${stderr}`)));
  });
  return {
    url, stderr: () => stderr,
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      return (await exited)[0] as number | null;
    },
  };
}

async function firstServe(s: Session): Promise<string> {
  const served = await serve(s);
  const code = await served.stop();
  assert.equal(code, 0, served.stderr());
  const password = /created user "admin" with password (\S+)/.exec(served.stderr())?.[1];
  assert.ok(password, `${s.store}: no admin password printed: ${served.stderr()}`);
  return password;
}

async function serveAndAsk(s: Session, password: string, ids: { message: string; alert: number }): Promise<void> {
  const served = await serve(s);
  try {
    const login = await fetch(`${served.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    assert.equal(login.status, 200, `${s.store}: the admin logs in`);
    const { token } = (await login.json()) as { token: string };
    const get = async (name: string, path: string) => {
      const response = await fetch(`${served.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.status, 200, `${s.store}: GET ${path}: ${response.status}`);
      s.keep(name, await response.json());
    };
    await get('GET /search', '/api/v1/search?q=kilo%7E1&dataset=zuid&sort=oldest');
    await get('GET /items', `/api/v1/items/${ids.message}`);
    await get('GET /alerts', '/api/v1/alerts?limit=50');
    await get('GET /alerts/{id}', `/api/v1/alerts/${ids.alert}`);
    await get('GET /cases/haven', '/api/v1/cases/haven');
    await get('GET /links', '/api/v1/links?limit=100');
    await get('GET /status', '/api/v1/status');
    await get('GET /campaigns', '/api/v1/campaigns');
    await get('GET /audit', '/api/v1/audit?limit=1000');
    await get('GET /audit/verify', '/api/v1/audit/verify');
    await get('GET /api/v3/breaches', '/api/v3/breaches');
  } finally {
    assert.equal(await served.stop(), 0, served.stderr());
  }
}

// ---- both stores

let sqlite: Session;
let postgres: Session;
let seconds: number;

before(async () => {
  const inputs = await writeInputs(temporaryDirectory());
  const sqliteHome = temporaryDirectory();
  const postgresHome = temporaryDirectory();
  const started = performance.now();
  [sqlite, postgres] = await Promise.all([
    session(`sqlite:${join(sqliteHome, 'lode.sqlite')}`, sqliteHome, inputs),
    postgresDatabase().then((url) => session(url, postgresHome, inputs)),
  ]);
  seconds = (performance.now() - started) / 1000;
});

/** The answers whose names start with one of the prefixes, side by side. */
function answers(...prefixes: string[]): [Answers, Answers] {
  const pick = (s: Session) => Object.fromEntries(Object.entries(s.answers).filter(([name]) => prefixes.some((p) => name.startsWith(p))));
  const [a, b] = [pick(sqlite), pick(postgres)];
  assert.ok(Object.keys(a).length > 0, `no answers named ${prefixes.join(', ')}`);
  return [a, b];
}

const compared = new Set<string>();

/** The same answers on both stores, command by command, so that a difference names its command. */
function assertSame(...prefixes: string[]): void {
  const [a, b] = answers(...prefixes);
  assert.deepEqual(Object.keys(b), Object.keys(a));
  for (const name of Object.keys(a)) {
    compared.add(name);
    assert.deepEqual(b[name], a[name], `lode ${name}: PostgreSQL (actual) and SQLite (expected) differ`);
  }
}

/** One answer of a session, as the caller says it looks. */
function on<T>(s: Session, name: string): T {
  assert.ok(name in s.answers, `${s.store}: no answer ${name}`);
  return s.answers[name] as T;
}

/** A number in one answer. */
function count(s: Session, name: string, key: string): number {
  const value = on<Record<string, unknown>>(s, name)[key];
  assert.equal(typeof value, 'number', `${s.store}: ${name} has no number ${key}`);
  return value as number;
}

test('both sessions ran every command', () => {
  assert.equal(postgres.invocations, sqlite.invocations);
  assert.deepEqual(Object.keys(postgres.answers), Object.keys(sqlite.answers));
  process.stderr.write(`stores.test: ${sqlite.invocations} lode runs on each store, both sessions in ${seconds.toFixed(1)} s\n`);
});

test('ingest, status, quarantine, duplicates and reindex give the same on both stores', () => {
  assertSame('status', 'ingest', 'quarantine', 'duplicates', 'reindex');
  for (const s of [sqlite, postgres]) {
    assert.equal(count(s, 'ingest corpus', 'messages'), 4000, s.store);
    assert.equal(count(s, 'ingest seizure', 'quarantined'), 2, s.store);
    assert.ok(count(s, 'ingest market', 'accounts') > 100, s.store);
    assert.ok(count(s, 'ingest seizure', 'alerts') >= 3, `${s.store}: threats and the leak raised at ingest`);
    assert.equal(count(s, 'quarantine', 'total'), 2, `${s.store}: two lines of the seizure`);
    assert.ok(count(s, 'duplicates --dataset zuid', 'near') >= 1, s.store);
    assert.ok(count(s, 'reindex --entities', 'mentions') >= 2, s.store);
  }
});

test('search, show and search --list give the same on both stores', () => {
  assertSame('search', 'show');
  for (const s of [sqlite, postgres]) {
    assert.ok(count(s, 'search kilo', 'total') > 0, s.store);
    assert.ok(on<{ facets: { sampled: boolean } }>(s, 'search platform:encrochat --limit 5').facets.sampled, `${s.store}: facets over a sample`);
    assert.ok(count(s, 'search platform:encrochat lang:nl --limit 5 --offset 10', 'total') > 1000, s.store);
    assert.equal(count(s, 'search phone:0612345678', 'total'), 3, `${s.store}: three writings of one number`);
    assert.equal(count(s, 'search iban:DE89370400440532013000', 'total'), 1, `${s.store}: found after reindex`);
    assert.equal(count(s, 'search verhoor, privileged', 'total'), 0, `${s.store}: the lawyer's messages are withheld`);
    assert.equal(count(s, 'search verhoor, decided', 'total'), 1, `${s.store}: one released, one destroyed`);
    assert.equal(count(s, 'search --list', 'found'), 4, s.store);
  }
});

// SQLite ranks with FTS5's bm25(), PostgreSQL with src/search/bm25.ts: the same scores
test('search --sort relevance ranks alike on both stores', () => {
  assertSame('relevance');
  const ranked = on<{ total: number; sort: string; hits: { score: number }[] }>(sqlite, 'relevance stenen OR coke* OR kilo*');
  assert.ok(ranked.total > 20 && ranked.hits.length === ranked.total, 'every hit on the page');
  assert.equal(ranked.sort, 'relevance');
  assert.ok(ranked.hits.some((h, i) => i > 0 && h.score < ranked.hits[i - 1]!.score), 'scores fall down the page');
});

test('entities, accounts, links and the network give the same on both stores', () => {
  assertSame('entities', 'account', 'links', 'link ', 'graph', 'path');
  for (const s of [sqlite, postgres]) {
    assert.ok(count(s, 'links --update', 'total') > 0, `${s.store}: links proposed`);
    assert.equal(on<{ link: { status: string } }>(s, 'link confirm').link.status, 'confirmed', s.store);
    assert.equal(on<{ realName: { name: string } }>(s, 'account jaguar').realName.name, 'Mohamed Bakkal', s.store);
    assert.deepEqual(on<{ accounts: string[] }>(s, 'path tapeworm ghost2').accounts, ['encrochat:tapeworm', 'encrochat:jaguar', 'encrochat:ghost2'], s.store);
  }
});

test('alerts, alert, watchlists and triage give the same on both stores', () => {
  assertSame('alert', 'watchlist', 'triage');
  for (const s of [sqlite, postgres]) {
    assert.ok(count(s, 'alerts', 'total') >= 5, `${s.store}: alerts raised`);
    assert.equal(count(s, 'ingest second batch', 'watchlist_alerts'), 3, `${s.store}: the watchlists caught the next batch`);
    assert.equal(on<{ status: string }>(s, 'alert escalate').status, 'escalated', s.store);
  }
});

test('discovery and cases, the exported bundle included, give the same on both stores', () => {
  assertSame('discover', 'case');
  for (const s of [sqlite, postgres]) {
    assert.ok(count(s, 'discover', 'total') > 0, s.store);
    const bundle = on<{ manifest: string[]; 'items.jsonl': unknown[] }>(s, 'case export bundle');
    assert.ok(bundle.manifest.includes('report.pdf') && bundle['items.jsonl'].length > 5, s.store);
  }
});

test('users, grants, scope and privilege give the same on both stores', () => {
  assertSame('user', 'grant', 'revoke', 'scope', 'privileged');
  for (const s of [sqlite, postgres]) {
    assert.deepEqual(on<{ users: { name: string }[] }>(s, 'user list').users.map((u) => u.name).sort(), ['admin', 'ana', 'aud', 'ivo', 'rita'], s.store);
    assert.equal(count(s, 'privileged review', 'total'), 2, s.store);
    assert.equal(count(s, 'privileged purge', 'destroyed'), 1, s.store);
  }
});

test('campaigns and the public check give the same on both stores', () => {
  assertSame('campaign', 'check');
  for (const s of [sqlite, postgres]) {
    assert.ok(count(s, 'campaign create', 'recipients') >= 3, s.store);
    assert.ok(count(s, 'check publish market', 'identifiers') > 0, s.store);
    assert.equal(count(s, 'check publish combo', 'identifiers'), 3, s.store);
  }
});

test('the API of lode serve answers the same on both stores', () => {
  assertSame('GET ');
  for (const s of [sqlite, postgres]) {
    assert.ok(count(s, 'GET /search', 'total') > 0, s.store);
    assert.equal(on<{ ok: boolean }>(s, 'GET /audit/verify').ok, true, s.store);
  }
});

test('the audit log records the same events on both stores, and its chain verifies', () => {
  assertSame('audit');
  for (const s of [sqlite, postgres]) {
    assert.equal(on<{ ok: boolean }>(s, 'audit verify').ok, true, s.store);
    const actions = new Set(on<{ events: { action: string }[] }>(s, 'audit list').events.map((e) => e.action));
    for (const action of ['search', 'case.export', 'privilege.destroy', 'privilege.purge', 'campaign.create', 'check.publish', 'user.create']) assert.ok(actions.has(action), `${s.store}: ${action} audited`);
  }
});

test('every answer was compared', () => {
  assert.deepEqual(Object.keys(sqlite.answers).filter((name) => !compared.has(name)), []);
});
