// Many values looked up at once (like `lode search --list FILE --json`): phone numbers, e-mails,
// IBANs, wallets, IMEIs, IPs or handles, one a line. Only the caller's datasets are asked, and
// only the messages the caller may see (legal scope, privilege) are counted or given as examples.
import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../router.ts';
import { lookupList, lookupListWithin } from '../../analyze/list-lookup.ts';
import type { AppEnv, ServerDeps } from '../context.ts';
import { errorResponses } from '../errors.ts';
import { evidenceScope, viewerOf } from '../access.ts';
import { recordAction } from '../audit.ts';
import { requestedDatasets } from '../requested-datasets.ts';

export const SEARCH_LIST_PATH = '/search/list';
export const MAX_LIST_LINES = 10_000;
/** 10,000 lines of identifiers (a few dozen bytes each) with room to spare; other bodies are a few fields. */
export const SEARCH_LIST_MAX_BODY_BYTES = 1024 * 1024;

const ListRequestSchema = z.object({
  lines: z.array(z.string().max(1000)).max(MAX_LIST_LINES).openapi({
    description: 'one value a line; a prefix (phone: iban: email: btc: eth: xmr: imei: ip: url: container: handle:) forces the reading; empty lines and # comments are skipped',
    example: ['06-1234 5678', 'NL91ABNA0417164300', 'handle:jaguar'],
  }),
  dataset: z.string().min(1).max(200).optional().openapi({ description: 'only this dataset' }),
}).openapi('ListLookup');

const ListMatchSchema = z.object({
  input: z.string(), as: z.string().openapi({ description: 'what the line was read as: an entity type, `handle`, or `invalid TYPE`' }),
  value: z.string().openapi({ description: 'the normalised value looked up' }), found: z.boolean(),
  messages: z.number().openapi({ description: 'messages that mention it (an entity) or that the account sent (a handle)' }),
  datasets: z.array(z.string()), firstSeen: z.string().optional(), lastSeen: z.string().optional(),
  examples: z.array(z.string()).openapi({ description: 'ids of a few such messages, newest first' }),
}).openapi('ListMatch');

const listRoute = createRoute({
  method: 'post', path: SEARCH_LIST_PATH, tags: ['evidence'], summary: 'Looks up many values at once: which appear, where, how often (like `lode search --list FILE --json`)',
  request: { body: { required: true, content: { 'application/json': { schema: ListRequestSchema } } } },
  responses: {
    200: {
      description: 'one match a value line, in order',
      content: { 'application/json': { schema: z.object({ total: z.number(), found: z.number(), took_ms: z.number(), matches: z.array(ListMatchSchema) }).openapi('ListLookupResult') } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export function searchListRoutes(deps: ServerDeps): OpenAPIHono<AppEnv> {
  const app = newRouter();

  app.openapi(listRoute, async (c) => {
    const scope = evidenceScope(c.get('caller').user, c.get('caller').grants);
    const { lines, dataset } = c.req.valid('json');
    const started = performance.now();
    const datasets = await requestedDatasets(deps.store, scope, dataset);
    const viewer = viewerOf(c.get('caller').user);
    const matches = datasets === undefined ? await lookupList(deps.store, lines, undefined, viewer)
      : datasets.length === 1 ? await lookupList(deps.store, lines, datasets[0], viewer)
      : await lookupListWithin(deps.store, lines, datasets, viewer);
    const found = matches.filter((m) => m.found);
    // what was looked up, not only how many: the log must show who searched for which number
    await recordAction(deps, c, 'search.list', dataset, { values: matches.map((m) => `${m.as}:${m.value}`), found: found.map((m) => `${m.as}:${m.value}`) });
    return c.json({ total: matches.length, found: found.length, took_ms: Math.round(performance.now() - started), matches }, 200);
  });

  return app;
}
