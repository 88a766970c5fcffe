import { Inject, Injectable } from '@nestjs/common';
import { hashTaggedPrefix, REDIS, type RedisClient } from '@sms/platform-redis';
import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyRole } from '../accounts/api-key-secret';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { SessionStoreUnavailableError } from './sessions.errors';

/** What Redis keeps of a session. The token itself is not stored, only its SHA-256. */
export interface SessionRecord {
  readonly userId: string;
  readonly accountId: string;
  readonly role: ApiKeyRole;
  readonly email: string;
  /** The user's credentials version at sign-in: a password reset ends older sessions. */
  readonly credentialsVersion: number;
  readonly csrfToken: string;
  readonly createdAt: number;
  /** Epoch ms; the session ends then whatever its activity. */
  readonly absoluteExpiresAt: number;
}

/**
 * Sessions in Redis, shared by every gateway replica. Idle expiry is the key's TTL, renewed on
 * every use; absolute expiry is checked against the record, so no renewal can outlive it.
 */
@Injectable()
export class SessionStore {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.prefix = `${hashTaggedPrefix(config.REDIS_PREFIX, 'gateway')}:session:`;
  }

  private key(token: string): string {
    return `${this.prefix}${createHash('sha256').update(token).digest('base64url')}`;
  }

  private ttlMs(record: SessionRecord, now: number): number {
    return Math.max(
      1,
      Math.min(this.config.SESSION_IDLE_TIMEOUT_MS, record.absoluteExpiresAt - now),
    );
  }

  /** Stores a new session; answers its token (the cookie value). */
  async create(
    fields: Omit<SessionRecord, 'csrfToken' | 'createdAt' | 'absoluteExpiresAt'>,
    now = Date.now(),
  ): Promise<{ token: string; record: SessionRecord }> {
    const token = randomBytes(32).toString('base64url');
    const record: SessionRecord = {
      ...fields,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      absoluteExpiresAt: now + this.config.SESSION_ABSOLUTE_TIMEOUT_MS,
    };
    await this.guard(
      this.redis.set(this.key(token), JSON.stringify(record), 'PX', this.ttlMs(record, now)),
    );
    return { token, record };
  }

  /** The live session of a token, renewing its idle expiry; null when unknown or ended. */
  async touch(token: string, now = Date.now()): Promise<SessionRecord | null> {
    const key = this.key(token);
    const raw = await this.guard(this.redis.get(key));
    if (raw === null) return null;
    const record = JSON.parse(raw) as SessionRecord;
    if (now >= record.absoluteExpiresAt) {
      await this.guard(this.redis.del(key));
      return null;
    }
    await this.guard(this.redis.pexpire(key, this.ttlMs(record, now)));
    return record;
  }

  async remove(token: string): Promise<void> {
    await this.guard(this.redis.del(this.key(token)));
  }

  private async guard<T>(operation: Promise<T>): Promise<T> {
    try {
      return await operation;
    } catch {
      throw new SessionStoreUnavailableError();
    }
  }
}
