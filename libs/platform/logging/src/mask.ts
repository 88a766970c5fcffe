// Phone numbers are personal data: logs keep the country prefix and the last two digits only,
// enough to correlate, not enough to identify.

const PHONE_IN_TEXT = /\+?\d[\d\s().-]{6,18}\d/g;
const PHONE_KEYS = /phone|recipient|msisdn|number/i;

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return phone;
  const plus = phone.trimStart().startsWith('+') ? '+' : '';
  return `${plus}${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
}

/** Masks anything in free text that looks like a phone number (7..20 digits). */
export function maskPhonesInText(text: string): string {
  return text.replace(PHONE_IN_TEXT, (match) =>
    match.replace(/\D/g, '').length >= 7 ? maskPhone(match) : match,
  );
}

/** Copies a log object, masking phone-like strings in phone-named fields and in all text. */
export function maskPhonesDeep(value: unknown, depth = 0): unknown {
  if (depth > 6) return value;
  if (typeof value === 'string') return maskPhonesInText(value);
  if (Array.isArray(value)) return value.map((item) => maskPhonesDeep(item, depth + 1));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    if (value instanceof Error) {
      return { type: value.name, message: maskPhonesInText(value.message), stack: value.stack };
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        typeof item === 'string' && PHONE_KEYS.test(key)
          ? maskPhone(item)
          : maskPhonesDeep(item, depth + 1);
    }
    return out;
  }
  return value;
}
