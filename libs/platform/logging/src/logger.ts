import type { DynamicModule } from '@nestjs/common';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { LoggerModule } from 'nestjs-pino';
import pino, { type Logger, type LoggerOptions } from 'pino';
import { maskPhonesDeep, maskPhonesInText } from './mask';

export interface LoggingOptions {
  readonly service: string;
  readonly level: string;
}

/** The active span's ids, so a log line leads to its trace (nothing when tracing is off). */
function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

function pinoOptions(options: LoggingOptions): LoggerOptions {
  return {
    level: options.level,
    mixin: traceFields,
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      // Every structured field goes through the mask, whoever logs it.
      log: (object) => maskPhonesDeep(object) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((arg) => (typeof arg === 'string' ? maskPhonesInText(arg) : arg));
        method.apply(this, masked as Parameters<typeof method>);
      },
    },
  };
}

/** A JSON logger for code outside Nest's container (scripts, bootstrap). */
export function createPinoLogger(
  options: LoggingOptions,
  destination?: pino.DestinationStream,
): Logger {
  return destination ? pino(pinoOptions(options), destination) : pino(pinoOptions(options));
}

/** nestjs-pino module: JSON logs, phone numbers masked, HTTP requests logged without bodies. */
export function createLoggerModule(options: LoggingOptions): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      ...pinoOptions(options),
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
      serializers: {
        req: (req: { method: string; url: string }) => ({
          method: req.method,
          url: maskPhonesInText(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  });
}
