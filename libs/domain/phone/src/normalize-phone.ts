import { InvalidArgumentError } from '@sms/errors';
import { parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/max';
import { kindOf, type PhoneKind } from './phone-kind';

export class InvalidPhoneNumberError extends InvalidArgumentError {}

export type PhoneResult = { ok: true; e164: string } | { ok: false; problem: string };

/**
 * The one normalisation of phone numbers, used at every edge: international format only
 * (`+` and country code; a bare run of digits is read as international too, as SMS APIs
 * commonly accept `8613800138000`), separators dropped, validated against the full metadata.
 */
export function tryNormalizePhone(input: string): PhoneResult {
  const parsed = parseInternational(input);
  if (!parsed.ok) return parsed;
  if (!parsed.number.isValid()) return NOT_VALID;
  return { ok: true, e164: parsed.number.number };
}

export type PhoneAnalysis =
  ({ ok: true; e164: string } & PhoneKind) | { ok: false; problem: string };

/**
 * tryNormalizePhone and phoneKind in one parse: a number's type decides its validity too (with
 * the full metadata a number is valid exactly when it has a type), so the type is computed once
 * where the two calls parse twice and match the type patterns twice.
 */
export function analysePhone(input: string): PhoneAnalysis {
  const parsed = parseInternational(input);
  if (!parsed.ok) return parsed;
  const type = parsed.number.getType();
  // No type: invalid, unless the country has no type patterns (then validity is asked as usual).
  if (type === undefined && !parsed.number.isValid()) return NOT_VALID;
  const e164 = parsed.number.number;
  return { ok: true, e164, ...kindOf(parsed.number.country ?? '', type ?? 'UNKNOWN') };
}

const NOT_VALID = { ok: false, problem: 'is not a valid number for its country' } as const;

function parseInternational(
  input: string,
): { ok: true; number: PhoneNumber } | { ok: false; problem: string } {
  const trimmed = (input ?? '').trim();
  if (!trimmed) return { ok: false, problem: 'is empty' };
  if (trimmed.length > 32) return { ok: false, problem: 'is too long' };
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) {
    return { ok: false, problem: 'may contain only digits, spaces, ( ) . - and a leading +' };
  }
  const international = trimmed.startsWith('+') ? trimmed : `+${trimmed}`;
  const number = parsePhoneNumberFromString(international);
  if (!number)
    return {
      ok: false,
      problem: 'is not a phone number in international format (+<country code><number>)',
    };
  return { ok: true, number };
}

/** E.164 or an InvalidPhoneNumberError (INVALID_ARGUMENT) naming the field. */
export function normalizePhone(input: string, field = 'phone'): string {
  const result = tryNormalizePhone(input);
  if (result.ok) return result.e164;
  throw new InvalidPhoneNumberError(`${field} "${input}" ${result.problem}`);
}
