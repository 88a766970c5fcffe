import { AlreadyExistsError, InvalidArgumentError, NotFoundError } from '@sms/errors';

export class InvalidUserInputError extends InvalidArgumentError {}

export class UserNotFoundError extends NotFoundError {
  constructor(userIdOrEmail: string) {
    super(`user ${userIdOrEmail} does not exist`);
  }
}

export class EmailTakenError extends AlreadyExistsError {
  constructor(email: string) {
    super(`a user with email ${email} already exists`);
  }
}
