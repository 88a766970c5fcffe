import { useState, type FormEvent } from 'react';
import { errorText } from '../api/client';
import { t } from '../i18n';
import { useSignIn } from '../session';

export function SignInPage({ expired = false }: { expired?: boolean }) {
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email, password });
  };
  return (
    <main className="sign-in" id="main">
      <form onSubmit={submit} className="card" aria-labelledby="sign-in-heading">
        <h1 id="sign-in-heading">{t.signIn.heading}</h1>
        {expired && !signIn.isError && <p className="callout callout-info">{t.signIn.expired}</p>}
        {signIn.isError && (
          <p className="callout callout-error" role="alert">
            {errorText(signIn.error)}
          </p>
        )}
        <div className="field">
          <label htmlFor="email">{t.signIn.email}</label>
          <input
            id="email"
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            autoFocus
          />
        </div>
        <div className="field">
          <label htmlFor="password">{t.signIn.password}</label>
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </div>
        <button type="submit" className="primary" disabled={signIn.isPending}>
          {signIn.isPending ? t.signIn.submitting : t.signIn.submit}
        </button>
      </form>
    </main>
  );
}
