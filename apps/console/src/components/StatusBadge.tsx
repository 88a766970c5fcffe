import { statusInWords } from '../lib/format';

const ICONS: Record<string, string> = {
  sending: '…',
  wait_result: '◷',
  delivered: '✓',
  process_failed: '⊘',
  send_failed: '✕',
};

/** Icon + colour + words, never colour alone. */
export function StatusBadge({
  status,
  reason,
  reasonCode,
}: {
  status: string | null;
  reason?: string | null;
  reasonCode?: number | null;
}) {
  return (
    <span className={`badge badge-${status ?? 'none'}`}>
      <span aria-hidden="true">{ICONS[status ?? ''] ?? '·'}</span>{' '}
      {statusInWords(status, reason, reasonCode)}
    </span>
  );
}
