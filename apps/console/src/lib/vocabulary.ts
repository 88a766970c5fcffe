// The API's enum words the console offers in its filters (apps/gateway/API.md "Enum words").
export const STATUSES = [
  'sending',
  'wait_result',
  'delivered',
  'process_failed',
  'send_failed',
] as const;
export type Status = (typeof STATUSES)[number];

export const PROCESS_FAILED_REASONS = [
  'global_block',
  'partial_block',
  'unsubscribe',
  'keyword_block',
  'variable_error',
  'content_error',
  'frequency_overrun',
  'other',
] as const;

/** The ten send-failure codes and their reason words, in code order. */
export const SEND_FAILURE_CODES = [
  { code: 500, reason: 'empty' },
  { code: 510, reason: 'out_of_service' },
  { code: 520, reason: 'blacklist' },
  { code: 530, reason: 'busy' },
  { code: 540, reason: 'no_answer' },
  { code: 550, reason: 'interception' },
  { code: 560, reason: 'break_down' },
  { code: 570, reason: 'not_in_service' },
  { code: 580, reason: 'power_off' },
  { code: 590, reason: 'other' },
] as const;

export const TEMPLATE_TYPES = ['verification', 'notification', 'marketing'] as const;
export const SCOPES = ['global', 'local'] as const;
export const ENTRY_STATES = ['active', 'expired', 'deleted'] as const;
export const ENTRY_SOURCES = ['send_failure', 'manual'] as const;

export const FINAL_FAILED: readonly Status[] = ['process_failed', 'send_failed'];
