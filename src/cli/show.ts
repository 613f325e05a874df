import type { StoredMessage } from '../model/items.ts';
import { UserError, integerOption, withAuditedRead, writeJson, type Command } from './command.ts';

export const showCommand: Command = {
  name: 'show',
  summary: 'Show one item with its provenance and the conversation around it.',
  usage: 'show ID [--context N]',
  details: 'ID is the id search returns (e.g. m3f2a...). Provenance is the source file, its SHA-256, and the line and byte offset.',
  options: { context: { type: 'string', short: 'C', description: 'items of the conversation before and after (default 5)', valueName: 'N' } },
  positionals: { min: 1, max: 1, names: 'ID' },
  async run(args, io) {
    const id = args.positionals[0]!;
    const context = integerOption(args, 'context', 5, 0, 500);
    const found = await withAuditedRead(args, io, { action: 'item.view', target: id }, async (store) => {
      const item = await store.message(id);
      return item ? { item, conversation: await store.conversationAround(id, context, context) } : undefined;
    });
    if (!found) throw new UserError(`no item with id "${id}"`);
    if (args.json) writeJson(io, found);
    else io.stdout.write(describe(found.item, found.conversation));
    return 0;
  },
};

function describe(item: StoredMessage, conversation: StoredMessage[]): string {
  const p = item.provenance;
  const lines = [
    `${item.kind} ${item.id}${item.ref ? ` (source id ${item.ref})` : ''}`,
    `  dataset   ${item.dataset} / ${item.platform}`,
    `  time      ${item.ts ?? 'undated'}`,
    `  from      ${item.from}`,
    ...(item.to.length > 0 ? [`  to        ${item.to.join(', ')}`] : []),
    ...(item.group ? [`  group     ${item.group}`] : []),
    ...(item.lang ? [`  language  ${item.lang}`] : []),
    ...item.attachments.map((a) => `  attached  ${a.name ?? '?'} ${a.mime ?? ''} ${a.sha256 ?? ''}`.trimEnd()),
    ...(item.extra ? [`  other     ${JSON.stringify(item.extra)}`] : []),
    ...(item.entities ?? []).map((e) => `  entity    ${e.type.padEnd(11)} ${e.value}  ("${item.body.slice(e.start, e.end)}" at ${e.start})`),
    `  source    ${p.sourcePath}`,
    `            sha256 ${p.sourceSha256}, line ${p.line}, byte ${p.offset}`,
    '',
    ...item.body.split('\n').map((l) => `  ${l}`),
    '',
  ];
  if (conversation.length > 1) {
    lines.push('conversation:');
    for (const m of conversation) {
      const marker = m.id === item.id ? '>' : ' ';
      lines.push(`${marker} ${m.ts ?? 'undated'}  ${m.from}: ${m.body.replace(/\s*\n\s*/g, ' ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
