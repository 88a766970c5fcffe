import type { INestApplication } from '@nestjs/common';
import type { GatewayConfig } from './config';
import { jsonBodyParser } from './transport/json-body-parser';
import { setupOpenApi } from './transport/openapi';

/** What the gateway adds to its Nest app before it listens: the body limit and the OpenAPI routes. */
export function configureGatewayApp(app: INestApplication, config: GatewayConfig): void {
  app.use(jsonBodyParser(config.MAX_BODY_BYTES));
  setupOpenApi(app);
}
