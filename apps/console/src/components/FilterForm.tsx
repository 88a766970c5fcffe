import { useEffect, useState, type FormEvent } from 'react';
import { t } from '../i18n';

export interface FilterField {
  name: string;
  label: string;
  kind: 'text' | 'select' | 'date';
  options?: readonly { value: string; label: string }[];
  hint?: string;
  min?: string;
  max?: string;
  /** Shown only when this returns true for the current draft (e.g. a reason under its status). */
  when?: (draft: Record<string, string>) => boolean;
}

/**
 * Filters as a real form: typing changes a draft; Apply (or Enter) writes it to the URL, which is
 * the only source of truth; Reset clears it.
 */
export function FilterForm({
  fields,
  value,
  onApply,
  idPrefix,
}: {
  fields: readonly FilterField[];
  value: Record<string, string | undefined>;
  onApply: (next: Record<string, string>) => void;
  idPrefix: string;
}) {
  const [draft, setDraft] = useState<Record<string, string>>(() => withoutUndefined(value));
  const key = JSON.stringify(value);
  useEffect(() => setDraft(withoutUndefined(JSON.parse(key) as Record<string, string>)), [key]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const shown = Object.fromEntries(
      Object.entries(draft).filter(
        ([name, value]) =>
          value.trim() !== '' &&
          fields.some((field) => field.name === name && (!field.when || field.when(draft))),
      ),
    );
    onApply(shown);
  };

  return (
    <form className="filters" onSubmit={submit} aria-label={t.filters.heading} role="search">
      {fields
        .filter((field) => !field.when || field.when(draft))
        .map((field) => {
          // Several fields may share a name (the reason list depends on the status).
          const id = `${idPrefix}-${field.name}`;
          const set = (next: string) => setDraft((current) => ({ ...current, [field.name]: next }));
          return (
            <div className="field" key={`${field.name}-${field.label}-${field.when ? 'w' : ''}`}>
              <label htmlFor={id}>{field.label}</label>
              {field.kind === 'select' ? (
                <select
                  id={id}
                  value={draft[field.name] ?? ''}
                  onChange={(e) => set(e.target.value)}
                >
                  <option value="">{t.filters.any}</option>
                  {field.options?.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  id={id}
                  type={field.kind === 'date' ? 'date' : 'text'}
                  value={draft[field.name] ?? ''}
                  min={field.min}
                  max={field.max}
                  placeholder={field.hint}
                  onChange={(e) => set(e.target.value)}
                />
              )}
            </div>
          );
        })}
      <div className="field field-actions">
        <button type="submit" className="primary">
          {t.filters.apply}
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft({});
            onApply({});
          }}
        >
          {t.filters.reset}
        </button>
      </div>
    </form>
  );
}

function withoutUndefined(value: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
