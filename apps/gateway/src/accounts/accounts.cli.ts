// `npm run -s accounts -- <command>`: accounts, API keys and console users, written straight to
// the gateway's schema. Plain text for people; `--json` prints one JSON line for scripts.
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/core';
import { DomainError } from '@sms/errors';
import { ConfigError, loadConfig } from '@sms/platform-config';
import { createOrmOptions } from '@sms/platform-database';
import { Command, CommanderError, Option } from 'commander';
import { ormSettings } from '../database';
import { newPassword } from '../users/password-hash';
import { UsersRepository } from '../users/users.repository';
import { UsersService, type UserView } from '../users/users.service';
import { accountsCliConfigSchema, LOCAL_DATABASE_URL } from './accounts-cli.config';
import { AccountsRepository } from './accounts.repository';
import {
  AccountsService,
  type AccountView,
  type IssuedKey,
  type KeyView,
  type RotatedKey,
} from './accounts.service';
import { API_KEY_ROLES } from './api-key-secret';

/** Exit codes: usage errors 2, refused by the domain or unreachable database 1, config 78. */
const EXIT_USAGE = 2;
const EXIT_FAILED = 1;
const EXIT_CONFIG = 78;

interface Services {
  readonly accounts: AccountsService;
  readonly users: UsersService;
}

/** A result: the object `--json` prints, and its plain-text form. */
interface Output {
  readonly json: unknown;
  readonly text: string;
}

const json = process.argv.includes('--json');

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '(none)';
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The key as users paste it; the secret alone is never printed. */
function keyOutput(key: IssuedKey | RotatedKey): Output {
  const { secret: _secret, ...shown } = key;
  const lines = [
    ...('revokedKeyId' in key ? [`revoked key ${key.revokedKeyId}`] : []),
    `key id:  ${key.keyId} (${key.role} key of account ${key.accountId})`,
    `token:   ${key.token}`,
    '',
    'The token is shown only this once (only a hash is stored). Send it as',
    `  Authorization: Bearer ${key.token}`,
  ];
  return { json: shown, text: lines.join('\n') };
}

function userLine(user: UserView): string {
  return `user ${user.userId} ${user.email} (${user.role}, account ${user.accountId})`;
}

function passwordLines(shown: string | undefined): string[] {
  return shown === undefined ? [] : [`password: ${shown}`, '(shown only this once)'];
}

/** The first line of standard input, without its line break. */
async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** The given password (stdin), or a generated one that the command prints once. */
async function choosePassword(fromStdin: boolean): Promise<{ password: string; shown?: string }> {
  if (fromStdin) return { password: await readPasswordFromStdin() };
  const password = newPassword();
  return { password, shown: password };
}

/** Opens the database only for a command that runs (never for --help or a usage error). */
async function withServices(work: (services: Services) => Promise<Output>): Promise<void> {
  const config = loadConfig('gateway accounts', accountsCliConfigSchema, process.env);
  const orm = await MikroORM.init(createOrmOptions(ormSettings(config)));
  try {
    const accounts = new AccountsRepository(orm);
    const output = await work({
      accounts: new AccountsService(accounts),
      users: new UsersService(new UsersRepository(orm), accounts),
    });
    process.stdout.write(`${json ? JSON.stringify(output.json) : output.text}\n`);
  } finally {
    await orm.close(true);
  }
}

const roleOption = () =>
  new Option('--role <role>', 'what the key or user may do')
    .choices(API_KEY_ROLES)
    .default('customer');

const passwordStdinOption = () =>
  new Option(
    '--password-stdin',
    'read the password (at least 12 characters) from the first line of standard input; otherwise one is generated and printed once',
  );

