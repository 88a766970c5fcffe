import {
  createTestSchema,
  describeServiceLifecycle,
  freePort,
  startServiceProcess,
  testInfrastructure,
  waitFor,
} from '@sms/testing';

describeServiceLifecycle({
  name: 'gateway',
  main: 'apps/gateway/src/main.ts',
  migrate: 'apps/gateway/src/migrate.ts',
  env: (context) => ({
    DATABASE_URL: context.databaseUrl,
    DATABASE_SCHEMA: context.schema,
    REDIS_URL: context.redisUrl,
    REDIS_PREFIX: context.redisPrefix,
    HTTP_PORT: String(context.httpPort),
  }),
});

describe('gateway process serves its API documentation', () => {
  it('answers /openapi.json and /docs from the real entry point', async () => {
    const schema = await createTestSchema('gateway-docs');
    const httpPort = await freePort();
    const env = {
      DATABASE_URL: schema.databaseUrl,
      DATABASE_SCHEMA: schema.schema,
      REDIS_URL: testInfrastructure().redisUrl,
      HTTP_PORT: String(httpPort),
    };
    expect((await startServiceProcess('apps/gateway/src/migrate.ts', env).exited).code).toBe(0);
    const gateway = startServiceProcess('apps/gateway/src/main.ts', env);
    try {
      const document = await waitFor(
        async () => {
          const response = await fetch(`http://127.0.0.1:${httpPort}/openapi.json`);
          return response.ok
            ? ((await response.json()) as { paths: Record<string, unknown> })
            : null;
        },
        { timeoutMs: 30_000, intervalMs: 100, description: 'the gateway to serve /openapi.json' },
      );
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining(['/v1/messages', '/v1/block-list/check', '/v1/admin/replies']),
      );
      const docs = await fetch(`http://127.0.0.1:${httpPort}/docs`);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toMatch(/swagger/i);
      const unauthenticated = await fetch(`http://127.0.0.1:${httpPort}/v1/messages`);
      expect(unauthenticated.status).toBe(401);
    } finally {
      await gateway.stop('SIGTERM');
      await schema.drop();
    }
  });
});
