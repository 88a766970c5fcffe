import { InvalidArgumentError, NotFoundError } from '@sms/errors';

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
