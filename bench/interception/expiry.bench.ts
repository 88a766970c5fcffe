// Expiry lateness with 100,000 expiry jobs pending (SPEC 7: entries leave ACTIVE within 250 ms
// p99 of expiresAt; none early). 98,000 entries expiring in a day are bulk-loaded (their jobs
// are created by the service's start-up reconcile), then 2,000 failures with a 15-second
// interception are recorded over gRPC and we watch them expire.
// `node -r ./tools/runtime/register.cjs bench/interception/expiry.bench.ts [--entries 98000]
//   [--failures 2000] [--source]` (the service runs compiled from dist/ unless --source)
import { GRPC_SERVICES, commonV1, type interceptionV1 } from '@sms/contracts';
import { tryNormalizePhone } from '@sms/domain-phone';
import { runMigrations } from '@sms/platform-database';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { createGrpcClient } from '@sms/platform-grpc';
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
import { Client } from 'pg';
import { ormSettings } from '../../apps/interception-service/src/database';
import { COMPILED_SERVICES, flag } from '../flags';
import { report } from '../report';

const PENDING = flag('entries', 98_000);
const MEASURED = flag('failures', 2_000);
const INTERCEPTION_SECONDS = 15;
const RECORD_CONCURRENCY = 16;

function validPhones(start: number, count: number): string[] {
  const phones: string[] = [];
  for (let n = start; phones.length < count; n += 1) {
    const result = tryNormalizePhone(`+44${n}`);
    if (result.ok) phones.push(result.e164);
  }
  return phones;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const { redisUrl } = testInfrastructure();
  const schema = await createTestSchema('bench_expiry');
  const redisPrefix = createTestRedisPrefix('bench-expiry').replace(/[{}]/g, '');
  const redis = createRedis({ url: redisUrl, name: 'bench-expiry' });
  const sql = new Client({
    connectionString: schema.databaseUrl,
    options: `-c search_path=${schema.schema}`,
  });
  let service: ServiceProcess | undefined;
  try {
    await runMigrations(
      ormSettings({ DATABASE_URL: schema.databaseUrl, DATABASE_SCHEMA: schema.schema }),
    );
    await sql.connect();
    await sql.query(
      `insert into block_entry (id, phone, scope, owner_account_id, source, send_failure_code, reason,
         detail, message_id, intercepted_at, expires_at, state, created_by)
       select gen_random_uuid(), p.phone, 'GLOBAL', 'bench', 'SEND_FAILURE', 510, 'bench', '',
              'bench-' || p.i, now(), now() + interval '1 day', 'ACTIVE', 'bench'
       from unnest($1::text[]) with ordinality as p(phone, i)`,
      [validPhones(7912000000, PENDING)],
    );
    const grpcPort = await freePort();
    const started = Date.now();
    service = startServiceProcess(
      'apps/interception-service/src/main.ts',
      {
        DATABASE_URL: schema.databaseUrl,
        DATABASE_SCHEMA: schema.schema,
        REDIS_URL: redisUrl,
        REDIS_PREFIX: redisPrefix,
        GRPC_PORT: String(grpcPort),
        HTTP_PORT: String(await freePort()),
        LOG_LEVEL: 'warn',
        INTERCEPTION_DURATIONS: `590=${INTERCEPTION_SECONDS}`,
      },
      COMPILED_SERVICES,
    );
    const running = service;
    await waitFor(async () => (await grpcHealthStatus(`127.0.0.1:${grpcPort}`, '')) === 'SERVING', {
      timeoutMs: 180_000,
      intervalMs: 200,
      description: 'interception-service',
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${running.output()}`);
    });
    process.stdout.write(
      `SERVING after ${Date.now() - started} ms with ${PENDING} entries (jobs created at start-up)\n`,
    );

    const client = createGrpcClient<interceptionV1.InterceptionServiceClient>(
      GRPC_SERVICES.interception,
      {
        target: `127.0.0.1:${grpcPort}`,
        deadlineMs: 10_000,
        callerToken: DEVELOPMENT_GRPC_TOKENS.sender,
      },
    );
    const phones = validPhones(7913000000, MEASURED);
    let next = 0;
    const recordStarted = Date.now();
    await Promise.all(
      Array.from({ length: RECORD_CONCURRENCY }, async () => {
        while (next < phones.length) {
          const i = next++;
          await client.recordFailure({
            accountId: 'bench',
            phone: phones[i],
            messageId: `expiry-${i}`,
            code: commonV1.SendFailureCode.SEND_FAILURE_CODE_OTHER,
            detail: '',
            occurredAt: null as never,
          });
        }
      }),
    );
    client.close();
    const pending = Number(
      (await sql.query(`select count(*) from block_entry where state = 'ACTIVE'`)).rows[0].count,
    );
    process.stdout.write(
      `recorded ${MEASURED} failures in ${Date.now() - recordStarted} ms; ${pending} entries ACTIVE (jobs pending)\n`,
    );

    await waitFor(
      async () =>
        Number(
          (
            await sql.query(
              `select count(*) from block_entry where message_id like 'expiry-%' and state = 'ACTIVE'`,
            )
          ).rows[0].count,
        ) === 0,
      { timeoutMs: (INTERCEPTION_SECONDS + 60) * 1000, intervalMs: 500, description: 'expiries' },
    );
    const { rows } = await sql.query<{ lateness_ms: string }>(
      `select extract(epoch from (updated_at - expires_at)) * 1000 as lateness_ms
       from block_entry where message_id like 'expiry-%'`,
    );
    const lateness = rows.map((r) => Number(r.lateness_ms)).sort((a, b) => a - b);
    process.stdout.write(
      `expiry lateness over ${lateness.length} entries (ms): p50 ${percentile(lateness, 50).toFixed(0)}, ` +
        `p99 ${percentile(lateness, 99).toFixed(0)}, max ${lateness[lateness.length - 1].toFixed(0)}; ` +
        `early: ${lateness.filter((ms) => ms < 0).length} (goal p99 ≤ 250 ms, none early)\n`,
    );
    const pendingLabel = `${(PENDING + MEASURED).toLocaleString('en-GB')} pending`;
    report({
      measure: `expiry lateness p99, ${pendingLabel}`,
      value: percentile(lateness, 99),
      unit: 'ms',
      goal: { kind: 'at-most', limit: 250 },
      goalText: '≤ 250 ms',
    });
    report({
      measure: 'entries expired early',
      value: lateness.filter((ms) => ms < 0).length,
      unit: 'entries',
      goal: { kind: 'at-most', limit: 0 },
      goalText: 'none',
    });
  } finally {
    await service?.stop('SIGTERM');
    await sql.end().catch(() => undefined);
    await deleteKeysWithPrefix(redis, `{${redisPrefix}:interception}`);
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
