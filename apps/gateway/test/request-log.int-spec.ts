import { freePort, startWorkspaceService, type WorkspaceService } from '@sms/testing';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

// The gateway process as deployed, its log read line by line: every request logged with its
// status, duration and route template; no phone number in any form of the URL, the body or an
// error survives into a line.

const ROOT = resolve(__dirname, '../../..');
const PHONE_DIGITS = ['8613981774793', '447911123456', '14155550123'];

interface RequestLine {
  msg: string;
  route?: string;
  responseTime?: number;
  req?: { method: string; url: string };
  res?: { statusCode: number | null };
}

describe('gateway request log (a real process)', () => {
  let gateway: WorkspaceService;

  const cli = (...args: string[]): Promise<Record<string, string>> =>
    new Promise((done, fail) => {
      execFile(
        process.execPath,
        [
          '-r',
          './tools/runtime/register.cjs',
          'apps/gateway/src/accounts/accounts.cli.ts',
          '--json',
          ...args,
        ],
        { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...gateway.env } },
        (error, stdout, stderr) =>
          error ? fail(new Error(stderr)) : done(JSON.parse(stdout) as Record<string, string>),
      );
    });

  beforeAll(async () => {
    // No back end runs: calls that reach one fail, which is logged too.
    const nowhere = `127.0.0.1:${await freePort()}`;
    gateway = await startWorkspaceService({
      app: 'gateway',
      label: 'gateway-log',
      env: {
        LOG_LEVEL: 'info',
        STATUS_GRPC_TARGET: nowhere,
        INTERCEPTION_GRPC_TARGET: nowhere,
        REPLY_GRPC_TARGET: nowhere,
        GRPC_DEADLINE_MS: '300',
      },
    });
  }, 90_000);

  afterAll(async () => {
    await gateway?.stop('SIGKILL');
  });

  it('logs status, duration and route template, and no phone number in any form', async () => {
    const account = await cli('create-account', '--name', 'log-test');
    const key = await cli('issue-key', '--account', account['accountId']);
    const authorization = `Bearer ${key['token']}`;
    const base = `http://127.0.0.1:${gateway.httpPort}`;
    const get = (path: string) => fetch(`${base}${path}`, { headers: { authorization } });

    expect((await get('/v1/messages?phone=%2B86%20139%208177%204793')).status).toBeGreaterThan(0);
    await get('/v1/messages?recipient=+86+139+8177+4793');
    await get('/v1/block-list/check?phone=%2B447911123456');
    await get('/v1/unsubscribes/%2B1%20(415)%20555-0123');
    await fetch(`${base}/v1/block-list/check?phone=+1.415.555.0123`);
    await fetch(`${base}/v1/block-list`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '+44 7911 123456', reason: 'call 0086-139-8177-4793' }),
    });
    await gateway.process.stop('SIGTERM');

    const lines = gateway.output().split('\n').filter(Boolean);
    const requests = lines
      .map((line) => JSON.parse(line) as RequestLine)
      .filter((line) => line.req !== undefined);
    expect(requests.length).toBeGreaterThanOrEqual(6);
    for (const line of requests) {
      expect(line.res?.statusCode).toEqual(expect.any(Number));
      expect(line.responseTime).toEqual(expect.any(Number));
    }
    expect(requests.map((line) => line.route)).toEqual(
      expect.arrayContaining(['/v1/messages', '/v1/block-list/check', '/v1/block-list']),
    );
    expect(requests[0].req!.url).toBe('/v1/messages?phone=+*********4793');

    // Digits joined across any separator, so '+44 7911 123456' is found as '447911123456'.
    for (const line of lines) {
      const joined = line.replace(/(?<=\d)(?:[\s().+-]|%2[0B8-9DE])+(?=\d)/gi, '');
      for (const digits of PHONE_DIGITS) {
        expect({ line, leaked: joined.includes(digits.slice(-9)) }).toEqual({
          line,
          leaked: false,
        });
      }
    }
  });
});
