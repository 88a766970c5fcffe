import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { api, errorText, unwrap } from '../api/client';
import type { Unsubscribe } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DataTable } from '../components/DataTable';
import { ErrorState, Loading } from '../components/States';
import { Time } from '../components/Time';
import { t } from '../i18n';
import { word } from '../lib/format';

/** The account's unsubscribe list, each with Remove (after a confirmation). */
export function UnsubscribeList() {
  const client = useQueryClient();
  const [pageToken, setPageToken] = useState<string | undefined>(undefined);
  const [removing, setRemoving] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['unsubscribes', pageToken],
    queryFn: async () =>
      unwrap(
        await api.GET('/v1/unsubscribes', {
          params: { query: { pageSize: 20, ...(pageToken ? { pageToken } : {}) } as never },
        }),
      ),
  });
  const remove = useMutation({
    mutationFn: async (phone: string) =>
      unwrap(await api.DELETE('/v1/unsubscribes/{phone}', { params: { path: { phone } } })),
    onSettled: () => {
      setRemoving(null);
      return client.invalidateQueries({ queryKey: ['unsubscribes'] });
    },
  });
  const columns: ColumnDef<Unsubscribe, unknown>[] = [
    { header: t.blockList.unsubscribes.phone, cell: ({ row }) => row.original.phone },
    {
      header: t.blockList.unsubscribes.since,
      cell: ({ row }) => <Time value={row.original.since} />,
    },
    {
      header: t.blockList.unsubscribes.source,
      cell: ({ row }) => word(t.blockList.unsubscribes.sourceWords, row.original.source),
    },
    {
      header: t.blockList.columns.actions,
      cell: ({ row }) => (
        <button type="button" onClick={() => setRemoving(row.original.phone)}>
          {t.blockList.unsubscribes.remove}
          <span className="visually-hidden"> {row.original.phone}</span>
        </button>
      ),
    },
  ];
  return (
    <section aria-labelledby="unsubscribes-heading" className="subsection">
      <h2 id="unsubscribes-heading">{t.blockList.unsubscribes.heading}</h2>
      {list.isPending ? (
        <Loading rows={2} />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.data.length === 0 ? (
        <p className="muted">{t.blockList.unsubscribes.empty}</p>
      ) : (
        <>
          <DataTable
            data={list.data.data}
            columns={columns}
            caption={t.blockList.unsubscribes.heading}
            rowKey={(u) => u.phone}
          />
          {list.data.nextPageToken && (
            <button
              type="button"
              onClick={() => setPageToken(list.data.nextPageToken ?? undefined)}
            >
              {t.messages.next}
            </button>
          )}
        </>
      )}
      {remove.isError && (
        <p className="error-text" role="alert">
          {errorText(remove.error)}
        </p>
      )}
      {remove.isSuccess && (
        <p className="muted" role="status">
          {t.blockList.unsubscribes.removed(remove.data.phone)}
        </p>
      )}
      <ConfirmDialog
        open={removing !== null}
        text={removing ? t.blockList.unsubscribes.confirmRemove(removing) : ''}
        confirmLabel={t.blockList.unsubscribes.remove}
        cancelLabel={t.blockList.cancel}
        busy={remove.isPending}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate(removing)}
      />
    </section>
  );
}
