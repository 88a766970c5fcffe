import { InvalidArgumentError } from '@sms/errors';

export class InvalidUnsubscribeRequestError extends InvalidArgumentError {}
