import { InvalidArgumentError } from '@sms/errors';

/** A bad page size or token of the webhook dead-letter list. */
export class InvalidDeadLetterQueryError extends InvalidArgumentError {}
