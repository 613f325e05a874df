// `lode <command>`: dispatches to one file per command and turns errors into exit codes:
// 0 success, 1 failure (a clear message, no stack trace), 2 bad usage.
import { type Command, UsageError, UserError, helpText, parseCommand, type CliIO } from './command.ts';

/**
 * The commands, loaded when used: each brings its own dependencies (the server, the network
 * analysis, phone metadata...), and a command should not pay for the others' start-up.
 */
export type CommandEntry = { name: string; load(): Promise<Command> };

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'ingest', load: async () => (await import('./ingest.ts')).ingestCommand },
  { name: 'search', load: async () => (await import('./search.ts')).searchCommand },
  { name: 'show', load: async () => (await import('./show.ts')).showCommand },
  { name: 'entities', load: async () => (await import('./entities.ts')).entitiesCommand },
  { name: 'account', load: async () => (await import('./account.ts')).accountCommand },
  { name: 'links', load: async () => (await import('./links.ts')).linksCommand },
  { name: 'link', load: async () => (await import('./links.ts')).linkCommand },
  { name: 'graph', load: async () => (await import('./graph.ts')).graphCommand },
  { name: 'path', load: async () => (await import('./graph.ts')).pathCommand },
  { name: 'quarantine', load: async () => (await import('./quarantine.ts')).quarantineCommand },
  { name: 'duplicates', load: async () => (await import('./duplicates.ts')).duplicatesCommand },
  { name: 'reindex', load: async () => (await import('./reindex.ts')).reindexCommand },
  { name: 'status', load: async () => (await import('./status.ts')).statusCommand },
  { name: 'inspect', load: async () => (await import('./inspect.ts')).inspectCommand },
  { name: 'generate', load: async () => (await import('./generate.ts')).generateCommand },
  { name: 'user', load: async () => (await import('./user.ts')).userCommand },
  { name: 'grant', load: async () => (await import('./grant.ts')).grantCommand },
  { name: 'revoke', load: async () => (await import('./grant.ts')).revokeCommand },
  { name: 'scope', load: async () => (await import('./scope.ts')).scopeCommand },
  { name: 'privileged', load: async () => (await import('./privileged.ts')).privilegedCommand },
  { name: 'audit', load: async () => (await import('./audit.ts')).auditCommand },
  { name: 'alerts', load: async () => (await import('./alerts.ts')).alertsCommand },
  { name: 'alert', load: async () => (await import('./alerts.ts')).alertCommand },
  { name: 'watchlist', load: async () => (await import('./watchlist.ts')).watchlistCommand },
  { name: 'triage', load: async () => (await import('./watchlist.ts')).triageCommand },
  { name: 'discover', load: async () => (await import('./discover.ts')).discoverCommand },
  { name: 'case', load: async () => (await import('./case.ts')).caseCommand },
  { name: 'campaign', load: async () => (await import('./campaign.ts')).campaignCommand },
  { name: 'check', load: async () => (await import('./check.ts')).checkCommand },
  { name: 'serve', load: async () => (await import('./serve.ts')).serveCommand },
  { name: 'migrate', load: async () => (await import('./migrate.ts')).migrateCommand },
];

async function overview(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  return [
    'Usage: lode <command> [options]       (lode <command> --help for more)',
    '',
    'Lode turns bulk seized data into cases. Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`),
    '',
    'Data lives in ./lode-data unless --home DIR or LODE_HOME says otherwise.',
    '',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(await overview());
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`lode: unknown command "${name}"\n\n${await overview()}`);
    return 2;
  }
  const command = await entry.load();
  try {
    const parsed = parseCommand(command, rest);
    if (parsed === 'help') {
      io.stdout.write(helpText(command));
      return 0;
    }
    return await command.run(parsed, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`lode ${command.name}: ${error.message}\nUsage: lode ${command.usage}\n`);
      return 2;
    }
    if (error instanceof UserError) {
      io.stderr.write(`lode ${command.name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (import.meta.main) {
  // `lode search ... | head` closes stdout early: that is the reader's choice, not an error
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts += 1;
    // the first Ctrl-C lets the current batch commit; the second one stops at once
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nstopping after the current batch (Ctrl-C again to stop now)\n');
    controller.abort();
  });
  process.on('SIGTERM', () => controller.abort());
  const io: CliIO = { stdout: process.stdout, stderr: process.stderr, isTTY: process.stderr.isTTY === true, env: process.env, signal: controller.signal };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`lode: internal error (a bug, please report it): ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
