import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FORMATS, looksBinary } from '../ingest/formats/registry.ts';
import { expandPaths, readHead, sha256File } from '../ingest/pipeline.ts';
import { sniffArchive, unpackArchive } from '../ingest/archives.ts';
import { writeJson, type Command } from './command.ts';

type FileReport =
  | { path: string; error: string }
  | {
    path: string;
    sizeBytes: number;
    sha256: string;
    format: string | null;
    scores: { format: string; confidence: number }[];
    details?: Record<string, unknown>;
    archive?: string;
    members?: FileReport[];
  };

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'Say what a file is before ingesting it: size, SHA-256, how sure each format reader is, and what the best one sees.',
  usage: 'inspect PATH...',
  details: [
    'For a database dump: its tables with columns and row counts, and the site-database mapping Lode',
    'proposes (save it, edit it, pass it to `lode ingest --mapping FILE`). Archives are listed member by member.',
  ].join('\n'),
  options: {},
  positionals: { min: 1, max: Infinity, names: 'PATH' },
  async run(args, io) {
    const files = await expandPaths(args.positionals);
    const reports: FileReport[] = [];
    for (const file of files) reports.push('refused' in file ? { path: file.path, error: file.refused } : await inspectFile(file.path, file.path, 0));
    if (args.json) writeJson(io, { files: reports });
    else for (const r of reports) io.stdout.write(describe(r, ''));
    return reports.some(hasProblem) ? 1 : 0;
  },
};

async function inspectFile(path: string, label: string, depth: number): Promise<FileReport> {
  const info = await stat(path);
  const sha256 = await sha256File(path);
  const archive = info.size > 0 && depth < 3 ? await sniffArchive(path).catch(() => undefined) : undefined;
  if (archive) {
    const scratch = await mkdtemp(join(tmpdir(), 'lode-inspect-'));
    try {
      const members: FileReport[] = [];
      for (const m of await unpackArchive(path, archive, scratch)) {
        const memberLabel = `${label}!/${m.member}`;
        members.push('refused' in m ? { path: memberLabel, error: m.refused } : await inspectFile(m.path, memberLabel, depth + 1));
      }
      return { path: label, sizeBytes: info.size, sha256, format: null, scores: [], archive, members };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  const head = await readHead(path);
  const scores = FORMATS.map((f) => ({ format: f.name, confidence: f.detect(head, path) })).sort((a, b) => b.confidence - a.confidence);
  const best = info.size > 0 && !looksBinary(head) && scores[0]!.confidence >= 0.5 ? FORMATS.find((f) => f.name === scores[0]!.format) : undefined;
  let details: Record<string, unknown> | undefined;
  if (best?.inspect) {
    try {
      details = await best.inspect(path, {});
    } catch (error) {
      details = { error: (error as Error).message };
    }
  }
  return { path: label, sizeBytes: info.size, sha256, format: best?.name ?? null, scores, ...(details ? { details } : {}) };
}

function hasProblem(r: FileReport): boolean {
  if ('error' in r) return true;
  if (r.members) return r.members.some(hasProblem);
  return r.format === null;
}

function describe(r: FileReport, indent: string): string {
  if ('error' in r) return `${indent}${r.path}: ${r.error}\n`;
  if (r.archive) return `${indent}${r.path}: ${r.archive} archive (${r.sizeBytes} bytes, sha256 ${r.sha256})\n${r.members!.map((m) => describe(m, `${indent}  `)).join('')}`;
  const details = r.details ? describeDetails(r.details, `${indent}    `) : '';
  return `${indent}${r.path}: ${r.format ?? 'unknown format'} (${r.sizeBytes} bytes, sha256 ${r.sha256})\n${details}`;
}

/** A dump's tables as a table, its proposed mapping as JSON to save and edit; anything else as JSON. */
function describeDetails(details: Record<string, unknown>, indent: string): string {
  const { tables, mapping, ...rest } = details;
  const lines: string[] = [];
  if (Array.isArray(tables)) {
    for (const t of tables as { name: string; rowCount: number; columns: string[]; mappedAs?: string }[]) {
      lines.push(`${t.name.padEnd(24)} ${String(t.rowCount).padStart(10)} rows  -> ${(t.mappedAs ?? '').padEnd(16)} ${t.columns.join(', ')}`);
    }
  }
  if (Object.keys(rest).length > 0) lines.push(...JSON.stringify(rest, null, 2).split('\n'));
  if (mapping !== undefined) lines.push('proposed mapping (save it, edit it, pass it with --mapping FILE):', ...JSON.stringify(mapping, null, 2).split('\n'));
  return lines.map((l) => `${indent}${l}\n`).join('');
}
