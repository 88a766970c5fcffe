import { Injectable } from '@nestjs/common';
import { decoyHash, MAX_PASSWORD_LENGTH, passwordMatches } from '../users/password-hash';
import { normalizeEmail } from '../users/users.service';
import { UsersRepository } from '../users/users.repository';
import { SessionStore, type SessionRecord } from './session-store';
import { SignInFailedError } from './sessions.errors';
import { SignInLimiter } from './sign-in-limiter';

/** Sign-in and sign-out of console users. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly store: SessionStore,
    private readonly limiter: SignInLimiter,
  ) {}

  /**
   * Unknown email, disabled user and wrong password get the same error after the same work
   * (a decoy hash is checked when there is no user), and all count as failures.
   */
  async signIn(
    email: string,
    password: string,
    ip: string,
  ): Promise<{ token: string; record: SessionRecord }> {
    const normalized = normalizeEmail(email);
    await this.limiter.check(normalized, ip);
    const user = await this.users.findByEmail(normalized);
    const matches =
      password.length <= MAX_PASSWORD_LENGTH &&
      (await passwordMatches(password, user?.passwordHash ?? (await decoyHash())));
    if (!user || !matches || user.disabledAt !== null) {
      await this.limiter.recordFailure(normalized, ip);
      throw new SignInFailedError();
    }
    await this.limiter.recordSuccess(normalized, ip);
    return this.store.create({
      userId: user.id,
      accountId: user.accountId,
      role: user.role,
      email: user.email,
      credentialsVersion: user.credentialsVersion,
    });
  }

  async signOut(token: string): Promise<void> {
    await this.store.remove(token);
  }
}
