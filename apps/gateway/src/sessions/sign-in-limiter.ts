import { Inject, Injectable } from '@nestjs/common';
import { hashTaggedPrefix, REDIS, type RedisClient } from '@sms/platform-redis';
import { createHash } from 'node:crypto';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { SessionStoreUnavailableError, SignInRateLimitedError } from './sessions.errors';

/**
 * Counts failed sign-ins per email and per client IP in Redis (a window that starts at the first
 * failure). Once either count reaches its limit, sign-in is refused before the password is
 * checked, for known and unknown emails alike. Unlike the API rate limit this fails closed:
 * without Redis there are no sessions anyway.
 */
@Injectable()
export class SignInLimiter {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.prefix = `${hashTaggedPrefix(config.REDIS_PREFIX, 'gateway')}:sign-in-failures:`;
  }

  private keys(email: string, ip: string): { email: string; ip: string } {
    // Hashed: no email address or IP in Redis key names.
    const digest = (text: string) => createHash('sha256').update(text).digest('base64url');
    return { email: `${this.prefix}email:${digest(email)}`, ip: `${this.prefix}ip:${digest(ip)}` };
  }

  /** Throws SignInRateLimitedError while either limit is reached. */
  async check(email: string, ip: string): Promise<void> {
    const keys = this.keys(email, ip);
    const results = await this.run(
      this.redis.multi().get(keys.email).pttl(keys.email).get(keys.ip).pttl(keys.ip).exec(),
    );
    const value = (index: number) => Number(results?.[index]?.[1] ?? 0);
    const blocked = [
      { count: value(0), ttl: value(1), limit: this.config.SIGN_IN_FAILURES_PER_EMAIL },
      { count: value(2), ttl: value(3), limit: this.config.SIGN_IN_FAILURES_PER_IP },
    ].filter((slot) => slot.count >= slot.limit);
    if (blocked.length) {
      const ttl = Math.max(...blocked.map((slot) => slot.ttl));
      throw new SignInRateLimitedError(Math.max(1, Math.ceil(ttl / 1000)));
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const keys = this.keys(email, ip);
    const window = this.config.SIGN_IN_FAILURE_WINDOW_MS;
    await this.run(
      this.redis
        .multi()
        .incr(keys.email)
        .pexpire(keys.email, window, 'NX')
        .incr(keys.ip)
        .pexpire(keys.ip, window, 'NX')
        .exec(),
    );
  }

  /** A successful sign-in clears the email's count (not the IP's: one IP may try many emails). */
  async recordSuccess(email: string, ip: string): Promise<void> {
    await this.run(this.redis.del(this.keys(email, ip).email));
  }

  private async run<T>(operation: Promise<T>): Promise<T> {
    try {
      return await operation;
    } catch {
      throw new SessionStoreUnavailableError();
    }
  }
}
