import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { GRPC_SERVICES, toTimestamp, type statusV1 } from '@sms/contracts';
import { runMigrations } from '@sms/platform-database';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
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
import { ormSettings } from '../../apps/status-tracker/src/database';
import { deployedNodeOptions } from '../flags';
import { cpuSeconds, report, reportRss, rssMb } from '../report';
import { COMPILED_SERVICES, flag, log } from './bench-support';

// Event ingest through RecordEvents (batches of 500, several callers in flight) against a bare
// multi-row INSERT of the same rows into the same table, in the same run:
//   node -r ./tools/runtime/register.cjs bench/status/ingest.ts [--events 200000]
//        [--callers 4] [--batch 500] [--node-options '<…>'] [--cpu-prof <dir>]
// The service runs as its own process (as deployed); the table is the real partitioned one
// with every index of the migration. Ingest is measured twice in the run: first with the
// statistics rollup's upsert discarded by a BEFORE INSERT trigger (the cost of the rollup
// maintenance minus one statement's round trip and its JavaScript), then as deployed — the
// second round runs on a table the first made bigger, so the difference does not flatter the
// rollup.

const EVENTS = flag('events', 200_000);
const CALLERS = flag('callers', 4);
const BATCH = flag('batch', 500);
// Per run: two sessions running this benchmark at once must not drop each other's schema.
const SCHEMA = `bench_status_ingest_${process.pid}`;
const REDIS_PREFIX = `bench-status-ingest-${process.pid}`;
const PROFILE_DIR = process.argv.includes('--cpu-prof')
  ? process.argv[process.argv.indexOf('--cpu-prof') + 1]
  : undefined;
const phoneOf = (id: number) => `+447911${String(id % 1_000_000).padStart(6, '0')}`;

function acceptedEvent(id: number, at: Date): statusV1.MessageEvent {
  return {
    eventId: '',
    messageId: `ing-${id}`,
    occurredAt: toTimestamp(at),
    accepted: {
      accountId: `acct-${id % 100}`,
      smsUser: `user-${id % 7}`,
      // Distinct numbers: normalisation costs what it costs in real traffic.
      recipient: phoneOf(id),
      entries: 1 + (id % 3),
      templateId: `tpl-${id % 50}`,
      templateType: 'TEMPLATE_TYPE_NOTIFICATION' as never,
      labels: id % 5 === 0 ? ['promo'] : [],
    },
  };
}

