import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { api, unwrap } from '../api/client';
import { AccountPicker, AccountsProblem } from '../components/AccountPicker';
import { ErrorState, Loading } from '../components/States';
import { t } from '../i18n';
import { codeInWords, percent, word } from '../lib/format';
import { useAccountOptions } from '../lib/accounts';
import { bucketByLocalDay } from '../lib/local-days';
import { sumBuckets, type StatsBucketCounts } from '../lib/stats';
import { PROCESS_FAILED_REASONS, SEND_FAILURE_CODES } from '../lib/vocabulary';

const PERIODS = ['1', '7', '30'] as const;

/**
 * Delivery statistics of the last 1/7/30 days: chart, totals, failures by code and reason.
 * Operators see the account they pick (`accountId` in the URL, like the period).
 */
export function OverviewPage({ operator = false }: { operator?: boolean }) {
  const [params, setParams] = useSearchParams();
  const days = PERIODS.find((p) => p === params.get('days')) ?? '7';
  const accountParam = params.get('accountId');
  const accountId = operator && accountParam ? accountParam : undefined;
  const accounts = useAccountOptions(operator);
  const hourly = days === '1';
  const period = useMemo(() => {
    const now = Date.now();
    // The 30-day view starts a minute inside the retention window, which the API enforces.
    const from = new Date(now - Number(days) * 86_400_000 + (days === '30' ? 60_000 : 0));
    return { from: from.toISOString(), to: new Date(now + 60_000).toISOString() };
  }, [days]);
  const stats = useQuery({
    queryKey: ['overview', operator, accountId, period],
    enabled: !operator || accountId !== undefined,
    // Always hours: days are summed in the browser's zone (the API's days are UTC days).
    queryFn: async () =>
      operator
        ? unwrap(
            await api.GET('/v1/admin/stats/messages', {
              params: { query: { ...period, accountId: accountId!, groupBy: 'hour' } },
            }),
          )
        : unwrap(
            await api.GET('/v1/stats/messages', {
              params: { query: { ...period, groupBy: 'hour' } },
            }),
          ),
  });
  const setParam = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined) next.delete(name);
    else next.set(name, value);
    setParams(next);
  };
  // Links to the filtered list: the operator's list keeps the picked account.
  const listLink = (filter: string) =>
    operator
      ? `/admin/messages?accountId=${encodeURIComponent(accountId ?? '')}${filter ? `&${filter}` : ''}`
      : `/messages${filter ? `?${filter}` : ''}`;
  const totals = stats.data ? sumBuckets(stats.data.buckets) : null;
  const rows: (StatsBucketCounts & { label: string })[] = !stats.data
    ? []
    : hourly
      ? stats.data.buckets.map((bucket) => ({
          ...bucket,
          label: new Date(bucket.start).toLocaleTimeString('en-GB', {
            hour: '2-digit',
            minute: '2-digit',
          }),
        }))
      : bucketByLocalDay(stats.data.buckets, {
          from: new Date(period.from),
          to: new Date(period.to),
        }).map((bucket) => ({
          ...bucket,
          label: new Date(`${bucket.day}T00:00:00`).toLocaleDateString('en-GB', {
            day: '2-digit',
            month: 'short',
          }),
        }));
  const chart = rows.map((bucket) => {
    const one = sumBuckets([bucket]);
    return {
      label: bucket.label,
      sent: one.total,
      [t.overview.inProgress]: one.inProgress,
      [t.overview.delivered]: one.delivered,
      [t.overview.failed]: one.failed,
      [t.overview.deliveryRate]:
        one.deliveryRate === null ? null : Math.round(one.deliveryRate * 1000) / 10,
    };
  });

  return (
    <section aria-labelledby="page-heading">
      <div className="page-head">
        <h1 id="page-heading">{t.overview.heading}</h1>
        <div className="segmented" role="group" aria-label={t.overview.period}>
          {PERIODS.map((p) => (
            <button
              key={p}
              type="button"
              aria-pressed={p === days}
              onClick={() => setParam('days', p)}
            >
              {t.overview.periods[p]}
            </button>
          ))}
        </div>
      </div>
      {operator && (
        <>
          <AccountsProblem error={accounts.error} />
          <div className="account-line">
            <AccountPicker
              id="overview-account"
              value={accountId}
              options={accounts.options ?? []}
              emptyLabel={t.operator.pickAccount}
              onChange={(next) => setParam('accountId', next)}
            />
          </div>
        </>
      )}
      {operator && accountId === undefined ? (
        <p className="callout" data-testid="pick-account">
          {t.operator.pickForOverview}
        </p>
      ) : stats.isPending ? (
        <Loading rows={6} />
      ) : stats.isError ? (
        <ErrorState error={stats.error} onRetry={() => void stats.refetch()} />
      ) : (
        totals && (
          <>
            <div className="tiles">
              <Tile id="sent" label={t.overview.sent} value={totals.total} to={listLink('')} />
              <Tile
                id="delivered"
                label={t.overview.delivered}
                value={totals.delivered}
                to={listLink('status=delivered')}
              />
              <Tile
                id="failed"
                label={t.overview.failed}
                value={totals.failed}
                sub={`${t.overview.failureRate} ${percent(totals.failureRate)}`}
                to={listLink('status=process_failed,send_failed')}
              />
              <Tile
                id="in-progress"
                label={t.overview.inProgress}
                value={totals.inProgress}
                to={listLink('status=sending,wait_result')}
              />
              <Tile
                id="rate"
                label={t.overview.deliveryRate}
                value={percent(totals.deliveryRate)}
              />
              <Tile id="entries" label={t.overview.entries} value={totals.entries} />
            </div>
            {totals.failureRate !== null && totals.failureRate > 0.03 && (
              <p className="callout callout-warning">{t.overview.highFailure}</p>
            )}
            <figure
              className="chart"
              aria-label={hourly ? t.overview.chartTitleHourly : t.overview.chartTitle}
            >
              <figcaption>
                <h2>{hourly ? t.overview.chartTitleHourly : t.overview.chartTitle}</h2>
                <span className="visually-hidden">
                  {t.overview.chartDescription(totals.total, totals.delivered, totals.failed)}
                </span>
              </figcaption>
              {/* The chart's figures as a table for screen readers (and the browser tests); in a
                  div, since a table cannot be shrunk to the hidden box itself. */}
              <div className="visually-hidden">
                <table data-testid="chart-data">
                  <caption>{hourly ? t.overview.chartTitleHourly : t.overview.chartTitle}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t.overview.when}</th>
                      <th scope="col">{t.overview.sent}</th>
                      <th scope="col">{t.overview.delivered}</th>
                      <th scope="col">{t.overview.failed}</th>
                      <th scope="col">{t.overview.inProgress}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {chart.map((row, index) => (
                      <tr key={index}>
                        <th scope="row">{row.label}</th>
                        <td>{row.sent}</td>
                        <td>{row[t.overview.delivered]}</td>
                        <td>{row[t.overview.failed]}</td>
                        <td>{row[t.overview.inProgress]}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div className="chart-box" data-testid="overview-chart">
                <ResponsiveContainer width="100%" height={300}>
                  <ComposedChart data={chart} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="label" />
                    <YAxis yAxisId="count" allowDecimals={false} />
                    <YAxis yAxisId="rate" orientation="right" domain={[0, 100]} unit="%" />
                    <Tooltip />
                    <Legend />
                    <Bar
                      yAxisId="count"
                      dataKey={t.overview.delivered}
                      stackId="s"
                      fill="#1d7a46"
                      isAnimationActive={false}
                    />
                    <Bar
                      yAxisId="count"
                      dataKey={t.overview.failed}
                      stackId="s"
                      fill="#b3261e"
                      isAnimationActive={false}
                    />
                    <Bar
                      yAxisId="count"
                      dataKey={t.overview.inProgress}
                      stackId="s"
                      fill="#7d93b8"
                      isAnimationActive={false}
                    />
                    <Line
                      yAxisId="rate"
                      dataKey={t.overview.deliveryRate}
                      connectNulls
                      stroke="#8a5a00"
                      strokeDasharray="4 2"
                      dot
                      isAnimationActive={false}
                    />
                  </ComposedChart>
                </ResponsiveContainer>
              </div>
            </figure>
            <div className="two-columns">
              <Breakdown
                title={t.overview.failuresByCode}
                rows={SEND_FAILURE_CODES.map(({ code, reason }) => ({
                  key: String(code),
                  label: codeInWords(code, reason),
                  count: totals.bySendFailedCode[String(code)] ?? 0,
                  to: listLink(`status=send_failed&reasonCode=${code}`),
                }))}
              />
              <Breakdown
                title={t.overview.failuresByReason}
                rows={PROCESS_FAILED_REASONS.map((reason) => ({
                  key: reason,
                  label: word(t.processFailedReason, reason),
                  count: totals.byProcessFailedReason[reason] ?? 0,
                  to: listLink(`status=process_failed&reasonCode=${reason}`),
                }))}
              />
            </div>
          </>
        )
      )}
    </section>
  );
}

function Tile({
  id,
  label,
  value,
  sub,
  to,
}: {
  id: string;
  label: string;
  value: number | string;
  sub?: string;
  to?: string;
}) {
  const figure = (
    <span className="tile-value" data-testid={`tile-${id}`}>
      {value}
    </span>
  );
  return (
    <div className="tile">
      <span className="tile-label">{label}</span>
      {to ? <Link to={to}>{figure}</Link> : figure}
      {sub && <span className="muted">{sub}</span>}
    </div>
  );
}

function Breakdown({
  title,
  rows,
}: {
  title: string;
  rows: { key: string; label: string; count: number; to: string }[];
}) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  const any = rows.some((r) => r.count > 0);
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      {!any ? (
        <p className="muted">{t.overview.noFailures}</p>
      ) : (
        <table className="breakdown">
          <thead>
            <tr>
              <th scope="col">{t.filters.reason}</th>
              <th scope="col">{t.overview.count}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-testid={`breakdown-${row.key}`}>
                <td>
                  <Link to={row.to}>{row.label}</Link>
                </td>
                <td>
                  <span
                    className="bar"
                    style={{ width: `${(row.count / max) * 100}%` }}
                    aria-hidden="true"
                  />
                  <span className="bar-count">{row.count}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
