import type { INestApplication } from '@nestjs/common';
import { METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import type { GatewayConfig } from './config';
import { consoleStatic } from './transport/console-static';
import { httpMetrics } from './transport/http-metrics';
import { jsonBodyParser } from './transport/json-body-parser';
import { setupOpenApi } from './transport/openapi';

/** What the gateway adds to its Nest app before it listens: metrics, the body limit, OpenAPI, the console. */
export function configureGatewayApp(app: INestApplication, config: GatewayConfig): void {
  app.use(httpMetrics(app.get<Registry>(METRICS_REGISTRY)));
  app.use(jsonBodyParser(config.MAX_BODY_BYTES));
  setupOpenApi(app);
  app.use(consoleStatic(config.CONSOLE_DIR));
}
