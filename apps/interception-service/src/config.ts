import { parseDurationOverrides } from '@sms/domain-catalogue';
import {
  portNumber,
  postgresUrl,
  redisUrl,
  schemaName,
  serviceBaseFields,
} from '@sms/platform-config';
import { z } from 'zod';

export const interceptionConfigSchema = z.object({
  ...serviceBaseFields(),
  DATABASE_URL: postgresUrl(),
  DATABASE_SCHEMA: schemaName().default('interception'),
  REDIS_URL: redisUrl().default('redis://127.0.0.1:6379/0'),
  /** Base of the hash-tagged key prefix: keys live under `{<base>:interception}`. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -')
    .default('sms'),
  GRPC_PORT: portNumber().default(50052),
  HTTP_PORT: portNumber().default(9102),
  /** Operator overrides of interception times, `code=seconds,...` (SPEC 2.1 defaults otherwise). */
  INTERCEPTION_DURATIONS: z
    .string()
    .default('')
    .superRefine((value, ctx) => {
      try {
        parseDurationOverrides(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    })
    .transform((value) => parseDurationOverrides(value)),
});

export type InterceptionConfig = z.infer<typeof interceptionConfigSchema>;

export const INTERCEPTION_CONFIG = Symbol('INTERCEPTION_CONFIG');
