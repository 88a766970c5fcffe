import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useState, type FormEvent } from 'react';
import { api, errorText, unwrap } from '../api/client';
import type { InterceptionWord } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DataTable } from '../components/DataTable';
import { useNotice } from '../components/Notice';
import { ErrorState, Loading } from '../components/States';
import { Time } from '../components/Time';
import { t } from '../i18n';
import { parseWords, wordsProblem } from '../lib/interception-words';

type WordPage = { data: InterceptionWord[]; nextPageToken: string | null };

/**
 * An interception word list with Add and Remove: the account's own (`platform` false) or, for
 * operators, the platform's. The table changes as soon as the API answers (the cached page is
 * edited, then read again), not after a reload.
 */
export function InterceptionWordList({ platform }: { platform: boolean }) {
  const client = useQueryClient();
  const notice = useNotice();
  const [pageToken, setPageToken] = useState<string | undefined>(undefined);
  const [removing, setRemoving] = useState<InterceptionWord | null>(null);
  const listKey = ['interception-words', platform ? 'platform' : 'account'];
  const pageKey = [...listKey, pageToken];
  const list = useQuery({
    queryKey: pageKey,
    queryFn: async (): Promise<WordPage> => {
      const query = { pageSize: 100, ...(pageToken ? { pageToken } : {}) } as never;
      return unwrap(
        platform
          ? await api.GET('/v1/admin/interception-words', { params: { query } })
          : await api.GET('/v1/interception-words', { params: { query } }),
      );
    },
  });

  const remove = useMutation({
    mutationFn: async (word: InterceptionWord) => {
      const params = { params: { path: { wordId: word.wordId } } };
      return unwrap(
        platform
          ? await api.DELETE('/v1/admin/interception-words/{wordId}', params)
          : await api.DELETE('/v1/interception-words/{wordId}', params),
      );
    },
    onSuccess: (_, word) => {
      client.setQueriesData<WordPage>({ queryKey: listKey }, (page) =>
        page ? { ...page, data: page.data.filter((w) => w.wordId !== word.wordId) } : page,
      );
      notice(t.rules.words.removed(word.word));
    },
    onSettled: () => {
      setRemoving(null);
      return client.invalidateQueries({ queryKey: listKey });
    },
  });

  const columns: ColumnDef<InterceptionWord, unknown>[] = [
    { header: t.rules.words.word, id: 'word', cell: ({ row }) => row.original.word },
    {
      header: t.rules.words.addedAt,
      cell: ({ row }) =>
        row.original.createdAt ? <Time value={row.original.createdAt} /> : t.time.none,
    },
    {
      header: t.blockList.columns.actions,
      cell: ({ row }) => (
        <button type="button" onClick={() => setRemoving(row.original)}>
          {t.rules.words.remove}
          <span className="visually-hidden"> {row.original.word}</span>
        </button>
      ),
    },
  ];
  const heading = platform ? t.rules.words.platformHeading : t.rules.words.heading;
  const headingId = platform ? 'platform-words-heading' : 'words-heading';

  return (
    <section aria-labelledby={headingId} className="subsection" data-testid="interception-words">
      <h2 id={headingId}>{heading}</h2>
      <p>{platform ? t.rules.words.platformIntro : t.rules.words.intro}</p>
      <p className="muted">
        {t.rules.words.matching}
        {!platform && ` ${t.rules.words.platformAlso}`}
      </p>
      <AddWords
        platform={platform}
        onAdded={(added) => {
          // The answer holds the words just given: shown on the first page at once.
          client.setQueryData<WordPage>([...listKey, undefined], (page) => {
            if (!page) return page;
            const known = new Set(page.data.map((w) => w.wordId));
            return { ...page, data: [...added.filter((w) => !known.has(w.wordId)), ...page.data] };
          });
          setPageToken(undefined);
          return client.invalidateQueries({ queryKey: listKey });
        }}
      />
      {list.isPending ? (
        <Loading rows={2} />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.data.length === 0 ? (
        <p className="muted" role="status">
          {t.rules.words.empty}
        </p>
      ) : (
        <>
          <DataTable
            data={list.data.data}
            columns={columns}
            wrap={['word']}
            caption={heading}
            rowKey={(w) => w.wordId}
          />
          {(pageToken || list.data.nextPageToken) && (
            <div className="button-row">
              {pageToken && (
                <button type="button" onClick={() => setPageToken(undefined)}>
                  {t.messages.first}
                </button>
              )}
              {list.data.nextPageToken && (
                <button
                  type="button"
                  onClick={() => setPageToken(list.data.nextPageToken ?? undefined)}
                >
                  {t.messages.next}
                </button>
              )}
            </div>
          )}
        </>
      )}
      {remove.isError && (
        <p className="error-text" role="alert">
          {errorText(remove.error)}
        </p>
      )}
      <ConfirmDialog
        open={removing !== null}
        text={removing ? t.rules.words.confirmRemove(removing.word) : ''}
        confirmLabel={t.rules.words.remove}
        cancelLabel={t.blockList.cancel}
        busy={remove.isPending}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate(removing)}
      />
    </section>
  );
}

function AddWords({
  platform,
  onAdded,
}: {
  platform: boolean;
  onAdded: (words: InterceptionWord[]) => Promise<void>;
}) {
  const notice = useNotice();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: async (words: string[]) => {
      const options = { body: { words } };
      return unwrap(
        platform
          ? await api.POST('/v1/admin/interception-words', options)
          : await api.POST('/v1/interception-words', options),
      );
    },
    onSuccess: (result, words) => {
      setText('');
      notice(t.rules.words.added(result.added, words.length));
      return onAdded(result.data);
    },
  });
  const id = platform ? 'add-platform-words' : 'add-words';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const words = parseWords(text);
    const found = wordsProblem(words);
    setProblem(found);
    if (!found) add.mutate(words);
  };
  return (
    <form className="card" onSubmit={submit} aria-label={t.rules.words.submit} noValidate>
      <div className="field">
        <label htmlFor={id}>{t.rules.words.add}</label>
        <textarea
          id={id}
          rows={3}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (problem) setProblem(null);
          }}
          aria-describedby={`${id}-hint${problem ? ` ${id}-problem` : ''}`}
          aria-invalid={problem !== null}
        />
        <span id={`${id}-hint`} className="muted">
          {t.rules.words.addHint}
        </span>
      </div>
      <button type="submit" className="primary" disabled={add.isPending}>
        {t.rules.words.submit}
      </button>
      <div aria-live="polite">
        {problem && (
          <p id={`${id}-problem`} className="error-text" role="alert">
            {problem}
          </p>
        )}
        {add.isError && (
          <p className="error-text" role="alert" data-testid="words-error">
            {errorText(add.error)}
          </p>
        )}
      </div>
    </form>
  );
}
