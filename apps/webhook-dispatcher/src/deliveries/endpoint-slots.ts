import { Inject, Injectable } from '@nestjs/common';
import { REDIS, type RedisClient } from '@sms/platform-redis';
import { randomBytes } from 'node:crypto';
import { DISPATCHER_CONFIG, type DispatcherConfig } from '../config';

// Slots are members of a sorted set scored by when they were taken. Leases older than ARGV[3]
// are dropped first, so the slots of a replica that died mid-attempt free themselves.
// ARGV[4..] are the wanted leases; as many as are free are taken, in order; returns how many.
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[3]))
local free = tonumber(ARGV[2]) - redis.call('ZCARD', KEYS[1])
local taken = math.min(math.max(free, 0), #ARGV - 3)
for i = 1, taken do redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3 + i]) end
if taken > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return taken`;

/** The per-endpoint concurrency limit, shared by every replica through Redis. */
@Injectable()
export class EndpointSlots {
  private readonly prefix: string;
  /** Longer than any attempt (the HTTP timeout plus the bookkeeping around it). */
  private readonly leaseMs: number;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
  ) {
    this.prefix = `{${config.REDIS_PREFIX}:webhook}:slots:`;
    this.leaseMs = Math.max(10_000, config.WEBHOOK_TIMEOUT_MS * 3);
  }

  /**
   * Up to `wanted` slots of one endpoint in one round trip: a lease token per slot taken, fewer
   * (or none) when the endpoint is at its limit.
   */
  async acquire(endpointId: string, wanted: number): Promise<string[]> {
    if (wanted < 1) return [];
    const leases = Array.from({ length: wanted }, () => randomBytes(8).toString('hex'));
    const taken = Number(
      await this.redis.eval(
        ACQUIRE,
        1,
        this.prefix + endpointId,
        Date.now(),
        this.config.WEBHOOK_ENDPOINT_CONCURRENCY,
        this.leaseMs,
        ...leases,
      ),
    );
    return leases.slice(0, taken);
  }

  /**
   * Gives slots back and restarts the age of slots handed from one attempt to the next (so they
   * do not expire while in use): endpoint id → lease tokens; one pipeline for all of them.
   */
  async release(
    released: ReadonlyMap<string, readonly string[]>,
    handedOver: ReadonlyMap<string, readonly string[]> = new Map(),
  ): Promise<void> {
    if (!released.size && !handedOver.size) return;
    const pipeline = this.redis.pipeline();
    for (const [endpointId, tokens] of released) {
      if (tokens.length) pipeline.zrem(this.prefix + endpointId, ...tokens);
    }
    const now = Date.now();
    for (const [endpointId, tokens] of handedOver) {
      // XX: a lease already dropped as expired is not brought back.
      for (const token of tokens) pipeline.zadd(this.prefix + endpointId, 'XX', now, token);
    }
    await pipeline.exec();
  }
}
