import { status as GrpcStatus } from '@grpc/grpc-js';
import { HttpException } from '@nestjs/common';
import { DomainError, type ErrorCode } from '@sms/errors';

/** The JSON body of every error answer. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
}

export interface HttpErrorAnswer {
  readonly status: number;
  readonly body: ErrorBody;
  readonly headers: Readonly<Record<string, string>>;
  /** 5xx caused by a bug: log the original, show nothing of it. */
  readonly unexpected: boolean;
}

/** A DomainError that tells the client when to come back (rate limit). */
export interface RetryAfter {
  readonly retryAfterSeconds: number;
}

const DOMAIN_STATUS: Record<ErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  FAILED_PRECONDITION: 409,
  RESOURCE_EXHAUSTED: 429,
  UNAVAILABLE: 503,
};

/** gRPC status of a back-end answer → HTTP status and error code; messages pass through for 4xx. */
const GRPC_TO_HTTP: Partial<Record<GrpcStatus, { status: number; error: string }>> = {
  [GrpcStatus.INVALID_ARGUMENT]: { status: 400, error: 'INVALID_ARGUMENT' },
  [GrpcStatus.OUT_OF_RANGE]: { status: 400, error: 'INVALID_ARGUMENT' },
  [GrpcStatus.NOT_FOUND]: { status: 404, error: 'NOT_FOUND' },
  [GrpcStatus.PERMISSION_DENIED]: { status: 403, error: 'PERMISSION_DENIED' },
  [GrpcStatus.ALREADY_EXISTS]: { status: 409, error: 'ALREADY_EXISTS' },
  [GrpcStatus.FAILED_PRECONDITION]: { status: 409, error: 'FAILED_PRECONDITION' },
  [GrpcStatus.ABORTED]: { status: 409, error: 'ABORTED' },
  [GrpcStatus.RESOURCE_EXHAUSTED]: { status: 429, error: 'RESOURCE_EXHAUSTED' },
  [GrpcStatus.UNIMPLEMENTED]: { status: 501, error: 'UNIMPLEMENTED' },
  [GrpcStatus.UNAVAILABLE]: { status: 503, error: 'UNAVAILABLE' },
  [GrpcStatus.CANCELLED]: { status: 503, error: 'UNAVAILABLE' },
  [GrpcStatus.DEADLINE_EXCEEDED]: { status: 504, error: 'DEADLINE_EXCEEDED' },
};

/** Messages of these are the back end's own words about the request; others are hidden. */
const PASS_THROUGH_MESSAGE = new Set([400, 403, 404, 409, 429]);

const HTTP_ERROR_CODE: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RESOURCE_EXHAUSTED',
  503: 'UNAVAILABLE',
};

interface GrpcLikeError {
  code: number;
  details?: string;
  message?: string;
  metadata?: unknown;
}

function isGrpcError(error: unknown): error is GrpcLikeError {
  return (
    error instanceof Error &&
    typeof (error as Partial<GrpcLikeError>).code === 'number' &&
    'metadata' in error
  );
}

/** body-parser / http-errors errors carry `status` and `type`. */
function parserError(error: unknown): { status: number; type: string; message: string } | null {
  if (!(error instanceof Error)) return null;
  const { status, type } = error as Error & { status?: unknown; type?: unknown };
  if (typeof status !== 'number' || typeof type !== 'string') return null;
  return { status, type, message: error.message };
}

function answer(
  status: number,
  error: string,
  message: string,
  unexpected = false,
): HttpErrorAnswer {
  const headers: Record<string, string> = {};
  if (status === 503) headers['Retry-After'] = '1';
  return { status, body: { error, message }, headers, unexpected };
}

/**
 * The one mapping of everything a request can fail with — the gateway's own DomainErrors
 * (validation, auth, rate limit), gRPC errors of the back ends, Nest/Express HTTP errors — to an
 * HTTP status and the `{ error, message }` body.
 */
export function httpErrorFor(exception: unknown, maxBodyBytes: number): HttpErrorAnswer {
  if (exception instanceof DomainError) {
    const result = answer(DOMAIN_STATUS[exception.code], exception.code, exception.message);
    const retry = (exception as Partial<RetryAfter>).retryAfterSeconds;
    if (typeof retry === 'number') {
      return { ...result, headers: { ...result.headers, 'Retry-After': String(retry) } };
    }
    return result;
  }
  if (isGrpcError(exception)) {
    const mapped = GRPC_TO_HTTP[exception.code as GrpcStatus];
    if (!mapped) return answer(500, 'INTERNAL', 'internal error', true);
    const detail = exception.details || exception.message || '';
    const message = PASS_THROUGH_MESSAGE.has(mapped.status)
      ? detail
      : mapped.status === 504
        ? 'a back-end service did not answer in time'
        : mapped.status === 501
          ? 'this operation is not available yet'
          : 'a back-end service is unavailable; retry shortly';
    const result = answer(mapped.status, mapped.error, message);
    if (mapped.status === 429) return { ...result, headers: { 'Retry-After': '1' } };
    return result;
  }
  const parser = parserError(exception);
  if (parser) {
    if (parser.type === 'entity.too.large') {
      return answer(413, 'PAYLOAD_TOO_LARGE', `request body must be at most ${maxBodyBytes} bytes`);
    }
    if (parser.type === 'entity.parse.failed') {
      return answer(400, 'INVALID_ARGUMENT', 'request body is not valid JSON');
    }
    if (parser.status >= 400 && parser.status < 500) {
      return answer(
        parser.status,
        HTTP_ERROR_CODE[parser.status] ?? 'INVALID_ARGUMENT',
        parser.message,
      );
    }
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === 404 || status === 405) {
      return answer(404, 'NOT_FOUND', 'no such endpoint; see /openapi.json');
    }
    if (status < 500) {
      return answer(status, HTTP_ERROR_CODE[status] ?? 'INVALID_ARGUMENT', exception.message);
    }
  }
  return answer(500, 'INTERNAL', 'internal error', true);
}
