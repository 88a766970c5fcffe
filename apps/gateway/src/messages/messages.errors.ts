import { NotFoundError } from '@sms/errors';

export class MessageNotFoundError extends NotFoundError {
  constructor(messageId: string) {
    super(`message ${messageId} not found`);
  }
}