/** Runs `batches` through `callers` concurrent loops; events (or rows) per second. */
async function throughput(
  batches: number,
  callers: number,
  perBatch: number,
  send: (batch: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let batch = next++; batch < batches; batch = next++) await send(batch);
    }),
  );
  return (batches * perBatch) / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const { databaseUrl, redisUrl } = testInfrastructure();
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`drop schema if exists ${SCHEMA} cascade`);
  await admin.query(`create schema ${SCHEMA}`);
  await runMigrations(ormSettings({ DATABASE_URL: databaseUrl, DATABASE_SCHEMA: SCHEMA }));
  await admin.query(`set search_path = ${SCHEMA}`);
  // Switches the rollup maintenance off for the first round: its upsert's rows are dropped.
  await admin.query(
    `create function bench_discard_row() returns trigger language plpgsql as 'begin return null; end'`,
  );
  await admin.query(
    `create trigger bench_discard before insert on message_stats_hourly
       for each row execute function bench_discard_row()`,
  );
  await admin.query(
    `select ensure_message_partition(d::date)
       from generate_series(now() - interval '1 day', now() + interval '1 day', interval '1 day') d`,
  );

  const [grpcPort, httpPort] = [await freePort(), await freePort()];
  const service = startServiceProcess(
    'apps/status-tracker/src/main.ts',
    {
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: SCHEMA,
      REDIS_URL: redisUrl,
      REDIS_PREFIX,
      GRPC_PORT: String(grpcPort),
      HTTP_PORT: String(httpPort),
      LOG_LEVEL: 'warn',
      ...deployedNodeOptions('status-tracker'),
    },
    {
      ...COMPILED_SERVICES,
      // --cpu-prof <dir>: the service writes a V8 CPU profile there on exit (bench/profile-summary.ts).
      nodeArgs: PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [],
    },
  );
  const client = createGrpcClient<statusV1.StatusServiceClient>(GRPC_SERVICES.status, {
    target: `127.0.0.1:${grpcPort}`,
    deadlineMs: 60_000,
    callerToken: DEVELOPMENT_GRPC_TOKENS.sender,
  });
  const pool = await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      const connection = new Client({
        connectionString: databaseUrl,
        options: `-c search_path=${SCHEMA}`,
      });
      await connection.connect();
      return connection;
    }),
  );
  try {
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${httpPort}/healthz`)).status === 200,
      { timeoutMs: 60_000, description: 'status-tracker' },
    );
    const rssAfterStart = rssMb(service.child.pid!);
    const batches = Math.ceil(EVENTS / BATCH);
    const at = new Date(Date.now() - 60_000);
    // Warm-up: connections, JIT, the day's partition.
    await client.recordEvents({
      events: Array.from({ length: BATCH }, (_, i) => acceptedEvent(10_000_000 + i, at)),
    });

    const servicePid = service.child.pid!;
    const ingest = async (round: number) => {
      const first = round * 1_000_000;
      const cpuBefore = cpuSeconds(servicePid);
      const accepted = await throughput(batches, CALLERS, BATCH, async (batch) => {
        const events = Array.from({ length: BATCH }, (_, i) =>
          acceptedEvent(first + batch * BATCH + i, at),
        );
        const response = await client.recordEvents({ events });
        if (response.outcomes.some((o) => String(o.result) !== 'EVENT_RESULT_APPLIED'))
          throw new Error('an ACCEPTED event was not applied');
      });
      const cpuAccepted = cpuSeconds(servicePid);
      const deliveredAt = toTimestamp(new Date(Date.now() - 30_000));
      const receipts = await throughput(batches, CALLERS, BATCH, async (batch) => {
        const events = Array.from({ length: BATCH }, (_, i) => ({
          eventId: '',
          messageId: `ing-${first + batch * BATCH + i}`,
          occurredAt: deliveredAt,
          delivered: { detail: 'DELIVRD', operator: '' },
        }));
        await client.recordEvents({ events });
      });
      const events = batches * BATCH;
      // CPU per event: unlike events/s, barely moved by what else the machine is running.
      const acceptedCpuMs = ((cpuAccepted - cpuBefore) * 1000 * 1000) / events;
      const receiptsCpuMs = ((cpuSeconds(servicePid) - cpuAccepted) * 1000 * 1000) / events;
      return { accepted, receipts, acceptedCpuMs, receiptsCpuMs };
    };
    let rssPeak = rssMb(servicePid);
    const rssSampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssMb(servicePid) || 0);
    }, 200);
    const withoutRollup = await ingest(1);
    const rollupRows = async () =>
      Number(
        (await admin.query<{ n: string }>('select count(*) as n from message_stats_hourly')).rows[0]
          ?.n,
      );
    if ((await rollupRows()) !== 0) throw new Error('the discard trigger let rollup rows in');
    await admin.query('drop trigger bench_discard on message_stats_hourly');
    const withRollup = await ingest(2);
    if ((await rollupRows()) === 0) throw new Error('the rollup was not maintained');

    // Baseline: the same rows (fresh ids) as one multi-row INSERT per batch, straight to PostgreSQL.
    const columns = `message_id, request_time, account_id, sms_user, recipient, entries, template_id,
      template_type, labels, status, update_time, send_log`;
    const sendLog = JSON.stringify([
      {
        k: 'ACCEPTED::0',
        kind: 'ACCEPTED',
        r: 'APPLIED',
        at: at.toISOString(),
        rec: at.toISOString(),
        d: 'account acct-1, 1 entries',
        s: 'SENDING',
      },
    ]);
    const bare = await throughput(batches, CALLERS, BATCH, async (batch) => {
      const params: unknown[] = [];
      const rows: string[] = [];
      for (let i = 0; i < BATCH; i++) {
        const id = batch * BATCH + i;
        const p = params.length;
        rows.push(`(${Array.from({ length: 12 }, (_, c) => `$${p + c + 1}`).join(', ')})`);
        params.push(
          `bare-${id}`,
          at,
          `acct-${id % 100}`,
          `user-${id % 7}`,
          phoneOf(id),
          1 + (id % 3),
          `tpl-${id % 50}`,
          2,
          id % 5 === 0 ? ['promo'] : [],
          1,
          at,
          sendLog,
        );
      }
      const connection = pool[batch % CALLERS];
      await connection.query(`insert into message (${columns}) values ${rows.join(', ')}`, params);
    });

    log(
      `${(batches * BATCH).toLocaleString()} events, batches of ${BATCH}, ${CALLERS} callers in flight`,
    );
    for (const [name, result] of [
      ['without rollup maintenance', withoutRollup],
      ['with rollup maintenance (as deployed)', withRollup],
    ] as const) {
      log(`${name}:`);
      log(
        `  RecordEvents ACCEPTED (creates rows):  ${Math.round(result.accepted).toLocaleString()} events/s`,
      );
      log(
        `  RecordEvents DELIVERED (updates rows): ${Math.round(result.receipts).toLocaleString()} events/s`,
      );
      log(
        `  status-tracker CPU per 1,000 events: ACCEPTED ${result.acceptedCpuMs.toFixed(0)} ms, DELIVERED ${result.receiptsCpuMs.toFixed(0)} ms`,
      );
      log(`  ACCEPTED ingest = ${((100 * result.accepted) / bare).toFixed(0)}% of the bare INSERT`);
    }
    log(`baseline, bare multi-row INSERT: ${Math.round(bare).toLocaleString()} rows/s`);
    clearInterval(rssSampler);
    log(`status-tracker RSS peak during the ingest: ${rssPeak.toFixed(0)} MB`);
    report({
      measure: 'RecordEvents ACCEPTED ingest (with the rollup, as deployed)',
      value: withRollup.accepted,
      unit: 'events/s',
      goal: { kind: 'at-least', limit: 10_000 },
      goalText: '≥ 10,000 events/s',
    });
    report({
      measure: 'RecordEvents ACCEPTED ingest vs bare INSERT',
      value: withRollup.accepted,
      unit: 'events/s',
      baseline: { label: 'bare multi-row INSERT', value: bare },
      goal: { kind: 'ratio-at-least', ratio: 0.4 },
      goalText: '≥ 0.40 of bare INSERT',
    });
    report({
      measure: 'RecordEvents DELIVERED receipts (with the rollup)',
      value: withRollup.receipts,
      unit: 'events/s',
      goal: { kind: 'at-least', limit: 10_000 },
      goalText: '≥ 10,000 events/s',
    });
    report({
      measure: 'status-tracker CPU per 1,000 ACCEPTED events (with the rollup)',
      value: withRollup.acceptedCpuMs,
      unit: 'ms',
      goalText: '— (reported: the cost behind the rate, little moved by other load)',
    });
    reportRss('status-tracker', 'after start-up', rssAfterStart);
    reportRss('status-tracker', 'peak under ingest', rssPeak);
  } catch (error) {
    process.stderr.write(`--- status-tracker output ---\n${service.output()}\n`);
    throw error;
  } finally {
    client.close();
    await service.stop('SIGTERM');
    // The service's queues and job schedulers live under this prefix.
    const redis = createRedis({ url: redisUrl, name: 'bench-cleanup' });
    await deleteKeysWithPrefix(redis, `{${REDIS_PREFIX}:status}`);
    await redis.quit();
    await Promise.all(pool.map((connection) => connection.end()));
    await admin.query(`drop schema if exists ${SCHEMA} cascade`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
