export {
  decodeForLog,
  maskPhone,
  maskPhonesDeep,
  maskPhonesInText,
  maskSensitiveText,
  maskUrl,
} from './mask';
export { createLoggerModule, createPinoLogger, type LoggingOptions } from './logger';
