import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { API_KEY_ROLES } from '../accounts/api-key-secret';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { ApiErrors, ApiJsonBody, ApiJsonResponse } from '../transport/openapi';
import { ZodValidationPipe } from '../transport/request-validation';
import { SessionAuthenticator } from './session-authenticator';
import { SESSION_COOKIE, sessionCookieOptions } from './session-cookie';
import type { SessionRecord } from './session-store';
import { SessionsService } from './sessions.service';

const signInBody = z
  .strictObject({
    email: z.string().min(1, 'must not be empty').max(254, 'must be at most 254 characters'),
    password: z.string().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters'),
  })
  .meta({ id: 'SignInRequest', description: 'A console user signing in.' });
type SignInBody = z.output<typeof signInBody>;

const sessionJson = z
  .object({
    user: z.object({
      userId: z.string(),
      email: z.string(),
      accountId: z.string(),
      role: z.enum(API_KEY_ROLES),
    }),
    csrfToken: z.string().meta({
      description:
        'Send it as the X-CSRF-Token header on every POST, PUT, PATCH or DELETE made with this session.',
    }),
    expiresAt: z.string().meta({
      format: 'date-time',
      description: 'The absolute end of the session (12 h after sign-in).',
    }),
    idleTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .meta({ description: 'The session ends after this long unused.' }),
  })
  .meta({ id: 'Session', description: 'The signed-in console user and the session.' });
type SessionJson = z.infer<typeof sessionJson>;

/** Sign-in, who-am-I and sign-out of console users (cookie sessions). */
@ApiTags('session')
@Controller('v1/session')
export class SessionsHttpController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly authenticator: SessionAuthenticator,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  private toJson(record: SessionRecord): SessionJson {
    return {
      user: {
        userId: record.userId,
        email: record.email,
        accountId: record.accountId,
        role: record.role,
      },
      csrfToken: record.csrfToken,
      expiresAt: new Date(record.absoluteExpiresAt).toISOString(),
      idleTimeoutSeconds: Math.floor(this.config.SESSION_IDLE_TIMEOUT_MS / 1000),
    };
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Sign in with email and password',
    // The one operation without credentials.
    security: [],
    description:
      'Sets the HttpOnly, SameSite=Strict session cookie `sms_session` (Secure over HTTPS). A wrong password, an unknown email and a disabled user get the same 401; repeated failures per email and per client IP are refused with 429 for a while.',
  })
  @ApiJsonBody(signInBody)
  @ApiJsonResponse(201, sessionJson, 'Signed in; the session cookie is set.')
  @ApiErrors(413)
  async signIn(
    @Body(new ZodValidationPipe(signInBody, 'body')) body: SignInBody,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionJson> {
    const { token, record } = await this.sessions.signIn(
      body.email,
      body.password,
      request.ip ?? request.socket.remoteAddress ?? 'unknown',
    );
    response.cookie(
      SESSION_COOKIE,
      token,
      sessionCookieOptions(request, this.config.SESSION_COOKIE_SECURE),
    );
    response.setHeader('Cache-Control', 'no-store');
    return this.toJson(record);
  }

  @Get()
  @ApiCookieAuth('session')
  @ApiOperation({ summary: 'Who is signed in (and the CSRF token of the session)' })
  @ApiJsonResponse(200, sessionJson, 'The current session.')
  @ApiErrors()
  async current(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionJson> {
    const { record } = await this.authenticator.session(request);
    response.setHeader('Cache-Control', 'no-store');
    return this.toJson(record);
  }

  @Delete()
  @HttpCode(204)
  @ApiCookieAuth('session')
  @ApiHeader({ name: 'X-CSRF-Token', required: true, description: 'The csrfToken of the session.' })
  @ApiOperation({ summary: 'Sign out: ends the session and clears its cookie' })
  @ApiResponse({ status: 204, description: 'Signed out; the cookie is cleared.' })
  @ApiErrors()
  async signOut(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const { token } = await this.authenticator.session(request);
    await this.sessions.signOut(token);
    response.clearCookie(
      SESSION_COOKIE,
      sessionCookieOptions(request, this.config.SESSION_COOKIE_SECURE),
    );
  }
}
