import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, errorText, unwrap } from '../api/client';
import type { CheckResult, Entry } from '../api/types';
import { DataTable } from '../components/DataTable';
import { FilterForm, type FilterField, type FilterOption } from '../components/FilterForm';
import { Pager } from '../components/Pager';
import { Empty, ErrorState, Loading } from '../components/States';
import { Time } from '../components/Time';
import { t } from '../i18n';
import {
  earliestDay,
  entryQuery,
  filterToParams,
  isEmptyFilter,
  localDay,
  parseEntryFilter,
} from '../lib/filters';
import { accountField } from '../lib/account-field';
import { codeInWords, word } from '../lib/format';
import { useUrlList } from '../lib/use-url-state';
import { ENTRY_SOURCES, ENTRY_STATES, SCOPES, SEND_FAILURE_CODES } from '../lib/vocabulary';
import { EntryActions, EntryCard } from './EntryCard';
import { UnsubscribeList } from './UnsubscribeList';

export function entryFilterFields(now: Date, accounts?: readonly FilterOption[]): FilterField[] {
  const period = { min: earliestDay(now), max: localDay(now) };
  const fields: FilterField[] = [
    { name: 'phone', label: t.filters.phone, kind: 'text', hint: t.filters.phoneHint },
    {
      name: 'reasonCode',
      label: t.filters.code,
      kind: 'select',
      options: SEND_FAILURE_CODES.map(({ code, reason }) => ({
        value: String(code),
        label: codeInWords(code, reason),
      })),
    },
    {
      name: 'scope',
      label: t.filters.scope,
      kind: 'select',
      options: SCOPES.map((v) => ({ value: v, label: word(t.blockList.scope, v) })),
    },
    {
      name: 'state',
      label: t.filters.state,
      kind: 'select',
      options: ENTRY_STATES.map((v) => ({ value: v, label: word(t.blockList.state, v) })),
    },
    {
      name: 'source',
      label: t.filters.source,
      kind: 'select',
      options: ENTRY_SOURCES.map((v) => ({ value: v, label: word(t.blockList.source, v) })),
    },
    { name: 'from', label: t.filters.from, kind: 'date', ...period },
    { name: 'to', label: t.filters.to, kind: 'date', ...period },
  ];
  if (accounts) fields.unshift(accountField(accounts, t.operator.allAccounts));
  return fields;
}

export function entryColumns(operator: boolean): ColumnDef<Entry, unknown>[] {
  return [
    { header: t.blockList.columns.phone, cell: ({ row }) => row.original.phone },
    {
      header: t.blockList.columns.interceptedAt,
      cell: ({ row }) => <Time value={row.original.interceptedAt} />,
    },
    {
      header: t.blockList.columns.expiresAt,
      cell: ({ row }) =>
        row.original.expiresAt ? <Time value={row.original.expiresAt} /> : t.blockList.never,
    },
    {
      header: t.blockList.columns.reason,
      id: 'reason',
      cell: ({ row }) => row.original.reasonText || t.time.none,
    },
    {
      header: t.blockList.columns.code,
      cell: ({ row }) =>
        row.original.sendFailureCode === null
          ? t.time.none
          : codeInWords(row.original.sendFailureCode, row.original.reasonCode),
    },
    {
      header: t.blockList.columns.scope,
      cell: ({ row }) => word(t.blockList.scope, row.original.scope),
    },
    {
      header: t.blockList.columns.state,
      cell: ({ row }) => word(t.blockList.state, row.original.state),
    },
    {
      header: t.blockList.columns.source,
      cell: ({ row }) =>
        row.original.messageId && !operator ? (
          <Link to={`/messages/${encodeURIComponent(row.original.messageId)}`}>
            {word(t.blockList.source, row.original.source)}
          </Link>
        ) : (
          word(t.blockList.source, row.original.source)
        ),
    },
    ...(operator
      ? [
          {
            header: t.blockList.columns.account,
            cell: ({ row }) => <code>{row.original.ownerAccountId ?? t.time.none}</code>,
          } satisfies ColumnDef<Entry, unknown>,
        ]
      : []),
    {
      header: t.blockList.columns.actions,
      cell: ({ row }) => <EntryActions entry={row.original} operator={operator} />,
    },
  ];
}

