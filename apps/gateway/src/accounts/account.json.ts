import { z } from 'zod';
import type { AccountView } from './accounts.service';

export const accountJson = z
  .object({
    accountId: z.string(),
    name: z.string(),
    createdAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'Account', description: 'A customer account.' });
export type AccountJson = z.infer<typeof accountJson>;

export const accountListJson = z
  .object({
    data: z.array(accountJson).meta({ description: 'Every account, oldest first.' }),
  })
  .meta({ id: 'AccountList', description: 'Every account (operators).' });
export type AccountListJson = z.infer<typeof accountListJson>;

export const toAccountJson = (account: AccountView): AccountJson => ({
  accountId: account.accountId,
  name: account.name,
  createdAt: account.createdAt,
});
