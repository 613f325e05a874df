// What every CLI command is: a name, its options, a help text and a run function. Global
// options (--home, --store, --json, --help) are added here so every command has them.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { openStore } from '../main.ts';
import type { Store } from '../store/store.ts';

export type CliIO = {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Whether stderr is a terminal (progress bars) rather than a log (plain lines). */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
};

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean; description: string; valueName?: string };

export type Command = {
  name: string;
  summary: string;
  usage: string;
  details?: string;
  options: Record<string, OptionSpec>;
  positionals: { min: number; max: number; names: string; isFreeText?: boolean };
  run(args: ParsedCommand, io: CliIO): Promise<number>;
};

export type ParsedCommand = {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  json: boolean;
};

/** Bad usage: exit code 2 with the command's usage line. */
export class UsageError extends Error {}
/** A user-facing failure: exit code 1 with the message, no stack trace. */
export class UserError extends Error {}

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  home: { type: 'string', description: 'data directory (default ./lode-data, or LODE_HOME)', valueName: 'DIR' },
  store: { type: 'string', description: 'store to use: sqlite:PATH (default: sqlite in the home) or postgres://..., or LODE_STORE', valueName: 'URL' },
  json: { type: 'boolean', description: 'print one JSON document on stdout, nothing else' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export function parseCommand(command: Command, argv: string[]): ParsedCommand | 'help' {
  const options = { ...GLOBAL_OPTIONS, ...command.options };
  // A query may start with a dash (`-pizza`, `-"geld cash"`): what is not an option of the
  // command is the query, not an error.
  const freeText: string[] = [];
  const args = command.positionals.isFreeText ? argv.filter((arg, i) => {
    const isQuery = arg.startsWith('-') && arg !== '--' && !isOptionArgument(arg, options) && !takesValue(argv[i - 1], options);
    if (isQuery) freeText.push(arg);
    return !isQuery;
  }) : argv;
  const config: ParseArgsConfig = {
    args,
    allowPositionals: true,
    strict: true,
    options: Object.fromEntries(Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }])),
  };
  let parsed;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[\w+\]: /, ''));
  }
  const values = parsed.values as ParsedCommand['values'];
  if (values.help) return 'help';
  const positionals = [...parsed.positionals, ...freeText];
  const { min, max, names } = command.positionals;
  if (positionals.length < min) throw new UsageError(`missing ${names}`);
  if (positionals.length > max) throw new UsageError(`unexpected argument "${positionals[max]}"`);
  return { values, positionals, json: values.json === true };
}

function isOptionArgument(arg: string, options: Record<string, OptionSpec>): boolean {
  const long = /^--([a-z][a-z-]*)(=.*)?$/.exec(arg);
  if (long) return long[1]! in options;
  return arg.length === 2 && Object.values(options).some((o) => o.short === arg[1]);
}

function takesValue(previous: string | undefined, options: Record<string, OptionSpec>): boolean {
  if (previous === undefined || previous.includes('=')) return false;
  const name = previous.startsWith('--') ? previous.slice(2) : Object.entries(options).find(([, o]) => previous === `-${o.short}`)?.[0];
  return name !== undefined && options[name]?.type === 'string';
}

export function helpText(command: Command): string {
  const options = { ...command.options, ...GLOBAL_OPTIONS };
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}`;
    return `  ${flag.padEnd(28)} ${o.description}`;
  });
  return [`Usage: lode ${command.usage}`, '', command.summary, ...(command.details ? ['', command.details] : []), '', 'Options:', ...rows, ''].join('\n');
}

export function stringOption(args: ParsedCommand, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function integerOption(args: ParsedCommand, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = stringOption(args, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

export function writeJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * withStore for a read of evidence: the read is written to the audit log (actor `cli:$USER`), as
 * the server does for every read, so a local operator leaves the same trail as an analyst.
 */
export async function withAuditedRead<T>(
  args: ParsedCommand, io: CliIO, audit: { action: string; target?: string; details?: (result: NoInfer<T>) => Record<string, unknown> },
  work: (store: Store) => Promise<T>,
): Promise<T> {
  return withStore(args, io, async (store) => {
    const result = await work(store);
    await store.appendAudit({ actor: `cli:${io.env.USER ?? io.env.USERNAME ?? 'unknown'}`, action: audit.action, target: audit.target, details: audit.details?.(result) ?? {} });
    return result;
  });
}

/** Opens the store the options and environment point at, runs `work`, and always closes it. */
export async function withStore<T>(args: ParsedCommand, io: CliIO, work: (store: Store) => Promise<T>, purpose: 'ingest' | 'read' = 'read'): Promise<T> {
  let store: Store;
  try {
    store = await openStore({ home: stringOption(args, 'home'), store: stringOption(args, 'store'), env: io.env, purpose });
  } catch (error) {
    throw new UserError((error as Error).message);
  }
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
