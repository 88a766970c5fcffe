import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo } from 'react';
import { api, unwrap } from '../api/client';
import type { DeadLetter } from '../api/types';
import { DataTable } from '../components/DataTable';
import { Pager } from '../components/Pager';
import { ErrorState, Loading } from '../components/States';
import { Time } from '../components/Time';
import { t } from '../i18n';
import { word } from '../lib/format';
import { useUrlList } from '../lib/use-url-state';

const SOURCES = [
  'send-failures',
  'keyword-effects',
  'message-status-events',
  'reply-events',
  'block-list-events',
] as const;
type Source = (typeof SOURCES)[number];

interface DeadLetterFilter {
  source?: Source;
}

const parseDeadLetterFilter = (params: URLSearchParams): DeadLetterFilter => {
  const source = params.get('source');
  return SOURCES.includes(source as Source) ? { source: source as Source } : {};
};

/** Operator: hand-overs between services refused for good, by source (send failures first). */
export function DeadLettersPage() {
  const list = useUrlList(parseDeadLetterFilter);
  const source: Source = list.filter.source ?? 'send-failures';
  const page = useQuery({
    queryKey: ['dead-letters', source, list.pageToken],
    queryFn: async () =>
      unwrap(
        await api.GET('/v1/admin/dead-letters', {
          params: {
            query: {
              source,
              pageSize: '50',
              ...(list.pageToken ? { pageToken: list.pageToken } : {}),
            } as never,
          },
        }),
      ),
    placeholderData: (previous) => previous,
  });
  const columns = useMemo<ColumnDef<DeadLetter, unknown>[]>(
    () => [
      {
        header: t.deadLetters.columns.kind,
        cell: ({ row }) =>
          row.original.eventType ? (
            <>
              {word(t.deadLetters.kinds, row.original.kind)} <code>{row.original.eventType}</code>
            </>
          ) : (
            word(t.deadLetters.kinds, row.original.kind)
          ),
      },
      { header: t.deadLetters.columns.key, cell: ({ row }) => <code>{row.original.key}</code> },
      {
        header: t.deadLetters.columns.account,
        cell: ({ row }) =>
          row.original.accountId ? <code>{row.original.accountId}</code> : t.time.none,
      },
      {
        header: t.deadLetters.columns.phone,
        cell: ({ row }) => row.original.phone ?? t.time.none,
      },
      {
        id: 'error',
        header: t.deadLetters.columns.error,
        cell: ({ row }) => row.original.reasonText,
      },
      {
        header: t.deadLetters.columns.createdAt,
        cell: ({ row }) => <Time value={row.original.createdAt} />,
      },
      {
        header: t.deadLetters.columns.failedAt,
        cell: ({ row }) => <Time value={row.original.failedAt} />,
      },
    ],
    [],
  );
  return (
    <section aria-labelledby="page-heading" aria-busy={page.isFetching}>
      <h1 id="page-heading">{t.deadLetters.heading}</h1>
      <p className="muted">{t.deadLetters.intro}</p>
      <nav className="status-tabs" aria-label={t.deadLetters.source}>
        <ul>
          {SOURCES.map((option) => (
            <li key={option}>
              <button
                type="button"
                className="tab"
                aria-pressed={option === source}
                onClick={() => list.setFilter(option === 'send-failures' ? {} : { source: option })}
              >
                <span className="tab-label">{word(t.deadLetters.sources, option)}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {page.isPending ? (
        <Loading />
      ) : page.isError ? (
        <ErrorState error={page.error} onRetry={() => void page.refetch()} />
      ) : page.data.data.length === 0 ? (
        <p className="empty callout" data-testid="dead-letters-empty">
          {t.deadLetters.empty}
        </p>
      ) : (
        <>
          <DataTable
            data={page.data.data}
            columns={columns}
            wrap={['error']}
            caption={t.deadLetters.heading}
            rowKey={(letter) => `${letter.kind}/${letter.key}`}
          />
          <Pager
            pageNumber={list.pageNumber}
            hasNext={page.data.nextPageToken !== null}
            onFirst={list.first}
            onPrevious={list.previous}
            onNext={() => list.next(page.data.nextPageToken!)}
          />
        </>
      )}
    </section>
  );
}
