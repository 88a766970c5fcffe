import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, errorText, unwrap } from '../api/client';
import type { Entry } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useNotice } from '../components/Notice';
import { Time } from '../components/Time';
import { t } from '../i18n';
import { codeInWords, word } from '../lib/format';

/** Deletes an own entry after a confirmation; the caller refreshes its lists. */
export function useDeleteEntry(operator = false) {
  const client = useQueryClient();
  const notice = useNotice();
  return useMutation({
    mutationFn: async ({ entryId }: Entry) =>
      operator
        ? unwrap(
            await api.DELETE('/v1/admin/block-list/{entryId}', { params: { path: { entryId } } }),
          )
        : unwrap(await api.DELETE('/v1/block-list/{entryId}', { params: { path: { entryId } } })),
    // Here, not in mutate(): the row that asked may be gone once the lists refresh.
    onSuccess: (_deleted, entry) => {
      notice(t.blockList.deleted(entry.phone));
      return client.invalidateQueries();
    },
  });
}

/** What the user may do with an entry: delete own active ones; for another's, the seed's words. */
export function EntryActions({ entry, operator = false }: { entry: Entry; operator?: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteEntry(operator);
  if (!operator && !entry.ownedByYou) {
    return <p className="callout callout-info customer-service">{t.blockList.customerService}</p>;
  }
  if (entry.state !== 'active') return null;
  return (
    <>
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        {t.blockList.delete}
        <span className="visually-hidden"> {entry.phone}</span>
      </button>
      <ConfirmDialog
        open={confirming}
        text={t.blockList.confirmDelete(entry.phone)}
        confirmLabel={t.blockList.confirm}
        cancelLabel={t.blockList.cancel}
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => remove.mutate(entry, { onSettled: () => setConfirming(false) })}
      />
      {remove.isError && (
        <p role="alert" className="error-text">
          {errorText(remove.error)}
        </p>
      )}
    </>
  );
}

/** One entry in full, as on a message's page or in a Check answer. */
export function EntryCard({ entry, operator = false }: { entry: Entry; operator?: boolean }) {
  return (
    <div className="card">
      <dl className="fields">
        <dt>{t.blockList.columns.phone}</dt>
        <dd>{entry.phone}</dd>
        <dt>{t.blockList.columns.scope}</dt>
        <dd>{word(t.blockList.scope, entry.scope)}</dd>
        <dt>{t.blockList.columns.code}</dt>
        <dd>
          {entry.sendFailureCode === null
            ? t.time.none
            : codeInWords(entry.sendFailureCode, entry.reasonCode)}
        </dd>
        <dt>{t.blockList.columns.reason}</dt>
        <dd>{entry.reasonText || t.time.none}</dd>
        <dt>{t.blockList.columns.state}</dt>
        <dd>{word(t.blockList.state, entry.state)}</dd>
        <dt>{t.blockList.columns.source}</dt>
        <dd>{word(t.blockList.source, entry.source)}</dd>
        <dt>{t.blockList.columns.interceptedAt}</dt>
        <dd>
          <Time value={entry.interceptedAt} />
        </dd>
        <dt>{t.blockList.columns.expiresAt}</dt>
        <dd>{entry.expiresAt ? <Time value={entry.expiresAt} /> : t.blockList.never}</dd>
        {entry.messageId && (
          <>
            <dt>{t.replies.columns.message}</dt>
            <dd>
              <Link to={`/messages/${encodeURIComponent(entry.messageId)}`}>{entry.messageId}</Link>
            </dd>
          </>
        )}
      </dl>
      <EntryActions entry={entry} operator={operator} />
    </div>
  );
}
