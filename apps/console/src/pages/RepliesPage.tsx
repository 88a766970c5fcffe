import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import type { Reply } from '../api/types';
import { AccountsProblem } from '../components/AccountPicker';
import { DataTable } from '../components/DataTable';
import { FilterForm, type FilterField, type FilterOption } from '../components/FilterForm';
import { Pager } from '../components/Pager';
import { Empty, ErrorState, Loading } from '../components/States';
import { Time } from '../components/Time';
import { t } from '../i18n';
import {
  earliestDay,
  filterToParams,
  isEmptyFilter,
  localDay,
  parseReplyFilter,
  replyQuery,
} from '../lib/filters';
import { accountField } from '../lib/account-field';
import { useAccountOptions } from '../lib/accounts';
import { useUrlList } from '../lib/use-url-state';

/** The reply text, with unsubscribe/resubscribe marked in words (not colour alone). */
export function ReplyContent({ reply }: { reply: Reply }) {
  const keyword =
    reply.keywordAction && reply.keywordAction !== 'none'
      ? t.replies.keyword[reply.keywordAction]
      : null;
  return (
    <span>
      {keyword && <span className={`badge badge-${reply.keywordAction}`}>{keyword}</span>}{' '}
      {reply.content}
    </span>
  );
}

function replyFields(now: Date, accounts?: readonly FilterOption[]): FilterField[] {
  const period = { min: earliestDay(now), max: localDay(now) };
  const fields: FilterField[] = [
    { name: 'phone', label: t.filters.phone, kind: 'text', hint: t.filters.phoneHint },
    { name: 'templateId', label: t.filters.templateId, kind: 'text' },
    { name: 'label', label: t.filters.label, kind: 'text' },
    { name: 'from', label: t.filters.from, kind: 'date', ...period },
    { name: 'to', label: t.filters.to, kind: 'date', ...period },
  ];
  // Operators: one account's replies, or (no account picked) the unattributed ones.
  if (accounts) fields.unshift(accountField(accounts, t.operator.unattributed));
  return fields;
}

/** SMS Reply: the account's replies; operators see an account's or the unattributed ones. */
export function RepliesPage({ operator = false }: { operator?: boolean }) {
  const list = useUrlList(parseReplyFilter);
  const now = useMemo(() => new Date(), []);
  const query = replyQuery(list.filter, now);
  const accounts = useAccountOptions(operator);
  const page = useQuery({
    queryKey: ['replies', operator, query, list.pageToken],
    queryFn: async () => {
      const paging = { pageSize: 50, ...(list.pageToken ? { pageToken: list.pageToken } : {}) };
      if (operator) {
        const { accountId, ...rest } = query;
        const scope = accountId ? { accountId } : { unattributed: 'true' as const };
        return unwrap(
          await api.GET('/v1/admin/replies', {
            params: { query: { ...rest, ...scope, ...paging } as never },
          }),
        );
      }
      return unwrap(
        await api.GET('/v1/replies', { params: { query: { ...query, ...paging } as never } }),
      );
    },
    placeholderData: (previous) => previous,
  });
  const columns = useMemo<ColumnDef<Reply, unknown>[]>(
    () => [
      {
        header: t.replies.columns.receivedAt,
        cell: ({ row }) => <Time value={row.original.receivedAt} />,
      },
      { header: t.replies.columns.phone, cell: ({ row }) => row.original.phone },
      {
        header: t.replies.columns.operator,
        cell: ({ row }) => row.original.operator ?? t.time.none,
      },
      {
        header: t.replies.columns.template,
        cell: ({ row }) => row.original.templateId ?? t.time.none,
      },
      {
        header: t.replies.columns.content,
        cell: ({ row }) => <ReplyContent reply={row.original} />,
      },
      {
        header: t.replies.columns.message,
        cell: ({ row }) =>
          row.original.messageId ? (
            <Link
              to={`${operator ? '/admin/messages' : '/messages'}/${encodeURIComponent(row.original.messageId)}`}
            >
              {row.original.messageId}
            </Link>
          ) : (
            <span className="muted">{t.replies.unattributed}</span>
          ),
      },
    ],
    [operator],
  );
  return (
    <section aria-labelledby="page-heading" aria-busy={page.isFetching}>
      <div className="page-head">
        <h1 id="page-heading">{operator ? t.app.nav.adminReplies : t.replies.heading}</h1>
        {!operator && (
          <a
            className="button"
            href={`/v1/replies/export?${filterToParams(query).toString()}`}
            download
            title={t.messages.exportHint}
          >
            {t.messages.exportCsv}
          </a>
        )}
      </div>
      <AccountsProblem error={accounts.error} />
      <FilterForm
        idPrefix="replies"
        fields={replyFields(now, accounts.options)}
        value={{ ...list.filter }}
        onApply={list.setFilter}
      />
      {page.isPending ? (
        <Loading />
      ) : page.isError ? (
        <ErrorState error={page.error} onRetry={() => void page.refetch()} />
      ) : page.data.data.length === 0 ? (
        <Empty
          filtered={!isEmptyFilter(list.filter)}
          onClear={() => list.setFilter({})}
          hint={t.replies.emptyHint}
        />
      ) : (
        <>
          <DataTable
            data={page.data.data}
            columns={columns}
            caption={t.replies.heading}
            rowKey={(r) => r.replyId}
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
