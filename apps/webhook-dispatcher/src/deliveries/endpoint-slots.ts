import { Inject, Injectable } from '@nestjs/common';
import { REDIS, type RedisClient } from '@sms/platform-redis';
import { randomBytes } from 'node:crypto';
import { DISPATCHER_CONFIG, type DispatcherConfig } from '../config';

// Slots are members of a sorted set scored by when they were taken. Leases older than ARGV[3]
// are dropped first, so the slots of a replica that died mid-attempt free themselves.
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[3]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

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

  /** A lease token when a slot was free, null when the endpoint is at its limit. */
  async acquire(endpointId: string): Promise<string | null> {
    const lease = randomBytes(8).toString('hex');
    const taken = await this.redis.eval(
      ACQUIRE,
      1,
      this.prefix + endpointId,
      Date.now(),
      this.config.WEBHOOK_ENDPOINT_CONCURRENCY,
      this.leaseMs,
      lease,
    );
    return taken === 1 ? lease : null;
  }

  async release(endpointId: string, lease: string): Promise<void> {
    await this.redis.zrem(this.prefix + endpointId, lease);
  }
}
