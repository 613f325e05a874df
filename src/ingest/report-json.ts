// The `lode ingest --json` answer (DESIGN.md contract, extended with a few fields): the CLI prints
// it, and POST /api/v1/ingest answers with it.
import type { IngestReport } from './pipeline.ts';

export function ingestReportJson(report: IngestReport) {
  return {
    dataset: report.dataset,
    sources: report.sources.map((s) => ({
      path: s.path, sha256: s.sha256 ?? null, format: s.format ?? null, records: s.records, quarantined: s.quarantined,
      status: s.status, ...(s.reason ? { reason: s.reason } : {}),
    })),
    messages: report.messages,
    notes: report.notes,
    accounts: report.accounts,
    contacts: report.contacts,
    events: report.events,
    exposures: report.exposures,
    mentions: report.mentions,
    alerts: report.alerts,
    watchlist_alerts: report.watchlists.raised,
    quarantined: report.quarantined,
    duplicates: report.duplicates,
    interrupted: report.interrupted,
  };
}
