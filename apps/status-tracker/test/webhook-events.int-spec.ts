import { GRPC_SERVICES, type webhookV1 } from '@sms/contracts';
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
  verifySignature,
  waitFor,
  type ServiceProcess,
  type TestSchema,
} from '@sms/testing';
import { accepted, delivered, minutesAgo, sendFailed, submitted } from './message-events';
import { startStatusTestApp, type StatusTestApp } from './status-test-app';

const MESSAGES = 40;

describe('status changes reach customers’ webhooks through the outbox', () => {
  let dispatcherSchema: TestSchema;
  let dispatcherEnv: Record<string, string>;
  let dispatcher: ServiceProcess | undefined;
  let webhooks: GrpcClient<webhookV1.WebhookServiceClient>;
  let status: StatusTestApp;
  let receiver: TestReceiver;
  let secret: string;
  const redis = createRedis({ url: testInfrastructure().redisUrl, name: 'status-webhook-test' });
  const account = `acct-wh-${Date.now().toString(36)}`;

  const startDispatcher = async () => {
    const running = startServiceProcess('apps/webhook-dispatcher/src/main.ts', dispatcherEnv);
    dispatcher = running;
    await waitFor(() => /webhook-dispatcher ready/.test(running.output()), {
      timeoutMs: 60_000,
      description: 'the dispatcher to start',
    });
  };

  const outboxRows = async () =>
    Number(
      (await status.sql.query<{ n: string }>('select count(*) as n from webhook_outbox')).rows[0]
        ?.n,
    );

  beforeAll(async () => {
    receiver = await new TestReceiver().start();
    dispatcherSchema = await createTestSchema('status-webhooks');
    dispatcherEnv = {
      DATABASE_URL: dispatcherSchema.databaseUrl,
      DATABASE_SCHEMA: dispatcherSchema.schema,
      REDIS_URL: testInfrastructure().redisUrl,
      REDIS_PREFIX: createTestRedisPrefix('status-webhooks').replace(/[{}]/g, ''),
      GRPC_PORT: String(await freePort()),
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
    };
    const migrate = startServiceProcess('apps/webhook-dispatcher/src/migrate.ts', dispatcherEnv);
    expect((await migrate.exited).code).toBe(0);
    await startDispatcher();
    webhooks = createGrpcClient<webhookV1.WebhookServiceClient>(GRPC_SERVICES.webhook, {
      target: `127.0.0.1:${dispatcherEnv['GRPC_PORT']}`,
      deadlineMs: 10_000,
      callerToken: DEVELOPMENT_GRPC_TOKENS.gateway,
    });
    status = await startStatusTestApp('status-webhooks', {
      WEBHOOK_GRPC_TARGET: `127.0.0.1:${dispatcherEnv['GRPC_PORT']}`,
      WEBHOOK_RELAY_INTERVAL_MS: '200',
      // Small batches: an ingest leaves a backlog, worked off by parallel relay rounds.
      WEBHOOK_RELAY_BATCH: '4',
    });
    const created = await webhooks.createEndpoint({
      accountId: account,
      url: receiver.url('/status'),
      eventTypes: ['message.status'],
    });
    secret = created.secret;
  }, 120_000);

  afterAll(async () => {
    webhooks?.close();
    await status?.close();
    await dispatcher?.stop('SIGKILL');
    await receiver?.close();
    await deleteKeysWithPrefix(redis, `{${dispatcherEnv['REDIS_PREFIX']}:`);
    redis.disconnect();
    await dispatcherSchema?.drop();
  });

  it('delivers every status change exactly once per event id, signed and numbered', async () => {
    const ids = Array.from(
      { length: MESSAGES },
      (_, n) => `wh-msg-${n}-${Date.now().toString(36)}`,
    );
    const at = minutesAgo(10);
    await status.client.recordEvents({
      events: ids.flatMap((id) => [accepted(id, at, { accountId: account }), submitted(id, at)]),
    });
    // Another account without an endpoint: its changes go nowhere.
    await status.client.recordEvents({
      events: [accepted(`other-${ids[0]}`, at, { accountId: 'acct-other' })],
    });
    const outcomes = ids.map((id, n) => (n % 2 ? delivered(id, at) : sendFailed(id, at)));
    await status.client.recordEvents({ events: outcomes });
    // The same receipts again are duplicates: no new status change, no new event.
    await status.client.recordEvents({ events: outcomes });

    await waitFor(() => receiver.at('/status').length >= MESSAGES * 3, {
      timeoutMs: 60_000,
      description: 'three events per message',
    });
    await waitFor(async () => (await outboxRows()) === 0, { description: 'the outbox emptied' });
    const requests = receiver.at('/status');
    expect(requests).toHaveLength(MESSAGES * 3);
    expect(new Set(requests.map((request) => request.id)).size).toBe(MESSAGES * 3);
    expect(requests.every((request) => verifySignature(secret, request))).toBe(true);
    const bodies = requests.map(
      (request) =>
        JSON.parse(request.body) as {
          type: string;
          data: {
            messageId: string;
            status: string;
            previousStatus: string | null;
            sequence: number;
            reasonCode: string | null;
            reasonText: string | null;
            sendFailureCode: number | null;
          };
        },
    );
    expect(bodies.every((body) => body.type === 'message.status')).toBe(true);
    ids.forEach((id, n) => {
      const changes = bodies
        .filter((body) => body.data.messageId === id)
        .sort((a, b) => a.data.sequence - b.data.sequence);
      expect(changes.map((body) => [body.data.sequence, body.data.status])).toEqual([
        [1, 'sending'],
        [2, 'wait_result'],
        [3, n % 2 ? 'delivered' : 'send_failed'],
      ]);
      expect(changes.map((body) => body.data.previousStatus)).toEqual([
        null,
        'sending',
        'wait_result',
      ]);
      if (n % 2 === 0) {
        expect(changes[2]?.data).toMatchObject({
          reasonCode: 'empty',
          reasonText: 'number does not exist',
          sendFailureCode: 500,
        });
      }
    });
    // The gateway's `Message` resource, word for word, plus the event's own three fields.
    expect(Object.keys(bodies[0]?.data ?? {}).sort()).toEqual(
      [
        'messageId',
        'accountId',
        'smsUser',
        'recipient',
        'entries',
        'templateId',
        'templateType',
        'labels',
        'channel',
        'operator',
        'status',
        'reasonCode',
        'reasonText',
        'sendFailureCode',
        'reasonDetail',
        'requestTime',
        'channelSendTime',
        'receiptTime',
        'updateTime',
        'previousStatus',
        'sequence',
        'occurredAt',
      ].sort(),
    );
  }, 90_000);

  it('keeps status changes in the outbox while the dispatcher is down and delivers them after', async () => {
    await dispatcher?.stop('SIGKILL');
    const before = receiver.at('/status').length;
    const id = `wh-outage-${Date.now().toString(36)}`;
    await status.client.recordEvents({
      events: [accepted(id, minutesAgo(5), { accountId: account })],
    });
    await waitFor(async () => (await outboxRows()) === 1, { description: 'the row kept' });
    await startDispatcher();
    const request = await waitFor(
      () =>
        receiver
          .at('/status')
          .slice(before)
          .find((r) => r.body.includes(id)),
      { timeoutMs: 30_000, description: 'the event after the restart' },
    );
    expect(verifySignature(secret, request)).toBe(true);
    await waitFor(async () => (await outboxRows()) === 0, { description: 'the outbox emptied' });
  }, 120_000);

  it('lists events the dispatcher refused for good among the operators’ dead letters', async () => {
    await status.sql.query(
      `insert into webhook_outbox (event_id, type, account_id, occurred_at, data)
       values ('bad-status-event', 'message.no_such_event', $1, now(), '{}')`,
      [account],
    );
    const listed = await waitFor(
      async () =>
        (
          await status.client.listDeadLetters({
            pageSize: 0,
            pageToken: '',
            kind: 'webhook_event',
          })
        ).deadLetters.find((letter) => letter.key === 'bad-status-event'),
      { timeoutMs: 15_000, description: 'the refused event in the dead-letter list' },
    );
    expect(listed).toMatchObject({
      kind: 'webhook_event',
      accountId: account,
      eventType: 'message.no_such_event',
      error: expect.stringMatching(/type/),
    });
    // The send-failure list is another list.
    const failures = await status.client.listDeadLetters({ pageSize: 0, pageToken: '', kind: '' });
    expect(failures.deadLetters.some((letter) => letter.key === 'bad-status-event')).toBe(false);
  }, 30_000);
});