export function buildProgram(): Command {
  const program = new Command('npm run -s accounts --')
    .description(
      'Accounts, API keys and console users of the gateway, written to its PostgreSQL schema.\n' +
        `Database: DATABASE_URL (default ${LOCAL_DATABASE_URL}, the one \`npm start\` uses), ` +
        'schema DATABASE_SCHEMA (default gateway).',
    )
    .option('--json', 'print one JSON line per result (for scripts); errors as JSON on stderr')
    .helpCommand(true)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      outputError: (message, write) => {
        const text = message.trim().replace(/^error: /, '');
        write(
          json
            ? `${JSON.stringify({ error: 'INVALID_ARGUMENT', message: text })}\n`
            : `error: ${text}\n(see --help)\n`,
        );
      },
    });

  program
    .command('create-account')
    .description('create an account (a customer); names are unique, case-insensitively')
    .requiredOption('--name <name>', 'display name, 1..200 characters')
    .action((options: { name: string }) =>
      withServices(async ({ accounts }) => {
        const account = await accounts.createAccount(options.name);
        return {
          json: account,
          text: [
            `created account ${account.accountId} "${account.name}"`,
            `next: npm run -s accounts -- issue-key --account ${account.accountId}`,
          ].join('\n'),
        };
      }),
    );

  program
    .command('list-accounts')
    .description('list every account, oldest first')
    .action(() =>
      withServices(async ({ accounts }) => {
        const all: AccountView[] = await accounts.listAccounts();
        return {
          json: all,
          text: table(
            ['ACCOUNT', 'CREATED', 'NAME'],
            all.map((a) => [a.accountId, a.createdAt, a.name]),
          ),
        };
      }),
    );

  program
    .command('issue-key')
    .description('issue an API key and print the token to send as "Authorization: Bearer <token>"')
    .requiredOption('--account <accountId>', 'the account the key belongs to')
    .addOption(roleOption())
    .action((options: { account: string; role: (typeof API_KEY_ROLES)[number] }) =>
      withServices(async ({ accounts }) =>
        keyOutput(await accounts.issueKey(options.account, options.role)),
      ),
    );

  program
    .command('list-keys')
    .description("list an account's API keys (ids, roles, revocation; never secrets)")
    .requiredOption('--account <accountId>', 'the account')
    .action((options: { account: string }) =>
      withServices(async ({ accounts }) => {
        const keys: KeyView[] = await accounts.listKeys(options.account);
        return {
          json: keys,
          text: table(
            ['KEY', 'ROLE', 'CREATED', 'REVOKED'],
            keys.map((k) => [k.keyId, k.role, k.createdAt, k.revokedAt ?? '-']),
          ),
        };
      }),
    );

  program
    .command('rotate-key')
    .description(
      'issue a new key with the same account and role and revoke the old one, in one transaction',
    )
    .requiredOption('--key <keyId>', 'the key to replace')
    .action((options: { key: string }) =>
      withServices(async ({ accounts }) => keyOutput(await accounts.rotateKey(options.key))),
    );

  program
    .command('revoke-key')
    .description('revoke an API key (the gateway refuses it within AUTH_CACHE_TTL_MS)')
    .requiredOption('--key <keyId>', 'the key to revoke')
    .action((options: { key: string }) =>
      withServices(async ({ accounts }) => {
        const result = await accounts.revokeKey(options.key);
        return { json: result, text: `revoked key ${result.keyId}` };
      }),
    );

  program
    .command('create-user')
    .description('create a console user of an account')
    .requiredOption('--account <accountId>', 'the account the user belongs to')
    .requiredOption('--email <email>', 'sign-in email (stored lower-cased)')
    .addOption(roleOption())
    .addOption(passwordStdinOption())
    .action(
      (options: {
        account: string;
        email: string;
        role: (typeof API_KEY_ROLES)[number];
        passwordStdin?: boolean;
      }) =>
        withServices(async ({ users }) => {
          const { password, shown } = await choosePassword(options.passwordStdin === true);
          const user = await users.createUser(
            options.account,
            options.email,
            options.role,
            password,
          );
          return {
            json: shown === undefined ? user : { ...user, password: shown },
            text: [`created ${userLine(user)}`, ...passwordLines(shown)].join('\n'),
          };
        }),
    );

  program
    .command('list-users')
    .description('list console users, of one account or of all')
    .option('--account <accountId>', 'only this account')
    .action((options: { account?: string }) =>
      withServices(async ({ users }) => {
        const all = await users.listUsers(options.account);
        return {
          json: all,
          text: table(
            ['USER', 'ACCOUNT', 'ROLE', 'DISABLED', 'EMAIL'],
            all.map((u) => [u.userId, u.accountId, u.role, u.disabled ? 'yes' : 'no', u.email]),
          ),
        };
      }),
    );

  program
    .command('disable-user')
    .description('disable a console user (their sessions end)')
    .requiredOption('--user <userId>', 'the user')
    .action((options: { user: string }) =>
      withServices(async ({ users }) => {
        const result = await users.disableUser(options.user);
        return { json: result, text: `disabled user ${result.userId}` };
      }),
    );

  program
    .command('reset-password')
    .description("set a console user's password (their sessions end)")
    .requiredOption('--user <userId>', 'the user')
    .addOption(passwordStdinOption())
    .action((options: { user: string; passwordStdin?: boolean }) =>
      withServices(async ({ users }) => {
        const { password, shown } = await choosePassword(options.passwordStdin === true);
        const result = await users.resetPassword(options.user, password);
        return {
          json: shown === undefined ? result : { ...result, password: shown },
          text: [`reset the password of user ${result.userId}`, ...passwordLines(shown)].join('\n'),
        };
      }),
    );

  return program;
}

/** PostgreSQL problems a newcomer hits first, with what to do about them. */
function databaseHint(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (code === 'ECONNREFUSED') {
    return 'cannot reach PostgreSQL: is it running? DATABASE_URL chooses the server';
  }
  if (code === '42P01') {
    return 'the gateway schema has no tables yet: run `npm start` or `npm run migrate` once';
  }
  return undefined;
}

function fail(code: string, message: string, exitCode: number): void {
  process.stderr.write(
    json ? `${JSON.stringify({ error: code, message })}\n` : `error: ${message}\n`,
  );
  process.exitCode = exitCode;
}

async function main(): Promise<void> {
  const program = buildProgram();
  const args = process.argv.slice(2);
  if (args.every((arg) => arg === '--json')) {
    fail('INVALID_ARGUMENT', `no command given\n${program.helpInformation()}`, EXIT_USAGE);
    return;
  }
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with 0; every other parser error was already printed.
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
    } else if (error instanceof DomainError) fail(error.code, error.message, EXIT_FAILED);
    else if (error instanceof ConfigError) fail('INVALID_CONFIG', error.message, EXIT_CONFIG);
    else {
      const message = error instanceof Error ? error.message : String(error);
      const hint = databaseHint(error);
      fail('INTERNAL', hint ? `${hint} (${message})` : message, EXIT_FAILED);
    }
  }
}

void main();
