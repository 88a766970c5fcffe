import { InvalidArgumentError, NotFoundError } from '@sms/errors';

export class DeliveryNotFoundError extends NotFoundError {}
export class InvalidDeliveryQueryError extends InvalidArgumentError {}
export class TooManyEventsError extends InvalidArgumentError {}
