import { phoneKind, PhoneCache, tryNormalizePhone, type PhoneKind } from '@sms/domain-phone';

export type AdmissionPhone =
  | ({ readonly ok: true; readonly e164: string } & PhoneKind)
  | { readonly ok: false; readonly problem: string };

/**
 * Phone numbers as admission needs them (E.164, country, whether SMS can reach them), memoised
 * in the shared byte-bounded PhoneCache: parsing against the full metadata costs tens of µs a
 * number, which would dominate a batch. Failures are kept too (a sender repeating a bad number
 * should not cost a parse each time). Its budget is CHECK_PHONE_CACHE_BYTES, a budget of its own
 * beside the send path's cache of the same size.
 */
export type AdmissionPhones = PhoneCache<AdmissionPhone>;

export function createAdmissionPhones(maxBytes: number): AdmissionPhones {
  return new PhoneCache<AdmissionPhone>(maxBytes, admissionPhoneBytes);
}

export function resolveAdmissionPhone(input: string): AdmissionPhone {
  const normalized = tryNormalizePhone(input);
  return normalized.ok
    ? { ok: true, e164: normalized.e164, ...phoneKind(normalized.e164) }
    : normalized;
}

/**
 * A value's heap beyond its key: the answer object (~72 bytes with its fields) and the E.164 or
 * the problem text; country and type strings are shared constants of libphonenumber.
 */
function admissionPhoneBytes(phone: AdmissionPhone): number {
  return 72 + (phone.ok ? phone.e164.length : phone.problem.length);
}
