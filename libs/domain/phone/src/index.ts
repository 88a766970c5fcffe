export {
  InvalidPhoneNumberError,
  analysePhone,
  normalizePhone,
  tryNormalizePhone,
  type PhoneAnalysis,
  type PhoneResult,
} from './normalize-phone';
export { phoneKind, type PhoneKind } from './phone-kind';
export { PhoneCache, phoneInputBytes } from './phone-cache';
