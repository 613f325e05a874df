// `lode discover`: candidate cases, best first, with the evidence for each. "Normally we have a
// case and look for evidence; now the evidence looks for the case."
import type { CandidateCase } from '../analyze/discover/discover.ts';
import { discoverInStore } from '../analyze/discover-store.ts';
import { cliActor } from './audit.ts';
import { createProgress } from './progress.ts';
import { UserError, integerOption, stringOption, withStore, writeJson, type Command } from './command.ts';

export const discoverCommand: Command = {
  name: 'discover',
  summary: 'Cluster the data into candidate cases (who, what, when), ranked by severity and size.',
  usage: 'discover [--dataset D] [--limit N] [--stored]',
  details: [
    'Groups accounts that talk about the same things (topic terms, shared containers, IBANs, wallets, plates, amounts)',
    'in the same period, split by communication community and by silences; threat alerts, weapons and volumes of',
    'drugs and money rank a candidate up (docs/DISCOVERY.md). Each candidate lists its accounts, period, topics,',
    'entities, the reasons for its rank and its most telling messages. Open one: lode case create NAME --from-candidate ID.',
    '--stored lists the candidates of the last run without running again.',
    '--json: {"candidates":[{"id","dataset","title","accounts","from","to","messages","topics","entities","severity","score","reasons","evidence"}]}',
  ].join('\n'),
  options: {
    dataset: { type: 'string', short: 'd', description: 'only this dataset', valueName: 'D' },
    limit: { type: 'string', short: 'n', description: 'candidates to list (default 20)', valueName: 'N' },
    stored: { type: 'boolean', description: 'list the last run\'s candidates' },
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(args, io) {
    const only = stringOption(args, 'dataset');
    const limit = integerOption(args, 'limit', 20, 1, 10_000);
    const actor = cliActor(io);
    const candidates = await withStore(args, io, async (store) => {
      const datasets = (await store.summarise()).filter((d) => only === undefined || d.name === only);
      if (only !== undefined && datasets.length === 0) throw new UserError(`no dataset ${only}`);
      let found: CandidateCase[];
      if (args.values.stored) {
        found = (await store.candidates('all', datasets.map((d) => d.name))).map((c) => c.candidate as CandidateCase);
      } else {
        const progress = createProgress(io.stderr, io.isTTY, 'discover', 'messages');
        const total = datasets.reduce((n, d) => n + d.messages, 0);
        // progress of a dataset counts on from the datasets read before it
        const offsets = new Map<string, number>();
        datasets.reduce((n, d) => (offsets.set(d.name, n), n + d.messages), 0);
        const runs = await discoverInStore(store, datasets.map((d) => d.name), {
          view: 'all', onProgress: (dataset, done) => progress.update((offsets.get(dataset) ?? 0) + done, total, (offsets.get(dataset) ?? 0) + done),
        });
        progress.finish();
        found = runs.flatMap((r) => r.candidates).sort((a, b) => b.score - a.score);
      }
      await store.appendAudit({ actor, action: 'discover', target: only, details: { candidates: found.length, stored: args.values.stored === true } });
      return found;
    }, args.values.stored ? 'read' : 'ingest');
    const shown = candidates.slice(0, limit);
    if (args.json) writeJson(io, { total: candidates.length, candidates: shown });
    else io.stdout.write(describe(candidates.length, shown));
    return 0;
  },
};

function describe(total: number, candidates: readonly CandidateCase[]): string {
  if (total === 0) return 'no candidate cases\n';
  const blocks = candidates.map((c, i) => [
    `${String(i + 1).padStart(2)}. ${c.id.slice(0, 12)}  score ${c.score.toFixed(2)}  ${c.title}`,
    `    ${c.messages} messages, ${c.accounts.length} accounts (${c.accounts.slice(0, 5).map((a) => a.handle).join(', ')}${c.accounts.length > 5 ? ', ...' : ''}), dataset ${c.dataset}`,
    `    why: ${c.reasons.join('; ')}`,
    ...c.evidence.slice(0, 3).map((e) => `    ${e.ts.slice(0, 16)} ${e.from}: ${e.body.replace(/\s+/g, ' ').slice(0, 100)}`),
  ].join('\n'));
  return `${total} candidate cases${candidates.length < total ? `, the best ${candidates.length}` : ''} (open one: lode case create NAME --from-candidate ID)\n${blocks.join('\n')}\n`;
}
