import { context, propagation, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { currentTraceCarrier, runInJobSpan } from './job-context';
import { startTracing, tracingConfigSchema } from './tracing';

describe('tracing', () => {
  it('is off, and loads no SDK, without an OTLP endpoint', () => {
    expect(startTracing('test', tracingConfigSchema.parse({}))).toBe(false);
    expect(Object.keys(require.cache).some((file) => file.includes('exporter-trace-otlp'))).toBe(
      false,
    );
  });

  it('refuses an endpoint that is not a URL', () => {
    expect(
      tracingConfigSchema.safeParse({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }).success,
    ).toBe(false);
  });

  describe('job context', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });

    beforeAll(() => provider.register());
    afterAll(async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    });

    it('continues the enqueuing request’s trace in the job, and records its failure', async () => {
      const tracer = trace.getTracer('test');
      const { carrier, traceId } = tracer.startActiveSpan('request', (span) => {
        const result = { carrier: currentTraceCarrier(), traceId: span.spanContext().traceId };
        span.end();
        return result;
      });
      expect(carrier['traceparent']).toContain(traceId);

      await expect(
        runInJobSpan('outbox job', carrier, () => Promise.reject(new Error('peer down'))),
      ).rejects.toThrow('peer down');
      const job = exporter.getFinishedSpans().find((span) => span.name === 'outbox job');
      expect(job?.spanContext().traceId).toBe(traceId);
      expect(job?.status.code).toBe(2); // ERROR
    });

    it('starts a new trace for a job enqueued without one', async () => {
      await runInJobSpan('lone job', {}, () => Promise.resolve());
      const job = exporter.getFinishedSpans().find((span) => span.name === 'lone job');
      expect(job?.parentSpanContext).toBeUndefined();
    });
  });
});
