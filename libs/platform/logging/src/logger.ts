import type { DynamicModule } from '@nestjs/common';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { LoggerModule } from 'nestjs-pino';
import pino, { type Logger, type LoggerOptions } from 'pino';
import { maskPhonesDeep, maskSensitiveText, maskUrl } from './mask';

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
        const masked = args.map((arg) => (typeof arg === 'string' ? maskSensitiveText(arg) : arg));
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

/** Levels at which the request lines (written at info) are kept. */
const ACCESS_LOG_LEVELS = new Set(['info', 'debug', 'trace']);

/** The parts of an Express request the request log reads. */
interface LoggedRequest {
  readonly method: string;
  readonly url: string;
  readonly originalUrl?: string;
  readonly route?: { readonly path?: unknown };
  readonly baseUrl?: string;
}

/** The route template a request matched (`/v1/messages/:messageId`), never its values. */
function routeTemplate(req: LoggedRequest): string | undefined {
  const path = req.route?.path;
  // `/{*path}` is the catch-all of middleware and of "no such route", not a template.
  return typeof path === 'string' && path !== '/{*path}'
    ? `${req.baseUrl ?? ''}${path}`
    : undefined;
}

/**
 * nestjs-pino module: JSON logs, phone numbers masked, HTTP requests logged without bodies as
 * method, decoded and masked URL, route template, status code and duration (`responseTime`, ms).
 */
export function createLoggerModule(options: LoggingOptions): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      ...pinoOptions(options),
      // Request lines are written at info: at warn and above they would be built, then dropped,
      // on every request (the gateway-rest benchmark runs at warn; bench/README.md).
      autoLogging: ACCESS_LOG_LEVELS.has(options.level)
        ? { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' }
        : false,
      // Called when the request starts (no route yet) and when it ends: only the end counts.
      // Nothing (not `{}`) at the start: pino-http makes a child logger of any object, even empty.
      customProps: (req, res) => {
        const route = res.headersSent ? routeTemplate(req as unknown as LoggedRequest) : undefined;
        return (route === undefined ? undefined : { route }) as Record<string, string>;
      },
      serializers: {
        req: (req: LoggedRequest) => ({
          method: req.method,
          url: maskUrl(req.originalUrl ?? req.url),
        }),
        res: (res: { statusCode: number | null }) => ({ statusCode: res.statusCode }),
      },
    },
  });
}
