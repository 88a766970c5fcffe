import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { t } from '../i18n';
import { messageQuery, RETENTION_DAYS, type MessageFilter } from '../lib/filters';
import { sumBuckets } from '../lib/stats';
import { STATUSES } from '../lib/vocabulary';

/** Counts per status for the current filter (status itself left out), each a link to its list. */
export function StatusCounts({
  filter,
  operator,
  now,
  onPick,
}: {
  filter: MessageFilter;
  operator: boolean;
  now: Date;
  onPick: (status: string | undefined) => void;
}) {
  const { status: _status, reasonCode: _reason, ...rest } = filter;
  const query = statsWindow(messageQuery(rest, now), now);
  // Statistics are per account: the customer's own, or the account an operator picked.
  const perAccount = !operator || query['accountId'] !== undefined;
  const stats = useQuery({
    queryKey: ['stats', operator, query],
    enabled: perAccount,
    queryFn: async () =>
      operator
        ? unwrap(
            await api.GET('/v1/admin/stats/messages', {
              params: { query: { ...query, groupBy: 'day' } as never },
            }),
          )
        : unwrap(
            await api.GET('/v1/stats/messages', {
              params: { query: { ...query, groupBy: 'day' } as never },
            }),
          ),
    retry: false,
  });
  if (!perAccount) return null;
  if (stats.isError)
    return <p className="muted counts-unavailable">{t.messages.countsUnavailable}</p>;
  const totals = stats.data ? sumBuckets(stats.data.buckets) : null;
  const tabs: { status: string | undefined; label: string; count: number | undefined }[] = [
    { status: undefined, label: t.status['all'] ?? 'All', count: totals?.total },
    ...STATUSES.map((status) => ({
      status,
      label: t.status[status] ?? status,
      count: totals ? (totals.byStatus[status] ?? 0) : undefined,
    })),
  ];
  return (
    <nav className="status-tabs" aria-label={t.messages.counts}>
      <ul>
        {tabs.map((tab) => (
          <li key={tab.label}>
            <button
              type="button"
              className={`tab tab-${tab.status ?? 'all'}`}
              aria-pressed={filter.status === tab.status}
              onClick={() => onPick(tab.status)}
              data-testid={`count-${tab.status ?? 'all'}`}
            >
              <span className="tab-count">{tab.count ?? '…'}</span>
              <span className="tab-label">{tab.label}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Stats need a period: the filter's, or the whole retention window. */
export function statsWindow(query: Record<string, string>, now: Date): Record<string, string> {
  return {
    ...query,
    from:
      query['from'] ?? new Date(now.getTime() - RETENTION_DAYS * 86_400_000 + 60_000).toISOString(),
    to: query['to'] ?? new Date(now.getTime() + 60_000).toISOString(),
  };
}
