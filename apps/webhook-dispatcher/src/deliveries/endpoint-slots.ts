import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@sms/platform-redis';
import type { Redis } from 'ioredis';
import { DISPATCHER_CONFIG, type DispatcherConfig } from '../config';

// Take a slot if fewer than ARGV[1] are taken; the key expires so a crashed replica's slots free
// themselves (an attempt never lasts longer than the timeout, far below the expiry).
const ACQUIRE = `
local taken = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if taken > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  return 0
end
return 1`;

const RELEASE = `
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;

/** The per-endpoint concurrency limit, shared by every replica through Redis. */
@Injectable()
export class EndpointSlots {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
  ) {
    this.prefix = `{${config.REDIS_PREFIX}:webhook}:slots:`;
  }

  async acquire(endpointId: string): Promise<boolean> {
    const taken = await this.redis.eval(
      ACQUIRE,
      1,
      this.prefix + endpointId,
      this.config.WEBHOOK_ENDPOINT_CONCURRENCY,
      Math.max(60_000, this.config.WEBHOOK_TIMEOUT_MS * 10),
    );
    return taken === 1;
  }

  async release(endpointId: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.prefix + endpointId);
  }
}
