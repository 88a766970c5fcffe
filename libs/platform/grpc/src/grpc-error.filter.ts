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
  override catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() !== 'rpc') return super.catch(exception, host);
    const answer = grpcErrorFor(exception);
    return throwError(() => answer);
  }
}

const logger = new Logger('GrpcErrors');

/**
 * The status a gRPC call answers an error with: a domain error's code and message; anything
 * else (a bug) is logged and answered INTERNAL without its internals. Used by the filter and by
 * the direct methods (direct-grpc.ts).
 */
export function grpcErrorFor(exception: unknown): { code: status; message: string } {
  if (exception instanceof DomainError) {
    return { code: GRPC_STATUS[exception.code], message: exception.message };
  }
  logger.error(exception instanceof Error ? exception : String(exception));
  return { code: status.INTERNAL, message: 'internal error' };
}
