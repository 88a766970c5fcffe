// SPEC 2.1: the statuses, template types and process-failed reasons, as short names used by the
// domain and the REST API (the proto enums carry the same names with their prefixes).

export const MESSAGE_STATUSES = [
  'SENDING',
  'WAIT_RESULT',
  'DELIVERED',
  'PROCESS_FAILED',
  'SEND_FAILED',
] as const;
export type MessageStatusName = (typeof MESSAGE_STATUSES)[number];

export const FINAL_STATUSES: ReadonlySet<MessageStatusName> = new Set([
  'DELIVERED',
  'PROCESS_FAILED',
  'SEND_FAILED',
]);

export function isFinalStatus(status: MessageStatusName): boolean {
  return FINAL_STATUSES.has(status);
}

export const TEMPLATE_TYPES = ['VERIFICATION', 'NOTIFICATION', 'MARKETING'] as const;
export type TemplateTypeName = (typeof TEMPLATE_TYPES)[number];

/** Highest precedence first: when several apply, the first one is reported. */
export const PROCESS_FAILED_REASONS_BY_PRECEDENCE = [
  'GLOBAL_BLOCK',
  'PARTIAL_BLOCK',
  'UNSUBSCRIBE',
  'KEYWORD_BLOCK',
  'VARIABLE_ERROR',
  'CONTENT_ERROR',
  'FREQUENCY_OVERRUN',
  'OTHER',
] as const;
export type ProcessFailedReasonName = (typeof PROCESS_FAILED_REASONS_BY_PRECEDENCE)[number];

/**
 * The number that stands for each name wherever a number is stored or sent: status-tracker's
 * smallint columns (pinned by CHECK constraints and lookup tables, see
 * docs/stored-enum-numbers.md) and the proto enums. Stored rows depend on them: never renumber
 * or reuse a number, whatever order the lists above take; a new name gets a new number and a
 * migration that widens the constraints.
 */
export const MESSAGE_STATUS_NUMBERS = {
  SENDING: 1,
  WAIT_RESULT: 2,
  DELIVERED: 3,
  PROCESS_FAILED: 4,
  SEND_FAILED: 5,
} as const satisfies Record<MessageStatusName, number>;

export const TEMPLATE_TYPE_NUMBERS = {
  VERIFICATION: 1,
  NOTIFICATION: 2,
  MARKETING: 3,
} as const satisfies Record<TemplateTypeName, number>;

export const PROCESS_FAILED_REASON_NUMBERS = {
  GLOBAL_BLOCK: 1,
  PARTIAL_BLOCK: 2,
  UNSUBSCRIBE: 3,
  KEYWORD_BLOCK: 4,
  VARIABLE_ERROR: 5,
  CONTENT_ERROR: 6,
  FREQUENCY_OVERRUN: 7,
  OTHER: 8,
} as const satisfies Record<ProcessFailedReasonName, number>;

/** What each process-failed reason means, in words (the REST `reasonText` of a message). */
export const PROCESS_FAILED_REASON_DESCRIPTIONS: Readonly<Record<ProcessFailedReasonName, string>> =
  {
    GLOBAL_BLOCK: 'the number is on the block list for every account',
    PARTIAL_BLOCK: 'the number is on the block list for this account',
    UNSUBSCRIBE: 'the recipient unsubscribed from this account',
    KEYWORD_BLOCK: 'the content hits an interception word',
    VARIABLE_ERROR: 'a template variable could not be replaced',
    CONTENT_ERROR: 'the content does not meet the standards',
    FREQUENCY_OVERRUN: 'too many sends to this number in a period',
    OTHER: 'any other reason',
  };
