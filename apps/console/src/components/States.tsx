import { errorText } from '../api/client';
import { t } from '../i18n';

export function Loading({ rows = 5 }: { rows?: number }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="visually-hidden">{t.states.loading}</span>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton" aria-hidden="true" />
      ))}
    </div>
  );
}

/** The API's own message, never a blank page. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="callout callout-error" role="alert">
      <strong>{t.states.errorTitle}</strong>
      <p>{errorText(error)}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t.states.retry}
        </button>
      )}
    </div>
  );
}

/** "Nothing yet" without filters; "no match" with a way to clear them. */
export function Empty({
  filtered,
  onClear,
  hint,
}: {
  filtered: boolean;
  onClear?: () => void;
  hint?: string;
}) {
  return (
    <div className="empty" role="status">
      <p>{filtered ? t.states.noMatch : t.states.nothingYet}</p>
      {!filtered && hint && <p className="muted">{hint}</p>}
      {filtered && onClear && (
        <button type="button" onClick={onClear}>
          {t.states.clearFilters}
        </button>
      )}
    </div>
  );
}
