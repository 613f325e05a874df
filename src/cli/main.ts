// `lode <command>`: dispatches to one file per command and turns errors into exit codes:
// 0 success, 1 failure (a clear message, no stack trace), 2 bad usage.
import { type Command, UsageError, UserError, helpText, parseCommand, type CliIO } from './command.ts';
import { ingestCommand } from './ingest.ts';
import { searchCommand } from './search.ts';
import { showCommand } from './show.ts';
import { quarantineCommand } from './quarantine.ts';
import { duplicatesCommand } from './duplicates.ts';
import { entitiesCommand } from './entities.ts';
import { reindexCommand } from './reindex.ts';
import { accountCommand } from './account.ts';
import { linkCommand, linksCommand } from './links.ts';
import { graphCommand, pathCommand } from './graph.ts';
import { statusCommand } from './status.ts';
import { inspectCommand } from './inspect.ts';
import { generateCommand } from './generate.ts';
import { userCommand } from './user.ts';
import { grantCommand, revokeCommand } from './grant.ts';
import { auditCommand } from './audit.ts';
import { serveCommand } from './serve.ts';
import { scopeCommand } from './scope.ts';
import { privilegedCommand } from './privileged.ts';

export const COMMANDS: readonly Command[] = [ingestCommand, searchCommand, showCommand, entitiesCommand, accountCommand, linksCommand, linkCommand, graphCommand, pathCommand, quarantineCommand, duplicatesCommand, reindexCommand, statusCommand, inspectCommand, generateCommand, userCommand, grantCommand, revokeCommand, scopeCommand, privilegedCommand, auditCommand, serveCommand];

function overview(): string {
  return [
    'Usage: lode <command> [options]       (lode <command> --help for more)',
    '',
    'Lode turns bulk seized data into cases. Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`),
    '',
    'Data lives in ./lode-data unless --home DIR or LODE_HOME says otherwise.',
    '',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`lode: unknown command "${name}"\n\n${overview()}`);
    return 2;
  }
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
