import { Inject, Injectable, type PipeTransform } from '@nestjs/common';
import { InvalidArgumentError } from '@sms/errors';
import { z } from 'zod';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

export class RequestValidationError extends InvalidArgumentError {}

export type RequestPart = 'query' | 'body' | 'path';

const PART_LABEL: Record<RequestPart, string> = {
  query: 'query parameter',
  body: 'body field',
  path: 'path parameter',
};

/** One clear sentence per problem, naming the parameter: `query parameter pageSize: must be …`. */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  part: RequestPart,
  scalarName?: string,
  supported?: readonly string[],
): string {
  return issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        const names = issue.keys.join(', ');
        const known = supported ? ` (supported: ${supported.join(', ')})` : '';
        return `${PART_LABEL[part]}${issue.keys.length > 1 ? 's' : ''} ${names} ${issue.keys.length > 1 ? 'are' : 'is'} not supported${known}`;
      }
      const name = issue.path.map(String).join('.') || scalarName;
      return name ? `${PART_LABEL[part]} ${name}: ${issue.message}` : `${part}: ${issue.message}`;
    })
    .join('; ');
}

/** Validates and converts one part of the request with a zod schema; a failure is a 400. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly part: RequestPart,
    /** For a scalar schema (a path parameter): the parameter's name. */
    private readonly name?: string,
  ) {}

  transform(value: unknown): z.output<S> {
    if (
      this.part === 'body' &&
      (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value))
    ) {
      throw new RequestValidationError(
        'request body must be a JSON object (Content-Type: application/json)',
      );
    }
    const result = this.schema.safeParse(value ?? {});
    if (!result.success)
      throw new RequestValidationError(
        describeIssues(
          result.error.issues,
          this.part,
          this.name,
          this.schema instanceof z.ZodObject ? Object.keys(this.schema.shape) : undefined,
        ),
      );
    return result.data;
  }
}

export interface Period {
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
}

/**
 * Data is queryable for RETENTION_DAYS: a period reaching before that is refused, not cut.
 * A pipe of its own because the window comes from configuration (the schemas are static).
 */
@Injectable()
export class RetentionWindowPipe implements PipeTransform<Period, Period> {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  transform(value: Period): Period {
    const oldest = Date.now() - this.config.RETENTION_DAYS * 86_400_000;
    for (const field of ['from', 'to'] as const) {
      const time = value[field];
      if (time && time.getTime() < oldest) {
        throw new RequestValidationError(
          `query parameter ${field}: must not be before ${new Date(oldest).toISOString()} (data is kept ${this.config.RETENTION_DAYS} days)`,
        );
      }
    }
    return value;
  }
}
