import { MikroORM } from '@mikro-orm/core';
import { getQueueToken } from '@nestjs/bullmq';
import { Sql } from '@sms/platform-database';
import { createRedis } from '@sms/platform-redis';
import {
  createTestRedisPrefix,
  createTestSchema,
  deleteKeysWithPrefix,
  testInfrastructure,
  waitFor,
  type TestSchema,
} from '@sms/testing';
import type { Queue } from 'bullmq';
import { RETENTION_JOB, RETENTION_QUEUE } from '../src/retention/webhook-retention.processor';
import { WebhookRetentionService } from '../src/retention/webhook-retention.service';
import { startDispatcher, type RunningDispatcher } from './support/dispatcher-app';

const DAY = 86_400_000;

describe('webhook retention', () => {
  let schema: TestSchema;
  let redisBase: string;
  let dispatcher: RunningDispatcher;
  const redis = createRedis({ url: testInfrastructure().redisUrl, name: 'webhook-retention-test' });

  const sql = () => Sql.fork(dispatcher.app.get(MikroORM));
  const ids = async (table: string, column: string) =>
    (await sql().rows<Record<string, string>>(`select ${column} from ${table} order by 1`)).map(
      (row) => row[column],
    );

  /** An endpoint, and per row [event id, delivery status, age in days of the delivery's last change]. */
  async function seed(
    endpointId: string,
    rows: readonly [string, 'PENDING' | 'DELIVERED' | 'FAILED', number][],
  ): Promise<void> {
    await sql().raw(
      `insert into webhook_endpoint (endpoint_id, account_id, url, event_types, secret_ciphertext)
       values (?, 'acct-retention', 'https://example.com/hook', '{message.status}', 'x')`,
      [endpointId],
    );
    for (const [eventId, status, ageDays] of rows) {
      const at = new Date(Date.now() - ageDays * DAY);
      // One transaction: a retention run in between would remove an old event with no delivery yet.
      await sql().transaction(async (tx) => {
        await tx.raw(
          `insert into webhook_event (event_id, type, account_id, occurred_at, data, created_at)
           values (?, 'message.status', 'acct-retention', ?, '{}', ?)`,
          [eventId, at, at],
        );
        await tx.raw(
          `insert into webhook_delivery (delivery_id, endpoint_id, event_id, status, created_at, updated_at)
           values (?, ?, ?, ?, ?, ?)`,
          [`dl-${eventId}`, endpointId, eventId, status, at, at],
        );
      });
    }
  }

  beforeAll(async () => {
    schema = await createTestSchema('webhook-retention');
    redisBase = createTestRedisPrefix('webhook-retention').replace(/[{}]/g, '');
    dispatcher = await startDispatcher({
      DATABASE_URL: schema.databaseUrl,
      DATABASE_SCHEMA: schema.schema,
      REDIS_URL: testInfrastructure().redisUrl,
      REDIS_PREFIX: redisBase,
      WEBHOOK_RETENTION_DAYS: '30',
      // Small batches: the purge loops until a batch comes back short.
      WEBHOOK_RETENTION_BATCH: '2',
    });
    // The scheduler's first run starts with the service: let it finish, so the first test's own
    // purge is the one that finds the seeded rows.
    const queue = dispatcher.app.get<Queue>(getQueueToken(RETENTION_QUEUE));
    await waitFor(
      async () => {
        const counts = await queue.getJobCounts('active', 'waiting', 'prioritized');
        return counts.active + counts.waiting + counts.prioritized === 0;
      },
      { timeoutMs: 20_000, description: 'the retention job started with the service to finish' },
    );
  });

  afterAll(async () => {
    await dispatcher?.close();
    await deleteKeysWithPrefix(redis, `{${redisBase}:`);
    redis.disconnect();
    await schema?.drop();
  });

  it('removes finished deliveries and their events after the retention days, keeps the rest', async () => {
    await seed('ep-retention-1', [
      ['old-delivered-1', 'DELIVERED', 31],
      ['old-delivered-2', 'DELIVERED', 40],
      ['old-delivered-3', 'DELIVERED', 45],
      ['old-failed', 'FAILED', 35],
      ['old-pending', 'PENDING', 60],
      ['young-delivered', 'DELIVERED', 29],
      ['young-failed', 'FAILED', 1],
    ]);
    // An old event another endpoint still has a young delivery of stays with it.
    await sql().raw(
      `insert into webhook_endpoint (endpoint_id, account_id, url, event_types, secret_ciphertext)
       values ('ep-retention-2', 'acct-retention', 'https://example.com/other', '{message.status}', 'x')`,
    );
    await sql().raw(
      `insert into webhook_delivery (delivery_id, endpoint_id, event_id, status, updated_at)
       values ('dl-shared', 'ep-retention-2', 'old-delivered-3', 'DELIVERED', now())`,
    );

    const run = await dispatcher.app.get(WebhookRetentionService).purge(new Date());

    expect(run).toMatchObject({ deliveries: 4, events: 3 });
    expect(await ids('webhook_delivery', 'delivery_id')).toEqual([
      'dl-old-pending',
      'dl-shared',
      'dl-young-delivered',
      'dl-young-failed',
    ]);
    expect(await ids('webhook_event', 'event_id')).toEqual([
      'old-delivered-3',
      'old-pending',
      'young-delivered',
      'young-failed',
    ]);
    // A second run finds nothing more.
    expect(await dispatcher.app.get(WebhookRetentionService).purge(new Date())).toMatchObject({
      deliveries: 0,
      events: 0,
    });
  });

  it('runs as a repeatable BullMQ job at the configured period', async () => {
    const queue = dispatcher.app.get<Queue>(getQueueToken(RETENTION_QUEUE));
    const scheduler = await queue.getJobScheduler(RETENTION_JOB);
    expect(scheduler).toMatchObject({ every: dispatcher.config.WEBHOOK_RETENTION_INTERVAL_MS });
    expect(dispatcher.config.WEBHOOK_RETENTION_INTERVAL_MS).toBe(DAY);
    // The job itself purges: run it now rather than wait a day.
    await seed('ep-retention-3', [['job-old', 'FAILED', 90]]);
    await queue.add('purge-now', {});
    await waitFor(async () => !(await ids('webhook_event', 'event_id')).includes('job-old'), {
      timeoutMs: 20_000,
      description: 'the retention job to remove the old event',
    });
    expect(await ids('webhook_delivery', 'delivery_id')).not.toContain('dl-job-old');
  });
});
