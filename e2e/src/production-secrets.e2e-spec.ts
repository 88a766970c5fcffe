// Every service, started as in production (NODE_ENV=production) with the development secrets
// still in place, refuses to start: exit code 78 and a message naming each variable.
import { startServiceProcess, testInfrastructure } from '@sms/testing';

const CALLER_TOKENS = [
  'GRPC_TOKEN_GATEWAY',
  'GRPC_TOKEN_STATUS_TRACKER',
  'GRPC_TOKEN_REPLY_SERVICE',
  'GRPC_TOKEN_INTERCEPTION_SERVICE',
  'GRPC_TOKEN_SENDER',
];
const SERVICES: readonly { app: string; secrets: readonly string[] }[] = [
  { app: 'status-tracker', secrets: ['PAGE_TOKEN_SECRET', ...CALLER_TOKENS] },
  { app: 'interception-service', secrets: ['PAGE_TOKEN_SECRET', ...CALLER_TOKENS] },
  { app: 'reply-service', secrets: ['PAGE_TOKEN_SECRET', ...CALLER_TOKENS] },
  {
    app: 'webhook-dispatcher',
    secrets: ['PAGE_TOKEN_SECRET', 'WEBHOOK_SECRET_KEY', ...CALLER_TOKENS],
  },
  { app: 'gateway', secrets: ['GRPC_TOKEN_GATEWAY'] },
];

describe('production start-up with development secrets', () => {
  it.each(SERVICES)('$app exits 78 naming each of its secrets', async ({ app, secrets }) => {
    const { databaseUrl, redisUrl } = testInfrastructure();
    const base = { NODE_ENV: 'production', DATABASE_URL: databaseUrl, REDIS_URL: redisUrl };

    const defaulted = startServiceProcess(`apps/${app}/src/main.ts`, base);
    expect(await defaulted.exited).toEqual({ code: 78, signal: null });
    for (const variable of secrets) {
      expect(defaulted.output()).toContain(
        `${variable}: must be set in production (the development default is refused)`,
      );
    }

    const short = startServiceProcess(`apps/${app}/src/main.ts`, {
      ...base,
      ...Object.fromEntries(secrets.map((variable) => [variable, 'sixteen-chars-long'])),
    });
    expect(await short.exited).toEqual({ code: 78, signal: null });
    for (const variable of secrets) {
      expect(short.output()).toContain(`${variable}: must be at least 32 characters in production`);
    }
  });
});
