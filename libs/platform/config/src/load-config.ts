import type { z } from 'zod';
import { productionSecretIssues } from './secrets';

export interface ConfigIssue {
  readonly variable: string;
  readonly problem: string;
}

/** Thrown once at start-up; its message names every bad variable. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      `Invalid configuration for ${service}:\n` +
        issues.map((issue) => `  ${issue.variable}: ${issue.problem}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment against an app's schema and returns the typed config. Each app calls
 * this exactly once, in main, with `process.env`; nothing else reads the environment.
 */
export function loadConfig<S extends z.ZodType>(
  service: string,
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> {
  const result = schema.safeParse(env);
  // In production, development secrets are refused too (see developmentSecret).
  const secretIssues = productionSecretIssues(schema, env);
  if (result.success && secretIssues.length === 0) return result.data;
  const issues = (result.success ? [] : result.error.issues).map((issue) => ({
    variable: issue.path.map(String).join('.') || '(environment)',
    problem: issue.message,
  }));
  const named = new Set(issues.map((issue) => issue.variable));
  throw new ConfigError(service, [
    ...issues,
    ...secretIssues.filter((issue) => !named.has(issue.variable)),
  ]);
}

/**
 * For what runs before a service's runtime takes over (tracing set-up): a ConfigError ends the
 * process with exit code 78 and its message, like the service's own configuration.
 */
export function exitOnConfigError<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}
