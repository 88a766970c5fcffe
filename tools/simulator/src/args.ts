// Command line of `npm run simulate -- ...`: parsed and checked without touching anything, so a
// typo stops the run before any account is created.
import { parseArgs } from 'node:util';
import { scenarioOptionsProblem } from './scenario';

export const USAGE = `usage: npm run simulate -- [--messages 10000] [--accounts 3] [--seed N] [--rounds N]
    [--gateway http://127.0.0.1:3000] [--status 127.0.0.1:50051]
    [--interception 127.0.0.1:50052] [--reply 127.0.0.1:50053] [--json]`;

export interface SimulatorArgs {
  readonly messages: number;
  readonly accounts: number;
  readonly seed: number;
  readonly rounds?: number;
  readonly gatewayUrl: string;
  readonly statusTarget: string;
  readonly interceptionTarget: string;
  readonly replyTarget: string;
  readonly json: boolean;
}

export class ArgumentError extends Error {}

const TARGET = /^(dns:\/\/\/)?[A-Za-z0-9.-]+:\d{1,5}$/;

function wholeNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text))
    throw new ArgumentError(`--${name} must be a whole number, got "${text}"`);
  return Number(text);
}

function target(name: string, text: string | undefined, fallback: string): string {
  const value = text ?? fallback;
  if (!TARGET.test(value)) throw new ArgumentError(`--${name} must be host:port, got "${value}"`);
  return value;
}

export function parseSimulatorArgs(argv: readonly string[]): SimulatorArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        messages: { type: 'string' },
        accounts: { type: 'string' },
        seed: { type: 'string' },
        rounds: { type: 'string' },
        gateway: { type: 'string' },
        status: { type: 'string' },
        interception: { type: 'string' },
        reply: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ArgumentError((error as Error).message);
  }
  const text = (name: string) => values[name] as string | undefined;
  const gatewayUrl = text('gateway') ?? 'http://127.0.0.1:3000';
  if (!/^https?:\/\/[^/\s]+$/.test(gatewayUrl)) {
    throw new ArgumentError(
      `--gateway must be an http(s) base URL without a path, got "${gatewayUrl}"`,
    );
  }
  const rounds =
    text('rounds') === undefined ? undefined : wholeNumber('rounds', text('rounds'), 0);
  const parsed: SimulatorArgs = {
    messages: wholeNumber('messages', text('messages'), 10_000),
    accounts: wholeNumber('accounts', text('accounts'), 3),
    seed: wholeNumber('seed', text('seed'), 1),
    ...(rounds === undefined ? {} : { rounds }),
    gatewayUrl,
    statusTarget: target('status', text('status'), '127.0.0.1:50051'),
    interceptionTarget: target('interception', text('interception'), '127.0.0.1:50052'),
    replyTarget: target('reply', text('reply'), '127.0.0.1:50053'),
    json: values['json'] === true,
  };
  const problem = scenarioOptionsProblem({ ...parsed, runId: 'check', startTime: new Date(0) });
  if (problem) throw new ArgumentError(problem);
  return parsed;
}
