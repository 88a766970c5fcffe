import { analysePhone, PhoneCache, type PhoneAnalysis } from '@sms/domain-phone';

export type AdmissionPhone = PhoneAnalysis;

/**
 * Phone numbers as admission needs them (E.164, country, whether SMS can reach them), memoised
 * in the shared byte-bounded PhoneCache: parsing against the full metadata costs tens of µs a
 * number, which would dominate a batch. Failures are kept too (a sender repeating a bad number
 * should not cost a parse each time). Budget: ADMISSION_PHONE_CACHE_BYTES.
 */
export type AdmissionPhones = PhoneCache<AdmissionPhone>;

export function createAdmissionPhones(maxBytes: number): AdmissionPhones {
  return new PhoneCache<AdmissionPhone>(maxBytes, admissionPhoneBytes);
}

/** One parse for the E.164 form and the kind; the E.164 string is the input's when they match. */
export function resolveAdmissionPhone(input: string): AdmissionPhone {
  const phone = analysePhone(input);
  return phone.ok && phone.e164 === input ? { ...phone, e164: input } : phone;
}

/**
 * A value's heap beyond its key: the answer object (~80 bytes with its five fields; country and
 * type are libphonenumber's shared strings) and the E.164 string unless it is the input itself.
 */
function admissionPhoneBytes(phone: AdmissionPhone, input: string): number {
  // Problems are constant strings, shared.
  return 80 + (phone.ok && phone.e164 !== input ? 24 + phone.e164.length : 0);
}
