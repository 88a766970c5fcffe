// Admit / AdmitBatch(1000) of interception-service next to Check / CheckBatch(1000) of the same
// process, same client, same run (SPEC 7: Admit ≥ 0.5 of Check's calls/s; AdmitBatch(1000) p99
// ≤ 40 ms). 20,000 ACTIVE entries, 1,000 platform and 100 account interception words.
// `node -r ./tools/runtime/register.cjs bench/interception/admit.bench.ts [--quick] [--source]
//  [--batch-only] [--cpu-prof <dir>] [--node-options <…>]`: --batch-only measures CheckBatch and AdmitBatch alone;
// --cpu-prof writes the service's V8 CPU profile (node --cpu-prof) into <dir> when it stops.
// Needs PostgreSQL and Redis on 127.0.0.1 (TEST_DATABASE_URL / TEST_REDIS_URL override).
// Bounded: about a minute and a half; cleans its schema, keys and processes up.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { commonV1, GRPC_SERVICES, interceptionV1 } from '@sms/contracts';
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

// Compiled from dist/ (as the images run it) unless --source; --quick: shorter steps.
const COMPILED = !process.argv.includes('--source');
const QUICK = process.argv.includes('--quick');
const BATCH_ONLY = process.argv.includes('--batch-only');
const CPU_PROFILE_DIR = (() => {
  const at = process.argv.indexOf('--cpu-prof');
  return at < 0 ? undefined : process.argv[at + 1];
})();
const ENTRIES = 20_000;
const UNLISTED = 100_000;
const PLATFORM_WORDS = 1000;
const ACCOUNT_WORDS = 100;
const SINGLE_MS = QUICK ? 2000 : 4000;
const BATCH_MS = QUICK ? 2500 : 5000;
const ACCOUNT = 'bench-acc-1';

interface Result extends Measured {
  readonly method: string;
}

async function measured(
  method: string,
  concurrency: number,
  durationMs: number,
  pids: { server: number; redis: number },
  call: () => Promise<unknown>,
): Promise<Result> {
  return { method, ...(await measure(method, concurrency, durationMs, pids, call)) };
}

const NAMES = ['Ann', 'Bo', 'Chen Wei', 'Dara', 'Élodie'];

/** A typical notification: a template with two variables, one segment or two. */
function message(phone: string, n: number): interceptionV1.AdmitMessage {
  return {
    phone,
    templateId: `tpl-${n % 50}`,
    templateType: commonV1.TemplateType.TEMPLATE_TYPE_NOTIFICATION,
    templateText:
      n % 4 === 0
        ? 'Hi {{name}}, your order {{order}} has shipped and arrives tomorrow between 9 and 11. Track it at example.com/t/{{order}} or reply HELP. 您的订单已发货。'
        : 'Hi {{name}}, your order {{order}} has shipped.',
    variables: { name: NAMES[n % NAMES.length], order: `#${10_000 + (n % 90_000)}` },
    content: '',
    labels: ['bench'],
  };
}

