export {
  InvalidPhoneNumberError,
  normalizePhone,
  tryNormalizePhone,
  type PhoneResult,
} from './normalize-phone';
