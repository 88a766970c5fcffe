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

// A whole batch in one call: KEYS[1] is the sentinel, KEYS[2..] the phone hashes; answers
// {sentinel, g1, l1, u1, g2, l2, u2, ...} (false for missing values keeps positions).
const READ_BATCH = `
local out = { redis.call('EXISTS', KEYS[1]) }
for i = 2, #KEYS do
  local values = redis.call('HMGET', KEYS[i], 'g', ARGV[1], ARGV[2])
  out[#out + 1] = values[1]
  out[#out + 1] = values[2]
  out[#out + 1] = values[3]
end
return out`;

// Sets the sentinel only if this rebuild still holds the lock: a FLUSHDB during the rebuild
// also removes the lock, and the half-built index must then not be trusted.
const MARK_READY_IF_LOCKED = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
return 1`;

const EXTEND_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type WithPutIfNewer = {
  putIfNewer(key: string, field: string, revision: string, value: string): unknown;
};

type WithReadBatch = {
  readBatch(...keysAndArgs: string[]): Promise<(string | number | null)[]>;
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
    if (!('readBatch' in this.checkRedis)) {
      this.checkRedis.defineCommand('readBatch', { lua: READ_BATCH });
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

  /** One round trip for a whole batch (one script call), in request order; null when not ready. */
  async readBatch(phones: readonly string[], accountId: string): Promise<IndexedValues[] | null> {
    const keys = [this.readyKey];
    for (const phone of phones) keys.push(this.phoneKey(phone));
    const flat = await (this.checkRedis as unknown as WithReadBatch).readBatch(
      String(keys.length),
      ...keys,
      localField(accountId),
      unsubscribeField(accountId),
    );
    if (flat[0] !== 1) return null;
    const values: IndexedValues[] = new Array<IndexedValues>(phones.length);
    for (let i = 0; i < phones.length; i += 1) {
      const at = 1 + i * 3;
      values[i] = [
        flat[at] as string | null,
        flat[at + 1] as string | null,
        flat[at + 2] as string | null,
      ];
    }
    return values;
  }

  async isReady(): Promise<boolean> {
    return (await this.redis.exists(this.readyKey)) === 1;
  }

  /** True when the sentinel was set: the lock (taken at the start of the rebuild) survived. */
  async markReady(lockToken: string): Promise<boolean> {
    const set = await this.redis.eval(
      MARK_READY_IF_LOCKED,
      2,
      this.lockKey,
      this.readyKey,
      lockToken,
      new Date().toISOString(),
    );
    return set === 1;
  }

  /** Only one replica rebuilds at a time. */
  async tryLock(token: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.lockKey, token, 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** Keeps a long rebuild's lock alive; false when it is gone (expired or Redis emptied). */
  async extendLock(token: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(EXTEND_LOCK, 1, this.lockKey, token, ttlMs)) === 1;
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
