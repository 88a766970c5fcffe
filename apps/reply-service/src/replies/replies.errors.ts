import { InvalidArgumentError } from '@sms/errors';

/** More replies in one RecordReplies call than the contract allows: the whole call is refused. */
export class ReplyBatchTooLargeError extends InvalidArgumentError {}

/** A ListReplies request that cannot be answered as asked (scope, filters, period, page). */
export class InvalidReplyQueryError extends InvalidArgumentError {}
