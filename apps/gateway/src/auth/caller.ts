import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { ApiKeyRole } from '../accounts/api-key-secret';

/** Who is calling: always taken from the verified API key or session, never from the request. */
export interface Caller {
  /** The API key's id; for a console session, the user's id (the rate-limit subject). */
  readonly keyId: string;
  /** Set when the caller signed in with a console session (sessions/). */
  readonly userId?: string;
  readonly accountId: string;
  readonly role: ApiKeyRole;
}

export type AuthenticatedRequest = Request & { caller?: Caller };

/** The verified caller of a guarded endpoint. */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const caller = context.switchToHttp().getRequest<AuthenticatedRequest>().caller;
  // The guard runs first on every route using this; reaching here without it is a wiring bug.
  if (!caller) throw new Error('CurrentCaller used on a route without the API key guard');
  return caller;
});
