/**
 * Transport-neutral error codes. They are named after the gRPC status codes they map to, so the
 * gRPC filter (services) and the HTTP filter (gateway) can map them in one table each.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'PERMISSION_DENIED'
  | 'FAILED_PRECONDITION'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAUTHENTICATED'
  | 'UNAVAILABLE';

/** Base of every error a use case throws on purpose. Anything else is a bug (INTERNAL). */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidArgumentError extends DomainError {
  readonly code = 'INVALID_ARGUMENT';
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
}

export class AlreadyExistsError extends DomainError {
  readonly code = 'ALREADY_EXISTS';
}

export class PermissionDeniedError extends DomainError {
  readonly code = 'PERMISSION_DENIED';
}

export class FailedPreconditionError extends DomainError {
  readonly code = 'FAILED_PRECONDITION';
}

export class ResourceExhaustedError extends DomainError {
  readonly code = 'RESOURCE_EXHAUSTED';
}

export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED';
}

export class UnavailableError extends DomainError {
  readonly code = 'UNAVAILABLE';
}
