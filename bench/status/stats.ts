import 'reflect-metadata';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { GRPC_SERVICES, toTimestamp, type statusV1 } from '@sms/contracts';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { createGrpcClient, type GrpcClient } from '@sms/platform-grpc';
import { createRedis } from '@sms/platform-redis';
import {
  deleteKeysWithPrefix,
  freePort,
  startServiceProcess,
  testInfrastructure,
  waitFor,
} from '@sms/testing';
import { Client } from 'pg';
import { report } from '../report';
import { COMPILED_SERVICES, flag, hasFlag, latency, log, ms } from './bench-support';
import { generateMessages } from './generate-messages';

// GetMessageStats latency (p50/p95) for a 30-day, one-account query on a generated store:
//   node -r ./tools/runtime/register.cjs bench/status/stats.ts [--rows 10000000]
//        [--accounts 100] [--samples 50] [--reuse]
// The cost follows the rows of the one account in the window (rows / accounts): the goal's
// 10 million rows over 100 accounts is 100,000 rows per account. The two plans of
// docs/delivery-statistics-rollup.md, measured in the same run through the service:
//   1. the message rows, index-only through the covering index message_account_stats (built
//      and vacuumed here; the rollup migration dropped it), service with STATS_FROM_ROLLUP=false;
//   2. the hourly rollup message_stats_hourly with row edges, as deployed.
// Both answers must be equal. Baseline: the rows plan's GROUP BY as bare SQL. Same data
// generator as list-messages.ts (which builds the rollup from the generated rows). The covering
// index is left in place for the next --reuse run.

const ROWS = flag('rows', 10_000_000);
const ACCOUNTS = flag('accounts', 100);
const SAMPLES = flag('samples', 50);
const SCHEMA = 'bench_status_stats';
const COVERING_INDEX = 'message_account_stats';

type StatusClient = GrpcClient<statusV1.StatusServiceClient>;

