import { MikroORM } from '@mikro-orm/core';
import {
  GRPC_SERVICES,
  toTimestamp,
  type replyV1,
  type statusV1,
  type webhookV1,
} from '@sms/contracts';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { Sql } from '@sms/platform-database';
import { createGrpcClient, type GrpcClient } from '@sms/platform-grpc';
import { createRedis, hashTaggedPrefix } from '@sms/platform-redis';
import {
  createTestRedisPrefix,
  createTestSchema,
  deleteKeysWithPrefix,
  freePort,
  startWorkspaceService,
  testInfrastructure,
  TestReceiver,
  verifySignature,
  waitFor,
  type TestSchema,
  type WorkspaceService,
} from '@sms/testing';
import { CountingProxy } from './support/counting-proxy';
import { startReplyService, type RunningReplyService } from './support/reply-service-app';

const HOUR = 3_600_000;
const suffix = Date.now().toString(36);
let counter = 0;
const next = (prefix: string) => `${prefix}-${++counter}-${suffix}`;
const newPhone = () => `+4479112${String(++counter).padStart(5, '0')}`;

interface Delivered {
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

describe('reply.received reaches the account’s webhooks through the outbox', () => {
  let dispatcher: WorkspaceService;
  let status: WorkspaceService;
  let statusProxy: CountingProxy;
  let statusClient: GrpcClient<statusV1.StatusServiceClient>;
  let webhooks: GrpcClient<webhookV1.WebhookServiceClient>;
  let schema: TestSchema;
  let redisBase: string;
  let reply: RunningReplyService;
  let receiver: TestReceiver;
  const redis = createRedis({ url: testInfrastructure().redisUrl, name: 'reply-webhook-test' });
  const secrets = new Map<string, string>();
  const endpoints = new Map<string, string>();
  const accountA = next('acct-a');
  const accountB = next('acct-b');

  const sql = () => Sql.fork(reply.app.get(MikroORM));
  const outboxRows = async () =>
    Number((await sql().rows<{ n: string }>('select count(*) as n from webhook_outbox'))[0]?.n);

  const received = (path: string): Delivered[] =>
    receiver.at(path).map((request) => {
      expect(verifySignature(secrets.get(path)!, request)).toBe(true);
      const body = JSON.parse(request.body) as Omit<Delivered, 'id'>;
      return { id: request.id, type: body.type, data: body.data };
    });

  const deliveriesOf = async (account: string) =>
    (
      await webhooks.listDeliveries({
        accountId: account,
        endpointId: endpoints.get(account)!,
        pageSize: 0,
        pageToken: '',
      })
    ).deliveries;

  async function sendMessage(messageId: string, accountId: string, phone: string): Promise<void> {
    await statusClient.recordEvents({
      events: [
        {
          eventId: `acc-${messageId}`,
          messageId,
          occurredAt: toTimestamp(new Date(Date.now() - HOUR)),
          accepted: {
            accountId,
            smsUser: 'api-user',
            recipient: phone,
            entries: 1,
            templateId: 'tpl-wh',
            templateType: 'TEMPLATE_TYPE_NOTIFICATION' as statusV1.AcceptedDetail['templateType'],
            labels: ['spring'],
          },
        },
      ],
    });
  }

  const inbound = (overrides: Partial<replyV1.InboundReply>): replyV1.InboundReply => ({
    replyId: next('rep'),
    phone: newPhone(),
    content: 'thanks',
    receivedAt: toTimestamp(new Date(Date.now() - 60_000)),
    operator: 'vodafone-uk',
    channel: 'channel-1',
    accountId: '',
    messageId: '',
    ...overrides,
  });

  beforeAll(async () => {
    receiver = await new TestReceiver().start();
    const dispatcherPort = await freePort();
    [dispatcher, status] = await Promise.all([
      startWorkspaceService({
        app: 'webhook-dispatcher',
        label: 'reply-webhooks',
        grpcService: 'sms.webhook.v1.WebhookService',
        grpcPort: dispatcherPort,
        env: { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32' },
      }),
      startWorkspaceService({
        app: 'status-tracker',
        label: 'reply-webhooks-status',
        grpcService: 'sms.status.v1.StatusService',
        // Its message.status events go to the same dispatcher (no endpoint takes them).
        env: { WEBHOOK_GRPC_TARGET: `127.0.0.1:${dispatcherPort}` },
      }),
    ]);
    statusProxy = await CountingProxy.start(GRPC_SERVICES.status, status.target);
    statusClient = createGrpcClient<statusV1.StatusServiceClient>(GRPC_SERVICES.status, {
      target: status.target,
      deadlineMs: 10_000,
      callerToken: DEVELOPMENT_GRPC_TOKENS.sender,
    });
    webhooks = createGrpcClient<webhookV1.WebhookServiceClient>(GRPC_SERVICES.webhook, {
      target: dispatcher.target,
      deadlineMs: 10_000,
      callerToken: DEVELOPMENT_GRPC_TOKENS.gateway,
    });
    for (const [account, path] of [
      [accountA, '/a'],
      [accountB, '/b'],
    ] as const) {
      const created = await webhooks.createEndpoint({
        accountId: account,
        url: receiver.url(path),
        eventTypes: ['reply.received'],
      });
      secrets.set(path, created.secret);
      endpoints.set(account, created.endpoint!.endpointId);
    }
    schema = await createTestSchema('reply-webhooks');
    redisBase = createTestRedisPrefix('reply-webhooks').replace(/[{}]/g, '');
    reply = await startReplyService({
      DATABASE_URL: schema.databaseUrl,
      DATABASE_SCHEMA: schema.schema,
      REDIS_URL: testInfrastructure().redisUrl,
      REDIS_PREFIX: redisBase,
      STATUS_GRPC_TARGET: statusProxy.target,
      GRPC_DEADLINE_MS: '3000',
      MAINTENANCE_INTERVAL_MS: '300',
      WEBHOOK_GRPC_TARGET: dispatcher.target,
      WEBHOOK_RELAY_INTERVAL_MS: '100',
    });
  }, 180_000);

  afterAll(async () => {
    await reply?.close();
    statusClient?.close();
    webhooks?.close();
    statusProxy?.down();
    await status?.stop('SIGTERM');
    await dispatcher?.stop('SIGTERM');
    await receiver?.close();
    await schema?.drop();
    if (redisBase) await deleteKeysWithPrefix(redis, hashTaggedPrefix(redisBase, 'reply'));
    await redis.quit();
  }, 60_000);

  it('tells the replied-to account once per reply, signed, with the Reply resource', async () => {
    const phoneA = newPhone();
    const phoneB = newPhone();
    const messageA = next('msg-a');
    const messageB = next('msg-b');
    await sendMessage(messageA, accountA, phoneA);
    await sendMessage(messageB, accountB, phoneB);
    const toA = inbound({ phone: phoneA, accountId: accountA, messageId: messageA });
    const toB = inbound({ phone: phoneB, accountId: accountB, messageId: messageB });
    // A reply nobody's message explains has no account: no customer is told.
    const nobody = inbound({ phone: newPhone() });
    const batch = [toA, toB, nobody];
    await reply.client.recordReplies({ replies: batch });
    // The same batch again: duplicates, no new events.
    await reply.client.recordReplies({ replies: batch });

    await waitFor(() => receiver.at('/a').length >= 1 && receiver.at('/b').length >= 1, {
      timeoutMs: 30_000,
      description: 'one event for each account',
    });
    await waitFor(async () => (await outboxRows()) === 0, { description: 'the outbox emptied' });
    expect(await deliveriesOf(accountA)).toHaveLength(1);
    expect(await deliveriesOf(accountB)).toHaveLength(1);
    const [eventA] = received('/a');
    const [eventB] = received('/b');
    expect(received('/a')).toHaveLength(1);
    expect(received('/b')).toHaveLength(1);
    expect(eventA).toEqual({
      id: expect.stringMatching(/^reply_/),
      type: 'reply.received',
      data: {
        replyId: toA.replyId,
        phone: phoneA,
        content: 'thanks',
        receivedAt: new Date(
          Number(toA.receivedAt!.seconds) * 1000 + Math.floor(toA.receivedAt!.nanos / 1e6),
        ).toISOString(),
        operator: 'vodafone-uk',
        channel: 'channel-1',
        accountId: accountA,
        messageId: messageA,
        templateId: 'tpl-wh',
        labels: ['spring'],
        smsUser: 'api-user',
        attribution: 'message_id',
        keywordAction: 'none',
      },
    });
    expect(eventB?.data).toMatchObject({ replyId: toB.replyId, accountId: accountB });
    expect(JSON.stringify(received('/b'))).not.toContain(accountA);
    // The same shape as the REST list: what ListReplies holds for it, word for word.
    const [listed] = (
      await reply.client.listReplies({
        accountId: accountA,
        asOperator: false,
        phone: phoneA,
        templateId: '',
        label: '',
        messageId: '',
        pageSize: 0,
        pageToken: '',
      } as replyV1.ListRepliesRequest)
    ).replies;
    expect(listed?.replyId).toBe(eventA?.data['replyId']);
  }, 90_000);

  it('tells the account once a reply stored while status-tracker was away is attributed', async () => {
    const phone = newPhone();
    const messageId = next('msg-late');
    await sendMessage(messageId, accountA, phone);
    const before = receiver.at('/a').length;
    statusProxy.down();
    const late = inbound({ phone });
    try {
      const { outcomes } = await reply.client.recordReplies({ replies: [late] });
      expect(outcomes[0]).toMatchObject({ attribution: 'ATTRIBUTION_UNSPECIFIED' });
      // Pending: no account yet, so nothing for anybody.
      expect(await outboxRows()).toBe(0);
    } finally {
      await statusProxy.up();
    }
    await waitFor(() => receiver.at('/a').length > before, {
      timeoutMs: 30_000,
      description: 'the event after the attribution',
    });
    const event = received('/a').find((e) => e.data['replyId'] === late.replyId);
    expect(event?.data).toMatchObject({
      accountId: accountA,
      messageId,
      attribution: 'latest_message',
    });
  }, 60_000);

  it('lists events the dispatcher refused for good as webhook dead letters', async () => {
    await sql().raw(
      `insert into webhook_outbox (event_id, type, account_id, occurred_at, data)
       values ('bad-reply-event', 'reply.no_such_event', ?, now(), '{}')`,
      [accountA],
    );
    const listed = await waitFor(
      async () =>
        (
          await reply.client.listDeadLetters({ pageSize: 0, pageToken: '', kind: 'webhook_event' })
        ).deadLetters.find((letter) => letter.key === 'bad-reply-event'),
      { timeoutMs: 15_000, description: 'the refused event in the dead-letter list' },
    );
    expect(listed).toMatchObject({
      kind: 'webhook_event',
      accountId: accountA,
      eventType: 'reply.no_such_event',
    });
    // The keyword-effect list is another list.
    const effects = await reply.client.listDeadLetters({ pageSize: 0, pageToken: '', kind: '' });
    expect(effects.deadLetters.some((letter) => letter.key === 'bad-reply-event')).toBe(false);
  }, 30_000);
});
