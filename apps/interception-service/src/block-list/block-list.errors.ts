import {
  AlreadyExistsError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
} from '@sms/errors';

export class InvalidEntryRequestError extends InvalidArgumentError {}

export class EntryNotFoundError extends NotFoundError {
  constructor(entryId: string) {
    super(`entry ${entryId} not found`);
  }
}

export class NotEntryOwnerError extends PermissionDeniedError {
  constructor() {
    super('This entry belongs to another customer; please contact customer service to remove it.');
  }
}

export class GlobalEntryRequiresOperatorError extends PermissionDeniedError {
  constructor() {
    super(
      'only operators may add GLOBAL entries; customers add LOCAL entries for their own account',
    );
  }
}

export class ActiveEntryExistsError extends AlreadyExistsError {
  constructor(entryId: string, scope: string) {
    super(`an ACTIVE ${scope} entry (${entryId}) already blocks this number; delete it first`);
  }
}

export class EntryNotActiveError extends FailedPreconditionError {
  constructor(entryId: string, state: string) {
    super(`entry ${entryId} is ${state}; only ACTIVE entries can be deleted`);
  }
}
