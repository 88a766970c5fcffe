import {
  applyDecorators,
  Injectable,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBasicAuth, ApiBearerAuth, ApiCookieAuth } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ApiKeyRole } from '../accounts/api-key-secret';
import { ApiKeyVerifier } from './api-key-verifier';
import { InvalidApiKeyError, RateLimitExceededError, WrongRoleError } from './auth.errors';
import type { AuthenticatedRequest } from './caller';
import { parseAuthorization } from './credentials';
import { RateLimiter } from './rate-limiter';
import { SessionAuthenticator } from '../sessions/session-authenticator';

const REQUIRED_ROLE = Symbol('REQUIRED_ROLE');

/**
 * Authenticates the API key, checks its role, then takes one request from the key's rate limit
 * — all before any parameter is read or any back end is called.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: ApiKeyVerifier,
    private readonly rateLimiter: RateLimiter,
    private readonly sessions: SessionAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const required = this.reflector.getAllAndOverride<ApiKeyRole | undefined>(REQUIRED_ROLE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required) throw new Error('ApiKeyGuard needs @Authenticated(role) on the route');

    // A console session is the second credential path: same role, tenancy and rate rules.
    const caller = this.sessions.presentsSession(request)
      ? await this.sessions.authenticate(request)
      : await this.apiKeyCaller(request, response);
    if (caller.role !== required) throw new WrongRoleError(required);

    const decision = await this.rateLimiter.take(caller.keyId);
    response.setHeader('RateLimit-Limit', String(decision.limit));
    response.setHeader('RateLimit-Remaining', String(decision.remaining));
    response.setHeader('RateLimit-Reset', String(decision.resetSeconds));
    if (!decision.allowed) throw new RateLimitExceededError(decision.limit, decision.resetSeconds);

    request.caller = caller;
    return true;
  }

  private async apiKeyCaller(request: AuthenticatedRequest, response: Response) {
    const parsed = parseAuthorization(request.headers.authorization);
    if (!parsed.ok) {
      response.setHeader('WWW-Authenticate', 'Basic realm="sms", Bearer realm="sms"');
      throw new InvalidApiKeyError(parsed.problem);
    }
    return this.verifier.verify(parsed.credentials).catch((error: unknown) => {
      response.setHeader('WWW-Authenticate', 'Basic realm="sms", Bearer realm="sms"');
      throw error;
    });
  }
}

/** Every route of the class (or the route) needs an API key, or a console session, of this role. */
export function Authenticated(role: ApiKeyRole): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_ROLE, role),
    UseGuards(ApiKeyGuard),
    ApiBasicAuth('basic'),
    ApiBearerAuth('bearer'),
    ApiCookieAuth('session'),
  );
}
