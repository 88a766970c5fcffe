import {
  CodeCatalogue,
  PROCESS_FAILED_REASON_WORDS,
  SEND_FAILURE_REASON_WORDS,
} from '@sms/domain-catalogue';

export { PROCESS_FAILED_REASON_WORDS, SEND_FAILURE_REASON_WORDS };

const catalogue = new CodeCatalogue();

export type ReasonFilter =
  { kind: 'process_failed'; name: string } | { kind: 'send_failed'; name: string; code: number };

/**
 * The `reasonCode` filter of the messages list: a process-failed reason word, a send-failure word or
 * a send-failure code number. `status` (one word or several) must include the status the reason
 * belongs to; `other` is both kinds, so `status` decides, otherwise it is ambiguous.
 */
export function resolveReason(
  reason: string,
  status: string | readonly string[] | undefined,
): { ok: true; filter: ReasonFilter } | { ok: false; problem: string } {
  const statuses: readonly string[] | undefined =
    status === undefined ? undefined : typeof status === 'string' ? [status] : status;
  const given = statuses?.join(',');
  const allows = (wanted: string) => !statuses || statuses.includes(wanted);
  const sendFailure = (name: string): ReasonFilter => ({
    kind: 'send_failed',
    name: name.toUpperCase(),
    code: catalogue.ruleForName(name.toUpperCase())!.code,
  });
  if (/^\d+$/.test(reason)) {
    const code = Number(reason);
    if (!catalogue.isKnownCode(code)) {
      return {
        ok: false,
        problem: `unknown send-failure code ${reason}; known codes are ${catalogue
          .all()
          .map((r) => r.code)
          .join(', ')}`,
      };
    }
    const rule = catalogue.ruleFor(code);
    if (!allows('send_failed')) {
      return {
        ok: false,
        problem: `code ${code} is a send-failure reason; it cannot match status ${given}`,
      };
    }
    return { ok: true, filter: { kind: 'send_failed', name: rule.name, code } };
  }
  const isProcess = PROCESS_FAILED_REASON_WORDS.includes(reason);
  const isSend = SEND_FAILURE_REASON_WORDS.includes(reason);
  if (!isProcess && !isSend) {
    return {
      ok: false,
      problem: `must be a process-failed reason (${PROCESS_FAILED_REASON_WORDS.join(', ')}), a send-failure reason (${SEND_FAILURE_REASON_WORDS.join(', ')}) or a code (500..590)`,
    };
  }
  if (isProcess && isSend) {
    const process = statuses?.includes('process_failed') ?? false;
    const send = statuses?.includes('send_failed') ?? false;
    if (process && !send)
      return { ok: true, filter: { kind: 'process_failed', name: reason.toUpperCase() } };
    if (send && !process) return { ok: true, filter: sendFailure(reason) };
    return {
      ok: false,
      problem: `"${reason}" is both a process-failed and a send-failure reason: give exactly one of status=process_failed or status=send_failed, or use the code 590`,
    };
  }
  if (isProcess) {
    if (!allows('process_failed')) {
      return {
        ok: false,
        problem: `"${reason}" is a process-failed reason; it cannot match status ${given} (add process_failed)`,
      };
    }
    return { ok: true, filter: { kind: 'process_failed', name: reason.toUpperCase() } };
  }
  if (!allows('send_failed')) {
    return {
      ok: false,
      problem: `"${reason}" is a send-failure reason; it cannot match status ${given} (add send_failed)`,
    };
  }
  return { ok: true, filter: sendFailure(reason) };
}

/** The numeric code of a send-failure code name (`EMPTY` → 500). */
export function sendFailureCodeNumber(name: string): number | null {
  return catalogue.ruleForName(name)?.code ?? null;
}

/** The name of a send-failure code number (500 → `EMPTY`). */
export function sendFailureCodeName(code: number): string | null {
  return catalogue.isKnownCode(code) ? catalogue.ruleFor(code).name : null;
}
