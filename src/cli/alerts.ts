// `lode alerts` (the triage queue, highest score first) and `lode alert ID ...` (work one alert:
// acknowledge, escalate, dismiss, assign, note). Listing is a read of evidence and is audited.
import { ALERT_KINDS, ALERT_STATUSES, OPEN_ALERT_STATUSES, type Alert, type AlertStatus } from '../model/triage.ts';
import type { AlertChange } from '../store/store.ts';
import { cliActor } from './audit.ts';
import { UsageError, UserError, integerOption, stringOption, withAuditedRead, withStore, writeJson, type Command } from './command.ts';

export const alertsCommand: Command = {
  name: 'alerts',
  summary: 'The triage queue: threats to life, insider leaks and watchlist hits, highest score first.',
  usage: 'alerts [--kind threat|leak|watchlist] [--status new|acknowledged|escalated|dismissed|open] [--dataset D] [--assignee U] [--limit N]',
  details: [
    'Alerts are raised at ingest (threat and leak scoring, docs/TRIAGE.md) and by watchlists on every new batch',
    '(lode watchlist). By default the open ones are listed: new, acknowledged and escalated. Each alert lists its',
    'reasons: which words or context raised it and how much each weighed. Work an alert with lode alert ID.',
    '--json: {"total","alerts":[{"id","kind","score","item":{"id","ref"},"reasons":[...],"status",...}]}',
  ].join('\n'),
  options: {
    kind: { type: 'string', short: 'k', description: 'threat, leak or watchlist', valueName: 'K' },
    status: { type: 'string', short: 's', description: 'new, acknowledged, escalated, dismissed, open (default) or all', valueName: 'S' },
    dataset: { type: 'string', short: 'd', description: 'only this dataset', valueName: 'D' },
    assignee: { type: 'string', description: 'only alerts assigned to this user', valueName: 'U' },
    limit: { type: 'string', short: 'n', description: 'alerts to list (default 20)', valueName: 'N' },
    offset: { type: 'string', description: 'alerts to skip', valueName: 'N' },
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(args, io) {
    const kind = enumOption(args.values.kind, ALERT_KINDS, 'kind');
    const statusText = stringOption(args, 'status') ?? 'open';
    const status: AlertStatus | readonly AlertStatus[] | undefined = statusText === 'open' ? OPEN_ALERT_STATUSES
      : statusText === 'all' ? undefined : enumOption(statusText, ALERT_STATUSES, 'status');
    const limit = integerOption(args, 'limit', 20, 1, 10_000);
    const offset = integerOption(args, 'offset', 0);
    const dataset = stringOption(args, 'dataset');
    const assignee = stringOption(args, 'assignee');
    const result = await withAuditedRead<{ total: number; alerts: Alert[] }>(args, io, { action: 'alerts.view', details: (r) => ({ kind, status: statusText, dataset, total: r.total, shown: r.alerts.map((a) => a.id) }) },
      (store) => store.alerts({ kind, status, dataset, assignee, limit, offset }));
    if (args.json) writeJson(io, { total: result.total, alerts: result.alerts.map(alertJson) });
    else io.stdout.write(describeAlerts(result.total, result.alerts, offset));
    return 0;
  },
};

export const alertCommand: Command = {
  name: 'alert',
  summary: 'Work one alert: show it, acknowledge, escalate, dismiss or reopen it, assign it, add a note.',
  usage: 'alert ID [show|ack|escalate|dismiss|reopen] [--note TEXT] [--assign USER | --unassign]',
  details: 'Nothing is lost: status changes and notes are kept with the alert (author and time) and audited.',
  options: {
    note: { type: 'string', description: 'add a note (with any action)', valueName: 'TEXT' },
    assign: { type: 'string', description: 'assign the alert to a user', valueName: 'USER' },
    unassign: { type: 'boolean', description: 'take the assignment away' },
  },
  positionals: { min: 1, max: 2, names: 'ID [show|ack|escalate|dismiss|reopen]' },
  async run(args, io) {
    const id = Number(args.positionals[0]);
    if (!Number.isInteger(id) || id <= 0) throw new UsageError(`"${args.positionals[0]}" is not an alert id`);
    const action = args.positionals[1] ?? 'show';
    const statusOf: Record<string, AlertStatus | undefined> = { show: undefined, ack: 'acknowledged', escalate: 'escalated', dismiss: 'dismissed', reopen: 'new' };
    if (!(action in statusOf)) throw new UsageError('the action is show, ack, escalate, dismiss or reopen');
    const change: AlertChange = {};
    if (statusOf[action]) change.status = statusOf[action];
    const note = stringOption(args, 'note');
    if (note !== undefined) {
      if (note.trim() === '') throw new UsageError('--note needs a text');
      change.note = note;
    }
    const assign = stringOption(args, 'assign');
    if (assign !== undefined && args.values.unassign) throw new UsageError('--assign and --unassign exclude each other');
    if (assign !== undefined) change.assignee = assign;
    if (args.values.unassign) change.assignee = null;
    const changing = Object.keys(change).length > 0;
    const actor = cliActor(io);
    const alert = await withStore(args, io, async (store) => {
      if (assign !== undefined && !(await store.findUser(assign))) throw new UserError(`no user ${assign} (lode user list)`);
      const updated = changing ? await store.updateAlert(id, change, actor) : await store.alert(id);
      if (!updated) throw new UserError(`no alert ${id}`);
      await store.appendAudit({ actor, action: changing ? 'alert.update' : 'alert.view', target: String(id), details: changing ? { ...change } : { item: updated.item.id } });
      return updated;
    }, changing ? 'ingest' : 'read');
    if (args.json) writeJson(io, alertJson(alert));
    else io.stdout.write(describeAlert(alert));
    return 0;
  },
};

function enumOption<T extends string>(value: unknown, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} is one of ${allowed.join(', ')}; got "${String(value)}"`);
}

/** The DESIGN.md contract with the rest of the alert beside it. */
export function alertJson(a: Alert) {
  return {
    id: a.id, kind: a.kind, score: Number(a.score.toFixed(4)), item: a.item, reasons: a.reasons, status: a.status,
    ...(a.category ? { category: a.category } : {}), ...(a.watchlist ? { watchlist: a.watchlist } : {}),
    ...(a.assignee ? { assignee: a.assignee } : {}), notes: a.notes, toolrun: a.toolrun, createdAt: a.createdAt, updatedAt: a.updatedAt,
  };
}

function describeAlerts(total: number, alerts: readonly Alert[], offset: number): string {
  if (total === 0) return 'no alerts\n';
  const lines = alerts.map((a) => {
    const what = a.kind === 'watchlist' ? `watchlist ${a.watchlist ?? '?'}` : a.category ? `${a.kind}/${a.category}` : a.kind;
    const head = `#${a.id}  ${a.score.toFixed(2)}  ${what.padEnd(18)} ${a.status.padEnd(12)} ${a.item.ts?.slice(0, 16) ?? 'undated'}  ${a.item.from} → ${a.item.to.join(', ')}`;
    const body = `      ${oneLine(a.item.body, 110)}`;
    const why = `      why: ${a.reasons.slice(0, 4).map((r) => r.text).join('; ')}${a.reasons.length > 4 ? `; +${a.reasons.length - 4} more` : ''}`;
    return [head, body, why].join('\n');
  });
  const shown = alerts.length === 0 ? '' : `${offset + 1}-${offset + alerts.length}`;
  return `${total} alerts${shown ? `, showing ${shown}` : ''} (lode alert ID to work one)\n${lines.join('\n')}\n`;
}

function describeAlert(a: Alert): string {
  const lines = [
    `alert #${a.id}: ${a.kind}${a.category ? `/${a.category}` : ''}${a.watchlist ? ` (watchlist ${a.watchlist})` : ''}, score ${a.score.toFixed(2)}, ${a.status}${a.assignee ? `, assigned to ${a.assignee}` : ''}`,
    `message ${a.item.id} in ${a.item.dataset}, ${a.item.ts ?? 'undated'}, ${a.item.from} → ${a.item.to.join(', ')}`,
    `  ${a.item.body.replace(/\n/g, '\n  ')}`,
    'reasons:',
    ...a.reasons.map((r) => `  ${r.weight.toFixed(2)}  ${r.text}${r.item ? ` (message ${r.item})` : ''}`),
    `raised by ${a.toolrun.component}@${a.toolrun.version} at ${a.createdAt}`,
    ...(a.notes.length > 0 ? ['notes:', ...a.notes.map((n) => `  ${n.at} ${n.author}: ${n.text}`)] : []),
  ];
  return `${lines.join('\n')}\n`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
