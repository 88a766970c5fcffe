import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { api, errorText, unwrap } from '../api/client';
import type { FrequencyLimitsJson } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useNotice } from '../components/Notice';
import { ErrorState, Loading } from '../components/States';
import { Time } from '../components/Time';
import { t } from '../i18n';
import {
  draftProblems,
  emptyWindow,
  fromDraft,
  hasProblems,
  limitInWords,
  MAX_WINDOWS,
  toDraft,
  UNITS,
  type DraftProblems,
  type FrequencyWindow,
  type LimitKind,
  type LimitsDraft,
  type Unit,
  type WindowDraft,
} from '../lib/frequency-limits';

/** Whose limits: the signed-in customer's account, the platform default, or an account's. */
export type LimitsTarget =
  { kind: 'own' } | { kind: 'platform' } | { kind: 'account'; accountId: string };

type Body = { template: FrequencyWindow[]; account: FrequencyWindow[] };

const keyOf = (target: LimitsTarget) => [
  'frequency-limits',
  target.kind,
  target.kind === 'account' ? target.accountId : '',
];

// One call per target and verb: the generated client types each path on its own.
async function readLimits(target: LimitsTarget): Promise<FrequencyLimitsJson> {
  if (target.kind === 'own') return unwrap(await api.GET('/v1/frequency-limits'));
  if (target.kind === 'platform') return unwrap(await api.GET('/v1/admin/frequency-limits'));
  const params = { path: { accountId: target.accountId } };
  return unwrap(await api.GET('/v1/admin/frequency-limits/accounts/{accountId}', { params }));
}

async function writeLimits(target: LimitsTarget, body: Body): Promise<FrequencyLimitsJson> {
  if (target.kind === 'own') return unwrap(await api.PUT('/v1/frequency-limits', { body }));
  if (target.kind === 'platform')
    return unwrap(await api.PUT('/v1/admin/frequency-limits', { body }));
  const params = { path: { accountId: target.accountId } };
  return unwrap(await api.PUT('/v1/admin/frequency-limits/accounts/{accountId}', { params, body }));
}

async function resetLimits(target: LimitsTarget): Promise<FrequencyLimitsJson> {
  if (target.kind === 'own') return unwrap(await api.DELETE('/v1/frequency-limits'));
  if (target.kind === 'platform') return unwrap(await api.DELETE('/v1/admin/frequency-limits'));
  const params = { path: { accountId: target.accountId } };
  return unwrap(await api.DELETE('/v1/admin/frequency-limits/accounts/{accountId}', { params }));
}

