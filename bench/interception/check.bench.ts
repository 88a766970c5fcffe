// Check / CheckBatch(1000) of interception-service against a bare grpc-js echo server of the
// same contract: same machine, same client code, same run, 100,000 ACTIVE entries loaded.
// `node -r ./tools/runtime/register.cjs bench/interception/check.bench.ts [--quick] [--source]
//    [--node-options '<…>'] [--cpu-prof <dir>] [--memory-probe <file>] [--only-check]`
// The service runs from the tsc build under dist/ with plain node and its deployed NODE_OPTIONS,
// as the images do (`npm run build` first); --source runs it from TypeScript through the swc hook
// instead. --quick: 20,000 entries and shorter steps (what `npm run bench` runs by default).
// Needs PostgreSQL and Redis on 127.0.0.1 (TEST_DATABASE_URL / TEST_REDIS_URL override).
// Bounded: about 2 minutes; cleans its schema, keys and processes up.
import { GRPC_SERVICES, type interceptionV1 } from '@sms/contracts';
import { runMigrations } from '@sms/platform-database';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
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
import { Client } from 'pg';
import { ormSettings } from '../../apps/interception-service/src/database';
import { deployedNodeOptions } from '../flags';
import { report, reportRss, rssMb } from '../report';
import { measure, validPhones, type Measured } from './measure';

type Interception = GrpcClient<interceptionV1.InterceptionServiceClient>;

const QUICK = process.argv.includes('--quick');
const ENTRIES = QUICK ? 20_000 : 100_000;
const UNLISTED = QUICK ? 4_000 : 20_000;
const CONCURRENCIES = [1, 8, 64];
const CHECK_MS = QUICK ? 2000 : 4000;
const BATCH_MS = QUICK ? 2000 : 4000;
const ACCOUNT = 'bench-acc-1';
const COMPILED = !process.argv.includes('--source');
// --cpu-prof <dir>: the service runs under V8's CPU profiler and writes a .cpuprofile there on exit.
const PROFILE_DIR = option('cpu-prof');
// --memory-probe <file>: bench/gateway/memory-probe.cjs in the service, process.memoryUsage()
// every 100 ms to that file (V8 heap vs external vs the rest of the RSS).
const MEMORY_PROBE = option('memory-probe');
const PROBE_SCRIPT = option('probe-script') ?? 'bench/gateway/memory-probe.cjs';
// --only-check: the single-number Check steps only (a profile of the hot path without batches).
const ONLY_CHECK = process.argv.includes('--only-check');

