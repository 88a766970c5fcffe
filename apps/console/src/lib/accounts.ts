// The operator's account picker: every account from GET /v1/admin/accounts, as select options.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { FilterField, FilterOption } from '../components/FilterForm';
import { t } from '../i18n';

export interface AccountChoice {
  accountId: string;
  name: string;
}

/** "Name · acc_…": the name to recognise it, the id to match what the tables show. */
export const accountOptions = (accounts: readonly AccountChoice[]): FilterOption[] =>
  accounts.map((account) => ({
    value: account.accountId,
    label: `${account.name} · ${account.accountId}`,
  }));

/** The accounts an operator may pick; `enabled` false for customers (the API refuses them). */
export function useAccountOptions(enabled: boolean) {
  const accounts = useQuery({
    queryKey: ['admin-accounts'],
    enabled,
    staleTime: 60_000,
    queryFn: async () => unwrap(await api.GET('/v1/admin/accounts')),
  });
  return {
    options: enabled ? accountOptions(accounts.data?.data ?? []) : undefined,
    error: accounts.error,
    isPending: enabled && accounts.isPending,
  };
}

export const accountField = (
  options: readonly FilterOption[],
  emptyLabel: string,
): FilterField => ({
  name: 'accountId',
  label: t.filters.account,
  kind: 'select',
  options,
  emptyLabel,
});
