// SPEC 3.2: the verdict of a check, in precedence order GLOBAL_BLOCK > PARTIAL_BLOCK > UNSUBSCRIBE.

export type VerdictName = 'ALLOW' | 'GLOBAL_BLOCK' | 'PARTIAL_BLOCK' | 'UNSUBSCRIBE';

/** An entry blocks while `now < expiresAt` (no expiry: until deleted), and not a millisecond longer. */
export function blocksAt(expiresAtMs: number | null, nowMs: number): boolean {
  return expiresAtMs === null || nowMs < expiresAtMs;
}

export interface VerdictInputs<E extends { expiresAtMs: number | null }, U> {
  readonly global: E | null;
  readonly local: E | null;
  readonly unsubscribe: U | null;
}

export interface Decision<E, U> {
  readonly verdict: VerdictName;
  readonly entry: E | null;
  readonly unsubscribe: U | null;
}

export function decideVerdict<E extends { expiresAtMs: number | null }, U>(
  inputs: VerdictInputs<E, U>,
  nowMs: number,
): Decision<E, U> {
  if (inputs.global && blocksAt(inputs.global.expiresAtMs, nowMs)) {
    return { verdict: 'GLOBAL_BLOCK', entry: inputs.global, unsubscribe: null };
  }
  if (inputs.local && blocksAt(inputs.local.expiresAtMs, nowMs)) {
    return { verdict: 'PARTIAL_BLOCK', entry: inputs.local, unsubscribe: null };
  }
  if (inputs.unsubscribe)
    return { verdict: 'UNSUBSCRIBE', entry: null, unsubscribe: inputs.unsubscribe };
  return { verdict: 'ALLOW', entry: null, unsubscribe: null };
}
