import { showTime } from '../lib/format';
import { t } from '../i18n';

/** A time in the browser's zone; hovering (or focusing) shows it in UTC. */
export function Time({ value }: { value: string | null | undefined }) {
  const shown = showTime(value);
  if (!shown) return <span className="muted">{t.time.none}</span>;
  return (
    <time dateTime={shown.iso} title={shown.utc} tabIndex={0} className="time">
      {shown.local}
    </time>
  );
}
