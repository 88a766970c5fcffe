import { useSearchParams } from 'react-router';
import { AccountPicker, AccountsProblem } from '../components/AccountPicker';
import { t } from '../i18n';
import { useAccountOptions } from '../lib/accounts';
import { FrequencyLimitsPanel } from './FrequencyLimitsPanel';
import { InterceptionWordList } from './InterceptionWordList';

/** Sending rules: the account's own interception words and the frequency limits that apply. */
export function SendingRulesPage() {
  return (
    <section aria-labelledby="page-heading">
      <h1 id="page-heading">{t.rules.heading}</h1>
      <p>{t.rules.intro}</p>
      <InterceptionWordList platform={false} />
      <section aria-labelledby="limits-heading" className="subsection">
        <h2 id="limits-heading">{t.rules.limits.heading}</h2>
        <p>{t.rules.limits.intro}</p>
        <FrequencyLimitsPanel target={{ kind: 'own' }} />
      </section>
    </section>
  );
}

/**
 * Operator: the platform's words and default limits, and one account's limits (the account in
 * the URL, as on the Overview).
 */
export function AdminSendingRulesPage() {
  const [params, setParams] = useSearchParams();
  const accountId = params.get('accountId') || undefined;
  const accounts = useAccountOptions(true);
  const pick = (value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined) next.delete('accountId');
    else next.set('accountId', value);
    setParams(next);
  };
  return (
    <section aria-labelledby="page-heading">
      <h1 id="page-heading">{t.rules.heading}</h1>
      <p>{t.rules.adminIntro}</p>
      <InterceptionWordList platform />
      <section aria-labelledby="platform-limits-heading" className="subsection">
        <h2 id="platform-limits-heading">{t.rules.limits.platformHeading}</h2>
        <p>
          {t.rules.limits.intro} {t.rules.limits.platformIntro}
        </p>
        <FrequencyLimitsPanel target={{ kind: 'platform' }} />
      </section>
      <section aria-labelledby="account-limits-heading" className="subsection">
        <h2 id="account-limits-heading">{t.rules.limits.accountHeading}</h2>
        <AccountsProblem error={accounts.error} />
        <div className="picker" data-testid="pick-account">
          <AccountPicker
            id="rules-account"
            value={accountId}
            options={accounts.options ?? []}
            emptyLabel={t.rules.limits.pickAccount}
            onChange={pick}
          />
        </div>
        {accountId ? (
          <FrequencyLimitsPanel key={accountId} target={{ kind: 'account', accountId }} />
        ) : (
          <p className="muted">{t.rules.limits.pickAccount}</p>
        )}
      </section>
    </section>
  );
}
