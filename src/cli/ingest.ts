import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { homeDirectory } from '../main.ts';
import { ingest, type IngestReport } from '../ingest/pipeline.ts';
import { ingestReportJson } from '../ingest/report-json.ts';
import { FORMATS } from '../ingest/formats/registry.ts';
import { createProgress, formatCount } from './progress.ts';
import { UsageError, UserError, stringOption, withStore, writeJson, integerOption, type Command } from './command.ts';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'Read seized files into a dataset: streaming, resumable, every item with its provenance.',
  usage: 'ingest PATH... --dataset NAME [--format F] [--mapping FILE] [--owner HANDLE] [--report FILE]',
  details: [
    'PATH may be files, directories (read recursively) or archives (.zip, .tar, .tar.gz, .gz; also nested),',
    'whose members are unpacked into the home\'s scratch folder while they are read. Each file is identified by its SHA-256:',
    'ingesting it again adds nothing, and an interrupted run (Ctrl-C, crash) continues where it stopped.',
    'Malformed records are quarantined with their line and reason (see `lode quarantine`); the rest is read.',
    '',
    'Formats (detected by content unless --format is given):',
    ...FORMATS.map((f) => `  ${f.name.padEnd(12)} ${f.description}`),
    '',
    'Exit code 1 when an input was refused (not found, empty, unreadable format); the others are still read.',
  ].join('\n'),
  options: {
    dataset: { type: 'string', short: 'd', description: 'dataset to ingest into (created when new)', valueName: 'NAME' },
    format: { type: 'string', description: 'skip detection and read every file as this format', valueName: 'F' },
    mapping: { type: 'string', description: 'JSON file with a column mapping (CSV) or a site-database mapping (dumps)', valueName: 'FILE' },
    region: { type: 'string', description: 'country of the dataset, for national phone numbers (default NL)', valueName: 'CC' },
    'skip-entities': { type: 'boolean', description: 'do not extract entities now (run lode reindex --entities later)' },
    'skip-triage': { type: 'boolean', description: 'do not score threats and leaks now (run lode triage --rescore later)' },
    owner: { type: 'string', description: 'handle of the device owner, for formats that do not name it (SMS backups)', valueName: 'HANDLE' },
    report: { type: 'string', description: 'also write the ingest report, file by file with hashes, as Markdown', valueName: 'FILE' },
    batch: { type: 'string', description: 'records per transaction (default 20000)', valueName: 'N' },
  },
  positionals: { min: 1, max: Infinity, names: 'PATH' },
  async run(args, io) {
    const dataset = stringOption(args, 'dataset');
    if (!dataset) throw new UsageError('--dataset NAME is required');
    const mappingPath = stringOption(args, 'mapping');
    let mapping: unknown;
    if (mappingPath) {
      try {
        mapping = JSON.parse(await readFile(mappingPath, 'utf8'));
      } catch (error) {
        throw new UserError(`cannot read mapping ${mappingPath}: ${(error as Error).message}`);
      }
    }
    const progress = createProgress(io.stderr, io.isTTY, 'ingest');
    const started = performance.now();
    const report = await withStore(args, io, (store) =>
      ingest({
        store, paths: args.positionals, dataset, format: stringOption(args, 'format'), mapping, owner: stringOption(args, 'owner'),
        region: regionOption(args), extractEntities: args.values['skip-entities'] !== true, triage: args.values['skip-triage'] !== true,
        batchRecords: integerOption(args, "batch", 20_000, 1, 1_000_000),
        signal: io.signal,
        // unpacked archives are as sensitive as the evidence: they stay in the home, not in /tmp
        scratchDirectory: join(homeDirectory({ home: stringOption(args, 'home'), env: io.env }), 'scratch'),
        onProgress: (p) => progress.update(p.bytesDone, p.bytesTotal, p.records),
      }),
      'ingest',
    );
    const seconds = (performance.now() - started) / 1000;
    progress.finish();
    const reportPath = stringOption(args, 'report');
    if (reportPath) await writeFile(reportPath, ingestReportMarkdown(report, new Date(), seconds));
    if (args.json) writeJson(io, ingestReportJson(report));
    else io.stdout.write(describe(report, seconds));
    for (const s of report.sources.filter((s) => s.status === 'refused')) io.stderr.write(`refused ${s.path}: ${s.reason}\n`);
    if (report.interrupted) io.stderr.write('interrupted: what was read is stored; run the same command again to continue\n');
    return report.refused > 0 || report.interrupted ? 1 : 0;
  },
};

