import { InvalidArgumentError, PermissionDeniedError } from '@sms/errors';

export class InvalidFrequencyLimitsError extends InvalidArgumentError {}

/** Only operators manage the platform default. */
export class PlatformFrequencyLimitsDeniedError extends PermissionDeniedError {
  constructor() {
    super('the platform default frequency limits are managed by operators');
  }
}
