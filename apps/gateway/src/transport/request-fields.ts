import { tryNormalizePhone } from '@sms/domain-phone';
import { z } from 'zod';

// Field parsers for query strings and bodies. Every message completes "<parameter>: …".

function notAString(input: unknown): string {
  if (input === undefined) return 'is required';
  if (Array.isArray(input)) return 'must be given once';
  return 'must be a string';
}

const text = () => z.string({ error: (issue) => notAString(issue.input) });

/** A phone number, normalised to E.164 (the one normalisation of @sms/domain-phone). */
export const phoneField = () =>
  text()
    .transform((input, context) => {
      const result = tryNormalizePhone(input);
      if (result.ok) return result.e164;
      context.addIssue({ code: 'custom', message: `"${input}" ${result.problem}` });
      return z.NEVER;
    })
    .meta({
      description: 'Phone number in international format; normalised to E.164.',
      example: '+8613800138000',
    });

const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * An example time `offsetMs` from now (whole hours), for the OpenAPI document. The document is
 * built at start-up, so its examples stay inside the retention window and, for expiries, in the
 * future; a fixed date would rot.
 */
export function exampleTime(offsetMs: number): string {
  return new Date(Math.floor((Date.now() + offsetMs) / HOUR_MS) * HOUR_MS)
    .toISOString()
    .replace('.000Z', 'Z');
}

/** ISO 8601 date-time with Z or an offset; converted to a Date. */
export const isoTimeField = (example: string = exampleTime(-DAY_MS)) =>
  text()
    .refine((value) => z.iso.datetime({ offset: true }).safeParse(value).success, {
      message:
        'must be an ISO 8601 date-time with Z or an offset, like YYYY-MM-DDThh:mm:ssZ or YYYY-MM-DDThh:mm:ss+08:00',
    })
    .transform((value) => new Date(value))
    .meta({ format: 'date-time', example });

/** A short identifier-like filter value (template id, label, sms user). */
export const shortTextField = (max = 128) =>
  text().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const pageSizeField = () =>
  text()
    .regex(/^\d+$/, 'must be a whole number from 1 to 500')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be at least 1').max(500, 'must be at most 500'))
    .meta({ description: 'Items per page, 1..500 (default 50).', example: 50 });

/** Opaque; the back end verifies it belongs to this account and these filters. */
export const pageTokenField = () =>
  text()
    .min(1, 'must not be empty')
    .max(2048, 'is too long')
    .regex(/^[\x21-\x7e]+$/, 'is not a page token issued by this API')
    .meta({ description: 'The nextPageToken of the previous page (same filters).' });

/** One of a fixed set of lower-case words. */
export const enumWordField = <const W extends readonly [string, ...string[]]>(words: W) =>
  z.enum(words, {
    error: (issue) =>
      Array.isArray(issue.input) ? 'must be given once' : `must be one of ${words.join(', ')}`,
  });

/**
 * One or more of a fixed set of lower-case words, comma-separated (`send_failed,process_failed`);
 * parsed to the distinct words in the order given.
 */
export const enumWordListField = <const W extends readonly [string, ...string[]]>(words: W) =>
  text()
    .transform((input, context) => {
      const parts = input.split(',');
      const unknown = parts.filter((part) => !(words as readonly string[]).includes(part));
      if (unknown.length) {
        context.addIssue({
          code: 'custom',
          message: `must be one or more of ${words.join(', ')}, separated by commas; ${unknown
            .map((part) => (part ? `"${part}"` : 'an empty value'))
            .join(', ')} is not one`,
        });
        return z.NEVER;
      }
      return [...new Set(parts)] as W[number][];
    })
    .meta({ example: words.slice(0, 2).join(',') });

export const periodFields = () => ({
  from: isoTimeField()
    .optional()
    .meta({ description: 'Period start (inclusive), ISO 8601; within the retention window.' }),
  to: isoTimeField(exampleTime(0))
    .optional()
    .meta({ description: 'Period end (exclusive), ISO 8601.' }),
});

/** `from` must be before `to` when both are given. */
export function fromBeforeTo(
  value: { from?: Date | undefined; to?: Date | undefined },
  context: z.RefinementCtx,
): void {
  // Object refinements run even when a field failed (and kept its raw string): check the type.
  const { from, to } = value as { from?: unknown; to?: unknown };
  if (from instanceof Date && to instanceof Date && from.getTime() >= to.getTime()) {
    context.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
  }
}

export const pagingFields = () => ({
  pageSize: pageSizeField().optional(),
  pageToken: pageTokenField().optional(),
});

/** An id in the path (message id, entry id): 1..128 visible characters. */
export const idParam = () =>
  text()
    .min(1, 'must not be empty')
    .max(128, 'must be at most 128 characters')
    .regex(/^[\x21-\x7e]+$/, 'must contain only visible ASCII characters (no spaces)');

/** An id as a query filter (messageId): the rules of an id in the path. */
export const idField = () => idParam().meta({ example: 'msg-0001' });