function regionOption(args: Parameters<Command['run']>[0]): string | undefined {
  const region = stringOption(args, 'region')?.toUpperCase();
  if (region !== undefined && !/^[A-Z]{2}$/.test(region)) throw new UsageError(`--region takes a two-letter country code such as NL, BE, FR; got "${region}"`);
  return region;
}

/** The report an analyst hands over: what each file was, its hash, what came of it. */
export function ingestReportMarkdown(report: IngestReport, at: Date, seconds: number): string {
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const rows = report.sources.map((s) =>
    `| ${cell(s.path)} | ${s.format ?? ''} | ${s.sha256 ?? ''} | ${s.status} | ${s.records} | ${s.quarantined} | ${cell(s.reason ?? '')} |`);
  const problems = report.sources.filter((s) => s.status === 'refused');
  return [
    `# Ingest report: dataset ${report.dataset}`,
    '',
    `Finished ${at.toISOString()} after ${seconds.toFixed(1)} s.`,
    '',
    `Added ${report.messages} messages, ${report.notes} notes, ${report.accounts} accounts, ${report.contacts} contacts, ` +
      `${report.events} events and ${report.exposures} credential exposures; ${report.duplicates} records were already stored; ` +
      `${report.quarantined} records quarantined (\`lode quarantine --dataset ${report.dataset}\`). ` +
      `Triage raised ${report.alerts} threat and leak alerts and the watchlists ${report.watchlists.raised} (\`lode alerts\`).`,
    '',
    '| file | format | SHA-256 | status | records | quarantined | note |',
    '| --- | --- | --- | --- | ---: | ---: | --- |',
    ...rows,
    '',
    problems.length === 0 ? 'Every file was read or deliberately skipped.' : `${problems.length} file(s) could not be read: see the note column.`,
    '',
  ].join('\n');
}

function describe(report: IngestReport, seconds: number): string {
  const lines = report.sources.map((s) => {
    const what = s.status === 'refused' || s.status === 'skipped'
      ? `${s.status}: ${s.reason}`
      : `${s.status}, ${formatCount(s.records)} records, ${s.quarantined} quarantined`;
    return `  ${s.path} (${s.format ?? '?'}) ${what}`;
  });
  const added = `added ${report.messages} messages, ${report.notes} notes, ${report.accounts} accounts, ${report.contacts} contacts, ${report.events} events, ${report.exposures} credential exposures, ${report.mentions} entity mentions`;
  const rate = seconds > 0 ? ` in ${seconds.toFixed(1)} s (${formatCount((report.messages + report.notes) / seconds)} messages/s)` : '';
  const tail = [
    report.alerts > 0 ? `${report.alerts} threat/leak alerts raised: lode alerts` : '',
    report.watchlists.raised > 0 ? `${report.watchlists.raised} watchlist alerts (${report.watchlists.watchlists.filter((w) => w.raised > 0).map((w) => w.name).join(', ')}): lode alerts --kind watchlist` : '',
    report.duplicates > 0 ? `${report.duplicates} already stored` : '',
    report.quarantined > 0 ? `${report.quarantined} quarantined: lode quarantine --dataset ${report.dataset}` : '',
  ].filter(Boolean);
  return `dataset ${report.dataset}\n${lines.join('\n')}\n${added}${rate}\n${tail.map((t) => `${t}\n`).join('')}`;
}
