import { MikroORM } from '@mikro-orm/core';
import { Sql, type SqlParam } from '@sms/platform-database';
import { toTimestamp } from '@sms/contracts';
import { ConfigError, loadConfig } from '@sms/platform-config';
import { createRedis, hashTaggedPrefix } from '@sms/platform-redis';
import {
  createTestRedisPrefix,
  createTestSchema,
  deleteKeysWithPrefix,
  freePort,
  testInfrastructure,
  type TestSchema,
} from '@sms/testing';
import { replyConfigSchema } from '../src/config';
import { REPLY_PARTITIONS } from '../src/retention/retention.repository';
import { RetentionService } from '../src/retention/retention.service';
import { startReplyService, type RunningReplyService } from './support/reply-service-app';

const DAY = 86_400_000;

describe('reply retention: daily partitions created ahead and dropped after 30 days', () => {
  let schema: TestSchema;
  let redisBase: string;
  let reply: RunningReplyService;
  const redis = createRedis({ url: testInfrastructure().redisUrl, name: 'reply-retention-test' });

  beforeAll(async () => {
    schema = await createTestSchema('reply-retention');
    redisBase = createTestRedisPrefix('reply-retention').replace(/[{}]/g, '');
    // No status-tracker here: replies are stored pending, which is all this test needs.
    const nowhere = `127.0.0.1:${await freePort()}`;
    reply = await startReplyService({
      DATABASE_URL: schema.databaseUrl,
      DATABASE_SCHEMA: schema.schema,
      REDIS_URL: testInfrastructure().redisUrl,
      REDIS_PREFIX: redisBase,
      STATUS_GRPC_TARGET: nowhere,
      INTERCEPTION_GRPC_TARGET: nowhere,
      GRPC_DEADLINE_MS: '300',
    });
  }, 60_000);

  afterAll(async () => {
    await reply?.close();
    await schema?.drop();
    if (redisBase) await deleteKeysWithPrefix(redis, hashTaggedPrefix(redisBase, 'reply'));
    await redis.quit();
  });

  function sql<T>(query: string, bindings: SqlParam[] = []): Promise<T[]> {
    return Sql.fork(reply.app.get(MikroORM)).rows<T>(query, bindings);
  }

  async function partitions(): Promise<string[]> {
    const rows = await sql<{ name: string }>(
      `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'reply'::regclass order by 1`,
    );
    return rows.map((row) => row.name);
  }

  it('has a partition for every day of the window and three days ahead at start-up', async () => {
    const names = await partitions();
    expect(names).toHaveLength(34);
    expect(names).toContain(REPLY_PARTITIONS.nameOf(new Date()));
    expect(names).toContain(REPLY_PARTITIONS.nameOf(new Date(Date.now() + 3 * DAY)));
    expect(names).toContain(REPLY_PARTITIONS.nameOf(new Date(Date.now() - 30 * DAY)));
  });

  it('drops whole partitions past the window with their reply keys, and creates the new days', async () => {
    const receivedAt = new Date(Date.now() - 60_000);
    const { outcomes } = await reply.client.recordReplies({
      replies: [
        {
          replyId: 'retained-1',
          phone: '+447911123456',
          content: 'hello',
          receivedAt: toTimestamp(receivedAt),
          operator: '',
          channel: '',
          accountId: '',
          messageId: '',
        },
      ],
    });
    expect(outcomes[0]?.result).toBe('REPLY_RESULT_APPLIED');
    const service = reply.app.get(RetentionService);

    // 29 days later the reply is still inside the window: nothing of it goes.
    const soon = await service.maintain(new Date(receivedAt.getTime() + 29 * DAY));
    expect(soon.dropped).not.toContain(REPLY_PARTITIONS.nameOf(receivedAt));
    expect(await sql(`select reply_id from reply`)).toHaveLength(1);

    const later = new Date(receivedAt.getTime() + 32 * DAY);
    const run = await service.maintain(later);
    expect(run.dropped).toContain(REPLY_PARTITIONS.nameOf(receivedAt));
    expect(run.keysDeleted).toBe(1);
    expect(await sql(`select reply_id from reply`)).toHaveLength(0);
    expect(await sql(`select reply_id from reply_key`)).toHaveLength(0);
    const names = await partitions();
    expect(names).toContain(REPLY_PARTITIONS.nameOf(new Date(later.getTime() + 3 * DAY)));
    expect(names).not.toContain(REPLY_PARTITIONS.nameOf(receivedAt));
  });

  it('refuses a retention shorter than 30 days at start-up', () => {
    const load = () =>
      loadConfig('reply-service', replyConfigSchema, {
        DATABASE_URL: schema.databaseUrl,
        RETENTION_DAYS: '29',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/RETENTION_DAYS: must be at least 30/);
  });
});
