import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/core';
import { DomainError } from '@sms/errors';
import { ConfigError, loadConfig } from '@sms/platform-config';
import { createOrmOptions } from '@sms/platform-database';
import { parseArgs } from 'node:util';
import { gatewayConfigSchema } from '../config';
import { ormSettings } from '../database';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { isApiKeyRole } from './api-key-secret';
import { newPassword } from '../users/password-hash';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';

const USAGE = `usage:
  npm run -s accounts -- create-account --name <name>
  npm run -s accounts -- issue-key --account <accountId> [--role customer|operator]
  npm run -s accounts -- revoke-key --key <keyId>
  npm run -s accounts -- create-user --account <accountId> --email <email> [--role customer|operator] [--password-stdin]
  npm run -s accounts -- list-users [--account <accountId>]
  npm run -s accounts -- disable-user --user <userId>
  npm run -s accounts -- reset-password --user <userId> [--password-stdin]
Without --password-stdin a random password is generated and printed once; with it the password
is the first line of standard input (at least 12 characters).`;

class UsageError extends Error {}

/** Runs one command; the result is the one JSON line the command prints. */
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

async function run(
  argv: string[],
  service: AccountsService,
  users: UsersService,
): Promise<unknown> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      account: { type: 'string' },
      role: { type: 'string', default: 'customer' },
      key: { type: 'string' },
      email: { type: 'string' },
      user: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
    strict: true,
  });
  switch (command) {
    case 'create-account':
      if (values.name === undefined) throw new UsageError('create-account needs --name');
      return service.createAccount(values.name);
    case 'issue-key': {
      if (values.account === undefined) throw new UsageError('issue-key needs --account');
      const role = values.role ?? 'customer';
      if (!isApiKeyRole(role)) throw new UsageError('--role must be customer or operator');
      return service.issueKey(values.account, role);
    }
    case 'revoke-key':
      if (values.key === undefined) throw new UsageError('revoke-key needs --key');
      return service.revokeKey(values.key);
    case 'create-user': {
      if (values.account === undefined || values.email === undefined) {
        throw new UsageError('create-user needs --account and --email');
      }
      const role = values.role ?? 'customer';
      if (!isApiKeyRole(role)) throw new UsageError('--role must be customer or operator');
      const { password, shown } = await choosePassword(values['password-stdin'] ?? false);
      const user = await users.createUser(values.account, values.email, role, password);
      return shown ? { ...user, password: shown } : user;
    }
    case 'list-users':
      return users.listUsers(values.account);
    case 'disable-user':
      if (values.user === undefined) throw new UsageError('disable-user needs --user');
      return users.disableUser(values.user);
    case 'reset-password': {
      if (values.user === undefined) throw new UsageError('reset-password needs --user');
      const { password, shown } = await choosePassword(values['password-stdin'] ?? false);
      const result = await users.resetPassword(values.user, password);
      return shown ? { ...result, password: shown } : result;
    }
    default:
      throw new UsageError(command ? `unknown command ${command}` : 'no command given');
  }
}

function fail(code: string, message: string, exitCode: number): void {
  process.stderr.write(`${JSON.stringify({ error: code, message })}\n`);
  process.exitCode = exitCode;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let orm: MikroORM | undefined;
  try {
    const config = loadConfig(
      'gateway accounts',
      gatewayConfigSchema.pick({ DATABASE_URL: true, DATABASE_SCHEMA: true }),
      process.env,
    );
    orm = await MikroORM.init(createOrmOptions(ormSettings(config)));
    const accounts = new AccountsRepository(orm);
    const result = await run(
      argv,
      new AccountsService(accounts),
      new UsersService(new UsersRepository(orm), accounts),
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } catch (error) {
    if (error instanceof UsageError) fail('INVALID_ARGUMENT', `${error.message}\n${USAGE}`, 2);
    else if (error instanceof DomainError) fail(error.code, error.message, 1);
    else if (error instanceof ConfigError) fail('INVALID_CONFIG', error.message, 78);
    else if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    )
      fail('INVALID_ARGUMENT', `${error.message}\n${USAGE}`, 2);
    else fail('INTERNAL', error instanceof Error ? error.message : String(error), 1);
  } finally {
    await orm?.close(true);
  }
}

void main();
