import { ROLES, type Role, type User } from '../model/security.ts';
import { hashPassword, newPassword, passwordProblem } from '../security/passwords.ts';
import type { Store } from '../store/store.ts';
import { USER_NAME, USER_NAME_RULE } from '../security/user-name.ts';
import { cliActor } from './audit.ts';
import { UsageError, UserError, stringOption, withStore, writeJson, type CliIO, type Command, type ParsedCommand } from './command.ts';

export const userCommand: Command = {
  name: 'user',
  summary: 'Manage the users of the server: add, list, disable, enable, set a new password.',
  usage: 'user add NAME --role R [--password-stdin] | list | disable NAME | enable NAME | password NAME [--password-stdin]',
  details: [
    `Roles: ${ROLES.join(', ')}.`,
    'Without --password-stdin a random password is generated and printed once; only its argon2id hash is stored.',
    'A password is never taken as an argument (it would stay in the shell history and the process list):',
    'pipe it in, e.g. `pass show lode/alice | lode user add alice --role analyst --password-stdin`.',
    'Disabling a user or setting a new password ends their sessions and API tokens.',
    'Every change is written to the audit log. Grant access with lode grant.',
  ].join('\n'),
  options: {
    role: { type: 'string', short: 'r', description: 'the role of a new user', valueName: 'R' },
    'password-stdin': { type: 'boolean', description: 'read the password from standard input (one line)' },
  },
  positionals: { min: 1, max: 2, names: 'add|list|disable|enable|password [NAME]' },
  async run(args, io) {
    const [action, name] = args.positionals as [string, string | undefined];
    if (action === 'list') {
      if (name !== undefined) throw new UsageError(`unexpected argument "${name}"`);
      return listUsers(args, io);
    }
    if (!['add', 'disable', 'enable', 'password'].includes(action)) throw new UsageError('the first argument is add, list, disable, enable or password');
    if (name === undefined) throw new UsageError('missing NAME');
    if (!USER_NAME.test(name)) throw new UsageError(`"${name}" is not a user name: ${USER_NAME_RULE}`);
    if (action === 'add') return addUser(args, io, name);
    if (action === 'password') return changePassword(args, io, name);
    const disabled = action === 'disable';
    await withStore(args, io, async (store) => {
      if (!(await store.setDisabled(name, disabled))) throw new UserError(`no user "${name}"`);
      await store.appendAudit({ actor: cliActor(io), action: `user.${action}`, target: name, details: {} });
    }, 'ingest');
    if (args.json) writeJson(io, { user: name, disabled });
    else io.stdout.write(`${name} ${disabled ? 'disabled: their sessions and tokens have ended' : 'enabled'}\n`);
    return 0;
  },
};

async function addUser(args: ParsedCommand, io: CliIO, name: string): Promise<number> {
  const role = stringOption(args, 'role');
  if (role === undefined) throw new UsageError(`--role is required: one of ${ROLES.join(', ')}`);
  if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const { password, isGenerated } = await choosePassword(args);
  const user = await withStore(args, io, async (store) => {
    const created = await store.createUser(name, role as Role, await hashPassword(password));
    if (!created) throw new UserError(`there is already a user "${name}"`);
    await store.appendAudit({ actor: cliActor(io), action: 'user.add', target: name, details: { role, passwordGenerated: isGenerated } });
    return created;
  }, 'ingest');
  if (args.json) writeJson(io, { user, ...(isGenerated ? { password } : {}) });
  else {
    io.stdout.write(`user ${user.name} added as ${user.role}\n`);
    if (isGenerated) {
      io.stdout.write(`password: ${password}\n`);
      io.stderr.write('this password is shown once: only its hash is stored\n');
    }
  }
  return 0;
}

async function changePassword(args: ParsedCommand, io: CliIO, name: string): Promise<number> {
  const { password, isGenerated } = await choosePassword(args);
  await withStore(args, io, async (store) => {
    if (!(await store.setPassword(name, await hashPassword(password)))) throw new UserError(`no user "${name}"`);
    await store.appendAudit({ actor: cliActor(io), action: 'user.password', target: name, details: { passwordGenerated: isGenerated } });
  }, 'ingest');
  if (args.json) writeJson(io, { user: name, ...(isGenerated ? { password } : {}) });
  else {
    io.stdout.write(`new password set for ${name}; their sessions and tokens have ended\n`);
    if (isGenerated) {
      io.stdout.write(`password: ${password}\n`);
      io.stderr.write('this password is shown once: only its hash is stored\n');
    }
  }
  return 0;
}

async function listUsers(args: ParsedCommand, io: CliIO): Promise<number> {
  const users = await withStore(args, io, async (store) => withGrants(store, await store.users()));
  if (args.json) writeJson(io, { users });
  else {
    for (const u of users) {
      const grants = u.grants.map((g) => `${g.kind}:${g.target}`).join(', ');
      io.stdout.write(`${u.name.padEnd(20)} ${u.role.padEnd(18)} ${u.disabled ? 'disabled' : 'active  '}  ${grants || '(no grants)'}\n`);
    }
    io.stdout.write(`${users.length} users\n`);
  }
  return 0;
}

async function withGrants(store: Store, users: User[]) {
  const out = [];
  for (const user of users) out.push({ ...user, grants: (await store.grantsOf(user.name)).map((g) => ({ kind: g.kind, target: g.target, grantedBy: g.grantedBy, grantedAt: g.grantedAt })) });
  return out;
}

async function choosePassword(args: ParsedCommand): Promise<{ password: string; isGenerated: boolean }> {
  if (args.values['password-stdin'] !== true) return { password: newPassword(), isGenerated: true };
  // typed at a terminal the password would be echoed on screen
  if (process.stdin.isTTY) throw new UserError('--password-stdin reads a pipe (e.g. from a password manager), not the terminal');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (password.includes('\n')) throw new UserError('--password-stdin takes one line');
  const problem = passwordProblem(password);
  if (problem) throw new UserError(problem);
  return { password, isGenerated: false };
}
