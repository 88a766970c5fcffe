import { InvalidArgumentError, NotFoundError } from '@sms/errors';

export class TooManyEventsError extends InvalidArgumentError {}
export class TooManyLookupsError extends InvalidArgumentError {}
export class InvalidMessageQueryError extends InvalidArgumentError {}
export class MessageNotFoundError extends NotFoundError {}
