import { Catch, Inject, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { httpErrorFor } from './http-errors';

/** The gateway's one exception filter: every error of every request ends here as JSON. */
@Catch()
export class HttpTransportErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const answer = httpErrorFor(exception, this.config.MAX_BODY_BYTES);
    if (answer.unexpected) {
      this.logger.error(exception instanceof Error ? exception : String(exception));
    }
    if (response.headersSent) return;
    response.status(answer.status).set(answer.headers).json(answer.body);
  }
}
