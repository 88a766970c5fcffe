import { runMigrations } from '@sms/platform-database';
import { createTestSchema, type TestSchema } from '@sms/testing';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { ormSettings } from '../src/database';

// The accounts CLI as the simulator and operators use it: a real process; `--json` gives one JSON
// line out (scripts), without it plain text for people.

const ROOT = resolve(__dirname, '../../..');

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('accounts CLI (a real process, real PostgreSQL)', () => {
  let schema: TestSchema;
  let env: Record<string, string>;

  /** With --json, as scripts call it. */
  const cli = (...args: string[]): Promise<CliResult> => run(undefined, ['--json', ...args]);
  const cliWithInput = (input: string | undefined, ...args: string[]): Promise<CliResult> =>
    run(input, ['--json', ...args]);
  /** As a person types it: plain text. */
  const plain = (...args: string[]): Promise<CliResult> => run(undefined, args);

  const run = (input: string | undefined, args: string[]): Promise<CliResult> =>
    new Promise((done) => {
      const child = execFile(
        process.execPath,
        [
          '-r',
          './tools/runtime/register.cjs',
          'apps/gateway/src/accounts/accounts.cli.ts',
          ...args,
        ],
        { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...env } },
        (error, stdout, stderr) =>
          done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin?.end(input ?? '');
    });

  const rows = async (sql: string): Promise<Record<string, unknown>[]> => {
    const client = new Client({ connectionString: schema.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql.replaceAll('$schema', `"${schema.schema}"`))).rows as Record<
        string,
        unknown
      >[];
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    schema = await createTestSchema('gateway-cli');
    env = { DATABASE_URL: schema.databaseUrl, DATABASE_SCHEMA: schema.schema };
    await runMigrations(
      ormSettings({ DATABASE_URL: schema.databaseUrl, DATABASE_SCHEMA: schema.schema }),
    );
  });

  afterAll(() => schema?.drop());

  it('creates an account, issues customer and operator keys and revokes one, one JSON line each', async () => {
    const created = await cli('create-account', '--name', 'Acme Ltd');
    expect(created.code).toBe(0);
    expect(created.stdout.trim().split('\n')).toHaveLength(1);
    const account = JSON.parse(created.stdout) as { accountId: string; name: string };
    expect(account).toEqual({
      accountId: expect.stringMatching(/^acc_[0-9a-f]{24}$/),
      name: 'Acme Ltd',
    });

    const customer = await cli('issue-key', '--account', account.accountId);
    const key = JSON.parse(customer.stdout) as { keyId: string; token: string };
    expect(key).toEqual({
      keyId: expect.stringMatching(/^key_[0-9a-f]{24}$/),
      token: expect.stringMatching(/^key_[0-9a-f]{24}\.[A-Za-z0-9_-]{43}$/),
      accountId: account.accountId,
      role: 'customer',
    });
    expect(key.token.startsWith(`${key.keyId}.`)).toBe(true);
    const secret = key.token.slice(key.keyId.length + 1);
    const operator = JSON.parse(
      (await cli('issue-key', '--account', account.accountId, '--role', 'operator')).stdout,
    ) as { role: string };
    expect(operator.role).toBe('operator');

    // Only a salted hash is stored.
    const stored = await rows(
      `select id, role, secret_hash, secret_salt, revoked_at from $schema.api_key where id = '${key.keyId}'`,
    );
    expect(stored).toEqual([expect.objectContaining({ role: 'customer', revoked_at: null })]);
    expect(JSON.stringify(stored)).not.toContain(secret);

    const revoked = await cli('revoke-key', '--key', key.keyId);
    expect(JSON.parse(revoked.stdout)).toEqual({ keyId: key.keyId, revoked: true });
    expect(
      (await rows(`select revoked_at from $schema.api_key where id = '${key.keyId}'`))[0]?.[
        'revoked_at'
      ],
    ).toBeInstanceOf(Date);
  }, 120_000); // four CLI processes: a cold node start each is slow on a busy machine

  it.each([
    [
      ['issue-key', '--account', 'acc_000000000000000000000000'],
      1,
      'NOT_FOUND',
      /account acc_0+ does not exist/,
    ],
    [['revoke-key', '--key', 'key_nope'], 1, 'NOT_FOUND', /API key key_nope does not exist/],
    [
      ['issue-key', '--account', 'x', '--role', 'admin'],
      2,
      'INVALID_ARGUMENT',
      /argument 'admin' is invalid\. Allowed choices are customer, operator/,
    ],
    [['create-account'], 2, 'INVALID_ARGUMENT', /required option '--name <name>' not specified/],
    [['create-account', '--name', '  '], 1, 'INVALID_ARGUMENT', /name must be 1..200 characters/],
    [
      ['create-account', '--name', 'x', '--nmae', 'y'],
      2,
      'INVALID_ARGUMENT',
      /unknown option '--nmae'/,
    ],
    [['drop-everything'], 2, 'INVALID_ARGUMENT', /unknown command 'drop-everything'/],
    [[], 2, 'INVALID_ARGUMENT', /no command given/],
    [['list-keys'], 2, 'INVALID_ARGUMENT', /required option '--account <accountId>'/],
    [
      ['list-keys', '--account', 'acc_000000000000000000000000'],
      1,
      'NOT_FOUND',
      /account acc_0+ does not exist/,
    ],
    [['rotate-key'], 2, 'INVALID_ARGUMENT', /required option '--key <keyId>'/],
    [['rotate-key', '--key', 'key_nope'], 1, 'NOT_FOUND', /API key key_nope does not exist/],
  ])(
    'refuses %p with exit code %i and a JSON error, storing nothing',
    async (args, code, error, message) => {
      const before = await rows(
        'select (select count(*) from $schema.account) as accounts, (select count(*) from $schema.api_key) as keys',
      );
      const result = await cli(...args);
      expect(result.code).toBe(code);
      expect(result.stdout).toBe('');
      expect(JSON.parse(result.stderr.trim().split('\n')[0] ?? '')).toEqual({
        error,
        message: expect.stringMatching(message),
      });
      expect(
        await rows(
          'select (select count(*) from $schema.account) as accounts, (select count(*) from $schema.api_key) as keys',
        ),
      ).toEqual(before);
    },
  );

  it('creates, lists, disables console users and resets a password; only a scrypt hash is stored', async () => {
    const account = JSON.parse((await cli('create-account', '--name', 'Users Ltd')).stdout) as {
      accountId: string;
    };
    const created = await cliWithInput(
      'a long enough password\n',
      'create-user',
      '--account',
      account.accountId,
      '--email',
      ' Ann@Example.COM ',
      '--password-stdin',
    );
    expect(created.code).toBe(0);
    const user = JSON.parse(created.stdout) as { userId: string };
    expect(user).toEqual({
      userId: expect.stringMatching(/^usr_[0-9a-f]{24}$/),
      accountId: account.accountId,
      email: 'ann@example.com',
      role: 'customer',
      createdAt: expect.any(String),
      disabled: false,
    });
    const generated = JSON.parse(
      (
        await cli(
          'create-user',
          '--account',
          account.accountId,
          '--email',
          'ops@example.com',
          '--role',
          'operator',
        )
      ).stdout,
    ) as { password: string; role: string };
    expect(generated.role).toBe('operator');
    expect(generated.password).toMatch(/^[A-Za-z0-9_-]{24}$/);

    const stored = await rows(`select password_hash from $schema.console_user order by email`);
    expect(stored.map((row) => String(row['password_hash']))).toEqual([
      expect.stringMatching(/^scrypt\$32768\$8\$1\$/),
      expect.stringMatching(/^scrypt\$32768\$8\$1\$/),
    ]);
    expect(JSON.stringify(stored)).not.toContain('a long enough password');

    const listed = JSON.parse((await cli('list-users', '--account', account.accountId)).stdout) as {
      email: string;
    }[];
    expect(listed.map((row) => row.email)).toEqual(['ann@example.com', 'ops@example.com']);

    const before = await rows(
      `select password_hash, credentials_version from $schema.console_user where id = '${user.userId}'`,
    );
    const reset = await cliWithInput(
      'another long password\n',
      'reset-password',
      '--user',
      user.userId,
      '--password-stdin',
    );
    expect(JSON.parse(reset.stdout)).toEqual({ userId: user.userId, reset: true });
    const after = await rows(
      `select password_hash, credentials_version from $schema.console_user where id = '${user.userId}'`,
    );
    expect(after[0]?.['password_hash']).not.toBe(before[0]?.['password_hash']);
    expect(after[0]?.['credentials_version']).toBe(Number(before[0]?.['credentials_version']) + 1);

    expect(JSON.parse((await cli('disable-user', '--user', user.userId)).stdout)).toEqual({
      userId: user.userId,
      disabled: true,
    });
    const disabled = JSON.parse(
      (await cli('list-users', '--account', account.accountId)).stdout,
    ) as {
      disabled: boolean;
    }[];
    expect(disabled.map((row) => row.disabled)).toEqual([true, false]);
  }, 120_000); // nine CLI processes, each a cold node start

  it.each([
    [
      ['create-user', '--account', 'x'],
      undefined,
      2,
      'INVALID_ARGUMENT',
      /required option '--email <email>' not specified/,
    ],
    [
      [
        'create-user',
        '--account',
        'acc_000000000000000000000000',
        '--email',
        'a@b.co',
        '--password-stdin',
      ],
      'short pass\n',
      1,
      'INVALID_ARGUMENT',
      /at least 12 characters/,
    ],
    [
      ['create-user', '--account', 'acc_000000000000000000000000', '--email', 'not-an-email'],
      undefined,
      1,
      'INVALID_ARGUMENT',
      /is not an email address/,
    ],
    [
      ['create-user', '--account', 'acc_000000000000000000000000', '--email', 'a@b.co'],
      undefined,
      1,
      'NOT_FOUND',
      /account acc_0+ does not exist/,
    ],
    [
      ['disable-user', '--user', 'usr_nope'],
      undefined,
      1,
      'NOT_FOUND',
      /user usr_nope does not exist/,
    ],
    [
      ['reset-password', '--user', 'usr_nope'],
      undefined,
      1,
      'NOT_FOUND',
      /user usr_nope does not exist/,
    ],
  ])('refuses user command %p, storing nothing', async (args, input, code, error, message) => {
    const count =
      "select count(*)::int as users, coalesce(string_agg(password_hash, ','), '') as hashes from $schema.console_user";
    const before = await rows(count);
    const result = await cliWithInput(input, ...args);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    expect(JSON.parse(result.stderr.trim().split('\n')[0] ?? '')).toEqual({
      error,
      message: expect.stringMatching(message),
    });
    expect(await rows(count)).toEqual(before);
  });

  it('lists accounts and keys, and rotates a key: new key of the same role, old one revoked', async () => {
    const account = JSON.parse((await cli('create-account', '--name', 'Rotate Ltd')).stdout) as {
      accountId: string;
    };
    const listed = JSON.parse((await cli('list-accounts')).stdout) as { accountId: string }[];
    expect(listed).toContainEqual({
      accountId: account.accountId,
      name: 'Rotate Ltd',
      createdAt: expect.any(String),
    });

    const old = JSON.parse(
      (await cli('issue-key', '--account', account.accountId, '--role', 'operator')).stdout,
    ) as { keyId: string };
    const rotated = await cli('rotate-key', '--key', old.keyId);
    expect(rotated.code).toBe(0);
    const fresh = JSON.parse(rotated.stdout) as { keyId: string; token: string };
    expect(fresh).toEqual({
      keyId: expect.stringMatching(/^key_[0-9a-f]{24}$/),
      token: expect.stringMatching(/^key_[0-9a-f]{24}\.[A-Za-z0-9_-]{43}$/),
      accountId: account.accountId,
      role: 'operator',
      revokedKeyId: old.keyId,
    });
    expect(fresh.keyId).not.toBe(old.keyId);

    const keys = JSON.parse((await cli('list-keys', '--account', account.accountId)).stdout) as {
      keyId: string;
      revokedAt: string | null;
    }[];
    expect(keys).toEqual([
      {
        keyId: old.keyId,
        accountId: account.accountId,
        role: 'operator',
        createdAt: expect.any(String),
        revokedAt: expect.any(String),
      },
      {
        keyId: fresh.keyId,
        accountId: account.accountId,
        role: 'operator',
        createdAt: expect.any(String),
        revokedAt: null,
      },
    ]);
    expect(JSON.stringify(keys)).not.toContain(fresh.token.slice(fresh.keyId.length + 1));

    // A revoked key cannot be rotated again: nothing is issued.
    const again = await cli('rotate-key', '--key', old.keyId);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stderr)).toEqual({
      error: 'FAILED_PRECONDITION',
      message: `API key ${old.keyId} is already revoked`,
    });
    expect(
      await rows(
        `select count(*)::int as n from $schema.api_key where account_id = '${account.accountId}'`,
      ),
    ).toEqual([{ n: 2 }]);
  }, 120_000); // six CLI processes, each a cold node start

  it('refuses a duplicate account name (ignoring case and spaces), storing nothing', async () => {
    const first = JSON.parse((await cli('create-account', '--name', 'Twice Ltd')).stdout) as {
      accountId: string;
    };
    const count = 'select count(*)::int as n from $schema.account';
    const before = await rows(count);
    const second = await cli('create-account', '--name', '  twice LTD ');
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(JSON.parse(second.stderr)).toEqual({
      error: 'ALREADY_EXISTS',
      message: `an account named "twice LTD" already exists (${first.accountId})`,
    });
    expect(await rows(count)).toEqual(before);
  }, 60_000);

  it('speaks plain text to people: help, the key as one token, errors', async () => {
    const help = await plain('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run -s accounts -- \[options\] \[command\]/);
    for (const command of [
      'create-account',
      'list-accounts',
      'issue-key',
      'list-keys',
      'rotate-key',
      'revoke-key',
      'create-user',
      'list-users',
      'disable-user',
      'reset-password',
    ]) {
      expect(help.stdout).toContain(`  ${command}`);
    }
    const commandHelp = await plain('rotate-key', '--help');
    expect(commandHelp.code).toBe(0);
    expect(commandHelp.stdout).toContain('Usage: npm run -s accounts -- rotate-key [options]');
    expect(commandHelp.stdout).toContain('--key <keyId>');

    const created = await plain('create-account', '--name', 'Plain Ltd');
    expect(created.code).toBe(0);
    const accountId = /created account (acc_[0-9a-f]{24}) "Plain Ltd"/.exec(created.stdout)?.[1];
    expect(accountId).toBeDefined();
    const issued = await plain('issue-key', '--account', accountId!);
    expect(issued.code).toBe(0);
    expect(issued.stdout).toMatch(
      /^key id: +(key_[0-9a-f]{24}) \(customer key of account acc_[0-9a-f]{24}\)\ntoken: +\1\.[A-Za-z0-9_-]{43}\n/,
    );
    expect(issued.stdout).toMatch(/Authorization: Bearer key_[0-9a-f]{24}\.[A-Za-z0-9_-]{43}\n$/);

    const unknown = await plain('list-users', '--acount', accountId!);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^error: unknown option '--acount'\n\(Did you mean --account\?\)/,
    );
    const missing = await plain('revoke-key', '--key', 'key_nope');
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: API key key_nope does not exist\n',
    });
  }, 120_000);

  it('refuses a broken DATABASE_URL naming the variable', async () => {
    const saved = env;
    env = { ...env, DATABASE_URL: 'nope' };
    try {
      const result = await cli('create-account', '--name', 'x');
      expect(result.code).toBe(78);
      expect(result.stderr).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
    } finally {
      env = saved;
    }
  });
});
