// Imported first by main.ts: tracing must patch http, gRPC, Redis and PostgreSQL before they load.
import { exitOnConfigError, loadConfig } from '@sms/platform-config';
import { startTracing, tracingConfigSchema } from '@sms/platform-tracing';

startTracing(
  'webhook-dispatcher',
  exitOnConfigError(() => loadConfig('webhook-dispatcher', tracingConfigSchema, process.env)),
);
