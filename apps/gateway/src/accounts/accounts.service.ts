import { Injectable } from '@nestjs/common';
import { Account } from './account.entity';
import { ApiKey } from './api-key.entity';
import {
  AccountNotFoundError,
  ApiKeyNotFoundError,
  InvalidAccountInputError,
} from './accounts.errors';
import { AccountsRepository } from './accounts.repository';
import {
  hashSecret,
  newAccountId,
  newKeyId,
  newSalt,
  newSecret,
  type ApiKeyRole,
} from './api-key-secret';

export interface CreatedAccount {
  readonly accountId: string;
  readonly name: string;
}

export interface IssuedKey {
  readonly keyId: string;
  /** Shown once; only its hash is stored. */
  readonly secret: string;
  readonly accountId: string;
  readonly role: ApiKeyRole;
}

/** Use cases of the accounts CLI, and the key lookup behind authentication. */
@Injectable()
export class AccountsService {
  constructor(private readonly repository: AccountsRepository) {}

  async createAccount(name: string): Promise<CreatedAccount> {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 200) {
      throw new InvalidAccountInputError('name must be 1..200 characters');
    }
    const account = Object.assign(new Account(), {
      id: newAccountId(),
      name: trimmed,
      createdAt: new Date(),
    });
    await this.repository.insertAccount(account);
    return { accountId: account.id, name: account.name };
  }

  async issueKey(accountId: string, role: ApiKeyRole): Promise<IssuedKey> {
    if (!(await this.repository.findAccount(accountId))) throw new AccountNotFoundError(accountId);
    const secret = newSecret();
    const salt = newSalt();
    const key = Object.assign(new ApiKey(), {
      id: newKeyId(),
      accountId,
      role,
      secretSalt: salt,
      secretHash: hashSecret(secret, salt),
      createdAt: new Date(),
      revokedAt: null,
    });
    await this.repository.insertKey(key);
    return { keyId: key.id, secret, accountId, role };
  }

  async revokeKey(keyId: string): Promise<{ keyId: string; revoked: true }> {
    if (!(await this.repository.revokeKey(keyId, new Date()))) throw new ApiKeyNotFoundError(keyId);
    return { keyId, revoked: true };
  }

  findKey(keyId: string): Promise<ApiKey | null> {
    return this.repository.findKey(keyId);
  }
}
