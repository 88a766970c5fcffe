import { InvalidArgumentError, UnavailableError } from '@sms/errors';

export class InvalidAdmitRequestError extends InvalidArgumentError {}

/** The frequency limiter (Redis) could not answer: never a silent ALLOW. */
export class FrequencyLimiterUnavailableError extends UnavailableError {
  constructor() {
    super('admission is unavailable: the frequency limiter (Redis) did not answer; retry');
  }
}