/** Block List: the account's own entries, add, check a number, the unsubscribe list. */
export function BlockListPage() {
  const list = useUrlList(parseEntryFilter);
  const now = useMemo(() => new Date(), []);
  const query = entryQuery(list.filter, now);
  const page = useQuery({
    queryKey: ['entries', query, list.pageToken],
    queryFn: async () =>
      unwrap(
        await api.GET('/v1/block-list', {
          params: {
            query: {
              ...query,
              pageSize: 50,
              ...(list.pageToken ? { pageToken: list.pageToken } : {}),
            } as never,
          },
        }),
      ),
    placeholderData: (previous) => previous,
  });
  const columns = useMemo(() => entryColumns(false), []);

  return (
    <section aria-labelledby="page-heading" aria-busy={page.isFetching}>
      <div className="page-head">
        <h1 id="page-heading">{t.blockList.heading}</h1>
        <a
          className="button"
          href={`/v1/block-list/export?${filterToParams(query).toString()}`}
          download
          title={t.messages.exportHint}
        >
          {t.messages.exportCsv}
        </a>
      </div>
      <div className="two-columns">
        <CheckNumber />
        <AddEntry />
      </div>
      <FilterForm
        idPrefix="entries"
        fields={entryFilterFields(now)}
        value={{ ...list.filter }}
        onApply={list.setFilter}
      />
      {page.isPending ? (
        <Loading />
      ) : page.isError ? (
        <ErrorState error={page.error} onRetry={() => void page.refetch()} />
      ) : page.data.data.length === 0 ? (
        <Empty filtered={!isEmptyFilter(list.filter)} onClear={() => list.setFilter({})} />
      ) : (
        <>
          <DataTable
            data={page.data.data}
            columns={columns}
            wrap={['reason']}
            caption={t.blockList.heading}
            rowKey={(e) => e.entryId}
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
      <UnsubscribeList />
    </section>
  );
}

function CheckNumber() {
  const [phone, setPhone] = useState('');
  const check = useMutation({
    mutationFn: async (value: string): Promise<CheckResult> =>
      unwrap(await api.GET('/v1/block-list/check', { params: { query: { phone: value } } })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    check.mutate(phone);
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="check-heading">
      <h2 id="check-heading">{t.blockList.check.heading}</h2>
      <div className="field">
        <label htmlFor="check-phone">{t.blockList.check.phone}</label>
        <input
          id="check-phone"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          placeholder={t.filters.phoneHint}
          required
        />
      </div>
      <button type="submit" className="primary" disabled={check.isPending}>
        {t.blockList.check.submit}
      </button>
      <div aria-live="polite">
        {check.isError && (
          <p className="error-text" role="alert">
            {errorText(check.error)}
          </p>
        )}
        {check.data && (
          <div className={`verdict verdict-${check.data.verdict}`} data-testid="verdict">
            <p>
              <strong>{check.data.phone}</strong>:{' '}
              {word(t.blockList.check.verdict, check.data.verdict)}
            </p>
            {check.data.entry && (
              <>
                <h3>{t.blockList.check.entry}</h3>
                <EntryCard entry={check.data.entry} />
              </>
            )}
          </div>
        )}
      </div>
    </form>
  );
}

function AddEntry() {
  const client = useQueryClient();
  const [phone, setPhone] = useState('');
  const [reason, setReason] = useState('');
  const add = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/v1/block-list', {
          body: { phone, ...(reason ? { reasonText: reason } : {}) },
        }),
      ),
    onSuccess: () => {
      setPhone('');
      setReason('');
      return client.invalidateQueries({ queryKey: ['entries'] });
    },
  });
  return (
    <form
      className="card"
      aria-labelledby="add-heading"
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate();
      }}
    >
      <h2 id="add-heading">{t.blockList.add.heading}</h2>
      <div className="field">
        <label htmlFor="add-phone">{t.blockList.add.phone}</label>
        <input id="add-phone" value={phone} onChange={(e) => setPhone(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="add-reason">{t.blockList.add.reason}</label>
        <input
          id="add-reason"
          value={reason}
          maxLength={200}
          onChange={(e) => setReason(e.target.value)}
        />
      </div>
      <button type="submit" className="primary" disabled={add.isPending}>
        {t.blockList.add.submit}
      </button>
      <div aria-live="polite">
        {add.isError && (
          <p className="error-text" role="alert">
            {errorText(add.error)}
          </p>
        )}
        {add.isSuccess && <p className="muted">{t.blockList.add.added(add.data.phone)}</p>}
      </div>
    </form>
  );
}
