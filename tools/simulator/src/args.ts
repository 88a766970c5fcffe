// Command line of `npm run simulate -- ...`: parsed and checked without touching anything, so a
// typo stops the run before any account is created.
import { parseArgs } from 'node:util';
import { MAX_ACCOUNTS, MAX_MESSAGES, MIN_MESSAGES, scenarioOptionsProblem } from './scenario';

export const USAGE = `usage: npm run simulate -- [options]

Plays the sending service and the channels against a running system (\`npm start\`): creates
accounts and keys with the accounts CLI, sends message events, receipts and replies over gRPC,
checks every answer against the spec, then prints what it did and where to look.

options:
  --messages N        messages to simulate, ${MIN_MESSAGES}..${MAX_MESSAGES} (default 10000)
  --accounts N        customer accounts, 1..${MAX_ACCOUNTS} (default 3); an operator account is added
  --seed N            seed of the random scenario: the same seed plays the same run (default 1)
  --rounds N          rounds, 1..10 (default: one per 50 messages, at most 4). Messages are split
                      over the rounds; after each round the simulator waits until the new blocks
                      and unsubscribes reach Check, so later rounds test that they bite
  --webhook-quiet-ms N
                      at the end, wait until no webhook arrived for N ms (default 3000); make it
                      longer than the dispatcher's lease (10 s) when a dispatcher replica may die,
                      so the deliveries it held come back before the receiver stops
  --json              print the summary as one JSON document on stdout instead of the text report
                      (progress and log lines always go to stderr)
  --gateway URL       the gateway's REST base URL (default http://127.0.0.1:3000)
  --status TARGET     status-tracker gRPC (default 127.0.0.1:50051)
  --interception TARGET
                      interception-service gRPC (default 127.0.0.1:50052)
  --reply TARGET      reply-service gRPC (default 127.0.0.1:50053)
                      TARGET: HOST:PORT, dns:///HOST:PORT (every address it resolves to) or
                      ipv4:A:PORT,B:PORT (replicas); calls are spread round_robin and a call
                      refused by a replica that went away (UNAVAILABLE) is sent again
  -h, --help          this text

environment: DATABASE_URL for the accounts CLI (default postgres://postgres@127.0.0.1:5432/sms),
GRPC_TOKEN_SENDER and GRPC_TLS_* when the system runs with them.`;

export interface SimulatorArgs {
  readonly messages: number;
  readonly accounts: number;
  readonly seed: number;
  readonly rounds?: number;
  readonly webhookQuietMs?: number;
  readonly gatewayUrl: string;
  readonly statusTarget: string;
  readonly interceptionTarget: string;
  readonly replyTarget: string;
  readonly json: boolean;
}

export class ArgumentError extends Error {}

const HOST_PORT = String.raw`[A-Za-z0-9.-]+:\d{1,5}`;
const IPV4_PORT = String.raw`\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}`;
/** host:port, dns:///host:port, or ipv4:a:port,b:port (every replica, round_robin). */
const TARGET = new RegExp(
  String.raw`^(?:(?:dns:///)?${HOST_PORT}|ipv4:${IPV4_PORT}(?:,${IPV4_PORT})*)$`,
);

/** The addresses of an `ipv4:a:port,b:port` target; any other target is one address. */
export function replicaAddresses(target: string): string[] {
  return target.startsWith('ipv4:') ? target.slice('ipv4:'.length).split(',') : [target];
}

function wholeNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text))
    throw new ArgumentError(`--${name} must be a whole number, got "${text}"`);
  return Number(text);
}

function target(name: string, text: string | undefined, fallback: string): string {
  const value = text ?? fallback;
  if (!TARGET.test(value)) {
    throw new ArgumentError(
      `--${name} must be host:port, dns:///host:port or ipv4:a:port,b:port, got "${value}"`,
    );
  }
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
        'webhook-quiet-ms': { type: 'string' },
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
  const quiet = text('webhook-quiet-ms');
  const webhookQuietMs =
    quiet === undefined ? undefined : wholeNumber('webhook-quiet-ms', quiet, 0);
  if (webhookQuietMs !== undefined && (webhookQuietMs < 100 || webhookQuietMs > 60_000)) {
    throw new ArgumentError(`--webhook-quiet-ms must be 100..60000, got ${webhookQuietMs}`);
  }
  const parsed: SimulatorArgs = {
    messages: wholeNumber('messages', text('messages'), 10_000),
    accounts: wholeNumber('accounts', text('accounts'), 3),
    seed: wholeNumber('seed', text('seed'), 1),
    ...(rounds === undefined ? {} : { rounds }),
    ...(webhookQuietMs === undefined ? {} : { webhookQuietMs }),
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
