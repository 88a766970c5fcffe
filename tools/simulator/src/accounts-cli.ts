// Accounts and API keys come from the gateway's own CLI (`npm run accounts`), exactly as an
// operator would create them; the simulator never writes the gateway's tables itself.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const WORKSPACE_ROOT = resolve(__dirname, '../../..');

export interface CreatedAccount {
  readonly accountId: string;
  readonly name: string;
}

export interface IssuedKey {
  readonly keyId: string;
  /** `<keyId>.<secret>`: what goes after `Authorization: Bearer`. */
  readonly token: string;
  readonly accountId: string;
  readonly role: 'customer' | 'operator';
}

export class AccountsCli {
  /** @param env the gateway's database settings (DATABASE_URL, DATABASE_SCHEMA) and PATH. */
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  createAccount(name: string): Promise<CreatedAccount> {
    return this.run<CreatedAccount>(['create-account', '--name', name]);
  }

  issueKey(accountId: string, role: IssuedKey['role'] = 'customer'): Promise<IssuedKey> {
    return this.run<IssuedKey>(['issue-key', '--account', accountId, '--role', role]);
  }

  /** Runs one command with --json; its result is the last JSON line it printed. */
  private run<T>(args: string[]): Promise<T> {
    return new Promise((resolvePromise, reject) => {
      const child = spawn('npm', ['run', '-s', 'accounts', '--', '--json', ...args], {
        cwd: WORKSPACE_ROOT,
        env: this.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) => {
        const line = stdout.trim().split('\n').pop() ?? '';
        if (code !== 0) {
          reject(
            new Error(
              `accounts ${args[0]} failed (exit ${code}): ${stderr.trim() || stdout.trim()}`,
            ),
          );
          return;
        }
        try {
          resolvePromise(JSON.parse(line) as T);
        } catch {
          reject(new Error(`accounts ${args[0]} printed no JSON line: ${stdout.trim()}`));
        }
      });
    });
  }
}
