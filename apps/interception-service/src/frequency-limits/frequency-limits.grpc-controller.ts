import { Controller } from '@nestjs/common';
import { interceptionV1, type Timestamp } from '@sms/contracts';
import type { FrequencyWindow } from '../admission/frequency-limits';
import { grpcMethods, INTERCEPTION_SERVICE } from '../interception/grpc-methods';
import type { EffectiveLimits } from './effective-limits';
import {
  FrequencyLimitsService,
  type FrequencyLimitsInput,
  type FrequencyLimitsTarget,
  type FrequencyLimitsView,
} from './frequency-limits.service';

type FrequencyLimitRpcs = Pick<
  interceptionV1.InterceptionServiceController,
  'getFrequencyLimits' | 'setFrequencyLimits' | 'resetFrequencyLimits'
>;

function targetFromProto(
  target: interceptionV1.FrequencyLimitsTarget | undefined,
): FrequencyLimitsTarget {
  return {
    accountId: target?.accountId ?? '',
    asOperator: target?.asOperator ?? false,
    platformDefault: target?.platformDefault ?? false,
  };
}

function windowsFromProto(windows: readonly interceptionV1.FrequencyWindow[]): FrequencyWindow[] {
  return windows.map((w) => ({ seconds: w.windowSeconds, limit: w.limit }));
}

function limitsFromProto(
  limits: interceptionV1.FrequencyLimits | undefined,
): FrequencyLimitsInput | undefined {
  return limits
    ? {
        template: windowsFromProto(limits.templateWindows),
        account: windowsFromProto(limits.accountWindows),
      }
    : undefined;
}

function timestamp(date: Date): Timestamp {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

function windowsToProto(windows: readonly FrequencyWindow[]): interceptionV1.FrequencyWindow[] {
  return windows.map((w) => ({ windowSeconds: w.seconds, limit: w.limit }));
}

function effectiveToProto(effective: EffectiveLimits): interceptionV1.EffectiveFrequencyLimits {
  return {
    limits: {
      templateWindows: windowsToProto(effective.limits.template),
      accountWindows: windowsToProto(effective.limits.account),
    },
    source: `FREQUENCY_LIMITS_SOURCE_${effective.source}` as interceptionV1.FrequencyLimitsSource,
    updatedAt: effective.updatedAt ? timestamp(effective.updatedAt) : undefined,
    updatedBy: effective.updatedBy,
  };
}

function viewToProto(view: FrequencyLimitsView): interceptionV1.GetFrequencyLimitsResponse {
  return {
    effective: effectiveToProto(view.effective),
    platformDefault: view.platformDefault ? effectiveToProto(view.platformDefault) : undefined,
  };
}

/** The frequency-limit RPCs: maps proto ⇄ domain, nothing else. */
@Controller()
@grpcMethods(INTERCEPTION_SERVICE, [
  'getFrequencyLimits',
  'setFrequencyLimits',
  'resetFrequencyLimits',
])
export class FrequencyLimitsGrpcController implements FrequencyLimitRpcs {
  constructor(private readonly limits: FrequencyLimitsService) {}

  async getFrequencyLimits(
    request: interceptionV1.GetFrequencyLimitsRequest,
  ): Promise<interceptionV1.GetFrequencyLimitsResponse> {
    return viewToProto(await this.limits.get(targetFromProto(request.target)));
  }

  async setFrequencyLimits(
    request: interceptionV1.SetFrequencyLimitsRequest,
  ): Promise<interceptionV1.SetFrequencyLimitsResponse> {
    return viewToProto(
      await this.limits.set(
        targetFromProto(request.target),
        limitsFromProto(request.limits),
        request.actor,
      ),
    );
  }

  async resetFrequencyLimits(
    request: interceptionV1.ResetFrequencyLimitsRequest,
  ): Promise<interceptionV1.ResetFrequencyLimitsResponse> {
    return viewToProto(await this.limits.reset(targetFromProto(request.target), request.actor));
  }
}
