import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export interface PhoneKind {
  /** ISO 3166 alpha-2 region, or '' when the number belongs to no single one. */
  readonly country: string;
  /** False for numbers that cannot receive SMS: fixed lines, toll-free, premium and the like. */
  readonly smsCapable: boolean;
  /** libphonenumber's type, or 'UNKNOWN'. */
  readonly type: string;
}

const NOT_SMS = new Set([
  'FIXED_LINE',
  'TOLL_FREE',
  'PREMIUM_RATE',
  'SHARED_COST',
  'UAN',
  'VOICEMAIL',
]);

/** What kind of number an E.164 number is (full metadata). Unknown types are given the benefit. */
export function phoneKind(e164: string): PhoneKind {
  const parsed = parsePhoneNumberFromString(e164);
  return kindOf(parsed?.country ?? '', parsed?.getType() ?? 'UNKNOWN');
}

export function kindOf(country: string, type: string): PhoneKind {
  return { country, smsCapable: !NOT_SMS.has(type), type };
}
