export {
  CodeCatalogue,
  DEFAULT_INTERCEPTION_SECONDS,
  parseDurationOverrides,
  SEND_FAILURE_CODES,
  type InterceptionRule,
  type InterceptionScope,
  type SendFailureCodeNumber,
} from './send-failure-codes';
export {
  FINAL_STATUSES,
  isFinalStatus,
  MESSAGE_STATUS_NUMBERS,
  MESSAGE_STATUSES,
  PROCESS_FAILED_REASON_NUMBERS,
  PROCESS_FAILED_REASON_DESCRIPTIONS,
  PROCESS_FAILED_REASONS_BY_PRECEDENCE,
  TEMPLATE_TYPE_NUMBERS,
  TEMPLATE_TYPES,
  type MessageStatusName,
  type ProcessFailedReasonName,
  type TemplateTypeName,
} from './statuses';
export {
  messageReason,
  PROCESS_FAILED_REASON_WORDS,
  SEND_FAILURE_REASON_WORDS,
  type MessageReason,
} from './message-reason';
