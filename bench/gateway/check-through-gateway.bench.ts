// What the gateway adds to a call: GET /v1/block-list/check (API-key auth from the in-memory
// cache, Redis rate limit, validation, gRPC Check, JSON mapping) against the same Check called
// directly over gRPC on the same interception-service process — same machine, same run.
// `node -r ./tools/runtime/register.cjs bench/gateway/check-through-gateway.bench.ts`
// Needs PostgreSQL and Redis on 127.0.0.1 (TEST_DATABASE_URL / TEST_REDIS_URL override).
// Bounded: about 30 s; cleans its schemas, keys and processes up.
import { execFileSync } from 'node:child_process';
import { GRPC_SERVICES, type interceptionV1 } from '@sms/contracts';
import { tryNormalizePhone } from '@sms/domain-phone';
import { runMigrations } from '@sms/platform-database';
import { createGrpcClient } from '@sms/platform-grpc';
import { createRedis, hashTaggedPrefix } from '@sms/platform-redis';
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
import { ormSettings as gatewayOrm } from '../../apps/gateway/src/database';
import { ormSettings as interceptionOrm } from '../../apps/interception-service/src/database';

const CONCURRENCIES = [1, 16];
const MEASURE_MS = 4000;
const WARMUP_MS = 500;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function measure(
  concurrency: number,
  call: (i: number) => Promise<unknown>,
): Promise<{ perSecond: number; p50: number; p99: number }> {
  const warmupEnd = Date.now() + WARMUP_MS;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = worker; Date.now() < warmupEnd; i += concurrency) await call(i);
    }),
  );
  const latencies: number[] = [];
  const start = Date.now();
  const end = start + MEASURE_MS;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = worker; Date.now() < end; i += concurrency) {
        const t0 = process.hrtime.bigint();
        await call(i);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    perSecond: Math.round(latencies.length / ((Date.now() - start) / 1000)),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function main(): Promise<void> {
  const { redisUrl } = testInfrastructure();
  const schemas: TestSchema[] = [];
  const processes: ServiceProcess[] = [];
  const redisBases: [string, string][] = [];
  try {
    const interceptionSchema = await createTestSchema('bench-gw-interception');
    const gatewaySchema = await createTestSchema('bench-gw-gateway');
    schemas.push(interceptionSchema, gatewaySchema);
    await runMigrations(
      interceptionOrm({
        DATABASE_URL: interceptionSchema.databaseUrl,
        DATABASE_SCHEMA: interceptionSchema.schema,
      }),
    );
    await runMigrations(
      gatewayOrm({
        DATABASE_URL: gatewaySchema.databaseUrl,
        DATABASE_SCHEMA: gatewaySchema.schema,
      }),
    );

    const interceptionBase = createTestRedisPrefix('bench-gw-i').replace(/[{}]/g, '');
    const gatewayBase = createTestRedisPrefix('bench-gw-g').replace(/[{}]/g, '');
    redisBases.push([interceptionBase, 'interception'], [gatewayBase, 'gateway']);
    const [grpcPort, interceptionHttp, gatewayHttp] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const target = `127.0.0.1:${grpcPort}`;
    processes.push(
      startServiceProcess('apps/interception-service/src/main.ts', {
        DATABASE_URL: interceptionSchema.databaseUrl,
        DATABASE_SCHEMA: interceptionSchema.schema,
        REDIS_URL: redisUrl,
        REDIS_PREFIX: interceptionBase,
        GRPC_PORT: String(grpcPort),
        HTTP_PORT: String(interceptionHttp),
        LOG_LEVEL: 'warn',
      }),
    );
    const gatewayEnv = {
      DATABASE_URL: gatewaySchema.databaseUrl,
      DATABASE_SCHEMA: gatewaySchema.schema,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: gatewayBase,
      HTTP_PORT: String(gatewayHttp),
      INTERCEPTION_GRPC_TARGET: target,
      RATE_LIMIT_PER_MINUTE: '100000000',
      LOG_LEVEL: 'warn',
    };
    processes.push(startServiceProcess('apps/gateway/src/main.ts', gatewayEnv));
    await waitFor(async () => (await grpcHealthStatus(target, '', 500)) === 'SERVING', {
      timeoutMs: 60_000,
      intervalMs: 200,
      description: 'interception-service',
    });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${gatewayHttp}/healthz`)).ok, {
      timeoutMs: 60_000,
      intervalMs: 200,
      description: 'gateway',
    });

    const cli = (...args: string[]) =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [
            '-r',
            './tools/runtime/register.cjs',
            'apps/gateway/src/accounts/accounts.cli.ts',
            ...args,
          ],
          { env: { PATH: process.env['PATH'] ?? '', ...gatewayEnv } },
        ).toString(),
      ) as Record<string, string>;
    const { accountId } = cli('create-account', '--name', 'bench');
    const key = cli('issue-key', '--account', accountId);
    const authorization = `Bearer ${key['keyId']}.${key['secret']}`;

    const phones: string[] = [];
    for (let n = 7911100000; phones.length < 1000; n += 1) {
      const result = tryNormalizePhone(`+44${n}`);
      if (result.ok) phones.push(result.e164);
    }
    const grpc = createGrpcClient<interceptionV1.InterceptionServiceClient>(
      GRPC_SERVICES.interception,
      { target, deadlineMs: 5000 },
    );
    const base = `http://127.0.0.1:${gatewayHttp}/v1/block-list/check?phone=`;
    const viaGateway = async (i: number) => {
      const response = await fetch(`${base}${encodeURIComponent(phones[i % phones.length])}`, {
        headers: { authorization },
      });
      if (response.status !== 200) throw new Error(`gateway answered ${response.status}`);
      await response.arrayBuffer();
    };
    const direct = (i: number) => grpc.check({ accountId, phone: phones[i % phones.length] });

    console.log('target                       in flight   calls/s     p50 ms    p99 ms');
    for (const concurrency of CONCURRENCIES) {
      for (const [name, call] of [
        ['gRPC Check (baseline)', direct],
        ['gateway GET check', viaGateway],
      ] as const) {
        const result = await measure(concurrency, call);
        console.log(
          `${name.padEnd(28)} ${String(concurrency).padStart(9)} ${String(result.perSecond).padStart(9)} ${result.p50.toFixed(2).padStart(10)} ${result.p99.toFixed(2).padStart(9)}`,
        );
      }
    }
    grpc.close();
  } finally {
    for (const running of processes) await running.stop('SIGTERM');
    const redis = createRedis({ url: redisUrl, name: 'bench-cleanup' });
    for (const [base, service] of redisBases) {
      await deleteKeysWithPrefix(redis, hashTaggedPrefix(base, service));
    }
    await redis.quit();
    for (const schema of schemas) await schema.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
