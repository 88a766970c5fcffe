import { MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { ConsoleUser } from './user.entity';

/** Console users in the gateway's own schema; one forked EntityManager per operation. */
@Injectable()
export class UsersRepository {
  constructor(private readonly orm: MikroORM) {}

  /** False when the email is taken. */
  async insert(user: ConsoleUser): Promise<boolean> {
    try {
      await this.orm.em.fork().insert(ConsoleUser, user);
      return true;
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) return false;
      throw error;
    }
  }

  findById(id: string): Promise<ConsoleUser | null> {
    return this.orm.em.fork().findOne(ConsoleUser, { id });
  }

  findByEmail(email: string): Promise<ConsoleUser | null> {
    return this.orm.em.fork().findOne(ConsoleUser, { email });
  }

  list(accountId?: string): Promise<ConsoleUser[]> {
    return this.orm.em.fork().find(ConsoleUser, accountId ? { accountId } : {}, {
      orderBy: { createdAt: 'asc', id: 'asc' },
    });
  }

  /** Sets disabled_at once; false for an unknown user. */
  async disable(id: string, at: Date): Promise<boolean> {
    const em = this.orm.em.fork();
    const updated = await em.nativeUpdate(
      ConsoleUser,
      { id, disabledAt: null },
      { disabledAt: at },
    );
    return updated === 1 || (await em.count(ConsoleUser, { id })) === 1;
  }

  /** New hash and a bumped credentials version (ends every session); false for an unknown user. */
  async setPassword(id: string, passwordHash: string): Promise<boolean> {
    const em = this.orm.em.fork();
    const user = await em.findOne(ConsoleUser, { id });
    if (!user) return false;
    user.passwordHash = passwordHash;
    user.credentialsVersion += 1;
    await em.flush();
    return true;
  }
}
