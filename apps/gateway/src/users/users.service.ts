import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AccountNotFoundError } from '../accounts/accounts.errors';
import { AccountsRepository } from '../accounts/accounts.repository';
import type { ApiKeyRole } from '../accounts/api-key-secret';
import { hashPassword, passwordProblem } from './password-hash';
import { ConsoleUser } from './user.entity';
import { EmailTakenError, InvalidUserInputError, UserNotFoundError } from './users.errors';
import { UsersRepository } from './users.repository';

export interface UserView {
  readonly userId: string;
  readonly accountId: string;
  readonly email: string;
  readonly role: ApiKeyRole;
  readonly createdAt: string;
  readonly disabled: boolean;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Emails compare case-insensitively: stored trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function toUserView(user: ConsoleUser): UserView {
  return {
    userId: user.id,
    accountId: user.accountId,
    email: user.email,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
    disabled: user.disabledAt !== null,
  };
}

/** Use cases of the accounts CLI for console users. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly accounts: AccountsRepository,
  ) {}

  async createUser(
    accountId: string,
    email: string,
    role: ApiKeyRole,
    password: string,
  ): Promise<UserView> {
    const normalized = normalizeEmail(email);
    if (normalized.length > 254 || !EMAIL_PATTERN.test(normalized)) {
      throw new InvalidUserInputError(`"${email}" is not an email address`);
    }
    const problem = passwordProblem(password);
    if (problem) throw new InvalidUserInputError(problem);
    if (!(await this.accounts.findAccount(accountId))) throw new AccountNotFoundError(accountId);
    const user = Object.assign(new ConsoleUser(), {
      id: `usr_${randomBytes(12).toString('hex')}`,
      accountId,
      email: normalized,
      role,
      passwordHash: await hashPassword(password),
      credentialsVersion: 1,
      createdAt: new Date(),
      disabledAt: null,
    });
    if (!(await this.users.insert(user))) throw new EmailTakenError(normalized);
    return toUserView(user);
  }

  async listUsers(accountId?: string): Promise<UserView[]> {
    return (await this.users.list(accountId)).map(toUserView);
  }

  async disableUser(userId: string): Promise<{ userId: string; disabled: true }> {
    if (!(await this.users.disable(userId, new Date()))) throw new UserNotFoundError(userId);
    return { userId, disabled: true };
  }

  async resetPassword(userId: string, password: string): Promise<{ userId: string; reset: true }> {
    const problem = passwordProblem(password);
    if (problem) throw new InvalidUserInputError(problem);
    if (!(await this.users.setPassword(userId, await hashPassword(password)))) {
      throw new UserNotFoundError(userId);
    }
    return { userId, reset: true };
  }
}
