import { InvalidArgumentError, UnavailableError } from '@sms/errors';

/** More replies in one RecordReplies call than the contract allows: the whole call is refused. */
export class ReplyBatchTooLargeError extends InvalidArgumentError {}

/** A ListReplies request that cannot be answered as asked (scope, filters, period, page). */
export class InvalidReplyQueryError extends InvalidArgumentError {}

/** PostgreSQL cannot be reached: the caller should retry (RecordReplies is idempotent). */
export class ReplyStoreUnavailableError extends UnavailableError {
  constructor() {
    super('reply storage is unavailable; retry later');
  }
}

/** Connection-level failures (network, pool exhausted, server shutting down), not bad SQL. */
export function isStoreUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE'].includes(code)) {
      return true;
    }
    // SQLSTATE 08 connection exception, 57P0x operator intervention (shutdown), 53 resources.
    if (/^(08|57P0|53)/.test(code)) return true;
  }
  return typeof message === 'string' && /Timeout acquiring a connection/.test(message);
}
