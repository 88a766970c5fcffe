import {
  AlreadyExistsError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
} from '@sms/errors';

export class AccountNotFoundError extends NotFoundError {
  constructor(accountId: string) {
    super(`account ${accountId} does not exist`);
  }
}

export class ApiKeyNotFoundError extends NotFoundError {
  constructor(keyId: string) {
    super(`API key ${keyId} does not exist`);
  }
}

export class InvalidAccountInputError extends InvalidArgumentError {}

export class AccountNameTakenError extends AlreadyExistsError {
  constructor(name: string, existingId: string) {
    super(`an account named "${name}" already exists (${existingId})`);
  }
}

export class ApiKeyRevokedError extends FailedPreconditionError {
  constructor(keyId: string) {
    super(`API key ${keyId} is already revoked`);
  }
}
