// Runs the traffic simulator exactly as a user does (`npm run simulate -- ... --json`), as its own
// process, against the system under test, and reads its JSON summary.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { RunningSystem } from './system-under-test';

const WORKSPACE_ROOT = resolve(__dirname, '../..');

/** The part of the simulator's --json summary this test reads. */
export interface SimulationSummary {
  readonly accounts: readonly {
    accountId: string;
    name: string;
    authorization: string;
    consoleUser: { email: string; password: string };
  }[];
  readonly operator: {
    accountId: string;
    authorization: string;
    consoleUser: { email: string; password: string };
  };
  readonly settled: readonly boolean[];
  readonly messages: readonly {
    messageId: string;
    accountId: string;
    recipient: string;
    round: number;
    verdict: string;
    receiptBeforeSubmitted: boolean;
    duplicateReceipt: boolean;
    conflictingReceipt: boolean;
    expected: {
      status: string;
      processFailedReason?: string;
      sendFailureCode?: number;
      appliedKinds: string[];
      ignoredKinds: string[];
    };
  }[];
  readonly replies: readonly {
    replyId: string;
    phone: string;
    keyword: string;
    naming: 'MESSAGE' | 'ACCOUNT' | 'NONE';
    accountId: string;
    messageId: string;
  }[];
  readonly expectedEntries: readonly {
    phone: string;
    scope: string;
    ownerAccountId: string;
    code: number;
    state: string;
    messageId: string;
  }[];
  readonly unsubscribes: readonly { accountId: string; phone: string }[];
  readonly counts: {
    sendFailedByCode: Record<string, number>;
    blockedByVerdict: Record<string, number>;
    processFailedByReason: Record<string, number>;
    eventResults: Record<string, number>;
    entriesByCode: Record<string, number>;
    outOfOrderReceipts: number;
    duplicateReceipts: number;
    conflictingReceipts: number;
    /** Calls sent again after UNAVAILABLE (a replica went away mid-call). */
    grpcRetries: number;
  };
  /** What its webhook receiver got (absent when webhooks were off). */
  readonly webhooks?: {
    endpoints: number;
    requests: number;
    distinctEvents: number;
    redeliveries: number;
    badSignatures: number;
    changedBodies: number;
    byStatus: Record<string, number>;
  };
  readonly problems: readonly string[];
}

export function runSimulator(
  system: Pick<RunningSystem, 'gatewayUrl' | 'accountsEnv'> & {
    targets: Pick<RunningSystem['targets'], 'status' | 'interception' | 'reply'>;
  },
  args: readonly string[],
  /** Each chunk of its stderr (progress and log lines) as it comes. */
  onStderr?: (chunk: string) => void,
): Promise<{ summary: SimulationSummary; exitCode: number | null; stderr: string }> {
  const argv = [
    '-r',
    resolve(WORKSPACE_ROOT, 'tools/runtime/register.cjs'),
    resolve(WORKSPACE_ROOT, 'tools/simulator/src/main.ts'),
    ...args,
    '--gateway',
    system.gatewayUrl,
    '--status',
    system.targets.status,
    '--interception',
    system.targets.interception,
    '--reply',
    system.targets.reply,
    '--json',
  ];
  return new Promise((resolvePromise, reject) => {
    // Its accounts CLI writes to the gateway's schema of this test.
    const child = spawn(process.execPath, argv, {
      cwd: WORKSPACE_ROOT,
      env: system.accountsEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      onStderr?.(chunk.toString());
    });
    child.once('error', reject);
    child.once('exit', (exitCode) => {
      try {
        resolvePromise({ summary: JSON.parse(stdout) as SimulationSummary, exitCode, stderr });
      } catch {
        reject(
          new Error(`simulator exited ${exitCode} without a JSON summary:\n${stderr}\n${stdout}`),
        );
      }
    });
  });
}
