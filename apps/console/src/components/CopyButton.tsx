import { useState } from 'react';
import { t } from '../i18n';

/** Copies a value and says so to screen readers. */
export function CopyButton({ value }: { value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <button
        type="button"
        className="link-button"
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(() => setCopied(true));
        }}
      >
        {t.detail.copy}
      </button>
      <span aria-live="polite" className="muted">
        {copied ? ` ${t.detail.copied}` : ''}
      </span>
    </>
  );
}
