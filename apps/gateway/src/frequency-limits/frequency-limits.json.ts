import { interceptionV1 } from '@sms/contracts';
import { z } from 'zod';
import { isoOrNull } from '../transport/json-values';

const MAX_WINDOW_SECONDS = 31 * 86_400;

export const frequencyWindowJson = z
  .strictObject({
    windowSeconds: z
      .number()
      .int('must be a whole number of seconds')
      .min(1, 'must be at least 1')
      .max(MAX_WINDOW_SECONDS, `must be at most ${MAX_WINDOW_SECONDS} (31 days)`)
      .meta({ description: 'The window length in seconds.', example: 3600 }),
    limit: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(10_000, 'must be at most 10000')
      .meta({ description: 'Sends allowed to one number in any such window.', example: 5 }),
  })
  .meta({
    id: 'FrequencyWindow',
    description: 'At most `limit` sends to one number in any window of `windowSeconds`.',
  });
export type FrequencyWindowJson = z.infer<typeof frequencyWindowJson>;

const windowList = (what: string) =>
  z
    .array(frequencyWindowJson)
    .max(8, 'must have at most 8 windows')
    .superRefine((windows, ctx) => {
      const seen = new Set<number>();
      windows.forEach((w, i) => {
        if (seen.has(w.windowSeconds))
          ctx.addIssue({
            code: 'custom',
            path: [i, 'windowSeconds'],
            message: `a ${w.windowSeconds} s window is given twice`,
          });
        seen.add(w.windowSeconds);
      });
    })
    .meta({ description: `${what} At most 8 windows, each length once; empty: no limit.` });

export const setFrequencyLimitsBody = z
  .strictObject({
    template: windowList('Sends of one template to one number.').meta({
      example: [
        { windowSeconds: 60, limit: 1 },
        { windowSeconds: 3600, limit: 5 },
        { windowSeconds: 86_400, limit: 10 },
      ],
    }),
    account: windowList("Sends of any of the account's templates to one number.").meta({
      example: [{ windowSeconds: 86_400, limit: 20 }],
    }),
  })
  .meta({
    id: 'SetFrequencyLimitsRequest',
    description: 'The complete set of limits: it replaces the one stored (both lists).',
  });
export type SetFrequencyLimitsBody = z.output<typeof setFrequencyLimitsBody>;

const appliedLimitsFields = {
  template: z.array(frequencyWindowJson).meta({
    description: 'Sends of one template to one number, shortest window first.',
  }),
  account: z.array(frequencyWindowJson).meta({
    description: "Sends of any of the account's templates to one number, shortest first.",
  }),
  source: z.enum(['account', 'platform', 'configuration']).meta({
    description:
      "Where they come from: the account's own, the platform default an operator set, or the service's configured default.",
  }),
  updatedAt: z.string().meta({ format: 'date-time' }).nullable(),
  updatedBy: z.string().nullable().meta({ description: 'The API key or operator that set them.' }),
};

export const platformDefaultLimitsJson = z.object(appliedLimitsFields).meta({
  id: 'PlatformDefaultFrequencyLimits',
  description:
    'What applies to accounts without limits of their own: the platform default an operator set, or the configured one.',
});

export const frequencyLimitsJson = z
  .object({
    ...appliedLimitsFields,
    platformDefault: platformDefaultLimitsJson.nullable().meta({
      description:
        "The platform default beside an account's limits (null on the platform default itself): what the account gets after a reset.",
    }),
  })
  .meta({
    id: 'FrequencyLimits',
    description:
      'The frequency limits admission applies per number (FREQUENCY_OVERRUN when a window is full). Changes apply within a second.',
  });
export type FrequencyLimitsJson = z.infer<typeof frequencyLimitsJson>;

const SOURCES: Record<string, FrequencyLimitsJson['source']> = {
  [interceptionV1.FrequencyLimitsSource.FREQUENCY_LIMITS_SOURCE_ACCOUNT]: 'account',
  [interceptionV1.FrequencyLimitsSource.FREQUENCY_LIMITS_SOURCE_PLATFORM]: 'platform',
};

function windowsToJson(windows: readonly interceptionV1.FrequencyWindow[]): FrequencyWindowJson[] {
  return windows.map((w) => ({ windowSeconds: w.windowSeconds, limit: w.limit }));
}

type AppliedLimitsJson = z.infer<typeof platformDefaultLimitsJson>;

function appliedToJson(
  effective: interceptionV1.EffectiveFrequencyLimits | undefined,
): AppliedLimitsJson {
  if (!effective?.limits) throw new Error('the frequency-limit RPC answered without limits');
  return {
    template: windowsToJson(effective.limits.templateWindows),
    account: windowsToJson(effective.limits.accountWindows),
    source: SOURCES[effective.source] ?? 'configuration',
    updatedAt: isoOrNull(effective.updatedAt),
    updatedBy: effective.updatedBy || null,
  };
}

/** Get/Set/ResetFrequencyLimits' answer: the limits that apply, and the platform default. */
export function toFrequencyLimitsJson(response: {
  readonly effective?: interceptionV1.EffectiveFrequencyLimits;
  readonly platformDefault?: interceptionV1.EffectiveFrequencyLimits;
}): FrequencyLimitsJson {
  return {
    ...appliedToJson(response.effective),
    platformDefault: response.platformDefault ? appliedToJson(response.platformDefault) : null,
  };
}

export function toFrequencyLimitsProto(
  body: SetFrequencyLimitsBody,
): interceptionV1.FrequencyLimits {
  return { templateWindows: body.template, accountWindows: body.account };
}
