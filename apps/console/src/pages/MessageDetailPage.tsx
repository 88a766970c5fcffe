import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { Link, useLocation, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import type { Entry, Reply, SendLogItem } from '../api/types';
import { CopyButton } from '../components/CopyButton';
import { DataTable } from '../components/DataTable';
import { ErrorState, Loading } from '../components/States';
import { StatusBadge } from '../components/StatusBadge';
import { Time } from '../components/Time';
import { t } from '../i18n';
import { word } from '../lib/format';
import { FINAL_FAILED } from '../lib/vocabulary';
import { EntryCard } from './EntryCard';
import { ReplyContent } from './RepliesPage';

const logColumns: ColumnDef<SendLogItem, unknown>[] = [
  {
    header: t.detail.sendLogColumns.occurredAt,
    cell: ({ row }) => <Time value={row.original.occurredAt} />,
  },
  {
    header: t.detail.sendLogColumns.kind,
    cell: ({ row }) => word(t.detail.kind, row.original.kind),
  },
  {
    header: t.detail.sendLogColumns.result,
    cell: ({ row }) => word(t.detail.result, row.original.result),
  },
  {
    header: t.detail.sendLogColumns.statusAfter,
    cell: ({ row }) => word(t.status, row.original.statusAfter),
  },
  { header: t.detail.sendLogColumns.detail, cell: ({ row }) => row.original.detail || t.time.none },
  {
    header: t.detail.sendLogColumns.recordedAt,
    cell: ({ row }) => <Time value={row.original.recordedAt} />,
  },
];

/** One message: its fields, its send log, the block-list entry its failure created, its replies. */
export function MessageDetailPage({ operator = false }: { operator?: boolean }) {
  const { messageId = '' } = useParams();
  const location = useLocation();
  const back = `${operator ? '/admin/messages' : '/messages'}${(location.state as { from?: string } | null)?.from ?? ''}`;
  const message = useQuery({
    queryKey: ['message', operator, messageId],
    queryFn: async () =>
      operator
        ? unwrap(
            await api.GET('/v1/admin/messages/{messageId}', { params: { path: { messageId } } }),
          )
        : unwrap(await api.GET('/v1/messages/{messageId}', { params: { path: { messageId } } })),
  });
  const failed = message.data?.status ? FINAL_FAILED.includes(message.data.status) : false;
  // The entry and the replies of this message, found through its recipient and matched by id.
  const recipient = message.data?.recipient;
  const entries = useQuery({
    queryKey: ['message-entry', messageId, recipient],
    enabled: !operator && failed && recipient !== undefined,
    queryFn: async () =>
      unwrap(
        await api.GET('/v1/block-list', {
          params: { query: { phone: recipient!, pageSize: 500 } },
        }),
      ).data.filter((entry) => entry.messageId === messageId),
  });
  const replies = useQuery({
    queryKey: ['message-replies', messageId, recipient],
    enabled: !operator && recipient !== undefined,
    queryFn: async () =>
      unwrap(
        await api.GET('/v1/replies', { params: { query: { phone: recipient!, pageSize: 500 } } }),
      ).data.filter((reply) => reply.messageId === messageId),
  });

  return (
    <section aria-labelledby="page-heading">
      <p>
        <Link to={back}>← {t.detail.back}</Link>
      </p>
      <h1 id="page-heading">{t.detail.heading}</h1>
      {message.isPending ? (
        <Loading rows={8} />
      ) : message.isError ? (
        <ErrorState error={message.error} onRetry={() => void message.refetch()} />
      ) : (
        <>
          <p>
            {t.detail.messageId}: <code>{message.data.messageId}</code>{' '}
            <CopyButton value={message.data.messageId} />
          </p>
          <dl className="fields">
            <dt>{t.detail.fields.status}</dt>
            <dd>
              <StatusBadge
                status={message.data.status}
                reason={message.data.reasonCode}
                reasonCode={message.data.sendFailureCode}
              />
            </dd>
            <dt>{t.detail.fields.recipient}</dt>
            <dd>
              {message.data.recipient}{' '}
              {!operator && (
                <Link to={`/messages?phone=${encodeURIComponent(message.data.recipient)}`}>
                  {t.detail.allOfNumber}
                </Link>
              )}
            </dd>
            <dt>{t.detail.fields.smsUser}</dt>
            <dd>{message.data.smsUser ?? t.time.none}</dd>
            <dt>{t.detail.fields.entries}</dt>
            <dd>{message.data.entries}</dd>
            <dt>{t.detail.fields.template}</dt>
            <dd>{message.data.templateId ?? t.time.none}</dd>
            <dt>{t.detail.fields.templateType}</dt>
            <dd>
              {message.data.templateType ? t.templateType[message.data.templateType] : t.time.none}
            </dd>
            <dt>{t.detail.fields.labels}</dt>
            <dd>{message.data.labels.length ? message.data.labels.join(', ') : t.time.none}</dd>
            <dt>{t.detail.fields.channel}</dt>
            <dd>{message.data.channel ?? t.time.none}</dd>
            <dt>{t.detail.fields.operator}</dt>
            <dd>{message.data.operator ?? t.time.none}</dd>
            <dt>{t.detail.fields.detail}</dt>
            <dd>{message.data.reasonDetail ?? t.time.none}</dd>
            <dt>{t.detail.fields.requestTime}</dt>
            <dd>
              <Time value={message.data.requestTime} />
            </dd>
            <dt>{t.detail.fields.channelSendTime}</dt>
            <dd>
              <Time value={message.data.channelSendTime} />
            </dd>
            <dt>{t.detail.fields.receiptTime}</dt>
            <dd>
              <Time value={message.data.receiptTime} />
            </dd>
            <dt>{t.detail.fields.updateTime}</dt>
            <dd>
              <Time value={message.data.updateTime} />
            </dd>
          </dl>

          <h2>{t.detail.sendLog}</h2>
          <DataTable
            data={message.data.sendLog ?? []}
            columns={logColumns}
            caption={t.detail.sendLog}
            rowKey={(item) => `${item.recordedAt}-${item.kind}-${item.result}-${item.occurredAt}`}
          />

          {!operator && failed && (
            <>
              <h2>{t.detail.blockEntry}</h2>
              {entries.isPending ? (
                <Loading rows={1} />
              ) : entries.isError ? (
                <ErrorState error={entries.error} />
              ) : entries.data.length === 0 ? (
                <p className="muted">{t.detail.noBlockEntry}</p>
              ) : (
                entries.data.map((entry: Entry) => <EntryCard key={entry.entryId} entry={entry} />)
              )}
            </>
          )}
          {!operator && (
            <>
              <h2>{t.detail.replies}</h2>
              {replies.isPending ? (
                <Loading rows={1} />
              ) : replies.isError ? (
                <ErrorState error={replies.error} />
              ) : replies.data.length === 0 ? (
                <p className="muted">{t.detail.noReplies}</p>
              ) : (
                <ul className="reply-list">
                  {replies.data.map((reply: Reply) => (
                    <li key={reply.replyId}>
                      <Time value={reply.receivedAt} /> <ReplyContent reply={reply} />
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}
