import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo } from 'react';
import { Link, useLocation } from 'react-router';
import { api, unwrap } from '../api/client';
import type { Message } from '../api/types';
import { AccountsProblem } from '../components/AccountPicker';
import { DataTable } from '../components/DataTable';
import { FilterForm } from '../components/FilterForm';
import { Pager } from '../components/Pager';
import { Empty, ErrorState, Loading } from '../components/States';
import { StatusBadge } from '../components/StatusBadge';
import { Time } from '../components/Time';
import { t } from '../i18n';
import { filterToParams, isEmptyFilter, messageQuery, parseMessageFilter } from '../lib/filters';
import { messageFilterFields } from '../lib/message-fields';
import { useAccountOptions } from '../lib/accounts';
import { useUrlList } from '../lib/use-url-state';
import { StatusCounts } from './StatusCounts';

const PAGE_SIZE = 50;

/** SMS Status: the customer's own messages, or (operator) any account's. */
export function MessagesPage({ operator = false }: { operator?: boolean }) {
  const list = useUrlList(parseMessageFilter);
  const location = useLocation();
  const now = useMemo(() => new Date(), []);
  const query = messageQuery(list.filter, now);
  const base = operator ? '/admin/messages' : '/messages';
  const accounts = useAccountOptions(operator);

  const page = useQuery({
    queryKey: ['messages', operator, query, list.pageToken],
    queryFn: async () => {
      const params = {
        ...query,
        pageSize: PAGE_SIZE,
        ...(list.pageToken ? { pageToken: list.pageToken } : {}),
      };
      return operator
        ? unwrap(await api.GET('/v1/admin/messages', { params: { query: params } }))
        : unwrap(await api.GET('/v1/messages', { params: { query: params as never } }));
    },
    placeholderData: (previous) => previous,
  });

  const columns = useMemo<ColumnDef<Message, unknown>[]>(
    () => [
      {
        header: t.messages.columns.status,
        cell: ({ row }) => (
          <StatusBadge
            status={row.original.status}
            reason={row.original.reasonCode}
            reasonCode={row.original.sendFailureCode}
          />
        ),
      },
      ...(operator
        ? [
            {
              header: t.messages.columns.account,
              cell: ({ row }) => <code>{row.original.accountId}</code>,
            } satisfies ColumnDef<Message, unknown>,
          ]
        : []),
      {
        header: t.messages.columns.smsUser,
        cell: ({ row }) => row.original.smsUser ?? t.time.none,
      },
      { header: t.messages.columns.entries, cell: ({ row }) => row.original.entries },
      {
        header: t.messages.columns.recipient,
        cell: ({ row }) => (
          <Link
            to={`${base}/${encodeURIComponent(row.original.messageId)}`}
            state={{ from: location.search }}
          >
            {row.original.recipient}
          </Link>
        ),
      },
      {
        header: t.messages.columns.template,
        cell: ({ row }) =>
          [
            row.original.templateId,
            row.original.templateType ? t.templateType[row.original.templateType] : null,
          ]
            .filter(Boolean)
            .join(' · ') || t.time.none,
      },
      {
        header: t.messages.columns.requestTime,
        cell: ({ row }) => <Time value={row.original.requestTime} />,
      },
      {
        header: t.messages.columns.channelSendTime,
        cell: ({ row }) => <Time value={row.original.channelSendTime} />,
      },
      {
        header: t.messages.columns.receiptTime,
        cell: ({ row }) => <Time value={row.original.receiptTime} />,
      },
      {
        header: t.messages.columns.updateTime,
        cell: ({ row }) => <Time value={row.original.updateTime} />,
      },
    ],
    [operator, base, location.search],
  );

  const exportHref = `/v1/messages/export?${filterToParams(query).toString()}`;
  const filtered = !isEmptyFilter(list.filter);

  return (
    <section aria-labelledby="page-heading" aria-busy={page.isFetching}>
      <div className="page-head">
        <h1 id="page-heading">{operator ? t.app.nav.adminMessages : t.messages.heading}</h1>
        {!operator && (
          <a className="button" href={exportHref} download title={t.messages.exportHint}>
            {t.messages.exportCsv}
          </a>
        )}
      </div>
      <p className="muted">{t.app.retention}</p>
      <AccountsProblem error={accounts.error} />
      <FilterForm
        idPrefix="messages"
        fields={messageFilterFields(now, accounts.options)}
        value={{ ...list.filter }}
        onApply={list.setFilter}
      />
      <StatusCounts
        filter={list.filter}
        operator={operator}
        now={now}
        onPick={(status) => list.setFilter({ ...list.filter, status, reasonCode: undefined })}
      />
      {page.isPending ? (
        <Loading />
      ) : page.isError ? (
        <ErrorState error={page.error} onRetry={() => void page.refetch()} />
      ) : page.data.data.length === 0 ? (
        <Empty filtered={filtered} onClear={() => list.setFilter({})} />
      ) : (
        <>
          <DataTable
            data={page.data.data}
            columns={columns}
            caption={t.messages.heading}
            rowKey={(message) => message.messageId}
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
