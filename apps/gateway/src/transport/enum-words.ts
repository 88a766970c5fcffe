// Proto enums arrive as strings like 'MESSAGE_STATUS_SEND_FAILED'; the REST API speaks lower-case
// words ('send_failed'). The prefix is the enum's value prefix.

export const ENUM_PREFIX = {
  messageStatus: 'MESSAGE_STATUS_',
  templateType: 'TEMPLATE_TYPE_',
  processFailedReason: 'PROCESS_FAILED_REASON_',
  sendFailureCode: 'SEND_FAILURE_CODE_',
  eventKind: 'EVENT_KIND_',
  eventResult: 'EVENT_RESULT_',
  scope: 'SCOPE_',
  entryState: 'ENTRY_STATE_',
  entrySource: 'ENTRY_SOURCE_',
  verdict: 'VERDICT_',
  unsubscribeSource: 'UNSUBSCRIBE_SOURCE_',
  attribution: 'ATTRIBUTION_',
  keywordAction: 'KEYWORD_ACTION_',
} as const;

/** The lower-case word of a proto enum value; null for UNSPECIFIED or an unknown numeric value. */
export function enumWord(value: string | number | null | undefined, prefix: string): string | null {
  if (typeof value !== 'string' || !value.startsWith(prefix)) return null;
  const word = value.slice(prefix.length);
  return word === 'UNSPECIFIED' ? null : word.toLowerCase();
}

/** The proto enum value of a word; the caller has validated the word. */
export function protoEnum<E extends string>(word: string, prefix: string): E {
  return `${prefix}${word.toUpperCase()}` as E;
}

/** The lower-case words of a list of upper-case names. */
export function lowerWords<const N extends readonly [string, ...string[]]>(
  names: N,
): { [K in keyof N]: Lowercase<N[K]> } {
  return names.map((name) => name.toLowerCase()) as { [K in keyof N]: Lowercase<N[K]> };
}
