import { t } from '../i18n';

/** Paging by the API's tokens: first, previous (tokens remembered), next (only when there is one). */
export function Pager({
  pageNumber,
  hasNext,
  onFirst,
  onPrevious,
  onNext,
}: {
  pageNumber: number;
  hasNext: boolean;
  onFirst: () => void;
  onPrevious: () => void;
  onNext: () => void;
}) {
  return (
    <nav className="pager" aria-label={t.messages.page(pageNumber)}>
      <button type="button" onClick={onFirst} disabled={pageNumber <= 1}>
        {t.messages.first}
      </button>
      <button type="button" onClick={onPrevious} disabled={pageNumber <= 1}>
        {t.messages.previous}
      </button>
      <span aria-current="page">{t.messages.page(pageNumber)}</span>
      {hasNext && (
        <button type="button" onClick={onNext}>
          {t.messages.next}
        </button>
      )}
    </nav>
  );
}
