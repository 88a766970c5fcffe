// Who is signed in: GET /v1/session once, kept in TanStack Query; the CSRF token of the session
// goes to the API client for every state-changing call.
import { QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import {
  ApiError,
  api,
  currentCsrfToken,
  setCsrfToken,
  toApiError,
  unwrap,
  whenUnauthenticated,
} from './api/client';
import type { SessionJson } from './api/types';

const SESSION_KEY = ['session'] as const;

/** Forgets every other user's data; the session query itself stays (its observer lives on). */
function forgetData(client: QueryClient): void {
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
}

export function useSessionQuery() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async (): Promise<SessionJson | null> => {
      const result = await api.GET('/v1/session');
      if (result.response.status === 401) return null;
      const session = unwrap(result);
      setCsrfToken(session.csrfToken);
      return session;
    },
    staleTime: 60_000,
    retry: false,
  });
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: { email: string; password: string }) => {
      const result = await api.POST('/v1/session', { body });
      if (result.error !== undefined) throw toApiError(result.response.status, result.error);
      return unwrap(result);
    },
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      forgetData(client);
      client.setQueryData(SESSION_KEY, session);
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const result = await api.DELETE('/v1/session', {
        params: { header: { 'X-CSRF-Token': currentCsrfToken() ?? '' } },
      });
      if (!result.response.ok && result.response.status !== 401) unwrap(result);
    },
    onSettled: () => {
      setCsrfToken(null);
      forgetData(client);
      client.setQueryData(SESSION_KEY, null);
    },
  });
}

const SessionContext = createContext<SessionJson | null>(null);

export function SessionProvider({
  session,
  children,
}: {
  session: SessionJson;
  children: ReactNode;
}) {
  const client = useQueryClient();
  useEffect(() => {
    // A 401 anywhere (idle or absolute expiry) sends the user back to the sign-in page.
    whenUnauthenticated(() => client.setQueryData(SESSION_KEY, null));
  }, [client]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionJson {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

export const isOperator = (session: SessionJson): boolean => session.user.role === 'operator';
export { ApiError };
