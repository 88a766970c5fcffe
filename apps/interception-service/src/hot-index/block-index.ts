import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { REDIS, scanKeys, serverInfoFor, type RedisClient } from '@sms/platform-redis';
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

// Writes a batch of index values into the live generation and the one being built (both read
// from Redis in the same atomic step, so a rebuild cannot miss a write). Per field, the stored
// value is replaced only by a newer state of the same row, or by a newer value of another row
// that blocks: a tombstone (EXPIRED/DELETED) of one entry never clears another entry.
// KEYS: live generation, building generation. ARGV: phone-key base, then per value
// phone, field, revision, row id ('' for unsubscribes: one row per field), blocking (1/0), value.
const PUT_VALUES = `
local gens = {}
local live = redis.call('GET', KEYS[1])
if live then gens[#gens + 1] = live end
local building = redis.call('GET', KEYS[2])
if building and building ~= live then gens[#gens + 1] = building end
local applied = 0
for i = 2, #ARGV, 6 do
  local revision = tonumber(ARGV[i + 2])
  local id = ARGV[i + 3]
  local blocking = ARGV[i + 4] == '1'
  for _, g in ipairs(gens) do
    local key = ARGV[1] .. g .. ':' .. ARGV[i]
    local stored = redis.call('HGET', key, ARGV[i + 1])
    local replace = true
    if stored then
      local storedRevision = tonumber(string.match(stored, '^{"r":(%d+)')) or 0
      local storedId = string.match(stored, '"[ix]":"([^"]*)"')
      if id == '' or storedId == id then
        replace = storedRevision < revision
      else
        replace = blocking and storedRevision < revision
      end
    end
    if replace then
      redis.call('HSET', key, ARGV[i + 1], ARGV[i + 5])
      applied = applied + 1
    end
  end
end
return applied`;

