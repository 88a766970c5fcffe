import { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { toTimestamp, webhookV1 } from '@sms/contracts';
import { GrpcStatus } from '@sms/platform-grpc';
import { createRedis } from '@sms/platform-redis';
import {
  createTestRedisPrefix,
  createTestSchema,
  deleteKeysWithPrefix,
  testInfrastructure,
  TestReceiver,
  verifySignature,
  waitFor,
  type TestSchema,
} from '@sms/testing';
import { startDispatcher, type RunningDispatcher } from './support/dispatcher-app';

let eventCounter = 0;
const newEventId = () => `evt_${Date.now().toString(36)}_${++eventCounter}`;
let accountCounter = 0;
const newAccount = () => `acct-${++accountCounter}-${Date.now().toString(36)}`;

function statusEvent(accountId: string, eventId = newEventId()): webhookV1.WebhookEvent {
  return {
    eventId,
    type: 'message.status',
    accountId,
    occurredAt: toTimestamp(new Date()),
    dataJson: JSON.stringify({ messageId: `m-${eventId}`, status: 'delivered', sequence: 3 }),
  };
}

describe('webhook-dispatcher against a real HTTP receiver', () => {
  let schema: TestSchema;
  let redisBase: string;
  let dispatcher: RunningDispatcher;
  let receiver: TestReceiver;
  const redis = createRedis({ url: testInfrastructure().redisUrl, name: 'webhook-int-test' });

  beforeAll(async () => {
    schema = await createTestSchema('webhook-dispatcher');
    redisBase = createTestRedisPrefix('webhook').replace(/[{}]/g, '');
    receiver = await new TestReceiver().start();
    dispatcher = await startDispatcher({
      DATABASE_URL: schema.databaseUrl,
      DATABASE_SCHEMA: schema.schema,
      REDIS_URL: testInfrastructure().redisUrl,
      REDIS_PREFIX: redisBase,
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
      WEBHOOK_RETRY_DELAYS_MS: '150,150,150',
      WEBHOOK_RETRY_JITTER: '0',
      WEBHOOK_ENDPOINT_CONCURRENCY: '2',
      // A second failure 1 ms after the first disables an always-failing endpoint.
      WEBHOOK_DISABLE_AFTER_MS: '1',
    });
  });

  afterAll(async () => {
    await dispatcher?.close();
    await receiver?.close();
    await deleteKeysWithPrefix(redis, `{${redisBase}:`);
    redis.disconnect();
    await schema?.drop();
  });

  const create = async (accountId: string, path: string, eventTypes = ['message.status']) =>
    dispatcher.client.createEndpoint({ accountId, url: receiver.url(path), eventTypes });

  const deliveries = async (accountId: string, endpointId: string) =>
    (await dispatcher.client.listDeliveries({ accountId, endpointId, pageSize: 0, pageToken: '' }))
      .deliveries;

  const countRows = async (table: string): Promise<number> => {
    const em = dispatcher.app.get(MikroORM).em.fork() as unknown as SqlEntityManager;
    const rows = await em
      .getConnection()
      .execute<{ count: string }[]>(`select count(*) as count from ${table}`);
    return Number(rows[0]?.count ?? 0);
  };

  it('shows the secret once, stores it encrypted and signs every delivery with it', async () => {
    const account = newAccount();
    const created = await create(account, '/signed');
    expect(created.secret).toMatch(/^whsec_/);
    const endpoint = created.endpoint as webhookV1.Endpoint;
    expect(endpoint).toMatchObject({
      accountId: account,
      enabled: true,
      eventTypes: ['message.status'],
    });
    const fetched = await dispatcher.client.getEndpoint({
      accountId: account,
      endpointId: endpoint.endpointId,
    });
    expect(JSON.stringify(fetched)).not.toContain(created.secret);
    const em = dispatcher.app.get(MikroORM).em.fork() as unknown as SqlEntityManager;
    const stored = await em
      .getConnection()
      .execute<{ secret_ciphertext: string }[]>(
        `select secret_ciphertext from webhook_endpoint where endpoint_id = ?`,
        [endpoint.endpointId],
      );
    expect(stored[0]?.secret_ciphertext).not.toContain(created.secret.slice(6));

    const event = statusEvent(account);
    const published = await dispatcher.client.publishEvents({ events: [event] });
    expect(published).toMatchObject({ deliveries: 1, withoutEndpoint: 0, rejected: [] });
    const request = await waitFor(() => receiver.at('/signed')[0], { description: 'the delivery' });
    expect(request.id).toBe(event.eventId);
    expect(verifySignature(created.secret, request)).toBe(true);
    expect(Math.abs(Number(request.timestamp) - Date.now() / 1000)).toBeLessThan(30);
    expect(JSON.parse(request.body)).toEqual({
      type: 'message.status',
      timestamp: expect.any(String),
      data: JSON.parse(event.dataJson),
    });
    await waitFor(
      async () =>
        (await deliveries(account, endpoint.endpointId))[0]?.status ===
        webhookV1.DeliveryStatus.DELIVERY_STATUS_DELIVERED,
    );
    expect((await deliveries(account, endpoint.endpointId))[0]).toMatchObject({
      eventId: event.eventId,
      eventType: 'message.status',
      attempts: 1,
      lastHttpCode: 200,
    });

    // A rotated secret signs what follows; the old one no longer verifies.
    const rotated = await dispatcher.client.rotateEndpointSecret({
      accountId: account,
      endpointId: endpoint.endpointId,
    });
    expect(rotated.secret).not.toBe(created.secret);
    await dispatcher.client.publishEvents({ events: [statusEvent(account)] });
    const second = await waitFor(() => receiver.at('/signed')[1]);
    expect(verifySignature(rotated.secret, second)).toBe(true);
    expect(verifySignature(created.secret, second)).toBe(false);
  });

  it('delivers each event once per endpoint, however often it is handed over', async () => {
    const account = newAccount();
    await create(account, '/once');
    const events = Array.from({ length: 20 }, () => statusEvent(account));
    await dispatcher.client.publishEvents({ events });
    const again = await dispatcher.client.publishEvents({ events: [...events, ...events] });
    expect(again.deliveries).toBe(0);
    await waitFor(() => receiver.at('/once').length >= 20);
    // Give stray duplicates the chance to show up: wait until every delivery is final.
    const endpointId = (await dispatcher.client.listEndpoints({ accountId: account })).endpoints[0]
      ?.endpointId;
    await waitFor(async () =>
      (await deliveries(account, endpointId)).every(
        (d) => d.status === webhookV1.DeliveryStatus.DELIVERY_STATUS_DELIVERED,
      ),
    );
    const ids = receiver.at('/once').map((request) => request.id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids)).toEqual(new Set(events.map((event) => event.eventId)));
  });

  it('retries a receiver that answers 500, then delivers with the same webhook-id', async () => {
    const account = newAccount();
    receiver.on('/flaky', (_request, nth) => (nth === 0 ? 500 : 200));
    const { endpoint } = await create(account, '/flaky');
    const event = statusEvent(account);
    await dispatcher.client.publishEvents({ events: [event] });
    await waitFor(() => receiver.at('/flaky').length >= 2, { description: 'the retry' });
    const [first, second] = receiver.at('/flaky');
    expect(first?.id).toBe(event.eventId);
    expect(second?.id).toBe(event.eventId);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(140);
    const endpointId = endpoint?.endpointId as string;
    await waitFor(
      async () =>
        (await deliveries(account, endpointId))[0]?.status ===
        webhookV1.DeliveryStatus.DELIVERY_STATUS_DELIVERED,
    );
    expect((await deliveries(account, endpointId))[0]).toMatchObject({
      attempts: 2,
      lastHttpCode: 200,
      lastError: '',
    });
    // The success clears the failure streak that the 500 started.
    await waitFor(
      async () =>
        (await dispatcher.client.getEndpoint({ accountId: account, endpointId })).endpoint
          ?.failingSince === null,
      { description: 'the endpoint healthy again' },
    );
  });

  it('cuts a receiver that does not answer at 3 s and retries it', async () => {
    const account = newAccount();
    receiver.on('/hang', (_request, nth) => (nth === 0 ? 'hang' : 200));
    const { endpoint } = await create(account, '/hang');
    await dispatcher.client.publishEvents({ events: [statusEvent(account)] });
    await waitFor(() => receiver.at('/hang').length >= 2, {
      timeoutMs: 10_000,
      description: 'the retry',
    });
    const first = receiver.at('/hang')[0];
    const cutAfter = (first?.closedAt ?? 0) - (first?.at ?? 0);
    expect(cutAfter).toBeGreaterThanOrEqual(2_900);
    expect(cutAfter).toBeLessThan(4_000);
    const endpointId = endpoint?.endpointId as string;
    await waitFor(
      async () =>
        (await deliveries(account, endpointId))[0]?.status ===
        webhookV1.DeliveryStatus.DELIVERY_STATUS_DELIVERED,
    );
  }, 20_000);

  it('disables an endpoint that keeps failing and says why', async () => {
    const account = newAccount();
    receiver.on('/down', () => 503);
    const { endpoint } = await create(account, '/down');
    const endpointId = endpoint?.endpointId as string;
    await dispatcher.client.publishEvents({ events: [statusEvent(account)] });
    const disabled = await waitFor(async () => {
      const current = (await dispatcher.client.getEndpoint({ accountId: account, endpointId }))
        .endpoint;
      return current?.enabled === false ? current : null;
    });
    expect(disabled.disabledReason).toMatch(/every delivery failed.*HTTP 503/);
    expect(disabled.failingSince).toBeDefined();
    const [delivery] = await waitFor(async () => {
      const list = await deliveries(account, endpointId);
      return list[0]?.status === webhookV1.DeliveryStatus.DELIVERY_STATUS_FAILED ? list : null;
    });
    expect(delivery?.lastError).toMatch(/endpoint disabled/);
    // Events for a disabled endpoint are not taken.
    expect(await dispatcher.client.publishEvents({ events: [statusEvent(account)] })).toMatchObject(
      {
        deliveries: 0,
        withoutEndpoint: 1,
      },
    );
    // Re-enabled by the account, it gets a fresh start; redeliver sends the failed event again.
    receiver.on('/down', () => 200);
    await dispatcher.client.updateEndpoint({
      accountId: account,
      endpointId,
      updateMask: ['enabled'],
      enabled: true,
      url: '',
      eventTypes: [],
    });
    const redelivered = await dispatcher.client.redeliver({
      accountId: account,
      endpointId,
      deliveryId: delivery?.deliveryId,
    });
    expect(redelivered.delivery?.status).toBe(webhookV1.DeliveryStatus.DELIVERY_STATUS_PENDING);
    await waitFor(
      async () =>
        (await deliveries(account, endpointId))[0]?.status ===
        webhookV1.DeliveryStatus.DELIVERY_STATUS_DELIVERED,
    );
    const requests = receiver.at('/down');
    expect(new Set(requests.map((request) => request.id)).size).toBe(1);
  });

  it('keeps at most WEBHOOK_ENDPOINT_CONCURRENCY attempts in flight per endpoint', async () => {
    const account = newAccount();
    const slow = new TestReceiver();
    await slow.start();
    try {
      slow.on('/slow', () => new Promise<number>((resolve) => setTimeout(() => resolve(200), 100)));
      await dispatcher.client.createEndpoint({
        accountId: account,
        url: slow.url('/slow'),
        eventTypes: ['message.status'],
      });
      await dispatcher.client.publishEvents({
        events: Array.from({ length: 10 }, () => statusEvent(account)),
      });
      await waitFor(() => slow.at('/slow').length >= 10 && slow.inFlight === 0);
      expect(slow.maxInFlight).toBe(2);
    } finally {
      await slow.close();
    }
  });

  it('refuses endpoints on loopback, private, link-local or metadata addresses, storing nothing', async () => {
    const account = newAccount();
    for (const url of [
      'http://10.0.0.1/hook',
      'http://192.168.1.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:8080/hook',
      'http://127.0.0.2/hook',
      'http://localhost6.invalid/hook',
    ]) {
      await expect(
        dispatcher.client.createEndpoint({
          accountId: account,
          url,
          eventTypes: ['message.status'],
        }),
      ).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        details: expect.stringMatching(/url refused/),
      });
    }
    expect((await dispatcher.client.listEndpoints({ accountId: account })).endpoints).toEqual([]);
  });

  it('refuses bad input with a clear error and changes nothing', async () => {
    const account = newAccount();
    const { endpoint } = await create(account, '/bad-input');
    const endpointId = endpoint?.endpointId as string;
    const cases: [Promise<unknown>, RegExp][] = [
      [
        dispatcher.client.createEndpoint({
          accountId: account,
          url: 'ftp://example.com/',
          eventTypes: ['message.status'],
        }),
        /https or http/,
      ],
      [
        dispatcher.client.createEndpoint({
          accountId: account,
          url: receiver.url('/x'),
          eventTypes: [],
        }),
        /at least one/,
      ],
      [
        dispatcher.client.createEndpoint({
          accountId: account,
          url: receiver.url('/x'),
          eventTypes: ['message.nope'],
        }),
        /unknown "message.nope"/,
      ],
      [
        dispatcher.client.createEndpoint({
          accountId: '',
          url: receiver.url('/x'),
          eventTypes: ['message.status'],
        }),
        /account_id is required/,
      ],
      [
        dispatcher.client.updateEndpoint({
          accountId: account,
          endpointId,
          updateMask: ['secret'],
          url: '',
          eventTypes: [],
          enabled: false,
        }),
        /cannot be changed/,
      ],
      [
        dispatcher.client.updateEndpoint({
          accountId: account,
          endpointId,
          updateMask: ['url'],
          url: 'http://10.0.0.1/',
          eventTypes: [],
          enabled: false,
        }),
        /url refused/,
      ],
      [
        dispatcher.client.listDeliveries({
          accountId: account,
          endpointId,
          pageSize: 501,
          pageToken: '',
        }),
        /page_size/,
      ],
    ];
    for (const [call, message] of cases) {
      await expect(call).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        details: expect.stringMatching(message),
      });
    }
    const endpoints = (await dispatcher.client.listEndpoints({ accountId: account })).endpoints;
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]).toMatchObject({ url: receiver.url('/bad-input'), enabled: true });
    const bad = await dispatcher.client.publishEvents({
      events: [
        { ...statusEvent(account), eventId: 'has space' },
        { ...statusEvent(account), type: 'nope' },
        { ...statusEvent(account), dataJson: '[1]' },
        { ...statusEvent(account), occurredAt: undefined },
      ],
    });
    expect(bad.rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/event_id/),
      expect.stringMatching(/not a webhook event type/),
      expect.stringMatching(/JSON object/),
      expect.stringMatching(/occurred_at/),
    ]);
    expect(await deliveries(account, endpointId)).toEqual([]);
  });

  it('keeps accounts apart: nobody reads or changes another account’s webhooks or deliveries', async () => {
    const owner = newAccount();
    const other = newAccount();
    const { endpoint } = await create(owner, '/tenant');
    const endpointId = endpoint?.endpointId as string;
    // The other account's events never reach the owner's endpoint.
    expect(await dispatcher.client.publishEvents({ events: [statusEvent(other)] })).toMatchObject({
      deliveries: 0,
      withoutEndpoint: 1,
    });
    await dispatcher.client.publishEvents({ events: [statusEvent(owner)] });
    const [delivery] = await waitFor(async () => {
      const list = await deliveries(owner, endpointId);
      return list.length ? list : null;
    });
    const notFound = { code: GrpcStatus.NOT_FOUND };
    await expect(
      dispatcher.client.getEndpoint({ accountId: other, endpointId }),
    ).rejects.toMatchObject(notFound);
    await expect(
      dispatcher.client.updateEndpoint({
        accountId: other,
        endpointId,
        updateMask: ['enabled'],
        enabled: false,
        url: '',
        eventTypes: [],
      }),
    ).rejects.toMatchObject(notFound);
    await expect(
      dispatcher.client.rotateEndpointSecret({ accountId: other, endpointId }),
    ).rejects.toMatchObject(notFound);
    await expect(
      dispatcher.client.deleteEndpoint({ accountId: other, endpointId }),
    ).rejects.toMatchObject(notFound);
    await expect(
      dispatcher.client.listDeliveries({
        accountId: other,
        endpointId,
        pageSize: 0,
        pageToken: '',
      }),
    ).rejects.toMatchObject(notFound);
    await expect(
      dispatcher.client.redeliver({
        accountId: other,
        endpointId,
        deliveryId: delivery?.deliveryId,
      }),
    ).rejects.toMatchObject(notFound);
    expect((await dispatcher.client.listEndpoints({ accountId: other })).endpoints).toEqual([]);
    const unchanged = await dispatcher.client.getEndpoint({ accountId: owner, endpointId });
    expect(unchanged.endpoint).toMatchObject({ enabled: true, url: receiver.url('/tenant') });

    // Deleted: gone from the account's list, its history still readable, no new deliveries.
    await dispatcher.client.deleteEndpoint({ accountId: owner, endpointId });
    await expect(
      dispatcher.client.getEndpoint({ accountId: owner, endpointId }),
    ).rejects.toMatchObject(notFound);
    expect(await deliveries(owner, endpointId)).toHaveLength(1);
    expect(await dispatcher.client.publishEvents({ events: [statusEvent(owner)] })).toMatchObject({
      deliveries: 0,
    });
    expect(await countRows('webhook_endpoint')).toBeGreaterThan(0);
  });
});
