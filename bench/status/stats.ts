import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { GRPC_SERVICES, toTimestamp, type statusV1 } from '@sms/contracts';
import { createGrpcClient } from '@sms/platform-grpc';
import { createRedis } from '@sms/platform-redis';
import {
  deleteKeysWithPrefix,
  freePort,
  startServiceProcess,
  testInfrastructure,
  waitFor,
} from '@sms/testing';
import { Client } from 'pg';
import { flag, hasFlag, latency, log, ms } from './bench-support';
import { generateMessages } from './generate-messages';

// GetMessageStats latency (p50/p95) for a 30-day, one-account query on a generated store:
//   node -r ./tools/runtime/register.cjs bench/status/stats.ts [--rows 10000000]
//        [--accounts 100] [--samples 50] [--reuse]
// The cost follows the rows of the one account in the window (rows / accounts): the goal's
// 10 million rows over 100 accounts is 100,000 rows per account, which --rows 1000000
// --accounts 10 reproduces at a tenth of the load time. Measured twice in the same run: with the
// migrations' indexes only, then after adding the covering index message_account_stats
// (vacuumed, so its scan is index-only) — the plan to keep. Baseline: the same GROUP BY as bare
// SQL. Same data generator as list-messages.ts.

const ROWS = flag('rows', 10_000_000);
const ACCOUNTS = flag('accounts', 100);
const SAMPLES = flag('samples', 50);
const SCHEMA = 'bench_status_stats';
const COVERING_INDEX = 'message_account_stats';

async function generate(sql: Client): Promise<void> {
  await generateMessages(sql, {
    schema: SCHEMA,
    rows: ROWS,
    accounts: ACCOUNTS,
    skipIndex: COVERING_INDEX,
  });
}

function request(
  overrides: Partial<statusV1.GetMessageStatsRequest>,
): statusV1.GetMessageStatsRequest {
  return {
    accountId: 'acct-7',
    phone: '',
    templateId: '',
    templateType: 'TEMPLATE_TYPE_UNSPECIFIED' as never,
    label: '',
    smsUser: '',
    status: 'MESSAGE_STATUS_UNSPECIFIED' as never,
    processFailedReason: 'PROCESS_FAILED_REASON_UNSPECIFIED' as never,
    sendFailureCode: 'SEND_FAILURE_CODE_UNSPECIFIED' as never,
    from: toTimestamp(new Date(Date.now() - 30 * 86_400_000 + 60_000)),
    to: undefined,
    bucketSize: 'STATS_BUCKET_SIZE_DAY' as never,
    statuses: [],
    ...overrides,
  };
}

async function main(): Promise<void> {
  const { databaseUrl, redisUrl } = testInfrastructure();
  const sql = new Client({ connectionString: databaseUrl });
  await sql.connect();
  const existing = await sql
    .query<{ n: string }>(`select count(*) as n from ${SCHEMA}.message`)
    .catch(() => undefined);
  if (hasFlag('reuse') && existing && Number(existing.rows[0]?.n) > 0) {
    log(`reusing ${SCHEMA} with ${Number(existing.rows[0]?.n).toLocaleString()} rows`);
  } else {
    log(`generating ${ROWS.toLocaleString()} rows over 30 days and ${ACCOUNTS} accounts ...`);
    await generate(sql);
  }
  await sql.query(`set search_path = ${SCHEMA}`);
  await sql.query(`drop index if exists ${COVERING_INDEX}`);
  const perAccount = (
    await sql.query<{ n: string }>(`select count(*) as n from message where account_id = 'acct-7'`)
  ).rows[0]?.n;
  log(`account acct-7 has ${Number(perAccount).toLocaleString()} messages in the window`);

  const [grpcPort, httpPort] = [await freePort(), await freePort()];
  const service = startServiceProcess('apps/status-tracker/src/main.ts', {
    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: SCHEMA,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: 'bench-status-stats',
    GRPC_PORT: String(grpcPort),
    HTTP_PORT: String(httpPort),
    LOG_LEVEL: 'warn',
  });
  const client = createGrpcClient<statusV1.StatusServiceClient>(GRPC_SERVICES.status, {
    target: `127.0.0.1:${grpcPort}`,
    deadlineMs: 30_000,
  });
  const scenarios: [string, Partial<statusV1.GetMessageStatsRequest>][] = [
    ['30 days, by day', {}],
    ['30 days, by hour', { bucketSize: 'STATS_BUCKET_SIZE_HOUR' as never }],
    ['30 days, status SEND_FAILED', { status: 'MESSAGE_STATUS_SEND_FAILED' as never }],
    ['30 days, sms user', { smsUser: 'user-3' }],
    ['30 days, label promo (20%)', { label: 'promo' }],
  ];
  const bareSql = `select date_bin(interval '1 day', request_time, timestamptz '2000-01-01 00:00:00+00'), status, process_failed_reason,
         send_failure_code, count(*), sum(entries) from message
   where account_id = 'acct-7' and request_time >= now() - interval '30 days' group by 1, 2, 3, 4`;
  const measure = async (variant: string) => {
    log('');
    log(`### ${variant}`);
    log('| query (account acct-7) | p50 | p95 |');
    log('|---|---|---|');
    for (const [name, overrides] of scenarios) {
      for (let i = 0; i < 3; i++) await client.getMessageStats(request(overrides));
      const result = await latency(SAMPLES, () => client.getMessageStats(request(overrides)));
      log(`| ${name} | ${ms(result.p50)} | ${ms(result.p95)} |`);
    }
    const bare = await latency(SAMPLES, () => sql.query(bareSql));
    log(`| baseline: bare SQL GROUP BY, 30 days by day | ${ms(bare.p50)} | ${ms(bare.p95)} |`);
    const plan = await sql.query<{ 'QUERY PLAN': string }>(`explain ${bareSql}`);
    const scans = plan.rows
      .map((row) => row['QUERY PLAN'])
      .filter((line) => /Scan/.test(line))
      .map((line) =>
        line
          .trim()
          .replace(/\s+\(cost.*$/, '')
          .replace(/ on message_p\d+.*$/, ''),
      );
    log(`plan: ${[...new Set(scans)].join('; ')}`);
  };
  try {
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${httpPort}/healthz`)).status === 200,
      { timeoutMs: 60_000, description: 'status-tracker' },
    );
    await measure('without message_account_stats (message_account_time, heap fetches)');
    const started = performance.now();
    await sql.query(
      `create index ${COVERING_INDEX} on message (account_id, request_time)
         include (status, process_failed_reason, send_failure_code, entries)`,
    );
    await sql.query('vacuum analyze message');
    log('');
    log(
      `covering index built and vacuumed in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    await measure(`with ${COVERING_INDEX} (index-only)`);
  } finally {
    client.close();
    await service.stop('SIGTERM');
    const redis = createRedis({ url: redisUrl, name: 'bench-cleanup' });
    await deleteKeysWithPrefix(redis, '{bench-status-stats:status}');
    await redis.quit();
    await sql.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