interface Result extends Measured {
  readonly target: string;
  readonly method: string;
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function measured(
  target: string,
  method: string,
  concurrency: number,
  durationMs: number,
  serverPid: number,
  redisPid: number,
  call: () => Promise<unknown>,
): Promise<Result> {
  const result = await measure(
    `${target} ${method}`,
    concurrency,
    durationMs,
    {
      server: serverPid,
      redis: redisPid,
    },
    call,
  );
  return { target, method, ...result };
}

async function main(): Promise<void> {
  const { redisUrl } = testInfrastructure();
  const schema = await createTestSchema('bench_interception');
  const redisPrefix = createTestRedisPrefix('bench-interception').replace(/[{}]/g, '');
  const keyPrefix = `{${redisPrefix}:interception}`;
  const redis = createRedis({ url: redisUrl, name: 'bench-interception' });
  const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);
  let service: ServiceProcess | undefined;
  let echo: ServiceProcess | undefined;
  const clients: Interception[] = [];
  try {
    process.stdout.write(`loading ${ENTRIES} ACTIVE entries into ${schema.schema} ...\n`);
    await runMigrations(
      ormSettings({ DATABASE_URL: schema.databaseUrl, DATABASE_SCHEMA: schema.schema }),
    );
    const listed = validPhones(7912000000, ENTRIES);
    const unlisted = validPhones(7913000000, UNLISTED);
    const sql = new Client({
      connectionString: schema.databaseUrl,
      options: `-c search_path=${schema.schema}`,
    });
    await sql.connect();
    // Half GLOBAL, half LOCAL (spread over 10 accounts); half expire in a day (with jobs), half never.
    await sql.query(
      `insert into block_entry (id, phone, scope, owner_account_id, source, send_failure_code, reason,
         detail, message_id, intercepted_at, expires_at, state, created_by)
       select gen_random_uuid(), p.phone,
              case when p.i % 2 = 0 then 'GLOBAL' else 'LOCAL' end,
              'bench-acc-' || (p.i % 10),
              case when p.i % 4 < 2 then 'SEND_FAILURE' else 'MANUAL' end,
              case when p.i % 4 < 2 then 510 else null end,
              'bench entry', '', 'bench-' || p.i, now(),
              case when p.i % 4 < 2 then now() + interval '1 day' else null end,
              'ACTIVE', 'bench'
       from unnest($1::text[]) with ordinality as p(phone, i)`,
      [listed],
    );
    await sql.end();

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
        ...deployedNodeOptions('interception-service'),
        ...(MEMORY_PROBE ? { MEMORY_PROBE_FILE: MEMORY_PROBE } : {}),
      },
      {
        compiled: COMPILED,
        nodeArgs: [
          ...(PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : []),
          ...(MEMORY_PROBE ? ['--require', `./${PROBE_SCRIPT}`] : []),
        ],
      },
    );
    echo = startServiceProcess('bench/interception/echo-server.ts', {});
    const running = service;
    await waitFor(
      async () =>
        (await grpcHealthStatus(
          `127.0.0.1:${grpcPort}`,
          'sms.interception.v1.InterceptionService',
        )) === 'SERVING',
      { timeoutMs: 120_000, intervalMs: 200, description: 'interception-service' },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${running.output()}`);
    });
    process.stdout.write(
      `interception-service SERVING after ${Date.now() - started} ms (start-up reconcile of the index and jobs included); ` +
        `index ready: ${await redis.exists(`${keyPrefix}:ix-ready`)}\n`,
    );
    const rssAfterStart = rssMb(service.child.pid!);
    const echoOutput = echo;
    const echoTarget = await waitFor(
      () => /echo listening on (\d+)/.exec(echoOutput.output())?.[1],
    );

    const make = (target: string) => {
      const client = createGrpcClient<interceptionV1.InterceptionServiceClient>(
        GRPC_SERVICES.interception,
        // The echo server ignores the token; interception-service checks it, as in production.
        { target, deadlineMs: 10_000, callerToken: DEVELOPMENT_GRPC_TOKENS.sender },
      );
      clients.push(client);
      return client;
    };
    const targets: [string, Interception, number][] = [
      ['echo', make(`127.0.0.1:${echoTarget}`), echo.child.pid!],
      ['interception', make(`127.0.0.1:${grpcPort}`), service.child.pid!],
    ];
    const pool = [...listed, ...unlisted];
    const randomPhone = () => pool[Math.floor(Math.random() * pool.length)];
    const batch = () => Array.from({ length: 1000 }, randomPhone);

    // Warm the service's normalised-number cache and Redis over the whole pool (both targets alike).
    for (const [, client] of targets) {
      for (let i = 0; i < pool.length; i += 1000) {
        await client.checkBatch({ accountId: ACCOUNT, phones: pool.slice(i, i + 1000) });
      }
    }
    const sample = await targets[1][1].checkBatch({
      accountId: ACCOUNT,
      phones: listed.slice(0, 1000),
    });
    const blocked = sample.results.filter((r) => (r.verdict as string) !== 'VERDICT_ALLOW').length;
    process.stdout.write(
      `sanity: ${blocked}/1000 listed numbers blocked for ${ACCOUNT} (expected ~550)\n`,
    );

    let rssPeak = rssAfterStart;
    const servicePid = service.child.pid!;
    const rssSampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssMb(servicePid) || 0);
    }, 200);
    const results: Result[] = [];
    for (const concurrency of CONCURRENCIES) {
      for (const [name, client, pid] of targets) {
        results.push(
          await measured(name, 'Check', concurrency, CHECK_MS, pid, redisPid, () =>
            client.check({ accountId: ACCOUNT, phone: randomPhone() }),
          ),
        );
      }
    }
    for (const concurrency of ONLY_CHECK ? [] : CONCURRENCIES) {
      for (const [name, client, pid] of targets) {
        results.push(
          await measured(name, 'CheckBatch(1000)', concurrency, BATCH_MS, pid, redisPid, () =>
            client.checkBatch({ accountId: ACCOUNT, phones: batch() }),
          ),
        );
      }
    }

    // The sender that needs only the decision: the same batch, no entry details.
    for (const [name, client, pid] of ONLY_CHECK ? [] : targets) {
      results.push(
        await measured(name, 'CheckBatchVerdicts(1000)', 1, BATCH_MS, pid, redisPid, () =>
          client.checkBatchVerdicts({ accountId: ACCOUNT, phones: batch() }),
        ),
      );
    }
    clearInterval(rssSampler);

    const rss = rssMb(service.child.pid!);
    process.stdout.write(
      `\n| method | in flight | target | calls/s | p50 ms | p99 ms | ratio to echo | errors | CPU client / server / redis (cores) |\n` +
        `|---|---|---|---|---|---|---|---|---|\n`,
    );
    for (const result of results) {
      const baseline = results.find(
        (r) =>
          r.target === 'echo' && r.method === result.method && r.concurrency === result.concurrency,
      )!;
      process.stdout.write(
        `| ${result.method} | ${result.concurrency} | ${result.target} | ${result.callsPerSecond.toFixed(0)} | ` +
          `${result.p50.toFixed(2)} | ${result.p99.toFixed(2)} | ` +
          `${result.target === 'echo' ? '1.00' : (result.callsPerSecond / baseline.callsPerSecond).toFixed(2)} | ` +
          `${result.errors} | ` +
          `${result.cpu.client.toFixed(2)} / ${result.cpu.server.toFixed(2)} / ${result.cpu.redis.toFixed(2)} |\n`,
      );
    }
    process.stdout.write(
      `\ninterception-service (${COMPILED ? 'compiled build' : 'sources through the swc hook'}) RSS: ` +
        `${rssAfterStart.toFixed(0)} MB after start-up, ${rssPeak.toFixed(0)} MB peak during the run, ` +
        `${rss.toFixed(0)} MB after it\n`,
    );
    if (!ONLY_CHECK) reportCheckMeasures(results);
    reportRss('interception-service', 'after start-up', rssAfterStart);
    reportRss('interception-service', 'peak under load', rssPeak);
  } finally {
    for (const client of clients) client.close();
    await echo?.stop('SIGTERM');
    await service?.stop('SIGTERM');
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
    await schema.drop();
  }
}

function reportCheckMeasures(results: readonly Result[]): void {
  const find = (target: string, method: string, concurrency: number) =>
    results.find(
      (r) => r.target === target && r.method === method && r.concurrency === concurrency,
    )!;
  const echo64 = find('echo', 'Check', 64);
  report({
    measure: 'Check, 64 in flight',
    value: find('interception', 'Check', 64).callsPerSecond,
    unit: 'calls/s',
    baseline: { label: 'bare grpc-js echo', value: echo64.callsPerSecond },
    goal: { kind: 'ratio-at-least', ratio: 0.7 },
    goalText: '≥ 0.70 of echo',
  });
  const echo1 = find('echo', 'Check', 1);
  report({
    measure: 'Check, 1 in flight, p99',
    value: find('interception', 'Check', 1).p99,
    unit: 'ms',
    baseline: { label: 'echo p99', value: echo1.p99 },
    goal: { kind: 'at-most', limit: Math.max(2, echo1.p99 + 1) },
    goalText: '≤ 2 ms (or echo p99 + 1 ms)',
  });
  for (const method of ['CheckBatch(1000)', 'CheckBatchVerdicts(1000)']) {
    report({
      measure: `${method}, 1 in flight, p99`,
      value: find('interception', method, 1).p99,
      unit: 'ms',
      baseline: { label: 'echo p99', value: find('echo', method, 1).p99 },
      goal: { kind: 'at-most', limit: 20 },
      goalText: '≤ 20 ms',
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
