import { Redis } from 'ioredis';
import { createTestRedisPrefix, deleteKeysWithPrefix } from './test-redis';
import { createTestSchema, type TestSchema } from './test-schema';
import { startServiceProcess, type ServiceProcess } from './service-process';
import { grpcHealthStatus } from './grpc-health';
import { freePort, waitFor } from './wait';
import { testInfrastructure } from './infrastructure';

export interface ServiceUnderTest {
  readonly name: string;
  /** e.g. `apps/status-tracker/src/main.ts`. */
  readonly main: string;
  readonly migrate: string;
  /** Fully qualified gRPC service name for health, or undefined for HTTP-only services. */
  readonly grpcService?: string;
  /** The service's environment for a given test schema, key prefix and ports. */
  readonly env: (context: {
    databaseUrl: string;
    redisUrl: string;
    schema: string;
    redisPrefix: string;
    grpcPort: number;
    httpPort: number;
  }) => Record<string, string>;
}

/**
 * The process-level checks every service must pass: migrations by command, start, health over
 * real gRPC and HTTP, metrics, graceful SIGTERM, and a clear refusal of a bad variable or of a
 * schema behind its migrations.
 */
export function describeServiceLifecycle(service: ServiceUnderTest): void {
  describe(`${service.name} as a process`, () => {
    let schema: TestSchema;
    let env: Record<string, string>;
    let httpPort: number;
    let grpcPort: number;
    let running: ServiceProcess | undefined;
    let redisPrefix: string;

    beforeAll(async () => {
      schema = await createTestSchema(service.name);
      [httpPort, grpcPort] = [await freePort(), await freePort()];
      const { redisUrl } = testInfrastructure();
      redisPrefix = createTestRedisPrefix(service.name).replace(/[{}]/g, '');
      env = service.env({
        databaseUrl: schema.databaseUrl,
        redisUrl,
        schema: schema.schema,
        redisPrefix,
        grpcPort,
        httpPort,
      });
    });

    afterAll(async () => {
      await running?.stop('SIGKILL');
      await schema?.drop();
      // The service's keys live under the hash tag `{<prefix>:<service>}`.
      const redis = new Redis(testInfrastructure().redisUrl);
      await deleteKeysWithPrefix(redis, `{${redisPrefix}:`);
      await redis.quit();
    });

    // Runs first, on the still empty schema.
    it('refuses to serve a schema behind its migrations (exit 78, naming them and the fix)', async () => {
      const unmigrated = startServiceProcess(service.main, env);
      const exit = await unmigrated.exited;
      expect(exit.code).toBe(78);
      expect(unmigrated.output()).toMatch(/not at its latest migration; pending: \w+/);
      expect(unmigrated.output()).toMatch(/npm run migrate/);
    });

    it('applies its migrations by command', async () => {
      const migrate = startServiceProcess(service.migrate, env);
      const { code } = await migrate.exited;
      expect(code).toBe(0);
      expect(migrate.output()).toMatch(/migration/);
    });

    it('starts, answers health and metrics, and stops gracefully on SIGTERM', async () => {
      running = startServiceProcess(service.main, env);
      const process = running;
      await waitFor(
        async () => (await fetch(`http://127.0.0.1:${httpPort}/healthz`)).status === 200,
        { timeoutMs: 30_000, description: `${service.name} /healthz`, intervalMs: 100 },
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n--- output ---\n${process.output()}`);
      });
      if (service.grpcService) {
        // HTTP listens first; gRPC health turns SERVING once start-up work (e.g. the index
        // check of interception-service) is done.
        const grpcService = service.grpcService;
        await waitFor(
          async () => (await grpcHealthStatus(`127.0.0.1:${grpcPort}`, grpcService)) === 'SERVING',
          {
            timeoutMs: 30_000,
            description: `${service.name} gRPC health SERVING`,
            intervalMs: 100,
          },
        );
        expect(await grpcHealthStatus(`127.0.0.1:${grpcPort}`, '')).toBe('SERVING');
      }
      const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
      expect(metrics).toContain(`service="${service.name}"`);

      const exit = await process.stop('SIGTERM');
      expect(exit).toEqual({ code: 0, signal: null });
      expect(process.output()).toMatch(/SIGTERM received: draining/);
      // Logs are JSON lines.
      const firstLine = process
        .output()
        .split('\n')
        .find((line) => line.startsWith('{'));
      expect(JSON.parse(firstLine ?? '')).toMatchObject({ service: service.name });
    });

    it('refuses a broken variable with a message naming it', async () => {
      const broken = startServiceProcess(service.main, { ...env, DATABASE_URL: 'nope' });
      const exit = await broken.exited;
      expect(exit.code).not.toBe(0);
      expect(broken.output()).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
    });
  });
}
