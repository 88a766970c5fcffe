import { Body, Controller, Delete, Get, Inject, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { interceptionV1 } from '@sms/contracts';
import { Authenticated } from '../auth/api-key.guard';
import { CurrentCaller, type Caller } from '../auth/caller';
import { INTERCEPTION_CLIENT, type InterceptionClient } from '../backends/backend-clients';
import { ApiErrors, ApiJsonBody, ApiJsonResponse, ApiPathParam } from '../transport/openapi';
import { idParam } from '../transport/request-fields';
import { ZodValidationPipe } from '../transport/request-validation';
import {
  frequencyLimitsJson,
  setFrequencyLimitsBody,
  toFrequencyLimitsJson,
  toFrequencyLimitsProto,
  type FrequencyLimitsJson,
  type SetFrequencyLimitsBody,
} from './frequency-limits.json';

type Target = interceptionV1.FrequencyLimitsTarget;
const accountIdPipe = new ZodValidationPipe(idParam(), 'path', 'accountId');
const bodyPipe = new ZodValidationPipe(setFrequencyLimitsBody, 'body');

/** The three calls every target shares; the controllers below only say which limits. */
class FrequencyLimitEndpoints {
  constructor(private readonly interception: InterceptionClient) {}

  async get(target: Target): Promise<FrequencyLimitsJson> {
    return toFrequencyLimitsJson(await this.interception.getFrequencyLimits({ target }));
  }

  async set(
    target: Target,
    body: SetFrequencyLimitsBody,
    caller: Caller,
  ): Promise<FrequencyLimitsJson> {
    const response = await this.interception.setFrequencyLimits({
      target,
      limits: toFrequencyLimitsProto(body),
      actor: caller.keyId,
    });
    return toFrequencyLimitsJson(response);
  }

  async reset(target: Target, caller: Caller): Promise<FrequencyLimitsJson> {
    const response = await this.interception.resetFrequencyLimits({ target, actor: caller.keyId });
    return toFrequencyLimitsJson(response);
  }
}

/** The account's own frequency limits per number (FREQUENCY_OVERRUN when exceeded). */
@ApiTags('frequency-limits')
@Authenticated('customer')
@Controller('v1/frequency-limits')
export class FrequencyLimitsHttpController {
  private readonly endpoints: FrequencyLimitEndpoints;

  constructor(@Inject(INTERCEPTION_CLIENT) interception: InterceptionClient) {
    this.endpoints = new FrequencyLimitEndpoints(interception);
  }

  private target(caller: Caller): Target {
    // Always the caller's own account: a customer cannot name another.
    return { accountId: caller.accountId, asOperator: false, platformDefault: false };
  }

  @Get()
  @ApiOperation({ summary: 'The frequency limits applied to your account' })
  @ApiJsonResponse(200, frequencyLimitsJson, 'Your own limits, or the platform default.')
  @ApiErrors()
  get(@CurrentCaller() caller: Caller): Promise<FrequencyLimitsJson> {
    return this.endpoints.get(this.target(caller));
  }

  @Put()
  @ApiOperation({ summary: "Set your account's frequency limits (takes effect within a second)" })
  @ApiJsonBody(setFrequencyLimitsBody)
  @ApiJsonResponse(200, frequencyLimitsJson, 'The limits now applied.')
  @ApiErrors()
  set(
    @CurrentCaller() caller: Caller,
    @Body(bodyPipe) body: SetFrequencyLimitsBody,
  ): Promise<FrequencyLimitsJson> {
    return this.endpoints.set(this.target(caller), body, caller);
  }

  @Delete()
  @ApiOperation({
    summary: "Drop your account's own frequency limits: the platform default applies",
  })
  @ApiJsonResponse(200, frequencyLimitsJson, 'The limits now applied.')
  @ApiErrors()
  reset(@CurrentCaller() caller: Caller): Promise<FrequencyLimitsJson> {
    return this.endpoints.reset(this.target(caller), caller);
  }
}

const PLATFORM_DEFAULT: Target = { accountId: '', asOperator: true, platformDefault: true };
const account = (accountId: string): Target => ({
  accountId,
  asOperator: true,
  platformDefault: false,
});

/** The platform default frequency limits, and any account's (operator keys only). */
@ApiTags('admin')
@Authenticated('operator')
@Controller('v1/admin/frequency-limits')
export class AdminFrequencyLimitsHttpController {
  private readonly endpoints: FrequencyLimitEndpoints;

  constructor(@Inject(INTERCEPTION_CLIENT) interception: InterceptionClient) {
    this.endpoints = new FrequencyLimitEndpoints(interception);
  }

  @Get()
  @ApiOperation({ summary: 'The platform default frequency limits' })
  @ApiJsonResponse(200, frequencyLimitsJson, 'The stored default, or the configured one.')
  @ApiErrors()
  get(): Promise<FrequencyLimitsJson> {
    return this.endpoints.get(PLATFORM_DEFAULT);
  }

  @Put()
  @ApiOperation({
    summary: 'Set the platform default frequency limits, for accounts without their own',
  })
  @ApiJsonBody(setFrequencyLimitsBody)
  @ApiJsonResponse(200, frequencyLimitsJson, 'The platform default now.')
  @ApiErrors()
  set(
    @CurrentCaller() caller: Caller,
    @Body(bodyPipe) body: SetFrequencyLimitsBody,
  ): Promise<FrequencyLimitsJson> {
    return this.endpoints.set(PLATFORM_DEFAULT, body, caller);
  }

  @Delete()
  @ApiOperation({
    summary: "Drop the stored platform default: the service's configured one applies",
  })
  @ApiJsonResponse(200, frequencyLimitsJson, 'The platform default now.')
  @ApiErrors()
  reset(@CurrentCaller() caller: Caller): Promise<FrequencyLimitsJson> {
    return this.endpoints.reset(PLATFORM_DEFAULT, caller);
  }

  @Get('accounts/:accountId')
  @ApiOperation({ summary: 'The frequency limits applied to an account' })
  @ApiPathParam('accountId', 'The account id.')
  @ApiJsonResponse(200, frequencyLimitsJson, "The account's own limits, or the platform default.")
  @ApiErrors()
  getAccount(@Param('accountId', accountIdPipe) accountId: string): Promise<FrequencyLimitsJson> {
    return this.endpoints.get(account(accountId));
  }

  @Put('accounts/:accountId')
  @ApiOperation({ summary: "Set an account's frequency limits (takes effect within a second)" })
  @ApiPathParam('accountId', 'The account id.')
  @ApiJsonBody(setFrequencyLimitsBody)
  @ApiJsonResponse(200, frequencyLimitsJson, 'The limits now applied to the account.')
  @ApiErrors()
  setAccount(
    @CurrentCaller() caller: Caller,
    @Param('accountId', accountIdPipe) accountId: string,
    @Body(bodyPipe) body: SetFrequencyLimitsBody,
  ): Promise<FrequencyLimitsJson> {
    return this.endpoints.set(account(accountId), body, caller);
  }

  @Delete('accounts/:accountId')
  @ApiOperation({ summary: "Drop an account's own frequency limits: the platform default applies" })
  @ApiPathParam('accountId', 'The account id.')
  @ApiJsonResponse(200, frequencyLimitsJson, 'The limits now applied to the account.')
  @ApiErrors()
  resetAccount(
    @CurrentCaller() caller: Caller,
    @Param('accountId', accountIdPipe) accountId: string,
  ): Promise<FrequencyLimitsJson> {
    return this.endpoints.reset(account(accountId), caller);
  }
}
