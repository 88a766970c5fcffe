import {
  PermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  UnavailableError,
} from '@sms/errors';
import type { RetryAfter } from '../transport/http-errors';

/** The same answer for an unknown email, a wrong password and a disabled user. */
export class SignInFailedError extends UnauthenticatedError {
  constructor() {
    super('email or password is wrong');
  }
}

export class NoSessionError extends UnauthenticatedError {
  constructor() {
    super('not signed in, or the session has ended: sign in again (POST /v1/session)');
  }
}

export class CsrfTokenError extends PermissionDeniedError {
  constructor() {
    super(
      'a request made with a session that changes something needs the X-CSRF-Token header (the csrfToken of POST or GET /v1/session)',
    );
  }
}

export class SignInRateLimitedError extends ResourceExhaustedError implements RetryAfter {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed sign-ins; retry in ${retryAfterSeconds} s`);
  }
}

export class SessionStoreUnavailableError extends UnavailableError {
  constructor() {
    super('the session store is unavailable; retry shortly');
  }
}