// A whole batch in one call: KEYS[1] is the live-generation key, KEYS[2..] the phone hashes;
// ARGV[1] the generation the caller trusts. Answers {1, g1, l1, u1, ...} or {0} when the live
// generation is another (false for missing values keeps positions).
const READ_BATCH = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return { 0 } end
local out = { 1 }
for i = 2, #KEYS do
  local values = redis.call('HMGET', KEYS[i], 'g', ARGV[2], ARGV[3])
  out[#out + 1] = values[1]
  out[#out + 1] = values[2]
  out[#out + 1] = values[3]
end
return out`;

// Opens a generation for building, only while this rebuild holds the lock.
const BEGIN_BUILD_IF_LOCKED = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
return 1`;

// Makes the built generation live, only if this rebuild still holds the lock: a FLUSHALL or a
// restart during the rebuild also removes the lock, and the half-built index must not go live.
const GO_LIVE_IF_LOCKED = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('GET', KEYS[3]) ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[3])
return 1`;

const EXTEND_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type WithScripts = {
  putValues(...keysAndArgs: string[]): Promise<number>;
};

type WithReadBatch = {
  readBatch(...keysAndArgs: string[]): Promise<(string | number | null)[]>;
};

/** The raw index values of one number for one account: [global, local, unsubscribe]. */
export type IndexedValues = [string | null, string | null, string | null];

/**
 * The Redis hot index of the block list, in generations: one hash per phone number and
 * generation (`ix:<generation>:<phone>`) with the GLOBAL entry (`g`), LOCAL entries
 * (`l:<account>`) and unsubscribes (`u:<account>`). `ix-gen` names the live generation; a
 * rebuild fills `ix-building` and then swaps it in, so the index is replaced wholesale (removals
 * included). Checks read only the generation PostgreSQL says is current (see IndexTrust).
 */
@Injectable()
export class BlockIndex implements OnApplicationShutdown {
  private readonly phoneKeyBase: string;
  private readonly liveKey: string;
  private readonly buildingKey: string;
  private readonly lockKey: string;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(CHECK_REDIS) private readonly checkRedis: RedisClient,
    @Inject(INTERCEPTION_KEY_PREFIX) prefix: string,
  ) {
    this.phoneKeyBase = `${prefix}:ix:`;
    this.liveKey = `${prefix}:ix-gen`;
    this.buildingKey = `${prefix}:ix-building`;
    this.lockKey = `${prefix}:reconcile-lock`;
    if (!('putValues' in this.redis)) {
      this.redis.defineCommand('putValues', { numberOfKeys: 2, lua: PUT_VALUES });
    }
    if (!('readBatch' in this.checkRedis)) {
      this.checkRedis.defineCommand('readBatch', { lua: READ_BATCH });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.checkRedis.quit().catch(() => this.checkRedis.disconnect());
  }

  phoneKey(generation: string, phone: string): string {
    return `${this.phoneKeyBase}${generation}:${phone}`;
  }

  /** Applies entry states to the live and the building generation (if any); values applied. */
  async putEntries(entries: readonly BlockEntry[], nowMs = Date.now()): Promise<number> {
    if (entries.length === 0) return 0;
    const args: string[] = [];
    for (const entry of entries) {
      const value = encodeEntry(entry, nowMs);
      args.push(
        entry.phone,
        entryField(entry.scope, entry.ownerAccountId),
        entry.revision,
        entry.id,
        value.includes('"i":') ? '1' : '0',
        value,
      );
    }
    return this.put(args);
  }

  async putUnsubscribes(records: readonly UnsubscribeRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const args: string[] = [];
    for (const record of records) {
      args.push(
        record.phone,
        unsubscribeField(record.accountId),
        record.revision,
        '',
        record.state === 'ACTIVE' ? '1' : '0',
        encodeUnsubscribe(record),
      );
    }
    return this.put(args);
  }

  /**
   * One round trip: the number's values in `generation`, or null when it is not the live one.
   * The batch script with one number: one command, where a GET + HMGET pipeline cost the client
   * twice the work per check.
   */
  async read(generation: string, phone: string, accountId: string): Promise<IndexedValues | null> {
    const flat = await (this.checkRedis as unknown as WithReadBatch).readBatch(
      '2',
      this.liveKey,
      this.phoneKey(generation, phone),
      generation,
      localField(accountId),
      unsubscribeField(accountId),
    );
    if (flat[0] !== 1) return null;
    return [flat[1] as string | null, flat[2] as string | null, flat[3] as string | null];
  }

  /**
   * One round trip for a whole batch (one script call), in request order; null as `read`. The
   * values of `phones[i]` are at `3 * i`, `3 * i + 1` and `3 * i + 2` (global, local,
   * unsubscribe): one flat array rather than an array per number.
   */
  async readBatch(
    generation: string,
    phones: readonly string[],
    accountId: string,
  ): Promise<(string | null)[] | null> {
    const keys = [this.liveKey];
    for (const phone of phones) keys.push(this.phoneKey(generation, phone));
    const flat = await (this.checkRedis as unknown as WithReadBatch).readBatch(
      String(keys.length),
      ...keys,
      generation,
      localField(accountId),
      unsubscribeField(accountId),
    );
    if (flat[0] !== 1) return null;
    flat.shift();
    return flat as (string | null)[];
  }

  /**
   * The live generation Redis holds and the Redis process holding it (changes on every restart
   * and, on a cluster, when a replica takes over the service's slot).
   */
  async describe(): Promise<{ generation: string | null; runId: string }> {
    const [generation, info] = await Promise.all([
      this.checkRedis.get(this.liveKey),
      serverInfoFor(this.checkRedis, this.liveKey),
    ]);
    return { generation, runId: /run_id:(\w+)/.exec(info)?.[1] ?? '' };
  }

  // The lock and generation switches use the fail-fast connection (no offline queue): a command
  // queued while Redis is away must never run late, e.g. take a lock nobody will release.

  async beginBuild(lockToken: string, generation: string): Promise<boolean> {
    const opened = await this.checkRedis.eval(
      BEGIN_BUILD_IF_LOCKED,
      2,
      this.lockKey,
      this.buildingKey,
      lockToken,
      generation,
    );
    return opened === 1;
  }

  /** True when the built generation went live: the lock (taken before building) survived. */
  async goLive(lockToken: string, generation: string): Promise<boolean> {
    const swapped = await this.checkRedis.eval(
      GO_LIVE_IF_LOCKED,
      3,
      this.lockKey,
      this.liveKey,
      this.buildingKey,
      lockToken,
      generation,
    );
    return swapped === 1;
  }

  /** Removes the hashes of every other generation (old ones, abandoned builds). */
  async dropOtherGenerations(keep: string): Promise<number> {
    const keepPrefix = `${this.phoneKeyBase}${keep}:`;
    // SCAN reads one server: scanKeys asks every master of a cluster.
    const stale = (await scanKeys(this.redis, `${escapeGlob(this.phoneKeyBase)}*`)).filter(
      (key) => !key.startsWith(keepPrefix),
    );
    let dropped = 0;
    for (let at = 0; at < stale.length; at += 1000) {
      dropped += await this.redis.unlink(...stale.slice(at, at + 1000));
    }
    return dropped;
  }

  /** Only one replica rebuilds at a time. */
  async tryLock(token: string, ttlMs: number): Promise<boolean> {
    return (await this.checkRedis.set(this.lockKey, token, 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** Keeps a long rebuild's lock alive; false when it is gone (expired or Redis emptied). */
  async extendLock(token: string, ttlMs: number): Promise<boolean> {
    return (await this.checkRedis.eval(EXTEND_LOCK, 1, this.lockKey, token, ttlMs)) === 1;
  }

  async unlock(token: string): Promise<void> {
    await this.checkRedis.eval(UNLOCK, 1, this.lockKey, token);
  }

  private async put(args: string[]): Promise<number> {
    return (this.redis as unknown as WithScripts).putValues(
      this.liveKey,
      this.buildingKey,
      this.phoneKeyBase,
      ...args,
    );
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
