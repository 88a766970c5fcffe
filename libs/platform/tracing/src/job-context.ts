import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/** W3C trace-context fields of the current span, to store with a queued job. */
export type TraceCarrier = Record<string, string>;

/** The current trace context as job data (empty when tracing is off). */
export function currentTraceCarrier(): TraceCarrier {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/**
 * Runs a job's work in a span that continues the trace of the request that enqueued it, so one
 * trace follows a call through the queue to the peer it finally reaches.
 */
export function runInJobSpan<T>(
  name: string,
  carrier: TraceCarrier | undefined,
  work: () => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(context.active(), carrier ?? {});
  return trace
    .getTracer('sms-jobs')
    .startActiveSpan(name, { kind: SpanKind.CONSUMER }, parent, async (span) => {
      try {
        return await work();
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    });
}
