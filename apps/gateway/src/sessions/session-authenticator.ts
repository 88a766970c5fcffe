import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { Caller } from '../auth/caller';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { UsersRepository } from '../users/users.repository';
import { CSRF_HEADER, isSafeMethod, readSessionCookie } from './session-cookie';
import { SessionStore, type SessionRecord } from './session-store';
import { CsrfTokenError, NoSessionError } from './sessions.errors';

interface UserState {
  readonly disabled: boolean;
  readonly credentialsVersion: number;
}

interface CacheSlot {
  readonly state: UserState | null;
  readonly loadedAt: number;
}

const MAX_CACHED_USERS = 10_000;

/** Equal in constant time; different lengths are simply unequal. */
export function tokensEqual(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The session credential path beside the API key: a request carrying the session cookie (and
 * no Authorization header) is the signed-in user's account with the user's role, exactly as that
 * account's API key of the same role. Disabling a user or resetting the password ends the
 * user's sessions within AUTH_CACHE_TTL_MS, as a key revocation does.
 */
@Injectable()
export class SessionAuthenticator {
  private readonly cache = new Map<string, CacheSlot>();

  constructor(
    private readonly store: SessionStore,
    private readonly usersRepository: UsersRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** True when the request presents a session (and no API key, which wins). */
  presentsSession(request: Request): boolean {
    return (
      request.headers.authorization === undefined &&
      readSessionCookie(request.headers.cookie) !== undefined
    );
  }

  /** The live session of the request's cookie; CSRF is checked for state-changing methods. */
  async session(request: Request): Promise<{ token: string; record: SessionRecord }> {
    const token = readSessionCookie(request.headers.cookie);
    if (!token) throw new NoSessionError();
    const record = await this.store.touch(token);
    if (!record || !(await this.userStillValid(record))) throw new NoSessionError();
    if (!isSafeMethod(request.method)) {
      const header = request.headers[CSRF_HEADER];
      if (!tokensEqual(typeof header === 'string' ? header : undefined, record.csrfToken)) {
        throw new CsrfTokenError();
      }
    }
    return { token, record };
  }

  async authenticate(request: Request): Promise<Caller> {
    const { record } = await this.session(request);
    return {
      keyId: record.userId,
      userId: record.userId,
      accountId: record.accountId,
      role: record.role,
    };
  }

  private async userStillValid(record: SessionRecord): Promise<boolean> {
    const state = await this.userState(record.userId);
    return (
      state !== null && !state.disabled && state.credentialsVersion === record.credentialsVersion
    );
  }

  private async userState(userId: string): Promise<UserState | null> {
    const slot = this.cache.get(userId);
    if (slot && Date.now() - slot.loadedAt < this.config.AUTH_CACHE_TTL_MS) return slot.state;
    const user = await this.usersRepository.findById(userId);
    const state = user
      ? { disabled: user.disabledAt !== null, credentialsVersion: user.credentialsVersion }
      : null;
    this.cache.delete(userId);
    if (this.cache.size >= MAX_CACHED_USERS) {
      // Oldest insertion first: a Map iterates in insertion order.
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(userId, { state, loadedAt: Date.now() });
    return state;
  }
}
