import type { AuditEvent } from '../model/security.ts';
import { UsageError, integerOption, stringOption, withStore, writeJson, type CliIO, type Command } from './command.ts';

/**
 * Who did it, as the audit log records admin actions taken at the console. The operating
 * system's user name: whoever runs lode here can write the store file anyway, so the log
 * records which account acted, not a proof of identity.
 */
export function cliActor(io: CliIO): string {
  return `cli:${io.env.USER || io.env.LOGNAME || 'unknown'}`;
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'Check the audit log\'s hash chain, or list its events (who searched, viewed, exported, administered what).',
  usage: 'audit verify | audit list [--limit N] [--offset N] [--actor A] [--action X]',
  details: [
    'verify walks the whole chain: exit 0 when it is intact, 1 with the first event that does not fit',
    '(changed, missing, reordered, or the log\'s end cut off). It prints the head hash: note it elsewhere,',
    'and a later verify shows whether the log still reaches it.',
    'list shows events newest first.',
  ].join('\n'),
  options: {
    limit: { type: 'string', short: 'n', description: 'events to list (default 50)', valueName: 'N' },
    offset: { type: 'string', description: 'events to skip', valueName: 'N' },
    actor: { type: 'string', description: 'only events of this actor (e.g. alice, cli:root)', valueName: 'A' },
    action: { type: 'string', description: 'only events of this action (e.g. search, grant)', valueName: 'X' },
  },
  positionals: { min: 1, max: 1, names: 'verify|list' },
  async run(args, io) {
    const [what] = args.positionals as [string];
    if (what === 'verify') {
      const result = await withStore(args, io, (store) => store.verifyAudit());
      if (args.json) writeJson(io, result);
      else if (result.ok) io.stdout.write(`audit log intact: ${result.events} events, head ${result.head}\n`);
      else {
        const where = result.firstBadSeq === undefined ? '' : ` at seq ${result.firstBadSeq}`;
        io.stdout.write(`audit log NOT intact${where}: ${result.reason}\n${result.events} events before it verify\n`);
      }
      return result.ok ? 0 : 1;
    }
    if (what !== 'list') throw new UsageError('the first argument is verify or list');
    const result = await withStore(args, io, (store) => store.auditEvents({
      limit: integerOption(args, 'limit', 50, 1, 1_000_000), offset: integerOption(args, 'offset', 0),
      actor: stringOption(args, 'actor'), action: stringOption(args, 'action'),
    }));
    if (args.json) writeJson(io, result);
    else {
      for (const event of result.events) io.stdout.write(describeEvent(event));
      io.stdout.write(`${result.total} events${result.total > result.events.length ? ` (showing ${result.events.length})` : ''}\n`);
    }
    return 0;
  },
};

function describeEvent(e: AuditEvent): string {
  const details = Object.keys(e.details).length > 0 ? `  ${JSON.stringify(e.details)}` : '';
  return `#${e.seq} ${e.at} ${e.actor} ${e.action}${e.target === undefined ? '' : ` ${e.target}`}${details}\n`;
}