async function main(): Promise<void> {
  const { redisUrl } = testInfrastructure();
  const schema = await createTestSchema('bench_admission');
  const redisPrefix = createTestRedisPrefix('bench-admission').replace(/[{}]/g, '');
  const redis = createRedis({ url: redisUrl, name: 'bench-admission' });
  const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);
  let service: ServiceProcess | undefined;
  let client: Interception | undefined;
  const loadBefore = loadavg();
  try {
    process.stdout.write(
      `loading ${ENTRIES} entries and ${PLATFORM_WORDS + ACCOUNT_WORDS} words into ${schema.schema} ...\n`,
    );
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
    await sql.query(
      `insert into block_entry (id, phone, scope, owner_account_id, source, reason, intercepted_at, state, created_by)
       select gen_random_uuid(), p.phone, case when p.i % 2 = 0 then 'GLOBAL' else 'LOCAL' end,
              'bench-acc-' || (p.i % 10), 'MANUAL', 'bench entry', now(), 'ACTIVE', 'bench'
       from unnest($1::text[]) with ordinality as p(phone, i)`,
      [listed],
    );
    await sql.end();

    const grpcPort = await freePort();
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
      },
      {
        compiled: COMPILED,
        nodeArgs: CPU_PROFILE_DIR
          ? ['--cpu-prof', `--cpu-prof-dir=${resolve(CPU_PROFILE_DIR)}`]
          : [],
      },
    );
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
    const pids = { server: service.child.pid!, redis: redisPid };
    // RSS under admission load (word automata, phone caches, limiter arguments), SPEC 7's 250 MB.
    let rssPeak = rssMb(pids.server);
    const rssSampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssMb(pids.server) || 0);
    }, 200);
    const target = `127.0.0.1:${grpcPort}`;
    const gateway = createGrpcClient<interceptionV1.InterceptionServiceClient>(
      GRPC_SERVICES.interception,
      {
        target,
        deadlineMs: 10_000,
        callerToken: DEVELOPMENT_GRPC_TOKENS.gateway,
      },
    );
    // Pseudo-words (never in the bench's text) so every message is scanned through to the end.
    const word = (n: number) => `zq${n.toString(36)}xv${(n * 7919).toString(36)}`;
    await gateway.addInterceptionWords({
      accountId: '',
      asOperator: true,
      list: interceptionV1.WordList.WORD_LIST_PLATFORM,
      words: Array.from({ length: PLATFORM_WORDS }, (_, n) => word(n)),
      actor: 'bench',
    });
    await gateway.addInterceptionWords({
      accountId: ACCOUNT,
      asOperator: false,
      list: interceptionV1.WordList.WORD_LIST_ACCOUNT,
      words: Array.from({ length: ACCOUNT_WORDS }, (_, n) => word(PLATFORM_WORDS + n)),
      actor: 'bench',
    });
    gateway.close();
    client = createGrpcClient<interceptionV1.InterceptionServiceClient>(
      GRPC_SERVICES.interception,
      {
        target,
        deadlineMs: 10_000,
        callerToken: DEVELOPMENT_GRPC_TOKENS.sender,
      },
    );
    const sender = client;
    const pool = [...listed, ...unlisted];
    const randomPhone = () => pool[Math.floor(Math.random() * pool.length)];
    let seq = 0;
    // Warm the number caches over the whole pool (Check and Admit keep their own).
    for (let i = 0; i < pool.length; i += 1000) {
      const phones = pool.slice(i, i + 1000);
      await sender.checkBatch({ accountId: ACCOUNT, phones });
      await sender.admitBatch({
        accountId: 'bench-warm',
        messages: phones.map((p, n) => message(p, n)),
      });
    }
    await waitFor(
      async () =>
        (
          await sender.admit({
            accountId: ACCOUNT,
            message: {
              ...message(randomPhone(), 1),
              templateText: '',
              variables: {},
              content: word(PLATFORM_WORDS + 1),
            },
          })
        ).result?.reason === commonV1.ProcessFailedReason.PROCESS_FAILED_REASON_KEYWORD_BLOCK,
      { description: 'the word lists to load' },
    );

    const results: Result[] = [];
    for (const concurrency of BATCH_ONLY ? [] : [64, 1]) {
      results.push(
        await measured('Check', concurrency, SINGLE_MS, pids, () =>
          sender.check({ accountId: ACCOUNT, phone: randomPhone() }),
        ),
      );
      results.push(
        await measured('Admit', concurrency, SINGLE_MS, pids, () =>
          sender.admit({ accountId: ACCOUNT, message: message(randomPhone(), seq++) }),
        ),
      );
    }
    const reasons = new Map<string, number>();
    results.push(
      await measured('CheckBatch(1000)', 1, BATCH_MS, pids, () =>
        sender.checkBatch({
          accountId: ACCOUNT,
          phones: Array.from({ length: 1000 }, randomPhone),
        }),
      ),
    );
    results.push(
      await measured('AdmitBatch(1000)', 1, BATCH_MS, pids, async () => {
        const { results: answers } = await sender.admitBatch({
          accountId: ACCOUNT,
          messages: Array.from({ length: 1000 }, () => message(randomPhone(), seq++)),
        });
        for (const answer of answers) {
          const key =
            answer.reason === commonV1.ProcessFailedReason.PROCESS_FAILED_REASON_UNSPECIFIED
              ? 'ALLOW'
              : String(answer.reason);
          reasons.set(key, (reasons.get(key) ?? 0) + 1);
        }
      }),
    );

    const loadAfter = loadavg();
    process.stdout.write(
      `\nload average before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}; after: ${loadAfter.map((l) => l.toFixed(2)).join(' ')} (2 cores)\n` +
        `AdmitBatch answers: ${[...reasons].map(([k, v]) => `${k.replace('PROCESS_FAILED_REASON_', '')} ${v}`).join(', ')}\n\n` +
        `| method | in flight | calls/s | p50 ms | p99 ms | vs Check | errors | CPU server / redis (cores) | CPU ms a call: server / redis |\n` +
        `|---|---|---|---|---|---|---|---|---|\n`,
    );
    for (const result of results) {
      const check = results.find(
        (r) =>
          r.method ===
            (result.method.startsWith('Admit')
              ? result.method.replace('Admit', 'Check')
              : result.method) && r.concurrency === result.concurrency,
      )!;
      process.stdout.write(
        `| ${result.method} | ${result.concurrency} | ${result.callsPerSecond.toFixed(0)} | ${result.p50.toFixed(2)} | ${result.p99.toFixed(2)} | ` +
          `${(result.callsPerSecond / check.callsPerSecond).toFixed(2)} | ${result.errors} | ${result.cpu.server.toFixed(2)} / ${result.cpu.redis.toFixed(2)} | ` +
          // CPU time a call is what load changes least (latency under load is mostly waiting for
          // a core); Redis is shared, so its figure includes others' commands.
          `${((result.cpu.server / result.callsPerSecond) * 1000).toFixed(1)} / ${((result.cpu.redis / result.callsPerSecond) * 1000).toFixed(1)} |\n`,
      );
    }
    process.stdout.write(
      `\ngoals: Admit x64 ≥ 0.50 of Check x64; AdmitBatch(1000) p99 ≤ 40 ms (service ${COMPILED ? 'compiled' : 'from sources via the swc hook'})\n`,
    );
    clearInterval(rssSampler);
    process.stdout.write(
      `interception-service RSS peak under admission: ${rssPeak.toFixed(0)} MB\n`,
    );
    reportRss('interception-service', 'peak under admission', rssPeak);
    const find = (method: string, concurrency: number) =>
      results.find((r) => r.method === method && r.concurrency === concurrency)!;
    if (!BATCH_ONLY)
      report({
        measure: 'Admit, 64 in flight',
        value: find('Admit', 64).callsPerSecond,
        unit: 'calls/s',
        baseline: { label: 'Check, same run', value: find('Check', 64).callsPerSecond },
        goal: { kind: 'ratio-at-least', ratio: 0.5 },
        goalText: '≥ 0.50 of Check',
      });
    report({
      measure: 'AdmitBatch(1000), 1 in flight, p99',
      value: find('AdmitBatch(1000)', 1).p99,
      unit: 'ms',
      baseline: { label: 'CheckBatch(1000) p99', value: find('CheckBatch(1000)', 1).p99 },
      goal: { kind: 'at-most', limit: 40 },
      goalText: '≤ 40 ms',
    });
  } finally {
    client?.close();
    await service?.stop('SIGTERM');
    await deleteKeysWithPrefix(redis, `{${redisPrefix}:interception}`);
    await deleteKeysWithPrefix(redis, `${redisPrefix}:admission:`);
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
