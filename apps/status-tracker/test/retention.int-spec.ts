import { getQueueToken } from '@nestjs/bullmq';
import { toTimestamp } from '@sms/contracts';
import { ConfigError, loadConfig } from '@sms/platform-config';
import { GrpcStatus } from '@sms/platform-grpc';
import { waitFor } from '@sms/testing';
import type { Queue } from 'bullmq';
import { statusConfigSchema } from '../src/config';
import { MAINTENANCE_JOBS, MAINTENANCE_QUEUE } from '../src/maintenance/maintenance.processor';
import { REBUILD_MESSAGE_STATS_HOURLY } from '../src/migrations/Migration20261205000000StatsRollup';
import { accepted } from './message-events';
import { startStatusTestApp, type StatusTestApp } from './status-test-app';

const DAY = 86_400_000;
const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);

describe('retention: daily partitions (real PostgreSQL, BullMQ)', () => {
  let t: StatusTestApp;

  beforeAll(async () => {
    t = await startStatusTestApp('status-retention', { PARTITIONS_AHEAD_DAYS: '3' });
  });
  afterAll(() => t?.close());

  const partitions = async () =>
    (
      await t.sql.query<{ name: string }>(
        `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = 'message'::regclass order by 1`,
      )
    ).rows.map((r) => r.name);

  it('refuses a retention shorter than 30 days at start-up', () => {
    expect(() =>
      loadConfig('status-tracker', statusConfigSchema, {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
        RETENTION_DAYS: '29',
      }),
    ).toThrow(ConfigError);
    expect(() =>
      loadConfig('status-tracker', statusConfigSchema, {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
        RETENTION_DAYS: '29',
      }),
    ).toThrow(/RETENTION_DAYS: must be at least 30/);
  });

  it('drops the day partitions older than the window through the repeatable job, keeps the rest', async () => {
    const now = Date.now();
    const queue = t.app.get<Queue>(getQueueToken(MAINTENANCE_QUEUE));
    // The scheduler's first run (at start-up) creates the days ahead; let it finish first.
    await waitFor(
      async () =>
        (await queue.getCompleted()).some((job) => job.name === MAINTENANCE_JOBS.partitions),
      { description: 'the start-up partitions run' },
    );
    const oldDay = dayOf(now - 40 * DAY);
    const edgeDay = dayOf(now - 29 * DAY);
    // Rows written back when these days were inside the window.
    for (const [day, id] of [
      [oldDay, 'm-old'],
      [edgeDay, 'm-edge'],
    ] as const) {
      await t.sql.query('select ensure_message_partition($1::date)', [day]);
      await t.sql.query(
        `insert into message (message_id, request_time, account_id, sms_user, recipient, entries,
            template_id, template_type, status, update_time)
         values ($1, $2::date + interval '12 hours', 'acct-1', 'u', '+447911123456', 1, 't', 1, 1, now())`,
        [id, day],
      );
      await t.sql.query(
        `insert into message_key (message_id, request_time, account_id)
         values ($1, $2::date + interval '12 hours', 'acct-1')`,
        [id, day],
      );
    }
    // Written behind ingest's back: the rollup is rebuilt from the rows, as the migration does.
    await t.sql.query('truncate message_stats_hourly');
    await t.sql.query(REBUILD_MESSAGE_STATS_HOURLY);
    await t.client.recordEvents({ events: [accepted('m-today', new Date(now - 60_000))] });
    expect(await partitions()).toContain(`message_p${oldDay.replace(/-/g, '')}`);
    const rollupDays = async () =>
      (
        await t.sql.query<{ day: string }>(
          `select distinct to_char(hour at time zone 'UTC', 'YYYY-MM-DD') as day
             from message_stats_hourly order by 1`,
        )
      ).rows.map((row) => row.day);
    expect(await rollupDays()).toEqual([oldDay, edgeDay, dayOf(now - 60_000)]);

    const job = await queue.add(MAINTENANCE_JOBS.partitions, {});
    await waitFor(async () => (await queue.getJob(job.id as string))?.isCompleted(), {
      description: 'the partitions job to complete',
      timeoutMs: 15_000,
    });
    expect(await partitions()).not.toContain(`message_p${oldDay.replace(/-/g, '')}`);

    const names = await partitions();
    expect(names).toContain(`message_p${edgeDay.replace(/-/g, '')}`);
    for (let ahead = 0; ahead <= 3; ahead++) {
      expect(names).toContain(`message_p${dayOf(now + ahead * DAY).replace(/-/g, '')}`);
    }
    const keys = await t.sql.query<{ message_id: string }>(
      'select message_id from message_key order by 1',
    );
    expect(keys.rows.map((r) => r.message_id)).toEqual(['m-edge', 'm-today']);
    // The dropped day's statistics went with it.
    expect(await rollupDays()).toEqual([edgeDay, dayOf(now - 60_000)]);
    // The kept rows are still readable.
    await expect(
      t.client.getMessage({ accountId: 'acct-1', messageId: 'm-edge' }),
    ).resolves.toMatchObject({
      message: { messageId: 'm-edge' },
    });
  });

  it('refuses a query reaching before the window instead of silently cutting it', async () => {
    await expect(
      t.client.listMessages({
        accountId: 'acct-1',
        phone: '',
        templateId: '',
        templateType: 'TEMPLATE_TYPE_UNSPECIFIED' as never,
        label: '',
        smsUser: '',
        status: 'MESSAGE_STATUS_UNSPECIFIED' as never,
        processFailedReason: 'PROCESS_FAILED_REASON_UNSPECIFIED' as never,
        sendFailureCode: 'SEND_FAILURE_CODE_UNSPECIFIED' as never,
        from: toTimestamp(new Date(Date.now() - 35 * DAY)),
        to: undefined,
        pageSize: 10,
        pageToken: '',
        statuses: [],
      }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      details: expect.stringMatching(/reaches before the retention window of 30 days/),
    });
  });
});
