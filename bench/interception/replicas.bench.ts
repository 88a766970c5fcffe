// Check throughput through one interception-service replica against two replicas behind a
// round_robin client (`ipv4:a,b`), same machine, same run, same entries (one schema, one Redis
// prefix). On a 2-core machine two replicas share the same cores as one: expect the cost of
// spreading, not a speed-up; on more cores (or machines) this is where replicas pay off.
// `node -r ./tools/runtime/register.cjs bench/interception/replicas.bench.ts [--quick] [--source]`
// Needs PostgreSQL and Redis on 127.0.0.1 and `npm run build` first (unless --source). Bounded:
// about a minute; cleans its schema, keys and processes up.
import { GRPC_SERVICES, type interceptionV1 } from '@sms/contracts';
import { tryNormalizePhone } from '@sms/domain-phone';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { runMigrations } from '@sms/platform-database';
import { createGrpcClient, type GrpcClient } from '@sms/platform-grpc';
import { createRedis } from '@sms/platform-redis';
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
} from '@sms/testing';
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { ormSettings } from '../../apps/interception-service/src/database';
import { report } from '../report';

type Interception = GrpcClient<interceptionV1.InterceptionServiceClient>;

const QUICK = process.argv.includes('--quick');
const ENTRIES = QUICK ? 20_000 : 100_000;
const STEP_MS = QUICK ? 2_000 : 4_000;
/** Each setup measured this many times, alternating, so a load change hits both alike. */
const REPEATS = 3;
const CONCURRENCIES = [8, 64];
const ACCOUNT = 'bench-acc-1';
const COMPILED = !process.argv.includes('--source');

function validPhones(start: number, count: number): string[] {
  const phones: string[] = [];
  for (let n = start; phones.length < count; n += 1) {
    const result = tryNormalizePhone(`+44${n}`);
    if (result.ok) phones.push(result.e164);
  }
  return phones;
}

async function callsPerSecond(
  concurrency: number,
  call: () => Promise<unknown>,
): Promise<{ rate: number; errors: number }> {
  let calls = 0;
  let errors = 0;
  const started = process.hrtime.bigint();
  const end = Date.now() + STEP_MS;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        try {
          await call();
          calls += 1;
        } catch {
          errors += 1;
        }
      }
    }),
  );
  return { rate: calls / (Number(process.hrtime.bigint() - started) / 1e9), errors };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

async function main(): Promise<void> {
  const { redisUrl } = testInfrastructure();
  const schema = await createTestSchema('bench_replicas');
  const redisPrefix = createTestRedisPrefix('bench-replicas').replace(/[{}]/g, '');
  const keyPrefix = `{${redisPrefix}:interception}`;
  const redis = createRedis({ url: redisUrl, name: 'bench-replicas' });
  const services: ServiceProcess[] = [];
  const clients: Interception[] = [];
  try {
    process.stdout.write(`loading ${ENTRIES} ACTIVE entries into ${schema.schema} ...\n`);
    await runMigrations(
      ormSettings({ DATABASE_URL: schema.databaseUrl, DATABASE_SCHEMA: schema.schema }),
    );
    const listed = validPhones(7912000000, ENTRIES);
    const sql = new Client({
      connectionString: schema.databaseUrl,
      options: `-c search_path=${schema.schema}`,
    });
    await sql.connect();
    await sql.query(
      `insert into block_entry (id, phone, scope, owner_account_id, source, reason, message_id,
         intercepted_at, state, created_by)
       select gen_random_uuid(), p.phone,
              case when p.i % 2 = 0 then 'GLOBAL' else 'LOCAL' end,
              'bench-acc-' || (p.i % 10), 'MANUAL', 'bench entry', 'bench-' || p.i, now(),
              'ACTIVE', 'bench'
       from unnest($1::text[]) with ordinality as p(phone, i)`,
      [listed],
    );
    await sql.end();

    // Two replicas on one schema and one prefix, the second once the first has built the index.
    const targets: string[] = [];
    for (let n = 0; n < 2; n += 1) {
      const grpcPort = await freePort();
      const service = startServiceProcess(
        'apps/interception-service/src/main.ts',
        {
          DATABASE_URL: schema.databaseUrl,
          DATABASE_SCHEMA: schema.schema,
          REDIS_URL: redisUrl,
          REDIS_PREFIX: redisPrefix,
          GRPC_PORT: String(grpcPort),
          HTTP_PORT: String(await freePort()),
          LOG_LEVEL: 'warn',
        },
        { compiled: COMPILED },
      );
      services.push(service);
      const target = `127.0.0.1:${grpcPort}`;
      await waitFor(
        async () =>
          (await grpcHealthStatus(target, 'sms.interception.v1.InterceptionService')) === 'SERVING',
        { timeoutMs: 120_000, intervalMs: 200, description: `replica ${n + 1}` },
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${service.output()}`);
      });
      targets.push(target);
    }
    const make = (target: string) => {
      const client = createGrpcClient<interceptionV1.InterceptionServiceClient>(
        GRPC_SERVICES.interception,
        { target, deadlineMs: 10_000, callerToken: DEVELOPMENT_GRPC_TOKENS.sender },
      );
      clients.push(client);
      return client;
    };
    const setups: [string, Interception][] = [
      ['one replica', make(targets[0])],
      ['two replicas', make(`ipv4:${targets.join(',')}`)],
    ];
    const randomPhone = () => listed[Math.floor(Math.random() * listed.length)];
    // Warm both replicas' number caches through the spreading client (and the single one).
    for (const [, client] of setups) {
      for (let i = 0; i < listed.length; i += 1000) {
        await client.checkBatch({ accountId: ACCOUNT, phones: listed.slice(i, i + 1000) });
      }
    }
    const load = [loadavg()[0]];
    const rates = new Map<string, number[]>();
    let errors = 0;
    for (const concurrency of CONCURRENCIES) {
      for (let repeat = 0; repeat < REPEATS; repeat += 1) {
        for (const [name, client] of setups) {
          const result = await callsPerSecond(concurrency, () =>
            client.check({ accountId: ACCOUNT, phone: randomPhone() }),
          );
          errors += result.errors;
          const key = `${name}|${concurrency}`;
          rates.set(key, [...(rates.get(key) ?? []), result.rate]);
        }
      }
    }
    load.push(loadavg()[0]);
    process.stdout.write(
      `\nCheck calls/s (median of ${REPEATS} alternating ${STEP_MS} ms steps; load average ` +
        `${load.map((l) => l.toFixed(1)).join(' → ')}; ${errors} errors)\n\n` +
        `| in flight | one replica | two replicas | two / one |\n|---|---|---|---|\n`,
    );
    for (const concurrency of CONCURRENCIES) {
      const one = median(rates.get(`one replica|${concurrency}`)!);
      const two = median(rates.get(`two replicas|${concurrency}`)!);
      process.stdout.write(
        `| ${concurrency} | ${one.toFixed(0)} | ${two.toFixed(0)} | ${(two / one).toFixed(2)} |\n`,
      );
      report({
        measure: `Check, ${concurrency} in flight, two replicas (round_robin)`,
        value: two,
        unit: 'calls/s',
        baseline: { label: 'one replica', value: one },
        goalText: 'none: on 2 cores the cost of the extra hop, not a speed-up',
      });
    }
    if (errors > 0) throw new Error(`${errors} Check calls failed`);
  } finally {
    for (const client of clients) client.close();
    await Promise.all(services.map((service) => service.stop('SIGTERM')));
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
    await schema.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
