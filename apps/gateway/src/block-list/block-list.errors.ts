import { NotFoundError, PermissionDeniedError } from '@sms/errors';

export class EntryNotFoundError extends NotFoundError {
  constructor(entryId: string) {
    super(`block-list entry ${entryId} not found`);
  }
}

export class EntryOwnedByOtherError extends PermissionDeniedError {
  constructor(entryId: string) {
    super(
      `block-list entry ${entryId} was not created by your account, so you cannot delete it; please contact customer service to have it removed`,
    );
  }
}
