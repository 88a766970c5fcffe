import type { FrequencyLimits } from '../admission/frequency-limits';
import { PLATFORM_DEFAULT_OWNER, type FrequencyLimitEntity } from './frequency-limit.entity';

export type FrequencyLimitsSource = 'ACCOUNT' | 'PLATFORM' | 'CONFIGURATION';

/** The limits admission applies to an account (or the platform default), and where from. */
export interface EffectiveLimits {
  readonly limits: FrequencyLimits;
  readonly source: FrequencyLimitsSource;
  /** null for CONFIGURATION. */
  readonly updatedAt: Date | null;
  readonly updatedBy: string;
}

/**
 * The one precedence: the account's own limits, else the stored platform default, else the
 * configured default. `rows` are the stored (not reset) rows at hand, by owner.
 */
export function effectiveLimits(
  accountId: string | null,
  rows: ReadonlyMap<string, Pick<FrequencyLimitEntity, 'limits' | 'updatedAt' | 'updatedBy'>>,
  configured: FrequencyLimits,
): EffectiveLimits {
  const own = accountId === null ? undefined : rows.get(accountId);
  if (own?.limits) return { ...stored(own), source: 'ACCOUNT' };
  const platform = rows.get(PLATFORM_DEFAULT_OWNER);
  if (platform?.limits) return { ...stored(platform), source: 'PLATFORM' };
  return { limits: configured, source: 'CONFIGURATION', updatedAt: null, updatedBy: '' };
}

function stored(
  row: Pick<FrequencyLimitEntity, 'limits' | 'updatedAt' | 'updatedBy'>,
): Omit<EffectiveLimits, 'source'> {
  return { limits: row.limits!, updatedAt: row.updatedAt, updatedBy: row.updatedBy };
}
