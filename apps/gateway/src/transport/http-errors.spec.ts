import { Metadata, status } from '@grpc/grpc-js';
import { NotFoundException } from '@nestjs/common';
import {
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  UnauthenticatedError,
  UnavailableError,
} from '@sms/errors';
import { RateLimitExceededError } from '../auth/auth.errors';
import { httpErrorFor } from './http-errors';

function grpcError(code: status, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), {
    code,
    details,
    metadata: new Metadata(),
  });
}

describe('httpErrorFor (the one error mapping)', () => {
  it.each([
    [new InvalidArgumentError('x: bad'), 400, 'INVALID_ARGUMENT', 'x: bad'],
    [new UnauthenticatedError('no key'), 401, 'UNAUTHENTICATED', 'no key'],
    [new PermissionDeniedError('role'), 403, 'PERMISSION_DENIED', 'role'],
    [new NotFoundError('gone'), 404, 'NOT_FOUND', 'gone'],
    [new FailedPreconditionError('state'), 409, 'FAILED_PRECONDITION', 'state'],
    [new UnavailableError('down'), 503, 'UNAVAILABLE', 'down'],
  ])('maps the domain error %p', (error, httpStatus, code, message) => {
    expect(httpErrorFor(error, 16384)).toMatchObject({
      status: httpStatus,
      body: { error: code, message },
      unexpected: false,
    });
  });

  it('adds Retry-After to a rate-limit error', () => {
    expect(httpErrorFor(new RateLimitExceededError(600, 17), 16384)).toMatchObject({
      status: 429,
      body: { error: 'RESOURCE_EXHAUSTED' },
      headers: { 'Retry-After': '17' },
    });
  });

  it.each([
    [status.INVALID_ARGUMENT, 400, 'INVALID_ARGUMENT', 'page_token: tampered'],
    [status.OUT_OF_RANGE, 400, 'INVALID_ARGUMENT', 'page_token: tampered'],
    [status.NOT_FOUND, 404, 'NOT_FOUND', 'page_token: tampered'],
    [status.PERMISSION_DENIED, 403, 'PERMISSION_DENIED', 'page_token: tampered'],
    [status.ALREADY_EXISTS, 409, 'ALREADY_EXISTS', 'page_token: tampered'],
    [status.FAILED_PRECONDITION, 409, 'FAILED_PRECONDITION', 'page_token: tampered'],
    [status.ABORTED, 409, 'ABORTED', 'page_token: tampered'],
    [status.RESOURCE_EXHAUSTED, 429, 'RESOURCE_EXHAUSTED', 'page_token: tampered'],
    [status.UNIMPLEMENTED, 501, 'UNIMPLEMENTED', 'this operation is not available yet'],
    [status.UNAVAILABLE, 503, 'UNAVAILABLE', 'a back-end service is unavailable; retry shortly'],
    [status.CANCELLED, 503, 'UNAVAILABLE', 'a back-end service is unavailable; retry shortly'],
    [
      status.DEADLINE_EXCEEDED,
      504,
      'DEADLINE_EXCEEDED',
      'a back-end service did not answer in time',
    ],
    [status.INTERNAL, 500, 'INTERNAL', 'internal error'],
    [status.UNKNOWN, 500, 'INTERNAL', 'internal error'],
    [status.DATA_LOSS, 500, 'INTERNAL', 'internal error'],
    [status.UNAUTHENTICATED, 500, 'INTERNAL', 'internal error'],
  ])('maps gRPC status %i to HTTP %i', (code, httpStatus, error, message) => {
    const answer = httpErrorFor(grpcError(code, 'page_token: tampered'), 16384);
    expect(answer).toMatchObject({ status: httpStatus, body: { error, message } });
    expect(answer.unexpected).toBe(httpStatus === 500);
  });

  it('maps body-parser errors and unknown routes', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      type: 'entity.too.large',
    });
    expect(httpErrorFor(tooLarge, 1000)).toMatchObject({
      status: 413,
      body: { error: 'PAYLOAD_TOO_LARGE', message: 'request body must be at most 1000 bytes' },
    });
    const malformed = Object.assign(new SyntaxError('Unexpected end'), {
      status: 400,
      type: 'entity.parse.failed',
    });
    expect(httpErrorFor(malformed, 1000)).toMatchObject({
      status: 400,
      body: { error: 'INVALID_ARGUMENT' },
    });
    expect(httpErrorFor(new NotFoundException('Cannot GET /x'), 1000)).toMatchObject({
      status: 404,
      body: { error: 'NOT_FOUND' },
    });
  });

  it('hides anything unexpected behind INTERNAL', () => {
    expect(httpErrorFor(new TypeError('secret internals'), 1000)).toEqual({
      status: 500,
      body: { error: 'INTERNAL', message: 'internal error' },
      headers: {},
      unexpected: true,
    });
  });
});
