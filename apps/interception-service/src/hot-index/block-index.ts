import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { REDIS } from '@sms/platform-redis';
import type { ChainableCommander, Redis } from 'ioredis';
import type { BlockEntry } from '../block-list/block-entry.entity';
import type { UnsubscribeRecord } from '../unsubscribes/unsubscribe.entity';
import {
  encodeEntry,
  encodeUnsubscribe,
  entryField,
  localField,
  unsubscribeField,
} from './index-codec';

/** `{<REDIS_PREFIX>:interception}`: one hash slot for every key of the service. */
export const INTERCEPTION_KEY_PREFIX = Symbol('INTERCEPTION_KEY_PREFIX');
/** A connection of its own for checks: no offline queue, short command timeout (fail fast to PostgreSQL). */
export const CHECK_REDIS = Symbol('CHECK_REDIS');

// Sets a hash field only if the value's revision is newer than the stored one (values start
// with `{"r":<revision>`), so writes from several replicas may arrive in any order.
const PUT_IF_NEWER = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local revision = tonumber(string.match(current, '^{"r":(%d+)'))
  if revision and revision >= tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1`;

const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type WithPutIfNewer = {
  putIfNewer(key: string, field: string, revision: string, value: string): unknown;
};

/** The raw index values of one number for one account: [global, local, unsubscribe]. */
export type IndexedValues = [string | null, string | null, string | null];

/**
 * The Redis hot index of the block list: one hash per phone number with the GLOBAL entry (`g`),
 * LOCAL entries (`l:<account>`) and unsubscribes (`u:<account>`), plus a sentinel that says the
 * index was fully built from PostgreSQL. Without the sentinel (Redis flushed or restarted
 * empty) the index must not be trusted.
 */
@Injectable()
export class BlockIndex implements OnApplicationShutdown {
  private readonly phoneKeyPrefix: string;
  private readonly readyKey: string;
  private readonly lockKey: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CHECK_REDIS) private readonly checkRedis: Redis,
    @Inject(INTERCEPTION_KEY_PREFIX) prefix: string,
  ) {
    this.phoneKeyPrefix = `${prefix}:ix:`;
    this.readyKey = `${prefix}:ix-ready`;
    this.lockKey = `${prefix}:reconcile-lock`;
    if (!('putIfNewer' in this.redis)) {
      this.redis.defineCommand('putIfNewer', { numberOfKeys: 1, lua: PUT_IF_NEWER });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.checkRedis.quit().catch(() => this.checkRedis.disconnect());
  }

  phoneKey(phone: string): string {
    return this.phoneKeyPrefix + phone;
  }

  async putEntries(entries: readonly BlockEntry[], nowMs = Date.now()): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const entry of entries) {
      this.putIfNewer(
        pipeline,
        this.phoneKey(entry.phone),
        entryField(entry.scope, entry.ownerAccountId),
        entry.revision,
        encodeEntry(entry, nowMs),
      );
    }
    await execOrThrow(pipeline);
  }

  async putUnsubscribes(records: readonly UnsubscribeRecord[]): Promise<void> {
    if (records.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const record of records) {
      this.putIfNewer(
        pipeline,
        this.phoneKey(record.phone),
        unsubscribeField(record.accountId),
        record.revision,
        encodeUnsubscribe(record),
      );
    }
    await execOrThrow(pipeline);
  }

  /** One round trip: the number's values for the account, or null when the index is not ready. */
  async read(phone: string, accountId: string): Promise<IndexedValues | null> {
    const results = await this.checkRedis
      .pipeline()
      .hmget(this.phoneKey(phone), 'g', localField(accountId), unsubscribeField(accountId))
      .get(this.readyKey)
      .exec();
    const values = resultsOrThrow(results);
    if (values[1] === null) return null;
    return values[0] as IndexedValues;
  }

  /** One round trip for a whole batch (pipelined), in request order; null when not ready. */
  async readBatch(phones: readonly string[], accountId: string): Promise<IndexedValues[] | null> {
    const pipeline = this.checkRedis.pipeline();
    const local = localField(accountId);
    const unsubscribe = unsubscribeField(accountId);
    for (const phone of phones) pipeline.hmget(this.phoneKey(phone), 'g', local, unsubscribe);
    pipeline.get(this.readyKey);
    const values = resultsOrThrow(await pipeline.exec());
    if (values[phones.length] === null) return null;
    values.length = phones.length;
    return values as IndexedValues[];
  }

  async isReady(): Promise<boolean> {
    return (await this.redis.exists(this.readyKey)) === 1;
  }

  async markReady(): Promise<void> {
    await this.redis.set(this.readyKey, new Date().toISOString());
  }

  /** Only one replica rebuilds at a time. */
  async tryLock(token: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.lockKey, token, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async unlock(token: string): Promise<void> {
    await this.redis.eval(UNLOCK, 1, this.lockKey, token);
  }

  private putIfNewer(
    pipeline: ChainableCommander,
    key: string,
    field: string,
    revision: string,
    value: string,
  ): void {
    (pipeline as unknown as WithPutIfNewer).putIfNewer(key, field, revision, value);
  }
}

type PipelineResults = [error: Error | null, result: unknown][] | null;

function resultsOrThrow(results: PipelineResults): unknown[] {
  if (!results) throw new Error('Redis pipeline was not executed');
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

async function execOrThrow(pipeline: ChainableCommander): Promise<void> {
  resultsOrThrow(await pipeline.exec());
}
