import { useEffect, useState, type FormEvent } from 'react';
import { t } from '../i18n';

export interface FilterOption {
  value: string;
  label: string;
}

export interface FilterField {
  name: string;
  label: string;
  /** `checks`: several values of `options`, kept comma-separated (like the API's `status`). */
  kind: 'text' | 'select' | 'date' | 'checks';
  options?: readonly FilterOption[];
  /** Options in labelled groups that depend on the draft (e.g. the reasons of the picked statuses). */
  groups?: (draft: Record<string, string>) => readonly { label: string; options: FilterOption[] }[];
  /** The label of a select's empty choice (default "Any"). */
  emptyLabel?: string;
  /** Two grid columns (long choices such as "account name · acc_…"). */
  wide?: boolean;
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
          const key = `${field.name}-${field.label}-${field.when ? 'w' : ''}`;
          if (field.kind === 'checks') {
            return (
              <CheckGroup
                key={key}
                id={id}
                field={field}
                value={draft[field.name] ?? ''}
                onChange={set}
              />
            );
          }
          return (
            <div className={field.wide ? 'field field-wide' : 'field'} key={key}>
              <label htmlFor={id}>{field.label}</label>
              {field.kind === 'select' ? (
                <select
                  id={id}
                  value={draft[field.name] ?? ''}
                  onChange={(e) => set(e.target.value)}
                >
                  <option value="">{field.emptyLabel ?? t.filters.any}</option>
                  {field.options?.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                  {field.groups?.(draft).map((group) => (
                    <optgroup key={group.label} label={group.label}>
                      {group.options.map((option) => (
                        <option key={option.value} value={option.value}>
                          {option.label}
                        </option>
                      ))}
                    </optgroup>
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

/** Several choices as real checkboxes in a fieldset (keyboard and screen readers need nothing more). */
function CheckGroup({
  id,
  field,
  value,
  onChange,
}: {
  id: string;
  field: FilterField;
  value: string;
  onChange: (next: string) => void;
}) {
  const picked = new Set(value.split(',').filter(Boolean));
  const toggle = (option: string, on: boolean) => {
    const next = new Set(picked);
    if (on) next.add(option);
    else next.delete(option);
    // Written in the options' order, so the URL does not depend on the order of clicks.
    onChange(
      (field.options ?? [])
        .map((o) => o.value)
        .filter((v) => next.has(v))
        .join(','),
    );
  };
  return (
    <fieldset className="field field-checks" id={id}>
      <legend>{field.label}</legend>
      <div className="checks">
        {field.options?.map((option) => (
          <label key={option.value} className="check">
            <input
              type="checkbox"
              name={field.name}
              value={option.value}
              checked={picked.has(option.value)}
              onChange={(e) => toggle(option.value, e.target.checked)}
            />{' '}
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function withoutUndefined(value: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
