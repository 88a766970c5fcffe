import { NavLink, Outlet } from 'react-router';
import { NoticeProvider } from './components/Notice';
import { t } from './i18n';
import { isOperator, useSession, useSignOut } from './session';

/** Header with the account and role always visible, navigation, sign out. */
export function Layout() {
  const session = useSession();
  const signOut = useSignOut();
  const operator = isOperator(session);
  const links = operator
    ? [
        { to: '/admin/overview', label: t.app.nav.adminOverview },
        { to: '/admin/messages', label: t.app.nav.adminMessages },
        { to: '/admin/block-list', label: t.app.nav.adminBlockList },
        { to: '/admin/replies', label: t.app.nav.adminReplies },
        { to: '/admin/sending-rules', label: t.app.nav.adminRules },
        { to: '/admin/dead-letters', label: t.app.nav.deadLetters },
      ]
    : [
        { to: '/overview', label: t.app.nav.overview },
        { to: '/messages', label: t.app.nav.messages },
        { to: '/block-list', label: t.app.nav.blockList },
        { to: '/replies', label: t.app.nav.replies },
        { to: '/sending-rules', label: t.app.nav.rules },
      ];
  return (
    <>
      <a className="skip-link" href="#main">
        {t.app.skipToContent}
      </a>
      <header className="app-header">
        <span className="brand">{t.app.title}</span>
        <nav aria-label={t.app.title}>
          <ul>
            {links.map((link) => (
              <li key={link.to}>
                <NavLink to={link.to}>{link.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who" data-testid="who">
          <span className="who-email" title={t.app.signedInAs}>
            {session.user.email}
          </span>
          <span className="who-account">
            {t.app.account} <code>{session.user.accountId}</code>
          </span>
          <span className={`role role-${session.user.role}`}>
            {t.app.role[session.user.role] ?? session.user.role}
          </span>
          <button type="button" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
            {t.app.signOut}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <NoticeProvider>
          <Outlet />
        </NoticeProvider>
      </main>
    </>
  );
}
