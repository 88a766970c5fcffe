import { InvalidArgumentError, PermissionDeniedError } from '@sms/errors';

export class InvalidWordRequestError extends InvalidArgumentError {}

/** Only operators manage the platform list. */
export class PlatformWordListDeniedError extends PermissionDeniedError {}
