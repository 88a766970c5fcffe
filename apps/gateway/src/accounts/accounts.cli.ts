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

const USAGE = `usage:
  npm run -s accounts -- create-account --name <name>
  npm run -s accounts -- issue-key --account <accountId> [--role customer|operator]
  npm run -s accounts -- revoke-key --key <keyId>`;

class UsageError extends Error {}

/** Runs one command; the result is the one JSON line the command prints. */
async function run(argv: string[], service: AccountsService): Promise<unknown> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      account: { type: 'string' },
      role: { type: 'string', default: 'customer' },
      key: { type: 'string' },
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
    const result = await run(argv, new AccountsService(new AccountsRepository(orm)));
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
