import { InvalidArgumentError, UnavailableError } from '@sms/errors';

export class InvalidCheckRequestError extends InvalidArgumentError {}

/** Neither Redis nor PostgreSQL answered: a check never falls back to ALLOW. */
export class BlockListUnavailableError extends UnavailableError {
  constructor() {
    super(
      'the block list is unavailable (Redis and PostgreSQL did not answer); do not send, retry later',
    );
  }
}
