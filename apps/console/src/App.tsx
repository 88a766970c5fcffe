import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { ErrorState, Loading } from './components/States';
import { t } from './i18n';
import { Layout } from './Layout';
import { AdminBlockListPage } from './pages/AdminBlockListPage';
import { BlockListPage } from './pages/BlockListPage';
import { DeadLettersPage } from './pages/DeadLettersPage';
import { MessageDetailPage } from './pages/MessageDetailPage';
import { MessagesPage } from './pages/MessagesPage';
import { RepliesPage } from './pages/RepliesPage';
import { AdminSendingRulesPage, SendingRulesPage } from './pages/SendingRulesPage';
import { SignInPage } from './pages/SignInPage';
import { isOperator, SessionProvider, useSession, useSessionQuery } from './session';

// The chart library is the largest dependency: loaded with the Overview page only.
const OverviewPage = lazy(() =>
  import('./pages/OverviewPage').then((module) => ({ default: module.OverviewPage })),
);

function OperatorOnly({ children }: { children: React.ReactNode }) {
  const session = useSession();
  if (!isOperator(session)) {
    return (
      <p className="callout callout-error" role="alert" data-testid="forbidden">
        {t.states.forbidden}
      </p>
    );
  }
  return <>{children}</>;
}

function CustomerOnly({ children }: { children: React.ReactNode }) {
  const session = useSession();
  return isOperator(session) ? <Navigate to="/admin/overview" replace /> : <>{children}</>;
}

export function App() {
  const session = useSessionQuery();
  if (session.isPending) return <Loading rows={3} />;
  if (session.isError)
    return <ErrorState error={session.error} onRetry={() => void session.refetch()} />;
  if (!session.data) return <SignInPage expired={session.isRefetchError} />;
  const home = isOperator(session.data) ? '/admin/overview' : '/overview';
  return (
    <SessionProvider session={session.data}>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<Navigate to={home} replace />} />
          <Route
            path="overview"
            element={
              <CustomerOnly>
                <Suspense fallback={<Loading rows={6} />}>
                  <OverviewPage />
                </Suspense>
              </CustomerOnly>
            }
          />
          <Route
            path="messages"
            element={
              <CustomerOnly>
                <MessagesPage />
              </CustomerOnly>
            }
          />
          <Route
            path="messages/:messageId"
            element={
              <CustomerOnly>
                <MessageDetailPage />
              </CustomerOnly>
            }
          />
          <Route
            path="block-list"
            element={
              <CustomerOnly>
                <BlockListPage />
              </CustomerOnly>
            }
          />
          <Route
            path="replies"
            element={
              <CustomerOnly>
                <RepliesPage />
              </CustomerOnly>
            }
          />
          <Route
            path="sending-rules"
            element={
              <CustomerOnly>
                <SendingRulesPage />
              </CustomerOnly>
            }
          />
          <Route
            path="admin/overview"
            element={
              <OperatorOnly>
                <Suspense fallback={<Loading rows={6} />}>
                  <OverviewPage operator />
                </Suspense>
              </OperatorOnly>
            }
          />
          <Route
            path="admin/dead-letters"
            element={
              <OperatorOnly>
                <DeadLettersPage />
              </OperatorOnly>
            }
          />
          <Route
            path="admin/messages"
            element={
              <OperatorOnly>
                <MessagesPage operator />
              </OperatorOnly>
            }
          />
          <Route
            path="admin/messages/:messageId"
            element={
              <OperatorOnly>
                <MessageDetailPage operator />
              </OperatorOnly>
            }
          />
          <Route
            path="admin/block-list"
            element={
              <OperatorOnly>
                <AdminBlockListPage />
              </OperatorOnly>
            }
          />
          <Route
            path="admin/replies"
            element={
              <OperatorOnly>
                <RepliesPage operator />
              </OperatorOnly>
            }
          />
          <Route
            path="admin/sending-rules"
            element={
              <OperatorOnly>
                <AdminSendingRulesPage />
              </OperatorOnly>
            }
          />
          <Route path="*" element={<p className="callout">{t.states.notFound}</p>} />
        </Route>
      </Routes>
    </SessionProvider>
  );
}
