import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Account } from './account.entity';
import { ApiKey } from './api-key.entity';

/** Accounts and API keys in the gateway's own schema; one forked EntityManager per operation. */
@Injectable()
export class AccountsRepository {
  constructor(private readonly orm: MikroORM) {}

  async insertAccount(account: Account): Promise<void> {
    await this.orm.em.fork().insert(Account, account);
  }

  async findAccount(id: string): Promise<Account | null> {
    return this.orm.em.fork().findOne(Account, { id });
  }

  /** The account with this name, compared case-insensitively (names are stored trimmed). */
  async findAccountByName(name: string): Promise<Account | null> {
    const literal = name.replace(/[\\%_]/g, (c) => `\\${c}`);
    return this.orm.em.fork().findOne(Account, { name: { $ilike: literal } });
  }

  async listAccounts(): Promise<Account[]> {
    return this.orm.em.fork().find(Account, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  async listKeys(accountId: string): Promise<ApiKey[]> {
    return this.orm.em
      .fork()
      .find(ApiKey, { accountId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  async insertKey(key: ApiKey): Promise<void> {
    await this.orm.em.fork().insert(ApiKey, key);
  }

  async findKey(id: string): Promise<ApiKey | null> {
    return this.orm.em.fork().findOne(ApiKey, { id });
  }

  /** Sets revoked_at once (a second revoke keeps the first time); false for an unknown key. */
  async revokeKey(id: string, at: Date): Promise<boolean> {
    const em = this.orm.em.fork();
    const updated = await em.nativeUpdate(ApiKey, { id, revokedAt: null }, { revokedAt: at });
    return updated === 1 || (await em.count(ApiKey, { id })) === 1;
  }

  /**
   * Revokes `oldKeyId` and inserts `replacement` in one transaction: both happen or neither, so
   * a failed rotation never leaves the account without its working key. False when the old key
   * is unknown or already revoked.
   */
  async rotateKey(oldKeyId: string, replacement: ApiKey, at: Date): Promise<boolean> {
    return this.orm.em.fork().transactional(async (em) => {
      const revoked = await em.nativeUpdate(
        ApiKey,
        { id: oldKeyId, revokedAt: null },
        { revokedAt: at },
      );
      if (revoked !== 1) return false;
      await em.insert(ApiKey, replacement);
      return true;
    });
  }
}
