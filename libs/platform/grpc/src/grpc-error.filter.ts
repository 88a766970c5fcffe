import { Catch, Logger, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { status } from '@grpc/grpc-js';
import { DomainError, type ErrorCode } from '@sms/errors';
import { throwError, type Observable } from 'rxjs';

const GRPC_STATUS: Record<ErrorCode, status> = {
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  NOT_FOUND: status.NOT_FOUND,
  ALREADY_EXISTS: status.ALREADY_EXISTS,
  PERMISSION_DENIED: status.PERMISSION_DENIED,
  FAILED_PRECONDITION: status.FAILED_PRECONDITION,
  RESOURCE_EXHAUSTED: status.RESOURCE_EXHAUSTED,
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  UNAVAILABLE: status.UNAVAILABLE,
};

export function grpcStatusFor(code: ErrorCode): status {
  return GRPC_STATUS[code];
}

/**
 * The one place a service maps errors to gRPC status codes. Domain errors keep their message;
 * anything else is a bug, logged, and answered INTERNAL without leaking internals. The same
 * global filter sees the service's few HTTP routes (/healthz, /metrics): Nest's default there.
 */
@Catch()
export class GrpcDomainErrorFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('GrpcErrors');

  override catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() !== 'rpc') return super.catch(exception, host);
    if (exception instanceof DomainError) {
      return throwError(() => ({ code: GRPC_STATUS[exception.code], message: exception.message }));
    }
    this.logger.error(exception instanceof Error ? exception : String(exception));
    return throwError(() => ({ code: status.INTERNAL, message: 'internal error' }));
  }
}
