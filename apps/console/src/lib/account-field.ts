// The operator's account picker as a filter field (pure: no API, so unit-testable in Node).
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

export const accountField = (
  options: readonly FilterOption[],
  emptyLabel: string,
): FilterField => ({
  name: 'accountId',
  label: t.filters.account,
  kind: 'select',
  options,
  emptyLabel,
  wide: true,
});
