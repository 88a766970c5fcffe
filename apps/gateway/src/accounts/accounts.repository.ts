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
}
