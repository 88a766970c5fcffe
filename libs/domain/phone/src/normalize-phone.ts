import { InvalidArgumentError } from '@sms/errors';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export class InvalidPhoneNumberError extends InvalidArgumentError {}

export type PhoneResult = { ok: true; e164: string } | { ok: false; problem: string };

/**
 * The one normalisation of phone numbers, used at every edge: international format only
 * (`+` and country code; a bare run of digits is read as international too, as SMS APIs
 * commonly accept `8613800138000`), separators dropped, validated against the full metadata.
 */
export function tryNormalizePhone(input: string): PhoneResult {
  const trimmed = (input ?? '').trim();
  if (!trimmed) return { ok: false, problem: 'is empty' };
  if (trimmed.length > 32) return { ok: false, problem: 'is too long' };
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) {
    return { ok: false, problem: 'may contain only digits, spaces, ( ) . - and a leading +' };
  }
  const international = trimmed.startsWith('+') ? trimmed : `+${trimmed}`;
  const parsed = parsePhoneNumberFromString(international);
  if (!parsed)
    return {
      ok: false,
      problem: 'is not a phone number in international format (+<country code><number>)',
    };
  if (!parsed.isValid()) return { ok: false, problem: 'is not a valid number for its country' };
  return { ok: true, e164: parsed.number };
}

/** E.164 or an InvalidPhoneNumberError (INVALID_ARGUMENT) naming the field. */
export function normalizePhone(input: string, field = 'phone'): string {
  const result = tryNormalizePhone(input);
  if (result.ok) return result.e164;
  throw new InvalidPhoneNumberError(`${field} "${input}" ${result.problem}`);
}
