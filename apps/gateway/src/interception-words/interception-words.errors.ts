import { NotFoundError } from '@sms/errors';

export class WordNotFoundError extends NotFoundError {
  constructor(wordId: string) {
    super(`interception word ${wordId} not found on this list`);
  }
}
