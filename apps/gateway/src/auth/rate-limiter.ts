import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter, METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import { hashTaggedPrefix, REDIS, type RedisClient } from '@sms/platform-redis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { withDeadline } from '@sms/platform-deadline';

export interface RateDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the current window ends. */
  readonly resetSeconds: number;
}

const WINDOW_MS = 60_000;
/** A slow store must not make every request slow. */
const STORE_TIMEOUT_MS = 250;

/**
 * INCR, and PEXPIRE on the window's first request: one command and one reply per request, where
 * MULTI/INCR/PEXPIRE/EXEC were four of each (and an ioredis Pipeline object): that transaction
 * was 12 % of the gateway's CPU in the gateway-rest benchmark (bench/README.md). Atomic like the
 * transaction, so a window's key never lives without its expiry.
 */
const TAKE_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

type LimiterRedis = RedisClient & {
  takeRateWindow(key: string, expiryMs: number): Promise<number>;
};

/**
 * Fixed one-minute windows per API key in Redis (INCR + PEXPIRE in one script call), so every
 * gateway replica shares the count. If Redis cannot answer, the request is let through (and
 * counted): the limit protects the back ends, it must not take the API down with Redis.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger('RateLimiter');
  private readonly prefix: string;
  private readonly failures: Counter;
  private readonly redis: LimiterRedis;

  constructor(
    @Inject(REDIS) redis: RedisClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    if (!('takeRateWindow' in redis)) {
      redis.defineCommand('takeRateWindow', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    }
    this.redis = redis as LimiterRedis;
    this.prefix = `${hashTaggedPrefix(config.REDIS_PREFIX, 'gateway')}:rate:`;
    this.failures = new Counter({
      name: 'gateway_rate_limit_unavailable_total',
      help: 'Requests let through because the rate-limit store (Redis) did not answer',
      registers: [registry],
    });
  }

  async take(keyId: string, now = Date.now()): Promise<RateDecision> {
    const limit = this.config.RATE_LIMIT_PER_MINUTE;
    const window = Math.floor(now / WINDOW_MS);
    const resetSeconds = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    const key = `${this.prefix}${keyId}:${window}`;
    try {
      // Not connected: do not queue behind reconnects; answer at once.
      if (this.redis.status !== 'ready') throw new Error(`Redis is ${this.redis.status}`);
      const count = Number(
        await withDeadline(this.redis.takeRateWindow(key, WINDOW_MS * 2), STORE_TIMEOUT_MS),
      );
      return {
        allowed: count <= limit,
        limit,
        remaining: Math.max(0, limit - count),
        resetSeconds,
      };
    } catch (error) {
      this.failures.inc();
      this.logger.warn(
        `rate limit not enforced: ${error instanceof Error ? error.message : String(error)}`,
      );
      return { allowed: true, limit, remaining: limit, resetSeconds };
    }
  }
}
