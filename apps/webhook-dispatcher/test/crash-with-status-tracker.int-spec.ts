import { GRPC_SERVICES, toTimestamp, type statusV1, type webhookV1 } from '@sms/contracts';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { createGrpcClient, type GrpcClient } from '@sms/platform-grpc';
import {
  startWorkspaceService,
  TestReceiver,
  verifySignature,
  waitFor,
  type ReceivedRequest,
  type WorkspaceService,
} from '@sms/testing';
import { Client } from 'pg';

// Both services as real processes, each killed with SIGKILL mid-run and started again, while a
// stream of RecordEvents goes on: status-tracker (ingest, webhook_outbox, relay) → PublishEvents
// → webhook-dispatcher (intake, claims, attempts) → a real HTTP receiver.

const MESSAGES = 120;
/** Messages per RecordEvents call. */
const PER_CALL = 10;
const WORKERS = 32;

interface Body {
  type: string;
  data: { messageId: string; status: string; sequence: number };
}

describe('status changes reach the receiver across SIGKILLs of status-tracker and the dispatcher', () => {
  let receiver: TestReceiver;
  let dispatcher: WorkspaceService | undefined;
  let status: WorkspaceService | undefined;
  let webhooks: GrpcClient<webhookV1.WebhookServiceClient>;
  let sender: GrpcClient<statusV1.StatusServiceClient>;
  const account = `acct-crash-e2e-${Date.now().toString(36)}`;
  const run = Date.now().toString(36);
  const messageIds = Array.from({ length: MESSAGES }, (_, n) => `crash-${run}-${n}`);
  const at = new Date(Date.now() - 60_000);

  const received = () => receiver.at('/hooks');
  const distinctIds = () => new Set(received().map((request) => request.id)).size;

  /** One RecordEvents call, repeated until it succeeds, as a sender retries (idempotent). */
  const record = async (events: statusV1.MessageEvent[]) => {
    await waitFor(
      async () => {
        await sender.recordEvents({ events });
        return true;
      },
      { timeoutMs: 90_000, intervalMs: 100, description: 'RecordEvents accepted' },
    );
  };

  const eventsFor = (ids: readonly string[], step: 'accepted' | 'submitted' | 'delivered') =>
    ids.map((messageId): statusV1.MessageEvent => ({
      eventId: '',
      messageId,
      occurredAt: toTimestamp(
        new Date(at.getTime() + { accepted: 0, submitted: 1, delivered: 2 }[step] * 1000),
      ),
      ...(step === 'accepted'
        ? {
            accepted: {
              accountId: account,
              smsUser: 'crash-test',
              recipient: '+447911123456',
              entries: 1,
              templateId: 'tpl-crash',
              templateType: 'TEMPLATE_TYPE_NOTIFICATION' as statusV1.AcceptedDetail['templateType'],
              labels: [],
            },
          }
        : step === 'submitted'
          ? { submitted: { channel: 'ch-a', operator: 'op-x' } }
          : { delivered: { detail: 'DELIVRD', operator: '' } }),
    }));

  const batches = <T>(list: readonly T[]): T[][] =>
    Array.from({ length: Math.ceil(list.length / PER_CALL) }, (_, n) =>
      list.slice(n * PER_CALL, (n + 1) * PER_CALL),
    );

  const count = async (service: WorkspaceService, sql: string): Promise<number> => {
    const db = new Client({
      connectionString: service.schema.databaseUrl,
      options: `-c search_path=${service.schema.schema}`,
    });
    await db.connect();
    try {
      return Number((await db.query<{ n: string }>(sql)).rows[0]?.n);
    } finally {
      await db.end();
    }
  };

  beforeAll(async () => {
    receiver = await new TestReceiver().start();
    // A little slow, so a kill finds attempts in flight.
    receiver.on(
      '/hooks',
      () => new Promise<number>((resolve) => setTimeout(() => resolve(200), 10)),
    );
    dispatcher = await startWorkspaceService({
      app: 'webhook-dispatcher',
      label: 'wh-crash-e2e',
      grpcService: 'sms.webhook.v1.WebhookService',
      env: {
        WEBHOOK_ALLOW_HTTP: 'true',
        WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
        WEBHOOK_RETRY_DELAYS_MS: '200,200,200,200,200',
        WEBHOOK_POLL_INTERVAL_MS: '100',
        WEBHOOK_WORKER_CONCURRENCY: String(WORKERS),
      },
      timeoutMs: 120_000,
    });
    status = await startWorkspaceService({
      app: 'status-tracker',
      label: 'wh-crash-e2e',
      grpcService: 'sms.status.v1.StatusService',
      env: { WEBHOOK_GRPC_TARGET: dispatcher.target, WEBHOOK_RELAY_INTERVAL_MS: '200' },
      timeoutMs: 120_000,
    });
    webhooks = createGrpcClient<webhookV1.WebhookServiceClient>(GRPC_SERVICES.webhook, {
      target: dispatcher.target,
      deadlineMs: 10_000,
      callerToken: DEVELOPMENT_GRPC_TOKENS.gateway,
    });
    sender = createGrpcClient<statusV1.StatusServiceClient>(GRPC_SERVICES.status, {
      target: status.target,
      deadlineMs: 10_000,
      callerToken: DEVELOPMENT_GRPC_TOKENS.sender,
    });
  }, 300_000);

  afterAll(async () => {
    webhooks?.close();
    sender?.close();
    await status?.stop('SIGKILL');
    await dispatcher?.stop('SIGKILL');
    await receiver?.close();
  });

  it('delivers every status change, signed, once per event id but for re-deliveries after the dispatcher crash', async () => {
    const { secret } = await webhooks.createEndpoint({
      accountId: account,
      url: receiver.url('/hooks'),
      eventTypes: ['message.status'],
    });

    // 1. status-tracker dies mid-stream: events committed to its outbox but not yet relayed
    //    (or relayed but not yet deleted) must go out after the restart, and only once.
    const accepts = batches(eventsFor(messageIds, 'accepted'));
    const half = Math.ceil(accepts.length / 2);
    for (const events of accepts.slice(0, half)) await record(events);
    await status!.restart('SIGKILL');
    for (const events of accepts.slice(half)) await record(events);
    for (const events of batches(eventsFor(messageIds, 'submitted'))) await record(events);
    await waitFor(() => distinctIds() === MESSAGES * 2, {
      timeoutMs: 60_000,
      intervalMs: 100,
      description: 'the accepted and submitted changes',
    });
    // The dispatcher was not killed yet: every event arrived exactly once.
    expect(received()).toHaveLength(MESSAGES * 2);

    // 2. The dispatcher dies with attempts in flight and deliveries claimed: a slower receiver
    //    (16 attempts in flight per endpoint, 100 ms each) keeps them from all being done.
    receiver.on(
      '/hooks',
      () => new Promise<number>((resolve) => setTimeout(() => resolve(200), 100)),
    );
    const outcomes = batches(eventsFor(messageIds, 'delivered'));
    const before = received().length;
    for (const events of outcomes) await record(events);
    await waitFor(() => received().length >= before + 10, {
      timeoutMs: 30_000,
      description: 'deliveries under way',
    });
    await dispatcher!.restart('SIGKILL');
    expect(distinctIds()).toBeLessThan(MESSAGES * 3);
    // In-flight claims come back when their lease (10 s) runs out.
    await waitFor(() => distinctIds() === MESSAGES * 3, {
      timeoutMs: 90_000,
      intervalMs: 200,
      description: 'every status change after the restarts',
    });
    await waitFor(
      async () =>
        (await count(status!, 'select count(*) as n from webhook_outbox')) === 0 &&
        (await count(
          dispatcher!,
          `select count(*) as n from webhook_delivery where status <> 'DELIVERED'`,
        )) === 0,
      { timeoutMs: 30_000, description: 'both outboxes empty, every delivery DELIVERED' },
    );
    expect(await count(dispatcher!, 'select count(*) as n from webhook_delivery')).toBe(
      MESSAGES * 3,
    );
    expect(await count(status!, 'select count(*) as n from webhook_dead_letter')).toBe(0);

    const requests = received();
    expect(requests.filter((request) => !verifySignature(secret, request))).toEqual([]);
    const byId = new Map<string, ReceivedRequest[]>();
    for (const request of requests)
      byId.set(request.id, [...(byId.get(request.id) ?? []), request]);
    // A repeated id is a true re-delivery: the same event, byte for byte.
    for (const copies of byId.values()) {
      expect(new Set(copies.map((copy) => copy.body)).size).toBe(1);
    }
    const changes = [...byId.values()].map((copies) => JSON.parse(copies[0].body) as Body);
    // Only what the killed dispatcher had claimed (the third change of each message) can come
    // twice; status-tracker's crash repeats nothing.
    const repeated = [...byId.values()]
      .filter((copies) => copies.length > 1)
      .map((copies) => (JSON.parse(copies[0].body) as Body).data.status);
    expect(repeated.filter((state) => state !== 'delivered')).toEqual([]);
    expect(changes.every((body) => body.type === 'message.status')).toBe(true);
    const seen = new Set(
      changes.map((body) => `${body.data.messageId}/${body.data.sequence}/${body.data.status}`),
    );
    const expected = messageIds.flatMap((id) => [
      `${id}/1/sending`,
      `${id}/2/wait_result`,
      `${id}/3/delivered`,
    ]);
    expect(seen).toEqual(new Set(expected));
    process.stdout.write(
      `crash test: ${requests.length} requests for ${byId.size} events (${requests.length - byId.size} re-delivered after the dispatcher's SIGKILL)\n`,
    );
  }, 300_000);
});
