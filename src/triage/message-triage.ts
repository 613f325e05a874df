// The scorer as ingest and re-scoring use it: the shipped lexicons plus an analyst's own
// (LODE_LEXICONS), each finding marked with whether it raises an alert. The tool run names the
// analyst's lexicon files by their hash, so a court can tell which words raised an alert.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MessageTriage } from '../ingest/prepare.ts';
import { loadLexicons } from './lexicon.ts';
import { LEAK_ALERT_THRESHOLD, THREAT_ALERT_THRESHOLD, TRIAGE_TOOLRUN, TriageScorer } from './scorer.ts';

export { TRIAGE_TOOLRUN };

export type ConfiguredTriage = { triage: MessageTriage; toolrun: { component: string; version: string } };

export async function createMessageTriage(env: Readonly<Record<string, string | undefined>> = process.env): Promise<ConfiguredTriage> {
  const extraDir = env['LODE_LEXICONS'] || undefined;
  const scorer = new TriageScorer({ lexicon: await loadLexicons({ env, ...(extraDir ? { extraDir } : {}) }) });
  const toolrun = extraDir
    ? { component: TRIAGE_TOOLRUN.component, version: `${TRIAGE_TOOLRUN.version}+lexicons.${await directoryDigest(extraDir)}` }
    : { ...TRIAGE_TOOLRUN };
  return {
    toolrun,
    triage: {
      score: (message) => scorer.score(message).map((finding) => ({
        finding, alert: finding.score >= (finding.kind === 'threat' ? THREAT_ALERT_THRESHOLD : LEAK_ALERT_THRESHOLD),
      })),
    },
  };
}

/** The first 12 hex digits of a SHA-256 over the directory's lexicon files (names and contents). */
async function directoryDigest(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.json')).sort()) {
    hash.update(name).update('\0').update(await readFile(join(dir, name))).update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}