/** Which limits apply and where they come from, as sentences, beside an editor for them. */
export function FrequencyLimitsPanel({ target }: { target: LimitsTarget }) {
  const client = useQueryClient();
  const notice = useNotice();
  const [confirmReset, setConfirmReset] = useState(false);
  const key = keyOf(target);
  const limits = useQuery({ queryKey: key, queryFn: () => readLimits(target) });
  const reset = useMutation({
    mutationFn: () => resetLimits(target),
    onSuccess: (effective) => {
      client.setQueryData(key, effective);
      notice(
        target.kind === 'platform' ? t.rules.limits.resetPlatformDone : t.rules.limits.resetDone,
      );
    },
    onSettled: () => setConfirmReset(false),
  });

  if (limits.isPending) return <Loading rows={3} />;
  if (limits.isError)
    return <ErrorState error={limits.error} onRetry={() => void limits.refetch()} />;
  const effective = limits.data;
  const own = effective.source === 'account';
  // A stored row to drop: the account's own limits, or an operator-set platform default.
  const resettable = target.kind === 'platform' ? effective.source === 'platform' : own;
  const accountKind = target.kind === 'own' ? t.rules.limits.account : t.rules.limits.accountOf;
  const appliesHeading =
    target.kind === 'platform' || !own
      ? t.rules.limits.platformDefault
      : target.kind === 'account'
        ? t.rules.limits.accountOwn
        : t.rules.limits.yourOwn;
  const sourceText =
    target.kind === 'own'
      ? t.rules.limits.source[effective.source]
      : target.kind === 'account'
        ? t.rules.limits.accountSource[effective.source]
        : t.rules.limits.platformSource[effective.source];
  const editHeading =
    target.kind === 'platform'
      ? t.rules.limits.editPlatform
      : target.kind === 'account'
        ? t.rules.limits.editAccount
        : own
          ? t.rules.limits.changeOwn
          : t.rules.limits.editOwn;
  const prefix = `limits-${target.kind}`;

  return (
    <div data-testid={`limits-${target.kind}`} aria-busy={limits.isFetching}>
      <p className="callout callout-info" data-testid="limits-source">
        {sourceText}
        {effective.updatedAt && (
          <>
            {' '}
            {t.rules.limits.lastChanged} <Time value={effective.updatedAt} />
            {effective.updatedBy && ` ${t.rules.limits.by(effective.updatedBy)}`}.
          </>
        )}
      </p>
      <div className="two-columns">
        <section className="card" aria-labelledby={`${prefix}-applies`}>
          <h3 id={`${prefix}-applies`}>
            {appliesHeading} · {t.rules.limits.applyNow}
          </h3>
          <LimitSentences
            title={t.rules.limits.template}
            windows={effective.template}
            kind="template"
            testId={`${prefix}-applies-template`}
          />
          <LimitSentences
            title={accountKind}
            windows={effective.account}
            kind="account"
            testId={`${prefix}-applies-account`}
          />
          {own && effective.platformDefault && (
            <>
              <h4>{t.rules.limits.platformDefaultBeside}</h4>
              <p className="muted">
                {target.kind === 'own'
                  ? t.rules.limits.defaultNotUsed
                  : t.rules.limits.defaultNotUsedAccount}
              </p>
              <LimitSentences
                title={t.rules.limits.template}
                windows={effective.platformDefault.template}
                kind="template"
                testId={`${prefix}-default-template`}
              />
              <LimitSentences
                title={accountKind}
                windows={effective.platformDefault.account}
                kind="account"
                testId={`${prefix}-default-account`}
              />
            </>
          )}
        </section>
        <LimitsEditor
          // A new start whenever the stored limits change (saved, reset, another target).
          key={`${key.join('/')}:${JSON.stringify([effective.template, effective.account])}`}
          target={target}
          heading={editHeading}
          accountKind={accountKind}
          initial={effective}
          prefix={prefix}
          onSaved={(saved) => {
            client.setQueryData(key, saved);
            notice(t.rules.limits.saved);
          }}
          resetLabel={
            resettable
              ? target.kind === 'platform'
                ? t.rules.limits.resetPlatform
                : t.rules.limits.reset
              : null
          }
          onReset={() => setConfirmReset(true)}
        />
      </div>
      {reset.isError && (
        <p className="error-text" role="alert">
          {errorText(reset.error)}
        </p>
      )}
      <ConfirmDialog
        open={confirmReset}
        text={
          target.kind === 'platform'
            ? t.rules.limits.confirmResetPlatform
            : t.rules.limits.confirmReset
        }
        confirmLabel={
          target.kind === 'platform' ? t.rules.limits.resetPlatform : t.rules.limits.reset
        }
        cancelLabel={t.blockList.cancel}
        busy={reset.isPending}
        onCancel={() => setConfirmReset(false)}
        onConfirm={() => reset.mutate()}
      />
    </div>
  );
}

function LimitSentences({
  title,
  windows,
  kind,
  testId,
}: {
  title: string;
  windows: readonly FrequencyWindow[];
  kind: LimitKind;
  testId: string;
}) {
  return (
    <>
      <h4>{title}</h4>
      {windows.length === 0 ? (
        <p className="muted" data-testid={testId}>
          {t.rules.limits.none}
        </p>
      ) : (
        <ul className="limit-list" data-testid={testId}>
          {windows.map((w) => (
            <li key={w.windowSeconds}>{limitInWords(w, kind)}</li>
          ))}
        </ul>
      )}
    </>
  );
}

