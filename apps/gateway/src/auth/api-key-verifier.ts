import { Inject, Injectable } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service';
import { KEY_ID_PATTERN, secretMatchesDigest, type ApiKeyRole } from '../accounts/api-key-secret';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { InvalidApiKeyError, TooManyFailedAuthenticationsError } from './auth.errors';
import type { Caller } from './caller';
import type { PresentedCredentials } from './credentials';
import { FailedAuthLimiter } from './failed-auth-limiter';

interface KeyRecord {
  readonly accountId: string;
  readonly role: ApiKeyRole;
  /** Decoded once when loaded, not per request. */
  readonly salt: Buffer;
  readonly hash: Buffer;
  readonly revoked: boolean;
}

interface CacheSlot {
  readonly record: KeyRecord | null;
  readonly loadedAt: number;
}

const MAX_CACHED_KEYS = 10_000;
/**
 * How long an unknown key id is answered from memory. Key ids are 96 random bits, so an id
 * that is unknown now is not issued later: a long memory costs nothing.
 */
const NEGATIVE_TTL_MS = 60_000;

/**
 * Verifies presented credentials against the stored key. Key records (hash, role, revocation —
 * never the secret) are cached for AUTH_CACHE_TTL_MS, so a revocation takes effect within that
 * time and authentication is not a database query per request. The secret itself is checked on
 * every request (one HMAC), so a cached key never lets a wrong secret through.
 *
 * Guessing must cost the guesser, not PostgreSQL: a key id not of the issued format is refused
 * without a lookup; unknown ids are remembered in their own bounded cache (so they never push
 * real keys out); an address with too many failures is answered 429 before anything else.
 */
@Injectable()
export class ApiKeyVerifier {
  private readonly cache = new Map<string, CacheSlot>();
  /** Unknown key id -> when it was found unknown. */
  private readonly unknown = new Map<string, number>();
  private readonly loading = new Map<string, Promise<KeyRecord | null>>();

  constructor(
    private readonly accounts: AccountsService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly failures: FailedAuthLimiter,
  ) {}

  /** `clientAddress`: where the request came from, for the failed-authentication limit. */
  async verify(credentials: PresentedCredentials, clientAddress = 'unknown'): Promise<Caller> {
    const retryAfter = this.failures.retryAfterSeconds(clientAddress);
    if (retryAfter > 0) throw new TooManyFailedAuthenticationsError(retryAfter);
    const record = KEY_ID_PATTERN.test(credentials.keyId)
      ? await this.record(credentials.keyId)
      : null;
    if (!record || !secretMatchesDigest(credentials.secret, record.salt, record.hash)) {
      await this.failures.recordFailure(clientAddress);
      throw new InvalidApiKeyError('unknown API key or wrong secret');
    }
    if (record.revoked) {
      await this.failures.recordFailure(clientAddress);
      throw new InvalidApiKeyError('this API key has been revoked');
    }
    return { keyId: credentials.keyId, accountId: record.accountId, role: record.role };
  }

  private async record(keyId: string): Promise<KeyRecord | null> {
    const unknownSince = this.unknown.get(keyId);
    if (unknownSince !== undefined && Date.now() - unknownSince < NEGATIVE_TTL_MS) return null;
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
          salt: Buffer.from(key.secretSalt, 'hex'),
          hash: Buffer.from(key.secretHash, 'hex'),
          revoked: key.revokedAt !== null,
        }
      : null;
    if (record) {
      this.unknown.delete(keyId);
      remember(this.cache, keyId, { record, loadedAt: Date.now() }, MAX_CACHED_KEYS);
    } else {
      this.cache.delete(keyId);
      remember(this.unknown, keyId, Date.now(), this.config.AUTH_NEGATIVE_CACHE_SIZE);
    }
    return record;
  }
}

/** Sets a bounded map entry, forgetting the oldest insertion first (a Map iterates in order). */
function remember<V>(map: Map<string, V>, key: string, value: V, maxSize: number): void {
  map.delete(key);
  if (map.size >= maxSize) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}