/** JSON with every array sorted: the per-status lists follow the order rows came back in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    Array.isArray(item)
      ? item.map((element) => canonical(element)).sort((a, b) => a.localeCompare(b))
      : item,
  );
}

async function generate(sql: Client): Promise<void> {
  await generateMessages(sql, { schema: SCHEMA, rows: ROWS, accounts: ACCOUNTS });
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
  const count = async (query: string) =>
    Number((await sql.query<{ n: string }>(query)).rows[0]?.n).toLocaleString();
  log(
    `account acct-7 has ${await count(`select count(*) as n from message where account_id = 'acct-7'`)} messages in the window, ${await count(`select count(*) as n from message_stats_hourly where account_id = 'acct-7'`)} rollup rows (${await count('select count(*) as n from message_stats_hourly')} in all)`,
  );
  const startedIndex = performance.now();
  await sql.query(
    `create index if not exists ${COVERING_INDEX} on message (account_id, request_time)
       include (status, process_failed_reason, send_failure_code, entries)`,
  );
  await sql.query('vacuum analyze message, message_stats_hourly');
  log(
    `covering index built and vacuumed in ${((performance.now() - startedIndex) / 1000).toFixed(0)} s`,
  );

  const start = async (fromRollup: boolean) => {
    const [grpcPort, httpPort] = [await freePort(), await freePort()];
    const process = startServiceProcess(
      'apps/status-tracker/src/main.ts',
      {
        DATABASE_URL: databaseUrl,
        DATABASE_SCHEMA: SCHEMA,
        REDIS_URL: redisUrl,
        REDIS_PREFIX: 'bench-status-stats',
        GRPC_PORT: String(grpcPort),
        HTTP_PORT: String(httpPort),
        LOG_LEVEL: 'warn',
        STATS_FROM_ROLLUP: String(fromRollup),
      },
      COMPILED_SERVICES,
    );
    const client = createGrpcClient<statusV1.StatusServiceClient>(GRPC_SERVICES.status, {
      target: `127.0.0.1:${grpcPort}`,
      deadlineMs: 30_000,
      callerToken: DEVELOPMENT_GRPC_TOKENS.gateway,
    });
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${httpPort}/healthz`)).status === 200,
      { timeoutMs: 120_000, description: 'status-tracker' },
    );
    return { process, client };
  };
  const scenarios: [string, Partial<statusV1.GetMessageStatsRequest>][] = [
    ['30 days, by day', {}],
    ['30 days, by hour', { bucketSize: 'STATS_BUCKET_SIZE_HOUR' as never }],
    ['30 days, status SEND_FAILED', { status: 'MESSAGE_STATUS_SEND_FAILED' as never }],
    ['30 days, sms user', { smsUser: 'user-3' }],
    // No index leads with template type: the rows plan reads every message of the account from
    // the heap (seconds a call), so it gets 5 samples.
    ['30 days, template type', { templateType: 'TEMPLATE_TYPE_MARKETING' as never }],
    ['30 days, label promo (20%), rows in both', { label: 'promo' }],
  ];
  // Both services answer every scenario alike (the from of request() moves with the clock, so
  // one request object is sent to both).
  const compare = async (rows: StatusClient, rollup: StatusClient) => {
    for (const [name, overrides] of scenarios) {
      const query = request(overrides);
      const [a, b] = await Promise.all([
        rows.getMessageStats(query),
        rollup.getMessageStats(query),
      ]);
      if (canonical(a) !== canonical(b)) throw new Error(`the two plans disagree on "${name}"`);
    }
    log('');
    log('the two plans gave equal answers to every scenario');
  };
  const bareSql = `select date_bin(interval '1 day', request_time, timestamptz '2000-01-01 00:00:00+00'), status, process_failed_reason,
         send_failure_code, count(*), sum(entries) from message
   where account_id = 'acct-7' and request_time >= now() - interval '30 days' group by 1, 2, 3, 4`;
  const measure = async (client: StatusClient, variant: string, rowsPlan: boolean) => {
    log('');
    log(`### ${variant}`);
    log('| query (account acct-7) | p50 | p95 |');
    log('|---|---|---|');
    for (const [name, overrides] of scenarios) {
      for (let i = 0; i < 3; i++) await client.getMessageStats(request(overrides));
      const samples = overrides.templateType && rowsPlan ? 5 : SAMPLES;
      const result = await latency(samples, () => client.getMessageStats(request(overrides)));
      log(`| ${name} | ${ms(result.p50)} | ${ms(result.p95)} |`);
      if (!rowsPlan && name === '30 days, by day') {
        report({
          measure: `GetMessageStats 30 days one account p95, ${ROWS.toLocaleString('en-GB')} rows`,
          value: result.p95,
          unit: 'ms',
          goal: { kind: 'at-most', limit: 100 },
          goalText: '≤ 100 ms',
        });
      }
    }
    const bare = await latency(SAMPLES, () => sql.query(bareSql));
    log(`| baseline: bare SQL GROUP BY, 30 days by day | ${ms(bare.p50)} | ${ms(bare.p95)} |`);
    log(
      `load average: ${loadavg()
        .map((v) => v.toFixed(1))
        .join(' / ')} (1 / 5 / 15 min)`,
    );
    const plan = await sql.query<{ 'QUERY PLAN': string }>(`explain ${bareSql}`);
    const scans = plan.rows
      .map((row) => row['QUERY PLAN'])
      .filter((line) => /Scan/.test(line))
      .map((line) =>
        line
          .trim()
          .replace(/\s+\(cost.*$/, '')
          .replace(/ on message_p\d+.*$/, '')
          .replace(/ using message_p\d+_(\S+)/, ' using <partition>_$1'),
      );
    log(`plan: ${[...new Set(scans)].join('; ')}`);
  };
  const rowsPlan = await start(false);
  const rollupPlan = await start(true);
  try {
    await compare(rowsPlan.client, rollupPlan.client);
    await measure(rowsPlan.client, `message rows, index-only (${COVERING_INDEX})`, true);
    await measure(rollupPlan.client, 'hourly rollup with row edges (deployed)', false);
  } finally {
    for (const plan of [rowsPlan, rollupPlan]) {
      plan.client.close();
      await plan.process.stop('SIGTERM');
    }
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
