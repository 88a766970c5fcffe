export { maskPhone, maskPhonesDeep, maskPhonesInText } from './mask';
export { createLoggerModule, createPinoLogger, type LoggingOptions } from './logger';
