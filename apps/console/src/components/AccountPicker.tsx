import { errorText } from '../api/client';
import { t } from '../i18n';
import type { FilterOption } from './FilterForm';

/** The operator's account choice outside a filter form (the Overview): changes apply at once. */
export function AccountPicker({
  id,
  value,
  options,
  emptyLabel,
  onChange,
}: {
  id: string;
  value: string | undefined;
  options: readonly FilterOption[];
  emptyLabel: string;
  onChange: (accountId: string | undefined) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{t.operator.pickAccount}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">{emptyLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Said when the account list cannot be loaded (the picker then offers no accounts). */
export function AccountsProblem({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="callout callout-error" role="alert">
      {t.operator.accountsUnavailable} {errorText(error)}
    </p>
  );
}
