import { Inject, Injectable } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service';
import { secretMatches, type ApiKeyRole } from '../accounts/api-key-secret';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { InvalidApiKeyError } from './auth.errors';
import type { Caller } from './caller';
import type { PresentedCredentials } from './credentials';

interface KeyRecord {
  readonly accountId: string;
  readonly role: ApiKeyRole;
  readonly salt: string;
  readonly hash: string;
  readonly revoked: boolean;
}

interface CacheSlot {
  readonly record: KeyRecord | null;
  readonly loadedAt: number;
}

const MAX_CACHED_KEYS = 10_000;

/**
 * Verifies presented credentials against the stored key. Key records (hash, role, revocation —
 * never the secret) are cached for AUTH_CACHE_TTL_MS, so a revocation takes effect within that
 * time and authentication is not a database query per request. The secret itself is checked on
 * every request (one HMAC), so a cached key never lets a wrong secret through.
 */
@Injectable()
export class ApiKeyVerifier {
  private readonly cache = new Map<string, CacheSlot>();
  private readonly loading = new Map<string, Promise<KeyRecord | null>>();

  constructor(
    private readonly accounts: AccountsService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async verify(credentials: PresentedCredentials): Promise<Caller> {
    const record = await this.record(credentials.keyId);
    if (!record || !secretMatches(credentials.secret, record.salt, record.hash)) {
      throw new InvalidApiKeyError('unknown API key or wrong secret');
    }
    if (record.revoked) throw new InvalidApiKeyError('this API key has been revoked');
    return { keyId: credentials.keyId, accountId: record.accountId, role: record.role };
  }

  private async record(keyId: string): Promise<KeyRecord | null> {
    const slot = this.cache.get(keyId);
    if (slot && Date.now() - slot.loadedAt < this.config.AUTH_CACHE_TTL_MS) return slot.record;
    // Concurrent requests of one key share one lookup.
    let pending = this.loading.get(keyId);
    if (!pending) {
      pending = this.load(keyId).finally(() => this.loading.delete(keyId));
      this.loading.set(keyId, pending);
    }
    return pending;
  }

  private async load(keyId: string): Promise<KeyRecord | null> {
    const key = await this.accounts.findKey(keyId);
    const record: KeyRecord | null = key
      ? {
          accountId: key.accountId,
          role: key.role,
          salt: key.secretSalt,
          hash: key.secretHash,
          revoked: key.revokedAt !== null,
        }
      : null;
    this.cache.delete(keyId);
    if (this.cache.size >= MAX_CACHED_KEYS) {
      // Oldest insertion first: a Map iterates in insertion order.
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(keyId, { record, loadedAt: Date.now() });
    return record;
  }
}
