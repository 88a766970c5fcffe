// Phone numbers are personal data: logs keep the last two to four digits only, enough for support
// to correlate a complaint with a line, not enough to identify anyone.
//
// One function, `maskSensitiveText`, decides what a phone number looks like in any text a log
// line carries: decoded or still percent-encoded URLs, query strings, bodies, error messages.

/** Digits a phone number has at least / at most (E.164 allows 15; national forms are shorter). */
const MIN_PHONE_DIGITS = 8;
const MAX_PHONE_DIGITS = 15;

// Between two digits of one number: spaces, dots, dashes, brackets, '+' (a space in a query
// string), slashes excluded (dates), or their percent-encodings (%20 %2B %28 %29 %2D %2E).
const SEPARATOR = String.raw`(?:[\s().+\-]|%2[0BbDdEe89])`;
const PHONE = String.raw`(?:\+|%2[Bb]|\()?\(?\d(?:${SEPARATOR}{0,3}\d){${MIN_PHONE_DIGITS - 1},${MAX_PHONE_DIGITS + 4}}\)?`;

// Kept as they are, tried before PHONE at the same position: UUIDs, ISO dates and times,
// IPv4 addresses, and identifiers (a digit run glued to letters or '_': p20261203, acc_123).
const UUID = String.raw`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`;
const ISO_DATE = String.raw`\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?!\d)`;
const IPV4 = String.raw`\d{1,3}(?:\.\d{1,3}){3}(?![.\d])`;
const IDENTIFIER = String.raw`[A-Za-z_][A-Za-z0-9_]*`;
const TOKEN = new RegExp(
  `(${UUID})|(${ISO_DATE})|(${IPV4})|(${IDENTIFIER})|(?<![0-9])(${PHONE})(?![0-9A-Za-z_])`,
  'g',
);

/** A compact date (20261203) is 8 digits too; it is a date when month and day are real. */
function isCompactDate(digits: string): boolean {
  if (digits.length !== 8 || !/^(19|20)\d{6}$/.test(digits)) return false;
  const month = Number(digits.slice(4, 6));
  const day = Number(digits.slice(6, 8));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

function digitsOf(text: string): string {
  // Percent-encodings first: the 2 of %20 is not a digit of the number.
  return text.replace(/%[0-9A-Fa-f]{2}/g, ' ').replace(/\D/g, '');
}

/** The masked form of one phone number: stars, then the last 2 (short) to 4 (long) digits. */
export function maskPhone(phone: string): string {
  const digits = digitsOf(phone);
  if (digits.length < MIN_PHONE_DIGITS - 1) return phone;
  const keep = digits.length >= 11 ? 4 : 2;
  const plus = /^\s*(\+|%2B)/i.test(phone) ? '+' : '';
  return `${plus}${'*'.repeat(digits.length - keep)}${digits.slice(-keep)}`;
}

/**
 * Masks every phone-number-shaped run of digits in text, whatever separates its digits
 * (spaces, dots, dashes, brackets, '+', %20 ...), leaving dates, UUIDs, addresses, identifiers
 * and short counts alone.
 */
export function maskSensitiveText(text: string): string {
  if (!/\d/.test(text)) return text;
  return text.replace(TOKEN, (match, _uuid, _date, _ip, _id, phone: string | undefined) => {
    if (phone === undefined) return match;
    const digits = digitsOf(phone);
    if (digits.length < MIN_PHONE_DIGITS || digits.length > MAX_PHONE_DIGITS) return match;
    if (isCompactDate(digits)) return match;
    return maskPhone(phone);
  });
}

/** Kept for callers of the earlier name. */
export const maskPhonesInText = maskSensitiveText;

/** Percent-decodes a URL for the log (where it can), so `%2B86%20139...` is seen as a number. */
export function decodeForLog(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/** A URL (path and query) as it may be logged: decoded, then masked. */
export function maskUrl(url: string): string {
  return maskSensitiveText(decodeForLog(url));
}

const PHONE_KEYS = /phone|recipient|msisdn|number/i;

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Copies a log object, masking phone-like strings in every string value, phone-named fields in
 * full, and errors' messages and stacks. Only plain objects, arrays and errors are copied: other
 * instances (requests, responses) are left to their serializers, which mask their own fields.
 */
export function maskPhonesDeep(value: unknown, depth = 0): unknown {
  if (depth > 8) return value;
  if (typeof value === 'string') return maskSensitiveText(value);
  if (Array.isArray(value)) return value.map((item) => maskPhonesDeep(item, depth + 1));
  if (value instanceof Error) {
    // Same class (serializers name it), masked message, stack and fields; `cause` recursed.
    const copy = Object.create(Object.getPrototypeOf(value) as object) as Error;
    for (const [key, item] of Object.entries(value)) {
      (copy as unknown as Record<string, unknown>)[key] = maskPhonesDeep(item, depth + 1);
    }
    Object.defineProperty(copy, 'message', { value: maskSensitiveText(value.message) });
    Object.defineProperty(copy, 'stack', {
      value: value.stack === undefined ? undefined : maskSensitiveText(value.stack),
    });
    if (value.cause !== undefined) {
      Object.defineProperty(copy, 'cause', { value: maskPhonesDeep(value.cause, depth + 1) });
    }
    return copy;
  }
  if (value && typeof value === 'object' && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        typeof item === 'string' && PHONE_KEYS.test(key) && digitsOf(item).length >= 7
          ? maskPhone(item)
          : maskPhonesDeep(item, depth + 1);
    }
    return out;
  }
  return value;
}
