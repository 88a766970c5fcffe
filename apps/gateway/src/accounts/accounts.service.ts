import { Injectable } from '@nestjs/common';
import { Account } from './account.entity';
import { ApiKey } from './api-key.entity';
import {
  AccountNameTakenError,
  AccountNotFoundError,
  ApiKeyNotFoundError,
  ApiKeyRevokedError,
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

export interface AccountView {
  readonly accountId: string;
  readonly name: string;
  readonly createdAt: string;
}

export interface IssuedKey {
  readonly keyId: string;
  /** Shown once; only its hash is stored. */
  readonly secret: string;
  /** What users paste: `Authorization: Bearer <token>`, i.e. `<keyId>.<secret>`. */
  readonly token: string;
  readonly accountId: string;
  readonly role: ApiKeyRole;
}

export interface RotatedKey extends IssuedKey {
  readonly revokedKeyId: string;
}

export interface KeyView {
  readonly keyId: string;
  readonly accountId: string;
  readonly role: ApiKeyRole;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

function toKeyView(key: ApiKey): KeyView {
  return {
    keyId: key.id,
    accountId: key.accountId,
    role: key.role,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

function newKey(accountId: string, role: ApiKeyRole): { key: ApiKey; secret: string } {
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
  return { key, secret };
}

function issued(key: ApiKey, secret: string): IssuedKey {
  return {
    keyId: key.id,
    secret,
    token: `${key.id}.${secret}`,
    accountId: key.accountId,
    role: key.role,
  };
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
    // Checked here, not by a unique index: names created before this rule may repeat, and the
    // CLI is run by one operator at a time.
    const existing = await this.repository.findAccountByName(trimmed);
    if (existing) throw new AccountNameTakenError(trimmed, existing.id);
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
    const { key, secret } = newKey(accountId, role);
    await this.repository.insertKey(key);
    return issued(key, secret);
  }

  /** A new key of the same account and role; the old one is revoked in the same transaction. */
  async rotateKey(keyId: string): Promise<RotatedKey> {
    const old = await this.repository.findKey(keyId);
    if (!old) throw new ApiKeyNotFoundError(keyId);
    if (old.revokedAt) throw new ApiKeyRevokedError(keyId);
    const { key, secret } = newKey(old.accountId, old.role);
    if (!(await this.repository.rotateKey(keyId, key, new Date()))) {
      throw new ApiKeyRevokedError(keyId); // revoked concurrently
    }
    return { ...issued(key, secret), revokedKeyId: keyId };
  }

  async listAccounts(): Promise<AccountView[]> {
    return (await this.repository.listAccounts()).map((account) => ({
      accountId: account.id,
      name: account.name,
      createdAt: account.createdAt.toISOString(),
    }));
  }

  async listKeys(accountId: string): Promise<KeyView[]> {
    if (!(await this.repository.findAccount(accountId))) throw new AccountNotFoundError(accountId);
    return (await this.repository.listKeys(accountId)).map(toKeyView);
  }

  async revokeKey(keyId: string): Promise<{ keyId: string; revoked: true }> {
    if (!(await this.repository.revokeKey(keyId, new Date()))) throw new ApiKeyNotFoundError(keyId);
    return { keyId, revoked: true };
  }

  findKey(keyId: string): Promise<ApiKey | null> {
    return this.repository.findKey(keyId);
  }
}
