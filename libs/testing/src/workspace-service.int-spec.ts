import { Redis } from 'ioredis';
import { Client } from 'pg';
import { grpcHealthStatus } from './grpc-health';
import { testInfrastructure } from './infrastructure';
import { waitFor } from './wait';
import { startWorkspaceService } from './workspace-service';

async function schemasLike(pattern: string): Promise<number> {
  const client = new Client({ connectionString: testInfrastructure().databaseUrl });
  await client.connect();
  try {
    const result = await client.query('select 1 from pg_namespace where nspname like $1', [
      pattern,
    ]);
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

async function keyCount(prefix: string): Promise<number> {
  const redis = new Redis(testInfrastructure().redisUrl);
  try {
    const [, keys] = await redis.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 10_000);
    return keys.length;
  } finally {
    await redis.quit();
  }
}

describe('startWorkspaceService', () => {
  it('migrates and starts an app until healthy, and stop() leaves nothing behind', async () => {
    const service = await startWorkspaceService({
      app: 'interception-service',
      label: 'testing-helper',
      grpcService: 'sms.interception.v1.InterceptionService',
    });
    try {
      expect(
        await grpcHealthStatus(service.target, 'sms.interception.v1.InterceptionService'),
      ).toBe('SERVING');
      expect((await fetch(`http://127.0.0.1:${service.httpPort}/healthz`)).status).toBe(200);
      expect(service.env).toMatchObject({
        DATABASE_SCHEMA: service.schema.schema,
        REDIS_PREFIX: service.redisBase,
        GRPC_PORT: String(service.grpcPort),
        HTTP_PORT: String(service.httpPort),
      });
      expect(await schemasLike(service.schema.schema)).toBe(1);
      // Its queues and index live under its own prefix (so the cleanup below is really tested).
      await waitFor(async () => (await keyCount(`{${service.redisBase}:`)) > 0, {
        description: 'the service to write Redis keys',
      });
    } finally {
      expect(await service.stop()).toEqual({ code: 0, signal: null });
    }
    expect(await schemasLike(service.schema.schema)).toBe(0);
    expect(await keyCount(`{${service.redisBase}:`)).toBe(0);
  }, 90_000);

  it('refuses with the output when the app cannot start, and drops the schema', async () => {
    const label = `testing-helper-broken-${process.pid}`;
    const start = startWorkspaceService({
      app: 'interception-service',
      label,
      env: { PAGE_TOKEN_SECRET: 'short' },
    });
    await expect(start).rejects.toThrow(
      /interception-service exited[\s\S]*PAGE_TOKEN_SECRET: must be at least 16 characters/,
    );
    expect(await schemasLike(`t_${label.replace(/-/g, '_')}_%`)).toBe(0);
  }, 60_000);
});
