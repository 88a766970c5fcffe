export { currentTraceCarrier, runInJobSpan, type TraceCarrier } from './job-context';
export { shutdownTracing, startTracing, tracingConfigSchema, type TracingConfig } from './tracing';
