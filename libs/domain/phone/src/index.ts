export {
  InvalidPhoneNumberError,
  analysePhone,
  normalizePhone,
  tryNormalizePhone,
  type PhoneAnalysis,
  type PhoneResult,
} from './normalize-phone';
export { phoneKind, type PhoneKind } from './phone-kind';
export { PHONE_CACHE_KEY_OVERHEAD_BYTES, PhoneCache, phoneInputBytes } from './phone-cache';
