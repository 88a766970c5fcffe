// The whole system as four separate processes on free ports, each with its own PostgreSQL schema
// and Redis prefix, wired to each other through their *_GRPC_TARGET variables.
import {
  createTestRedisPrefix,
  createTestSchema,
  deleteKeysWithPrefix,
  freePort,
  grpcHealthStatus,
  startServiceProcess,
  testInfrastructure,
  waitFor,
  type ServiceProcess,
  type TestSchema,
} from '@sms/testing';
import { Redis } from 'ioredis';

export type ServiceName = 'status-tracker' | 'interception-service' | 'reply-service' | 'gateway';

const GRPC_SERVICE_NAMES: Partial<Record<ServiceName, string>> = {
  'status-tracker': 'sms.status.v1.StatusService',
  'interception-service': 'sms.interception.v1.InterceptionService',
  'reply-service': 'sms.reply.v1.ReplyService',
};

interface ServiceSlot {
  readonly name: ServiceName;
  readonly schema: TestSchema;
  /** REDIS_PREFIX base; keys live under `{<base>:<service>}`. */
  readonly redisBase: string;
  readonly httpPort: number;
  readonly grpcPort: number;
  process?: ServiceProcess;
}

export interface RunningSystem {
  readonly gatewayUrl: string;
  readonly targets: { status: string; interception: string; reply: string };
  /** Environment for the gateway's accounts CLI (its database schema). */
  readonly accountsEnv: NodeJS.ProcessEnv;
  /** Every process's output so far, for failure messages. */
  output(name?: ServiceName): string;
  /** SIGTERM to each service (gateway first); their exits. */
  stop(): Promise<Record<ServiceName, { code: number | null; signal: NodeJS.Signals | null }>>;
  /** Kills anything still running, drops the schemas and the Redis keys. */
  cleanUp(): Promise<void>;
}

const ORDER: readonly ServiceName[] = [
  'status-tracker',
  'interception-service',
  'reply-service',
  'gateway',
];

export async function startSystem(): Promise<RunningSystem> {
  const { redisUrl } = testInfrastructure();
  const slots: ServiceSlot[] = [];
  for (const name of ORDER) {
    slots.push({
      name,
      schema: await createTestSchema(`e2e-${name}`),
      redisBase: createTestRedisPrefix(`e2e-${name}`).replace(/[{}]/g, ''),
      httpPort: await freePort(),
      grpcPort: await freePort(),
    });
  }
  const slot = (name: ServiceName) => slots.find((s) => s.name === name)!;
  const targets = {
    status: `127.0.0.1:${slot('status-tracker').grpcPort}`,
    interception: `127.0.0.1:${slot('interception-service').grpcPort}`,
    reply: `127.0.0.1:${slot('reply-service').grpcPort}`,
  };
  const envOf = (s: ServiceSlot): Record<string, string> => ({
    DATABASE_URL: s.schema.databaseUrl,
    DATABASE_SCHEMA: s.schema.schema,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: s.redisBase,
    HTTP_PORT: String(s.httpPort),
    GRPC_PORT: String(s.grpcPort),
    LOG_LEVEL: 'info',
    STATUS_GRPC_TARGET: targets.status,
    INTERCEPTION_GRPC_TARGET: targets.interception,
    REPLY_GRPC_TARGET: targets.reply,
    // The test reads every message one by one through the gateway.
    RATE_LIMIT_PER_MINUTE: '100000',
    // A lost outbox job would otherwise wait 10 s before the relay picks it up again.
    OUTBOX_RELAY_INTERVAL_MS: '1000',
    OUTBOX_RELAY_AFTER_MS: '1000',
  });

  const system: RunningSystem = {
    gatewayUrl: `http://127.0.0.1:${slot('gateway').httpPort}`,
    targets,
    accountsEnv: {
      PATH: process.env['PATH'] ?? '',
      DATABASE_URL: slot('gateway').schema.databaseUrl,
      DATABASE_SCHEMA: slot('gateway').schema.schema,
    },
    output: (name) =>
      slots
        .filter((s) => name === undefined || s.name === name)
        .map((s) => `--- ${s.name} ---\n${s.process?.output() ?? '(not started)'}`)
        .join('\n'),
    stop: async () => {
      const exits: Partial<
        Record<ServiceName, { code: number | null; signal: NodeJS.Signals | null }>
      > = {};
      // The gateway first (it calls the others), then the rest together.
      for (const group of [
        ['gateway'],
        ['status-tracker', 'interception-service', 'reply-service'],
      ]) {
        await Promise.all(
          group.map(async (name) => {
            const running = slot(name as ServiceName).process;
            if (running) exits[name as ServiceName] = await running.stop('SIGTERM');
          }),
        );
      }
      return exits as Record<ServiceName, { code: number | null; signal: NodeJS.Signals | null }>;
    },
    cleanUp: async () => {
      await Promise.all(slots.map(async (s) => void (await s.process?.stop('SIGKILL'))));
      await Promise.all(slots.map((s) => s.schema.drop()));
      const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
      try {
        await redis.connect();
        for (const s of slots) await deleteKeysWithPrefix(redis, `{${s.redisBase}`);
      } finally {
        redis.disconnect();
      }
    },
  };

  try {
    // Migrations by command, as in production, all four at once.
    await Promise.all(
      slots.map(async (s) => {
        const migrate = startServiceProcess(`apps/${s.name}/src/migrate.ts`, envOf(s));
        const exit = await migrate.exited;
        if (exit.code !== 0) {
          throw new Error(
            `migrations of ${s.name} failed (${JSON.stringify(exit)}):\n${migrate.output()}`,
          );
        }
      }),
    );
    for (const s of slots) s.process = startServiceProcess(`apps/${s.name}/src/main.ts`, envOf(s));
    await Promise.all(
      slots.map(async (s) => {
        const grpcService = GRPC_SERVICE_NAMES[s.name];
        await waitFor(
          async () => {
            if (s.process?.child.exitCode !== null) throw new Error(`${s.name} exited`);
            const health = await fetch(`http://127.0.0.1:${s.httpPort}/healthz`);
            if (health.status !== 200) return false;
            if (!grpcService) return true;
            return (
              (await grpcHealthStatus(`127.0.0.1:${s.grpcPort}`, grpcService, 1000)) === 'SERVING'
            );
          },
          { timeoutMs: 120_000, intervalMs: 100, description: `${s.name} healthy` },
        ).catch((error: Error) => {
          throw new Error(`${error.message}\n${system.output(s.name)}`);
        });
      }),
    );
  } catch (error) {
    await system.cleanUp();
    throw error;
  }
  return system;
}
