// The URL is the state of a list page: filters in the query, the page token too, and the tokens of
// earlier pages in the history entry (so Previous works; a shared link opens the same page).
import { useCallback } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { filterToParams } from './filters';

interface PagingState {
  readonly tokens?: readonly string[];
}

export function useUrlList<F extends object>(parse: (params: URLSearchParams) => F) {
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const filter = parse(params);
  const pageToken = params.get('pageToken') ?? undefined;
  const tokens: readonly string[] = (location.state as PagingState | null)?.tokens ?? [];
  // tokens holds the tokens of pages 2 .. n-1 (page 1 has none).
  const pageNumber = pageToken === undefined ? 1 : tokens.length + 2;

  const go = useCallback(
    (next: object, token: string | undefined, nextTokens: readonly string[]) => {
      const query = filterToParams(next);
      if (token !== undefined) query.set('pageToken', token);
      const search = query.toString();
      void navigate({ search: search ? `?${search}` : '' }, { state: { tokens: nextTokens } });
    },
    [navigate],
  );

  return {
    filter,
    pageToken,
    pageNumber,
    /** A new filter starts again at page 1. */
    setFilter: (next: object) => go(next, undefined, []),
    next: (token: string) =>
      go(filter, token, pageToken === undefined ? [] : [...tokens, pageToken]),
    previous: () => {
      const earlier = [...tokens];
      const token = earlier.pop();
      go(filter, pageNumber <= 2 ? undefined : token, earlier);
    },
    first: () => go(filter, undefined, []),
  };
}
