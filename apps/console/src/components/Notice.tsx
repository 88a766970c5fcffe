import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

/**
 * One line telling what just happened ("Entry of … deleted."), shown at the top of the page and
 * announced to screen readers; it outlives the row or card whose action caused it.
 */
const NoticeContext = createContext<(text: string) => void>(() => undefined);

export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notice, setNotice] = useState<{ text: string; at: number } | null>(null);
  const show = useCallback((text: string) => setNotice({ text, at: Date.now() }), []);
  return (
    <NoticeContext.Provider value={show}>
      <div className="notice" role="status" aria-live="polite" data-testid="notice">
        {notice && (
          <p key={notice.at} className="callout callout-success">
            {notice.text}{' '}
            <button type="button" className="link-button" onClick={() => setNotice(null)}>
              ×<span className="visually-hidden">Dismiss</span>
            </button>
          </p>
        )}
      </div>
      {children}
    </NoticeContext.Provider>
  );
}

export const useNotice = (): ((text: string) => void) => useContext(NoticeContext);
