// SPEC 2.1: the send-failure code table. The single source of what each code means and what
// interception entry it produces; durations are defaults an operator may override.

export type InterceptionScope = 'GLOBAL' | 'LOCAL';

interface CodeDefinition {
  readonly code: number;
  /** Short name; the proto enum is SEND_FAILURE_CODE_<name>. */
  readonly name: string;
  readonly description: string;
  /** Default interception time in seconds; 0 never blocks. */
  readonly defaultSeconds: number;
  /** Scope of the entry; null for 0-second codes (recorded, never blocking). */
  readonly scope: InterceptionScope | null;
}

const HOUR = 3600;
const DAY = 24 * HOUR;

const DEFINITIONS = [
  {
    code: 500,
    name: 'EMPTY',
    description: 'number does not exist',
    defaultSeconds: 30 * DAY,
    scope: 'GLOBAL',
  },
  {
    code: 510,
    name: 'OUT_OF_SERVICE',
    description: 'number shut down',
    defaultSeconds: HOUR,
    scope: 'GLOBAL',
  },
  {
    code: 520,
    name: 'BLACKLIST',
    description: 'on a channel or operator blacklist',
    defaultSeconds: HOUR,
    scope: 'LOCAL',
  },
  { code: 530, name: 'BUSY', description: 'number busy', defaultSeconds: 0, scope: null },
  {
    code: 540,
    name: 'NO_ANSWER',
    description: 'number did not answer',
    defaultSeconds: 0,
    scope: null,
  },
  {
    code: 550,
    name: 'INTERCEPTION',
    description: 'content intercepted by channel or operator',
    defaultSeconds: HOUR,
    scope: 'LOCAL',
  },
  {
    code: 560,
    name: 'BREAK_DOWN',
    description: 'device failure',
    defaultSeconds: HOUR,
    scope: 'GLOBAL',
  },
  {
    code: 570,
    name: 'NOT_IN_SERVICE',
    description: 'not in the service area',
    defaultSeconds: HOUR,
    scope: 'GLOBAL',
  },
  {
    code: 580,
    name: 'POWER_OFF',
    description: 'device powered off',
    defaultSeconds: 0,
    scope: null,
  },
  { code: 590, name: 'OTHER', description: 'other reason', defaultSeconds: 0, scope: null },
] as const satisfies readonly CodeDefinition[];

export type SendFailureCodeNumber = (typeof DEFINITIONS)[number]['code'];

export const SEND_FAILURE_CODES: readonly SendFailureCodeNumber[] = DEFINITIONS.map((d) => d.code);

export const DEFAULT_INTERCEPTION_SECONDS: Readonly<Record<SendFailureCodeNumber, number>> =
  Object.fromEntries(DEFINITIONS.map((d) => [d.code, d.defaultSeconds])) as Record<
    SendFailureCodeNumber,
    number
  >;

export interface InterceptionRule {
  readonly code: SendFailureCodeNumber;
  readonly name: string;
  readonly description: string;
  /** Interception time; 0 means the entry is recorded already expired and never blocks. */
  readonly durationSeconds: number;
  /** GLOBAL blocks every account, LOCAL only the source account. */
  readonly scope: InterceptionScope;
  readonly blocks: boolean;
}

/**
 * The code table with the operator's duration overrides applied. Scopes are fixed by the
 * product; a 0-second code records a LOCAL (source-account) entry that never blocks.
 */
export class CodeCatalogue {
  private readonly rules: ReadonlyMap<number, InterceptionRule>;

  constructor(durationOverrides: Partial<Record<SendFailureCodeNumber, number>> = {}) {
    this.rules = new Map(
      DEFINITIONS.map((definition) => {
        const durationSeconds = durationOverrides[definition.code] ?? definition.defaultSeconds;
        if (!Number.isInteger(durationSeconds) || durationSeconds < 0) {
          throw new Error(
            `interception duration for code ${definition.code} must be a whole number of seconds ≥ 0`,
          );
        }
        const rule: InterceptionRule = {
          code: definition.code,
          name: definition.name,
          description: definition.description,
          durationSeconds,
          scope: definition.scope ?? 'LOCAL',
          blocks: durationSeconds > 0,
        };
        return [definition.code, rule];
      }),
    );
  }

  isKnownCode(code: number): code is SendFailureCodeNumber {
    return this.rules.has(code);
  }

  /** The rule of a code; throws for a code outside the table. */
  ruleFor(code: number): InterceptionRule {
    const rule = this.rules.get(code);
    if (!rule)
      throw new RangeError(
        `unknown send-failure code ${code}; known codes are ${SEND_FAILURE_CODES.join(', ')}`,
      );
    return rule;
  }

  /** By short name (`EMPTY`) as used by the REST API and the proto enum suffix. */
  ruleForName(name: string): InterceptionRule | undefined {
    return [...this.rules.values()].find((rule) => rule.name === name);
  }

  all(): InterceptionRule[] {
    return [...this.rules.values()];
  }
}

/**
 * Parses an override list like `500=2592000,510=7200` (code=seconds). Unknown codes and bad
 * numbers are errors, so a typo in configuration stops the service at start-up.
 */
export function parseDurationOverrides(
  text: string,
): Partial<Record<SendFailureCodeNumber, number>> {
  const overrides: Partial<Record<SendFailureCodeNumber, number>> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(\d{3})=(\d+)$/.exec(part);
    if (!match) throw new Error(`"${part}" is not code=seconds`);
    const code = Number(match[1]);
    if (!(SEND_FAILURE_CODES as readonly number[]).includes(code)) {
      throw new Error(`"${part}": unknown send-failure code ${code}`);
    }
    overrides[code as SendFailureCodeNumber] = Number(match[2]);
  }
  return overrides;
}
