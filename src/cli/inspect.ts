import { stat } from 'node:fs/promises';
import { FORMATS } from '../ingest/formats/registry.ts';
import { expandPaths, readHead, sha256File } from '../ingest/pipeline.ts';
import { writeJson, type Command } from './command.ts';

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'Say what a file is before ingesting it: size, SHA-256, and how sure each format reader is.',
  usage: 'inspect PATH...',
  options: {},
  positionals: { min: 1, max: Infinity, names: 'PATH' },
  async run(args, io) {
    const files = await expandPaths(args.positionals);
    const reports = [];
    for (const file of files) {
      if ('refused' in file) {
        reports.push({ path: file.path, error: file.refused });
        continue;
      }
      const info = await stat(file.path);
      const head = await readHead(file.path);
      const scores = FORMATS.map((f) => ({ format: f.name, confidence: f.detect(head, file.path) })).sort((a, b) => b.confidence - a.confidence);
      const best = scores[0]!.confidence >= 0.5 ? scores[0]!.format : null;
      reports.push({ path: file.path, sizeBytes: info.size, sha256: await sha256File(file.path), format: info.size === 0 ? null : best, scores });
    }
    if (args.json) writeJson(io, { files: reports });
    else {
      for (const r of reports) {
        if ('error' in r) io.stdout.write(`${r.path}: ${r.error}\n`);
        else io.stdout.write(`${r.path}: ${r.format ?? 'unknown format'} (${r.sizeBytes} bytes, sha256 ${r.sha256})\n`);
      }
    }
    return reports.some((r) => 'error' in r || r.format === null) ? 1 : 0;
  },
};
