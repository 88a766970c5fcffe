import { PermissionDeniedError, ResourceExhaustedError, UnauthenticatedError } from '@sms/errors';
import type { RetryAfter } from '../transport/http-errors';

export class InvalidApiKeyError extends UnauthenticatedError {}

export class WrongRoleError extends PermissionDeniedError {
  constructor(required: string) {
    super(`this endpoint needs an API key with the ${required} role`);
  }
}

export class RateLimitExceededError extends ResourceExhaustedError implements RetryAfter {
  constructor(
    limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      `rate limit of ${limit} requests per minute for this API key exceeded; retry in ${retryAfterSeconds} s`,
    );
  }
}

export class TooManyFailedAuthenticationsError
  extends ResourceExhaustedError
  implements RetryAfter
{
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed authentications from this address; retry in ${retryAfterSeconds} s`);
  }
}
