import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, unwrap } from '../api/client';
import { AccountsProblem } from '../components/AccountPicker';
import { DataTable } from '../components/DataTable';
import { FilterForm } from '../components/FilterForm';
import { Pager } from '../components/Pager';
import { Empty, ErrorState, Loading } from '../components/States';
import { t } from '../i18n';
import { entryQuery, isEmptyFilter, parseEntryFilter } from '../lib/filters';
import { useAccountOptions } from '../lib/accounts';
import { useUrlList } from '../lib/use-url-state';
import { entryColumns, entryFilterFields } from './BlockListPage';

/** Operator: every account's entries, the global ones included. */
export function AdminBlockListPage() {
  const list = useUrlList(parseEntryFilter);
  const now = useMemo(() => new Date(), []);
  const query = entryQuery(list.filter, now);
  const page = useQuery({
    queryKey: ['admin-entries', query, list.pageToken],
    queryFn: async () =>
      unwrap(
        await api.GET('/v1/admin/block-list', {
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
  const columns = useMemo(() => entryColumns(true), []);
  const accounts = useAccountOptions(true);
  return (
    <section aria-labelledby="page-heading" aria-busy={page.isFetching}>
      <h1 id="page-heading">{t.app.nav.adminBlockList}</h1>
      <AccountsProblem error={accounts.error} />
      <FilterForm
        idPrefix="admin-entries"
        fields={entryFilterFields(now, accounts.options)}
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
            caption={t.app.nav.adminBlockList}
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
    </section>
  );
}
