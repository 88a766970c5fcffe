import { GRPC_SERVICES, toTimestamp, type webhookV1 } from '@sms/contracts';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { createGrpcClient, type GrpcClient } from '@sms/platform-grpc';
import { createRedis } from '@sms/platform-redis';
import {
  createTestRedisPrefix,
  createTestSchema,
  deleteKeysWithPrefix,
  freePort,
  startServiceProcess,
  testInfrastructure,
  TestReceiver,
  waitFor,
  type ServiceProcess,
  type TestSchema,
} from '@sms/testing';
import { Client } from 'pg';

const EVENTS = 300;

describe('webhook-dispatcher killed with SIGKILL mid-run', () => {
  let schema: TestSchema;
  let redisBase: string;
  let receiver: TestReceiver;
  let env: Record<string, string>;
  let running: ServiceProcess | undefined;
  const redis = createRedis({ url: testInfrastructure().redisUrl, name: 'webhook-crash-test' });
  const clients: GrpcClient<webhookV1.WebhookServiceClient>[] = [];

  const client = (caller: 'gateway' | 'status-tracker') => {
    const created = createGrpcClient<webhookV1.WebhookServiceClient>(GRPC_SERVICES.webhook, {
      target: `127.0.0.1:${env['GRPC_PORT']}`,
      deadlineMs: 10_000,
      callerToken: DEVELOPMENT_GRPC_TOKENS[caller],
    });
    clients.push(created);
    return created;
  };

  const start = async () => {
    running = startServiceProcess('apps/webhook-dispatcher/src/main.ts', env);
    const process = running;
    await waitFor(() => /webhook-dispatcher ready/.test(process.output()), {
      timeoutMs: 60_000,
      description: 'the dispatcher to start',
    });
  };

  beforeAll(async () => {
    schema = await createTestSchema('webhook-crash');
    redisBase = createTestRedisPrefix('webhook-crash').replace(/[{}]/g, '');
    receiver = await new TestReceiver().start();
    // Slow enough that the kill lands while deliveries are in flight and queued.
    receiver.on(
      '/crash',
      () => new Promise<number>((resolve) => setTimeout(() => resolve(200), 15)),
    );
    env = {
      DATABASE_URL: schema.databaseUrl,
      DATABASE_SCHEMA: schema.schema,
      REDIS_URL: testInfrastructure().redisUrl,
      REDIS_PREFIX: redisBase,
      GRPC_PORT: String(await freePort()),
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
      WEBHOOK_RETRY_DELAYS_MS: '200,200,200,200,200',
      WEBHOOK_POLL_INTERVAL_MS: '100',
    };
    const migrate = startServiceProcess('apps/webhook-dispatcher/src/migrate.ts', env);
    expect((await migrate.exited).code).toBe(0);
  });

  afterAll(async () => {
    for (const created of clients) created.close();
    await running?.stop('SIGKILL');
    await receiver?.close();
    await deleteKeysWithPrefix(redis, `{${redisBase}:`);
    redis.disconnect();
    await schema?.drop();
  });

  it('loses no event: every one arrives after the restart, under its own webhook-id', async () => {
    await start();
    const gateway = client('gateway');
    const outbox = client('status-tracker');
    const account = `acct-crash-${Date.now().toString(36)}`;
    await gateway.createEndpoint({
      accountId: account,
      url: receiver.url('/crash'),
      eventTypes: ['message.status'],
    });
    const ids = Array.from({ length: EVENTS }, (_, n) => `evt_crash_${n}`);
    for (let offset = 0; offset < EVENTS; offset += 100) {
      const response = await outbox.publishEvents({
        events: ids.slice(offset, offset + 100).map((eventId) => ({
          eventId,
          type: 'message.status',
          accountId: account,
          occurredAt: toTimestamp(new Date()),
          dataJson: JSON.stringify({ messageId: eventId, status: 'delivered' }),
        })),
      });
      expect(response.deliveries).toBe(100);
    }
    await waitFor(() => receiver.at('/crash').length >= 20, {
      description: 'deliveries under way',
    });
    await running?.stop('SIGKILL');
    const beforeRestart = new Set(receiver.at('/crash').map((request) => request.id)).size;
    expect(beforeRestart).toBeLessThan(EVENTS);

    await start();
    // Deliveries in flight at the kill come back once their lease (10 s) runs out.
    await waitFor(
      () => new Set(receiver.at('/crash').map((request) => request.id)).size === EVENTS,
      { timeoutMs: 110_000, intervalMs: 200, description: 'every event after the restart' },
    );
    const received = receiver.at('/crash').map((request) => request.id);
    expect(new Set(received)).toEqual(new Set(ids));
    const db = new Client({ connectionString: schema.databaseUrl });
    await db.connect();
    try {
      await waitFor(
        async () => {
          const rows = await db.query<{ status: string; count: string }>(
            `select status, count(*) as count from "${schema.schema}".webhook_delivery group by status`,
          );
          return rows.rows.length === 1 && rows.rows[0]?.status === 'DELIVERED' ? rows.rows : null;
        },
        { timeoutMs: 10_000, description: 'every delivery DELIVERED' },
      );
    } finally {
      await db.end();
    }
    // Re-deliveries after a crash are the same event (same id); report how many there were.
    process.stdout.write(
      `crash test: ${beforeRestart} distinct events before the kill, ${received.length - EVENTS} re-delivered after it\n`,
    );
  }, 200_000);
});
