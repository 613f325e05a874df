// Every file of an export as bytes, with the manifest, computed from the bundle alone: the data
// files first, then the data root hash over them, then the reports that print that hash, then
// MANIFEST.sha256 over everything. export-case.ts only writes what this returns.
import type { ExportedFile } from '../../model/cases.ts';
import { bundleFiles, type ExportBundle } from './bundle-files.ts';
import { ftmJsonl } from './ftm.ts';
import { describeFile, manifestText, MANIFEST_PATH, sha256Hex } from './manifest.ts';
import { renderReportHtml } from './report-html.ts';
import { renderReportPdf } from './report-pdf.ts';

export const EXPORT_FORMATS = ['bundle', 'ftm'] as const;
/** `bundle`: the court bundle (reports, JSONL, queries, case metadata); `ftm`: ftm.jsonl. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The two files that print the data root hash and so cannot be covered by it. */
export const REPORT_PATHS = ['report.html', 'report.pdf'] as const;

export type ExportContents = {
  /** Every file but the manifest, sorted by path, with its bytes. */
  files: (ExportedFile & { content: Uint8Array })[];
  manifest: string;
  manifestSha256: string;
  /** SHA-256 of the manifest lines of every file except the reports: the hash on the report cover. */
  dataRootSha256: string;
};

export async function exportContents(bundle: ExportBundle, formats: readonly ExportFormat[] = EXPORT_FORMATS): Promise<ExportContents> {
  const unknown = formats.filter((f) => !(EXPORT_FORMATS as readonly string[]).includes(f));
  if (formats.length === 0 || unknown.length) throw new Error(`export formats must be among ${EXPORT_FORMATS.join(', ')}; got ${formats.join(', ') || 'none'}`);
  const data = [
    ...(formats.includes('bundle') ? bundleFiles(bundle) : []),
    ...(formats.includes('ftm') ? [{ path: 'ftm.jsonl', content: ftmJsonl(bundle) }] : []),
  ].map((f) => withBytes(f.path, f.content));
  const dataRootSha256 = sha256Hex(manifestText(data));
  const reports = formats.includes('bundle')
    ? [
        withBytes('report.html', renderReportHtml(bundle, { dataFiles: data.map(describedOnly), dataRootSha256 })),
        withBytes('report.pdf', await renderReportPdf(bundle, { dataFiles: data.map(describedOnly), dataRootSha256 })),
      ]
    : [];
  const files = [...data, ...reports].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  if (files.some((f) => f.path === MANIFEST_PATH)) throw new Error(`${MANIFEST_PATH} is reserved`);
  const manifest = manifestText(files);
  return { files, manifest, manifestSha256: sha256Hex(manifest), dataRootSha256 };
}

function withBytes(path: string, content: string | Uint8Array): ExportedFile & { content: Uint8Array } {
  const bytes = typeof content === 'string' ? new Uint8Array(Buffer.from(content, 'utf8')) : content;
  return { ...describeFile(path, bytes), content: bytes };
}

function describedOnly(f: ExportedFile): ExportedFile {
  return { path: f.path, sha256: f.sha256, bytes: f.bytes };
}
