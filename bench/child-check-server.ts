// The public check as `lode serve` runs it (src/cli/serve.ts: the store, openPublicCheck with an
// outbox, the audit entry per mail, the app of startServer), with two settings `lode serve` has
// no flag for: the challenge's difficulty (the bench solves thousands of challenges itself) and
// the per-address limits of checks and challenges.
//
// One more difference, on purpose: the limits count per connection, not per client address. All
// of autocannon's connections come from 127.0.0.1 (it cannot bind a source address), and the
// window limiter scans every event of an address on each request: one address holding the whole
// run's checks measured 76 us per check after 10,000 and 505 us after 40,000, a cost no real
// client mix has. So each connection stands for one client: 50 connections, 50 addresses.
//
// `node bench/child-check-server.ts --home H --outbox DIR --mail-from ADDR --bits B --limit N`:
// prints "listening on URL" on stderr; on SIGTERM waits for the notifier's queue, prints the
// service's counts as one JSON line on stdout and exits.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { createApp } from '../src/server/app.ts';
import { openPublicCheck, openStore } from '../src/main.ts';

const { values } = parseArgs({
  options: {
    home: { type: 'string' }, outbox: { type: 'string' }, 'mail-from': { type: 'string', default: 'Lode check <check@lode.invalid>' },
    bits: { type: 'string', default: '4' }, limit: { type: 'string', default: '1000000' },
  },
});
if (!values.home || !values.outbox) throw new Error('--home and --outbox are required');
const settings = { home: values.home, env: {} };
const limit = Number(values.limit);
const store = await openStore({ ...settings, purpose: 'read' });
const check = await openPublicCheck(settings, {
  mail: { outbox: values.outbox }, from: values['mail-from'], organisation: 'Lode bench',
  challengeBits: Number(values.bits),
  log: (line) => process.stderr.write(`check server: ${line}\n`),
  onNotified: async (event) => {
    await store.appendAudit({ actor: 'public check', action: 'check.notified', details: { digest: event.digest, breaches: event.breaches, language: event.language } });
  },
});
const app = createApp({
  store, log: (line) => process.stderr.write(`${line}\n`), check: check.service, checkIndex: check.index,
  ...(check.mailer ? { mailer: check.mailer, mailFrom: values['mail-from'] } : {}),
  checkLimits: { checks: limit, challenges: limit },
});
const server = serve({
  // what clientAddress (src/server/session.ts) reads, per connection (see the file's comment)
  fetch: (request, env) => app.fetch(request, { ...env, incoming: { socket: { remoteAddress: `127.0.0.1:${env.incoming.socket.remotePort}` } } }),
  hostname: '127.0.0.1', port: 0,
}, (info: AddressInfo) => {
  process.stderr.write(`check server: listening on http://127.0.0.1:${info.port}\n`);
}) as Server;

process.once('SIGTERM', () => {
  void (async () => {
    server.close();
    server.closeAllConnections();
    await check.close();
    await store.close();
    process.stdout.write(`${JSON.stringify(check.service.stats)}\n`);
    process.exit(0);
  })();
});
