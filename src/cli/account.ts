import { accountProfile } from '../analyze/profile.ts';
import type { AccountProfile } from '../model/attribution.ts';
import { UserError, integerOption, stringOption, withAuditedRead, writeJson, type Command } from './command.ts';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export const accountCommand: Command = {
  name: 'account',
  summary: 'Who is behind a handle: the names others saved for it, what it disclosed, its devices, contacts and rhythm.',
  usage: 'account HANDLE [--dataset NAME] [--platform P] [--contacts N]',
  details: [
    'aliases: what other users called this account in their contact lists, grouped by writing, with who saved them;',
    'name: the real name those aliases agree on (surname, and the fullest first name), when two or more owners back it.',
    'entities: identifiers in messages it sent (its own phone, IBAN... or other people\'s). Activity hours are UTC.',
    'links: evidence tying it to other accounts (lode links); person: the accounts confirmed links group with it.',
  ].join('\n'),
  options: {
    dataset: { type: 'string', short: 'd', description: 'the dataset, when the handle is in several', valueName: 'NAME' },
    platform: { type: 'string', description: 'the platform, when the handle is on several', valueName: 'P' },
    contacts: { type: 'string', description: 'top contacts to list (default 10)', valueName: 'N' },
  },
  positionals: { min: 1, max: 1, names: 'HANDLE' },
  async run(args, io) {
    const handle = args.positionals[0]!;
    const answer = await withAuditedRead(args, io, { action: 'account.view', target: handle }, (store) =>
      accountProfile(store, { handle, dataset: stringOption(args, 'dataset'), platform: stringOption(args, 'platform'), contacts: integerOption(args, 'contacts', 10, 0, 1000) }),
    );
    if (answer.kind === 'unknown') throw new UserError(`no account "${handle}"`);
    if (answer.kind === 'ambiguous') {
      throw new UserError(`"${handle}" is an account in several places; pick one with --dataset or --platform:\n` +
        answer.candidates.map((c) => `  ${c.dataset} / ${c.platform} / ${c.handle}`).join('\n'));
    }
    if (args.json) writeJson(io, answer.profile);
    else io.stdout.write(describe(answer.profile));
    return 0;
  },
};

function describe(p: AccountProfile & { realName?: { name: string; support: number; writings: string[] } }): string {
  const lines = [`${p.platform}:${p.handle}  [${p.dataset}]${p.name ? `  calls itself "${p.name}"` : ''}`];
  if (p.realName) lines.push(`  name       ${p.realName.name} (${p.realName.support} owners: ${p.realName.writings.slice(0, 6).map((w) => `"${w}"`).join(', ')})`);
  if (p.person) lines.push(`  person     #${p.person.id}${p.person.name ? ` ${p.person.name}` : ''}: ${p.person.accounts.map((a) => `${a.platform}:${a.handle} [${a.dataset}]`).join(', ')}`);
  lines.push(`  seen       ${p.firstSeen ?? '?'} .. ${p.lastSeen ?? '?'}; sent ${p.sent}, received ${p.received}`);
  for (const d of p.devices) lines.push(`  device     ${d.imei ?? '?'} ${d.model ?? ''}${d.since ? ` since ${d.since}` : ''}`);
  if (p.aliases.length > 0) lines.push('  aliases    ' + p.aliases.slice(0, 12).map((a) => `"${a.alias}" x${a.count}`).join(', '));
  for (const e of p.entities.slice(0, 15)) lines.push(`  disclosed  ${e.type.padEnd(11)} ${e.value} (${e.count}x)`);
  for (const c of p.contacts) lines.push(`  contact    ${c.platform}:${c.handle} sent ${c.sent}, received ${c.received}`);
  const peak = (values: number[], label: (i: number) => string) => values.map((n, i) => [n, i] as const).sort((a, b) => b[0] - a[0]).slice(0, 3).filter(([n]) => n > 0).map(([n, i]) => `${label(i)} (${n})`).join(', ');
  if (p.sent > 0) lines.push(`  busiest    ${peak(p.activity.byHour, (h) => `${String(h).padStart(2, '0')}h`)}; ${peak(p.activity.byWeekday, (d) => WEEKDAYS[d]!)}`);
  for (const l of p.links.slice(0, 10)) {
    const other = l.a.handle === p.handle && l.a.platform === p.platform ? l.b : l.a;
    lines.push(`  link #${l.id}   ${l.kind} ${l.score.toFixed(2)} ${l.status} -> ${other.platform}:${other.handle} [${other.dataset}]: ${l.evidence[0]?.what} ${l.evidence[0]?.value}`);
  }
  return `${lines.join('\n')}\n`;
}
