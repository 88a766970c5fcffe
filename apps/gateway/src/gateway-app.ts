import type { INestApplication } from '@nestjs/common';
import { METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import type { GatewayConfig } from './config';
import { consoleStatic } from './transport/console-static';
import { httpMetrics } from './transport/http-metrics';
import helmet from 'helmet';
import { jsonBodyParser, jsonOnlyGate } from './transport/json-body-parser';
import { setupOpenApi } from './transport/openapi';

/**
 * What the gateway adds to its Nest app before it listens: security headers (no X-Powered-By),
 * metrics, JSON-only bodies under the limit, OpenAPI, the console.
 */
export function configureGatewayApp(app: INestApplication, config: GatewayConfig): void {
  const express = app.getHttpAdapter().getInstance() as { disable(setting: string): void };
  express.disable('x-powered-by');
  app.use(helmet());
  app.use(httpMetrics(app.get<Registry>(METRICS_REGISTRY)));
  app.use(jsonOnlyGate(config.MAX_BODY_BYTES));
  app.use(jsonBodyParser(config.MAX_BODY_BYTES));
  setupOpenApi(app);
  app.use(consoleStatic(config.CONSOLE_DIR));
}
