import { Inject, Injectable } from '@nestjs/common';
import {
  frequencyWindowsProblem,
  sortedWindows,
  type FrequencyLimits,
  type FrequencyWindow,
} from '../admission/frequency-limits';
import { INTERCEPTION_CONFIG, type InterceptionConfig } from '../config';
import { optionalText, requireId } from '../request-fields';
import { effectiveLimits, type EffectiveLimits } from './effective-limits';
import { PLATFORM_DEFAULT_OWNER } from './frequency-limit.entity';
import { FrequencyLimitsCache } from './frequency-limits-cache';
import {
  InvalidFrequencyLimitsError,
  PlatformFrequencyLimitsDeniedError,
} from './frequency-limits.errors';
import { FrequencyLimitsRepository } from './frequency-limits.repository';

/** Which limits a call is about (the gateway sets account_id from the caller's key). */
export interface FrequencyLimitsTarget {
  readonly accountId: string;
  readonly asOperator: boolean;
  readonly platformDefault: boolean;
}

/** The limits that apply to a target, and what applies to accounts without their own. */
export interface FrequencyLimitsView {
  readonly effective: EffectiveLimits;
  /** The stored platform default, else the configured one; null when that is the target. */
  readonly platformDefault: EffectiveLimits | null;
}

/** Limits as given, not yet validated (undefined: not given). */
export interface FrequencyLimitsInput {
  readonly template: readonly FrequencyWindow[];
  readonly account: readonly FrequencyWindow[];
}

/**
 * Managing frequency limits: a customer reads and changes its own account's; an operator any
 * account's and the platform default. Reads come from PostgreSQL (so a replica answers what was
 * just written elsewhere); admission reads the in-memory FrequencyLimitsCache.
 */
@Injectable()
export class FrequencyLimitsService {
  constructor(
    private readonly repository: FrequencyLimitsRepository,
    private readonly cache: FrequencyLimitsCache,
    @Inject(INTERCEPTION_CONFIG) private readonly config: InterceptionConfig,
  ) {}

  async get(target: FrequencyLimitsTarget): Promise<FrequencyLimitsView> {
    return this.effective(this.ownerOf(target));
  }

  async set(
    target: FrequencyLimitsTarget,
    input: FrequencyLimitsInput | undefined,
    actorInput: string,
  ): Promise<FrequencyLimitsView> {
    const owner = this.ownerOf(target);
    const actor = optionalText(actorInput, 'actor', 128);
    if (!input) throw new InvalidFrequencyLimitsError('limits is required');
    const problem =
      frequencyWindowsProblem(input.template, 'limits.template_windows') ??
      frequencyWindowsProblem(input.account, 'limits.account_windows');
    if (problem) throw new InvalidFrequencyLimitsError(problem);
    const limits: FrequencyLimits = {
      template: sortedWindows(input.template),
      account: sortedWindows(input.account),
    };
    await this.repository.write(owner, limits, actor);
    await this.cache.reload();
    return this.effective(owner);
  }

  async reset(target: FrequencyLimitsTarget, actorInput: string): Promise<FrequencyLimitsView> {
    const owner = this.ownerOf(target);
    const actor = optionalText(actorInput, 'actor', 128);
    await this.repository.write(owner, null, actor);
    await this.cache.reload();
    return this.effective(owner);
  }

  private async effective(owner: string): Promise<FrequencyLimitsView> {
    const rows = await this.repository.find([owner, PLATFORM_DEFAULT_OWNER]);
    const byOwner = new Map(rows.map((row) => [row.owner, row]));
    const configured = this.config.ADMISSION_FREQUENCY_LIMITS;
    const platformDefault = effectiveLimits(null, byOwner, configured);
    if (owner === PLATFORM_DEFAULT_OWNER)
      return { effective: platformDefault, platformDefault: null };
    // The platform default is no secret from a customer: it is what their account gets
    // without limits of its own, and the console shows the two side by side.
    return { effective: effectiveLimits(owner, byOwner, configured), platformDefault };
  }

  /** The row a call is about, and whether the caller may touch it. */
  private ownerOf(target: FrequencyLimitsTarget): string {
    if (target.platformDefault) {
      if (!target.asOperator) throw new PlatformFrequencyLimitsDeniedError();
      return PLATFORM_DEFAULT_OWNER;
    }
    return requireId(target.accountId, 'target.account_id');
  }
}
