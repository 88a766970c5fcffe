import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '@sms/errors';

export class InvalidEndpointError extends InvalidArgumentError {}
/** Also what another account's endpoint looks like: tenants never learn of each other. */
export class EndpointNotFoundError extends NotFoundError {}
export class TooManyEndpointsError extends FailedPreconditionError {}
