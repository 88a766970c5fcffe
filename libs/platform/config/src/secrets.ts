import { z } from 'zod';

/** A secret shorter than this is refused in production. */
export const MIN_PRODUCTION_SECRET_LENGTH = 32;

/** Values copied from an example file rather than generated. */
const PLACEHOLDER = /replace|change.?me|example|dev-only|placeholder/i;

/** Secret fields and the development value each falls back to outside production. */
const developmentValues = new WeakMap<z.ZodType, string>();

/**
 * A secret (a signing key, a caller token) with a development-only default. Outside production
 * the default lets `npm start` and the tests run without setup; with NODE_ENV=production the
 * service refuses to start unless the variable is set, differs from that default, is no
 * placeholder copied from an example and is at least MIN_PRODUCTION_SECRET_LENGTH characters
 * long (checked by loadConfig).
 */
export function developmentSecret(developmentValue: string, minLength = 16) {
  const field = z
    .string()
    .min(minLength, `must be at least ${minLength} characters`)
    .default(developmentValue);
  developmentValues.set(field, developmentValue);
  return field;
}

/** Problems of the schema's secrets in this environment (none outside production). */
export function productionSecretIssues(
  schema: z.ZodType,
  env: Record<string, string | undefined>,
): { variable: string; problem: string }[] {
  if (env['NODE_ENV'] !== 'production' || !(schema instanceof z.ZodObject)) return [];
  const issues: { variable: string; problem: string }[] = [];
  const shape: Record<string, z.ZodType> = schema.shape;
  for (const [variable, field] of Object.entries(shape)) {
    const developmentValue = developmentValues.get(field);
    if (developmentValue === undefined) continue;
    const value = env[variable];
    if (value === undefined || value === '' || value === developmentValue) {
      issues.push({
        variable,
        problem: 'must be set in production (the development default is refused)',
      });
    } else if (PLACEHOLDER.test(value)) {
      issues.push({
        variable,
        problem: 'is a placeholder (e.g. from .env.example); generate one: openssl rand -hex 32',
      });
    } else if (value.length < MIN_PRODUCTION_SECRET_LENGTH) {
      issues.push({
        variable,
        problem: `must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters in production`,
      });
    }
  }
  return issues;
}
