import type { Instrumentation } from '@opentelemetry/instrumentation';
import { z } from 'zod';

/** The standard OpenTelemetry variable; unset means no tracing at all. */
export const tracingConfigSchema = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://otel-collector:4318' })
    .optional(),
});
export type TracingConfig = z.infer<typeof tracingConfigSchema>;

// Health and scrape requests would be most of the spans and say nothing.
const UNTRACED_PATHS = new Set(['/healthz', '/livez', '/readyz', '/metrics']);

let shutdown: (() => Promise<void>) | undefined;

/**
 * Starts tracing for one service process when an OTLP endpoint is configured: spans of incoming
 * and outgoing HTTP and gRPC calls, Nest handlers, Redis and PostgreSQL commands, exported in
 * batches over OTLP/HTTP. Must run before those modules are loaded (each app's `instrument.ts`,
 * imported first by its `main.ts`). Without an endpoint nothing is loaded or patched.
 */
export function startTracing(service: string, config: TracingConfig): boolean {
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || shutdown) return shutdown !== undefined;
  // Loaded here, not at the top, so a process without tracing never loads the SDK.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeTracerProvider, BatchSpanProcessor } =
    require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } =
    require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { registerInstrumentations } =
    require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const instrumentations: Instrumentation[] = [
    new (
      require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http')
    ).HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0]),
      // The OTLP exporter's own requests would trace themselves.
      ignoreOutgoingRequestHook: (request) => String(request.path ?? '').startsWith('/v1/traces'),
    }),
    new (
      require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express')
    ).ExpressInstrumentation(),
    new (
      require('@opentelemetry/instrumentation-nestjs-core') as typeof import('@opentelemetry/instrumentation-nestjs-core')
    ).NestInstrumentation(),
    new (
      require('@opentelemetry/instrumentation-grpc') as typeof import('@opentelemetry/instrumentation-grpc')
    ).GrpcInstrumentation(),
    new (
      require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis')
    ).IORedisInstrumentation(),
    new (
      require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg')
    ).PgInstrumentation(),
  ];
  /* eslint-enable @typescript-eslint/no-require-imports */

  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [
      new BatchSpanProcessor(
        new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }),
        { scheduledDelayMillis: 1000 },
      ),
    ],
  });
  // Global tracer provider, AsyncLocalStorage context and W3C trace-context propagation.
  provider.register();
  registerInstrumentations({ instrumentations });
  shutdown = () => provider.shutdown();
  return true;
}

/** Exports what is still buffered; called by the runtime before the process exits. */
export async function shutdownTracing(): Promise<void> {
  await shutdown?.();
}
