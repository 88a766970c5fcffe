import { InvalidArgumentError } from '@sms/errors';

export class InvalidFieldError extends InvalidArgumentError {}

const MAX_ID_LENGTH = 128;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A required identifier (account, message, reply id): trimmed, non-empty, bounded. */
export function requireId(value: string, field: string): string {
  const trimmed = (value ?? '').trim();
  if (!trimmed) throw new InvalidFieldError(`${field} is required`);
  if (trimmed.length > MAX_ID_LENGTH) {
    throw new InvalidFieldError(`${field} must be at most ${MAX_ID_LENGTH} characters`);
  }
  return trimmed;
}

export function optionalText(value: string, field: string, maxLength: number): string {
  const trimmed = (value ?? '').trim();
  if (trimmed.length > maxLength) {
    throw new InvalidFieldError(`${field} must be at most ${maxLength} characters`);
  }
  return trimmed;
}

export function requireUuid(value: string, field: string): string {
  const trimmed = (value ?? '').trim();
  if (!UUID.test(trimmed)) throw new InvalidFieldError(`${field} must be a UUID`);
  return trimmed.toLowerCase();
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export function pageSize(value: number): number {
  if (!value) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw new InvalidFieldError(
      `page_size must be 1..${MAX_PAGE_SIZE} (0 for ${DEFAULT_PAGE_SIZE})`,
    );
  }
  return value;
}
