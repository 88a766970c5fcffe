// The operator's account picker: every account from GET /v1/admin/accounts, as select options.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { accountOptions } from './account-field';

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
