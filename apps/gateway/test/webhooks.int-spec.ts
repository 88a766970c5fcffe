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
  verifySignature,
  waitFor,
  type ServiceProcess,
  type TestSchema,
} from '@sms/testing';
import {
  startGatewayUnderTest,
  type GatewayUnderTest,
  type TestKey,
} from './support/gateway-under-test';

type Json = Record<string, unknown>;

// /v1/webhooks in front of a REAL webhook-dispatcher process: the secret shown once, deliveries
// visible, redeliver, and tenancy (account B can neither see nor change A's endpoints).
describe('gateway /v1/webhooks with the real webhook-dispatcher', () => {
  let schema: TestSchema;
  let env: Record<string, string>;
  let dispatcher: ServiceProcess;
  let gateway: GatewayUnderTest;
  let publisher: GrpcClient<webhookV1.WebhookServiceClient>;
  let receiver: TestReceiver;
  let a: TestKey;
  let b: TestKey;
  const redis = createRedis({ url: testInfrastructure().redisUrl, name: 'gateway-webhooks-test' });

  beforeAll(async () => {
    receiver = await new TestReceiver().start();
    schema = await createTestSchema('gateway-webhooks');
    env = {
      DATABASE_URL: schema.databaseUrl,
      DATABASE_SCHEMA: schema.schema,
      REDIS_URL: testInfrastructure().redisUrl,
      REDIS_PREFIX: createTestRedisPrefix('gateway-webhooks').replace(/[{}]/g, ''),
      GRPC_PORT: String(await freePort()),
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
    };
    expect(
      (await startServiceProcess('apps/webhook-dispatcher/src/migrate.ts', env).exited).code,
    ).toBe(0);
    dispatcher = startServiceProcess('apps/webhook-dispatcher/src/main.ts', env);
    await waitFor(() => /webhook-dispatcher ready/.test(dispatcher.output()), {
      timeoutMs: 60_000,
    });
    const target = `127.0.0.1:${env['GRPC_PORT']}`;
    publisher = createGrpcClient<webhookV1.WebhookServiceClient>(GRPC_SERVICES.webhook, {
      target,
      deadlineMs: 10_000,
      callerToken: DEVELOPMENT_GRPC_TOKENS['status-tracker'],
    });
    gateway = await startGatewayUnderTest({ WEBHOOK_GRPC_TARGET: target });
    a = await gateway.newAccount('customer');
    b = await gateway.newAccount('customer');
  }, 120_000);

  afterAll(async () => {
    publisher?.close();
    await gateway?.close();
    await dispatcher?.stop('SIGKILL');
    await receiver?.close();
    await deleteKeysWithPrefix(redis, `{${env['REDIS_PREFIX']}:`);
    redis.disconnect();
    await schema?.drop();
  });

  it('registers an endpoint, shows its secret once and lists signed deliveries', async () => {
    const created = await gateway.request('/v1/webhooks', {
      key: a,
      method: 'POST',
      body: { url: receiver.url('/a'), eventTypes: ['message.status'] },
    });
    expect(created.status).toBe(201);
    const endpoint = created.body as Json;
    expect(endpoint).toMatchObject({
      url: receiver.url('/a'),
      enabled: true,
      disabledReason: null,
    });
    const secret = endpoint['secret'] as string;
    expect(secret).toMatch(/^whsec_/);
    const id = endpoint['id'] as string;

    const listed = await gateway.request('/v1/webhooks', { key: a });
    expect(listed.status).toBe(200);
    expect((listed.body as { data: Json[] }).data.map((item) => item['id'])).toEqual([id]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    await publisher.publishEvents({
      events: [
        {
          eventId: 'evt_gateway_1',
          type: 'message.status',
          accountId: a.accountId,
          occurredAt: toTimestamp(new Date()),
          dataJson: JSON.stringify({ messageId: 'm1', status: 'delivered', sequence: 3 }),
        },
      ],
    });
    const request = await waitFor(() => receiver.at('/a')[0]);
    expect(verifySignature(secret, request)).toBe(true);
    const deliveries = await waitFor(async () => {
      const page = await gateway.request(`/v1/webhooks/${id}/deliveries`, { key: a });
      const data = (page.body as { data: Json[] }).data;
      return data[0]?.['status'] === 'delivered' ? data : null;
    });
    expect(deliveries[0]).toMatchObject({
      eventId: 'evt_gateway_1',
      attempts: 1,
      lastHttpCode: 200,
      lastError: null,
    });

    const redelivered = await gateway.request(
      `/v1/webhooks/${id}/deliveries/${deliveries[0]?.['id'] as string}/redeliver`,
      { key: a, method: 'POST' },
    );
    expect(redelivered.status).toBe(202);
    await waitFor(() => receiver.at('/a').length === 2);
    expect(receiver.at('/a')[1]?.id).toBe('evt_gateway_1');

    const patched = await gateway.request(`/v1/webhooks/${id}`, {
      key: a,
      method: 'PATCH',
      body: { enabled: false },
    });
    expect(patched.body).toMatchObject({
      enabled: false,
      disabledReason: 'disabled by the account',
    });
    const rotated = await gateway.request(`/v1/webhooks/${id}/rotate-secret`, {
      key: a,
      method: 'POST',
    });
    expect((rotated.body as Json)['secret']).not.toBe(secret);
  });

  it('refuses bad requests clearly, a private address included, storing nothing', async () => {
    const c = await gateway.newAccount('customer');
    const cases: [unknown, RegExp][] = [
      [{ url: 'http://10.0.0.1/x', eventTypes: ['message.status'] }, /url refused: .*private/],
      [{ url: receiver.url('/c'), eventTypes: [] }, /eventTypes: must name at least one/],
      [{ url: receiver.url('/c'), eventTypes: ['message.nope'] }, /eventTypes/],
      [{ url: receiver.url('/c') }, /eventTypes/],
      [
        { url: receiver.url('/c'), eventTypes: ['message.status'], secret: 'x' },
        /secret is not supported/,
      ],
    ];
    for (const [body, message] of cases) {
      const response = await gateway.request('/v1/webhooks', { key: c, method: 'POST', body });
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toMatch(message);
    }
    expect((await gateway.request('/v1/webhooks', { key: c })).body).toEqual({
      data: [],
      nextPageToken: null,
    });
  });

  it('keeps accounts apart', async () => {
    const created = await gateway.request('/v1/webhooks', {
      key: a,
      method: 'POST',
      body: { url: receiver.url('/tenancy'), eventTypes: ['reply.received'] },
    });
    const id = (created.body as Json)['id'] as string;
    for (const [method, path, body] of [
      ['GET', `/v1/webhooks/${id}`, undefined],
      ['PATCH', `/v1/webhooks/${id}`, { enabled: false }],
      ['DELETE', `/v1/webhooks/${id}`, undefined],
      ['POST', `/v1/webhooks/${id}/rotate-secret`, undefined],
      ['GET', `/v1/webhooks/${id}/deliveries`, undefined],
      ['POST', `/v1/webhooks/${id}/deliveries/dl_x/redeliver`, undefined],
    ] as const) {
      const response = await gateway.request(path, { key: b, method, body });
      expect([method, path, response.status]).toEqual([method, path, 404]);
    }
    expect(JSON.stringify((await gateway.request('/v1/webhooks', { key: b })).body)).not.toContain(
      id,
    );
    const unchanged = await gateway.request(`/v1/webhooks/${id}`, { key: a });
    expect(unchanged.body).toMatchObject({ enabled: true, url: receiver.url('/tenancy') });
    expect((await gateway.request(`/v1/webhooks/${id}`, { key: a, method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await gateway.request(`/v1/webhooks/${id}`, { key: a })).status).toBe(404);
  });
});
