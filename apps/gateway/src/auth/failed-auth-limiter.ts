import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter, METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import { hashTaggedPrefix, REDIS, type RedisClient } from '@sms/platform-redis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { withDeadline } from '@sms/platform-deadline';

const WINDOW_MS = 60_000;
/** A slow store must not make every request slow. */
const STORE_TIMEOUT_MS = 250;

/** Addresses this process knows are blocked, at most (oldest forgotten first). */
const MAX_BLOCKED_ADDRESSES = 10_000;

/**
 * Failed authentications per client address in fixed one-minute windows, counted in Redis (shared
 * by every replica). Once an address reaches AUTH_FAILURES_PER_MINUTE it is answered 429 until the
 * window ends, before its key is even looked at: guessing keys costs the guesser, not PostgreSQL.
 * The block is remembered in memory, so good traffic pays no extra Redis round trip. If Redis
 * cannot answer, nothing is blocked: the limit must not take the API down with Redis.
 */
@Injectable()
export class FailedAuthLimiter {
  private readonly logger = new Logger('FailedAuthLimiter');
  private readonly prefix: string;
  private readonly refused: Counter;
  /** address -> end of its block (epoch ms). */
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.prefix = `${hashTaggedPrefix(config.REDIS_PREFIX, 'gateway')}:authfail:`;
    this.refused = new Counter({
      name: 'gateway_failed_auth_refused_total',
      help: 'Requests refused (429) because their address failed authentication too often',
      registers: [registry],
    });
  }

  /** Seconds the address must still wait, or 0 when it may try. */
  retryAfterSeconds(address: string, now = Date.now()): number {
    const until = this.blockedUntil.get(address);
    if (until === undefined) return 0;
    if (until <= now) {
      this.blockedUntil.delete(address);
      return 0;
    }
    this.refused.inc();
    return Math.max(1, Math.ceil((until - now) / 1000));
  }

  /** Counts one failed authentication of the address; blocks it once over the limit. */
  async recordFailure(address: string, now = Date.now()): Promise<void> {
    const window = Math.floor(now / WINDOW_MS);
    const key = `${this.prefix}${address}:${window}`;
    try {
      // Not connected: do not queue behind reconnects; answer at once.
      if (this.redis.status !== 'ready') throw new Error(`Redis is ${this.redis.status}`);
      const results = await withDeadline(
        this.redis
          .multi()
          .incr(key)
          .pexpire(key, WINDOW_MS * 2)
          .exec(),
        STORE_TIMEOUT_MS,
      );
      const failures = Number(results?.[0]?.[1] ?? 0);
      if (failures < this.config.AUTH_FAILURES_PER_MINUTE) return;
      this.blockedUntil.delete(address);
      if (this.blockedUntil.size >= MAX_BLOCKED_ADDRESSES) {
        const oldest = this.blockedUntil.keys().next().value;
        if (oldest !== undefined) this.blockedUntil.delete(oldest);
      }
      this.blockedUntil.set(address, (window + 1) * WINDOW_MS);
    } catch (error) {
      this.logger.warn(
        `failed-authentication limit not enforced: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