function LimitsEditor({
  target,
  heading,
  accountKind,
  initial,
  prefix,
  onSaved,
  resetLabel,
  onReset,
}: {
  target: LimitsTarget;
  heading: string;
  accountKind: string;
  initial: FrequencyLimitsJson;
  prefix: string;
  onSaved: (saved: FrequencyLimitsJson) => void;
  resetLabel: string | null;
  onReset: () => void;
}) {
  const [draft, setDraft] = useState<LimitsDraft>(() => ({
    template: toDraft(initial.template),
    account: toDraft(initial.account),
  }));
  const [submitted, setSubmitted] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const problems = draftProblems(draft);
  const shown: DraftProblems = submitted ? problems : { fields: {}, lists: {} };
  const save = useMutation({
    mutationFn: (body: Body) => writeLimits(target, body),
    onSuccess: onSaved,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (hasProblems(problems)) {
      // Keyboard and screen-reader users land on the first field to fix.
      requestAnimationFrame(() =>
        form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
      );
      return;
    }
    save.mutate(fromDraft(draft));
  };
  const change = (kind: LimitKind, rows: WindowDraft[]) => setDraft({ ...draft, [kind]: rows });

  return (
    <form
      ref={form}
      className="card"
      onSubmit={submit}
      aria-labelledby={`${prefix}-edit`}
      noValidate
    >
      <h3 id={`${prefix}-edit`}>{heading}</h3>
      {(['template', 'account'] as const).map((kind) => (
        <WindowRows
          key={kind}
          kind={kind}
          legend={kind === 'template' ? t.rules.limits.template : accountKind}
          rows={draft[kind]}
          problems={shown}
          idPrefix={`${prefix}-${kind}`}
          onChange={(rows) => change(kind, rows)}
        />
      ))}
      <div className="button-row">
        <button type="submit" className="primary" disabled={save.isPending}>
          {t.rules.limits.save}
        </button>
        {resetLabel && (
          <button type="button" onClick={onReset}>
            {resetLabel}
          </button>
        )}
      </div>
      <div aria-live="polite">
        {submitted && hasProblems(problems) && (
          <p className="error-text">{t.rules.limits.fixFirst}</p>
        )}
        {save.isError && (
          <p className="error-text" role="alert" data-testid="limits-error">
            {errorText(save.error)}
          </p>
        )}
      </div>
    </form>
  );
}

function WindowRows({
  kind,
  legend,
  rows,
  problems,
  idPrefix,
  onChange,
}: {
  kind: LimitKind;
  legend: string;
  rows: WindowDraft[];
  problems: DraftProblems;
  idPrefix: string;
  onChange: (rows: WindowDraft[]) => void;
}) {
  const update = (key: string, patch: Partial<WindowDraft>) =>
    onChange(rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  const listProblem = problems.lists[kind];
  return (
    <fieldset className="limit-group">
      <legend>{legend}</legend>
      {rows.length === 0 && <p className="muted">{t.rules.limits.noWindows}</p>}
      {rows.map((row, index) => {
        const id = `${idPrefix}-${index}`;
        const limitProblem = problems.fields[`${row.key}.limit`];
        const windowProblem = problems.fields[`${row.key}.window`];
        return (
          <div className="limit-row" key={row.key} data-testid={`${idPrefix}-row`}>
            <label htmlFor={`${id}-limit`}>{t.rules.limits.atMost}</label>
            <input
              id={`${id}-limit`}
              inputMode="numeric"
              value={row.limit}
              onChange={(e) => update(row.key, { limit: e.target.value })}
              aria-invalid={limitProblem !== undefined}
              aria-describedby={limitProblem ? `${id}-limit-problem` : undefined}
            />
            <label htmlFor={`${id}-amount`}>
              {t.rules.limits.messages} {t.rules.limits.within}
            </label>
            <input
              id={`${id}-amount`}
              inputMode="numeric"
              value={row.amount}
              onChange={(e) => update(row.key, { amount: e.target.value })}
              aria-invalid={windowProblem !== undefined}
              aria-describedby={windowProblem ? `${id}-window-problem` : undefined}
            />
            <label htmlFor={`${id}-unit`} className="visually-hidden">
              {t.rules.limits.unit}
            </label>
            <select
              id={`${id}-unit`}
              value={row.unit}
              onChange={(e) => update(row.key, { unit: e.target.value as Unit })}
            >
              {UNITS.map((unit) => (
                <option key={unit} value={unit}>
                  {row.amount.trim() === '1' ? t.rules.unitsOne[unit] : t.rules.units[unit]}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="link-button"
              onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
            >
              {t.rules.limits.removeWindow}
            </button>
            {limitProblem && (
              <p id={`${id}-limit-problem`} className="error-text">
                {t.rules.limits.atMost}: {limitProblem}
              </p>
            )}
            {windowProblem && (
              <p id={`${id}-window-problem`} className="error-text">
                {t.rules.limits.amount}: {windowProblem}
              </p>
            )}
          </div>
        );
      })}
      {listProblem && <p className="error-text">{listProblem}</p>}
      <button
        type="button"
        onClick={() => onChange([...rows, emptyWindow(rows)])}
        disabled={rows.length >= MAX_WINDOWS}
      >
        {t.rules.limits.addWindow}
      </button>
    </fieldset>
  );
}
