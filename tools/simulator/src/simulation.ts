// The I/O half of the simulator: plays the sending service and the channels against the real
// services over gRPC, round by round, and reports what it sent and what it expects the system
// to show for it.
import {
  commonV1,
  GRPC_SERVICES,
  interceptionV1,
  replyV1,
  statusV1,
  toTimestamp,
} from '@sms/contracts';
import {
  CodeCatalogue,
  PROCESS_FAILED_REASONS_BY_PRECEDENCE,
  type SendFailureCodeNumber,
} from '@sms/domain-catalogue';
import {
  createGrpcClient,
  GrpcStatus,
  type GrpcClient,
  type GrpcTlsSettings,
} from '@sms/platform-grpc';
import { AccountsCli, type IssuedKey } from './accounts-cli';
import { replicaAddresses } from './args';
import { DEFAULT_RETRY, isRetryable, NO_RETRY, type RetryOptions, withRetry } from './retry';
import { SimulatorWebhookReceiver, type WebhookTotals } from './webhook-receiver';
import type { SimulationProgress } from './progress';
import {
  accountIdAt,
  expectedMessage,
  roundEventWaves,
  roundReplyCalls,
  type AdmitVerdict,
  type CheckVerdict,
  type ExpectedMessage,
  type SimEvent,
  type SimReply,
} from './events';
import { InterceptionModel, type ExpectedEntry } from './interception-model';
import {
  generateScenario,
  roundCountFor,
  scenarioOptionsProblem,
  scenarioSpanMs,
  SIM_KEYWORD,
  type PlannedMessage,
  type PlannedRound,
  type ReplyNaming,
} from './scenario';

export interface SimulationOptions {
  readonly seed: number;
  readonly messages: number;
  readonly accounts: number;
  readonly rounds?: number;
  readonly gatewayUrl: string;
  readonly statusTarget: string;
  readonly interceptionTarget: string;
  readonly replyTarget: string;
  /** Environment of the accounts CLI (the gateway's database); this process's by default. */
  readonly accountsEnv?: NodeJS.ProcessEnv;
  /** Default: derived from the clock, so runs against one system never share ids. */
  readonly runId?: string;
  /** How long to wait after a round for its blocks and unsubscribes to reach Check. */
  readonly settleTimeoutMs?: number;
  /** Register a webhook per account and count what arrives (default true). */
  readonly webhooks?: boolean;
  /** At the end, how long no webhook must arrive before the receiver stops (default 3 s). */
  readonly webhookQuietMs?: number;
  readonly deadlineMs?: number;
  readonly log?: (line: string) => void;
  /** Called as events and replies go out (often: the display throttles). */
  readonly progress?: (progress: SimulationProgress) => void;
  /** The sending service's caller token (GRPC_TOKEN_SENDER): the only identity it plays. */
  readonly callerToken: string;
  /** gRPC TLS (GRPC_TLS_CA, client certificate for mTLS); plaintext when absent. */
  readonly tls?: GrpcTlsSettings;
}

export interface AccountReport {
  readonly accountId: string;
  readonly name: string;
  readonly keyId: string;
  /** The key as users paste it: `<keyId>.<secret>`. */
  readonly token: string;
  /** Value of the Authorization header for the gateway. */
  readonly authorization: string;
  /** A console user of the account: sign in at <gateway>/console/ with these. */
  readonly consoleUser: { readonly email: string; readonly password: string };
}

export interface MessageReport {
  readonly messageId: string;
  readonly accountId: string;
  readonly recipient: string;
  readonly round: number;
  /** Admission's answer. */
  readonly verdict: AdmitVerdict;
  readonly expected: ExpectedMessage;
  readonly receiptBeforeSubmitted: boolean;
  readonly duplicateReceipt: boolean;
  readonly conflictingReceipt: boolean;
}

export interface ReplyReport {
  readonly replyId: string;
  readonly phone: string;
  readonly content: string;
  readonly keyword: 'UNSUBSCRIBE' | 'NONE';
  readonly naming: ReplyNaming;
  readonly duplicate: boolean;
  /** The attribution reply-service must make. */
  readonly accountId: string;
  readonly messageId: string;
}

export interface SimulationSummary {
  /** What the webhook receiver got; absent when webhooks were off or could not be registered. */
  readonly webhooks?: WebhookTotals;
  readonly runId: string;
  readonly seed: number;
  readonly gatewayUrl: string;
  readonly accounts: readonly AccountReport[];
  readonly operator: AccountReport;
  readonly rounds: number;
  /** Per round: did every new block and unsubscribe reach Check before the next round? */
  readonly settled: readonly boolean[];
  readonly messages: readonly MessageReport[];
  readonly replies: readonly ReplyReport[];
  readonly expectedEntries: readonly ExpectedEntry[];
  readonly unsubscribes: readonly { accountId: string; phone: string }[];
  readonly counts: {
    readonly messages: number;
    readonly messagesByStatus: Record<string, number>;
    readonly sendFailedByCode: Record<string, number>;
    readonly blockedByVerdict: Record<string, number>;
    /** Every process-failed reason admission gave, with its count. */
    readonly processFailedByReason: Record<string, number>;
    readonly eventsSent: number;
    /** gRPC calls sent again after UNAVAILABLE (a replica went away mid-call). */
    readonly grpcRetries: number;
    readonly eventResults: Record<string, number>;
    readonly repliesSent: number;
    readonly replyResults: Record<string, number>;
    readonly unsubscribeReplies: number;
    readonly entriesByCode: Record<string, number>;
    readonly activeEntries: number;
    readonly expiredEntries: number;
    readonly outOfOrderReceipts: number;
    readonly duplicateReceipts: number;
    readonly conflictingReceipts: number;
  };
  /** Answers that differed from what the spec implies (empty on a correct system). */
  readonly problems: readonly string[];
  readonly durationMs: number;
}

const BATCH_LIMIT = 1000;
const MAX_PROBLEMS = 50;
const catalogue = new CodeCatalogue();

const ATTRIBUTION_FOR: Record<ReplyNaming, string> = {
  MESSAGE: 'MESSAGE_ID',
  ACCOUNT: 'ACCOUNT_LATEST',
  NONE: 'LATEST_MESSAGE',
};

function chunks<T>(items: readonly T[], size = BATCH_LIMIT): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

function stripPrefix(value: unknown, prefix: string): string {
  return typeof value === 'string' && value.startsWith(prefix)
    ? value.slice(prefix.length)
    : String(value);
}

function increment(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

export function toProtoEvent(event: SimEvent): statusV1.MessageEvent {
  const base = {
    eventId: event.eventId,
    messageId: event.messageId,
    occurredAt: toTimestamp(event.occurredAt),
  };
  const { detail } = event;
  switch (detail.kind) {
    case 'ACCEPTED':
      return {
        ...base,
        accepted: {
          accountId: detail.accountId,
          smsUser: detail.smsUser,
          recipient: detail.recipient,
          entries: detail.entries,
          templateId: detail.templateId,
          templateType: `TEMPLATE_TYPE_${detail.templateType}` as commonV1.TemplateType,
          labels: [...detail.labels],
        },
      };
    case 'PROCESS_FAILED':
      return {
        ...base,
        processFailed: {
          reason: `PROCESS_FAILED_REASON_${detail.reason}` as commonV1.ProcessFailedReason,
          detail: detail.detail ?? `admission: ${detail.reason.toLowerCase()}`,
        },
      };
    case 'SUBMITTED':
      return { ...base, submitted: { channel: detail.channel, operator: detail.operator } };
    case 'DELIVERED':
      return { ...base, delivered: { detail: detail.detail, operator: detail.operator } };
    case 'SEND_FAILED':
      return {
        ...base,
        sendFailed: {
          code: sendFailureCodeName(detail.code),
          detail: detail.detail,
          operator: detail.operator,
        },
      };
  }
}

function sendFailureCodeName(code: SendFailureCodeNumber): commonV1.SendFailureCode {
  return `SEND_FAILURE_CODE_${catalogue.ruleFor(code).name}` as commonV1.SendFailureCode;
}

function toProtoReply(reply: SimReply): replyV1.InboundReply {
  return {
    replyId: reply.replyId,
    phone: reply.phone,
    content: reply.content,
    receivedAt: toTimestamp(reply.receivedAt),
    operator: reply.operator,
    channel: reply.channel,
    accountId: reply.accountId,
    messageId: reply.messageId,
  };
}

function authorizationOf(key: IssuedKey): string {
  return `Bearer ${key.token}`;
}

export async function runSimulation(options: SimulationOptions): Promise<SimulationSummary> {
  const startedAt = Date.now();
  const write = options.log ?? (() => undefined);
  const log = (line: string) =>
    write(`[${((Date.now() - startedAt) / 1000).toFixed(1)} s] ${line}`);
  const runId = options.runId ?? startedAt.toString(36);
  const problem = scenarioOptionsProblem({ ...options, runId, startTime: new Date(startedAt) });
  if (problem) throw new RangeError(problem);

  const deadlineMs = options.deadlineMs ?? 10_000;
  const identity = { callerToken: options.callerToken, tls: options.tls };
  const clients: Clients = {
    status: createGrpcClient<statusV1.StatusServiceClient>(GRPC_SERVICES.status, {
      target: options.statusTarget,
      deadlineMs,
      ...identity,
    }),
    interception: createGrpcClient<interceptionV1.InterceptionServiceClient>(
      GRPC_SERVICES.interception,
      { target: options.interceptionTarget, deadlineMs, ...identity },
    ),
    replies: createGrpcClient<replyV1.ReplyServiceClient>(GRPC_SERVICES.reply, {
      target: options.replyTarget,
      deadlineMs,
      ...identity,
    }),
    interceptionReplicas: [],
  };
  // Each replica answers admission and Check from its own memory (word lists polled, blocks
  // indexed): "reached Check" must hold on every replica the traffic may go to, so a target list
  // gets a client per address for those waits. A dns:/// target's addresses are not known here.
  const addresses = replicaAddresses(options.interceptionTarget);
  clients.interceptionReplicas =
    addresses.length > 1
      ? addresses.map((target) =>
          createGrpcClient<interceptionV1.InterceptionServiceClient>(GRPC_SERVICES.interception, {
            target,
            deadlineMs,
            ...identity,
          }),
        )
      : [clients.interception];
  try {
    // Fail fast, before any account is created, when a service is not there.
    await preflight(clients, options);
    const { accounts, operator } = await createAccounts(
      new AccountsCli(options.accountsEnv),
      runId,
      options.accounts,
      log,
    );
    const scenario = generateScenario({
      seed: options.seed,
      runId,
      messages: options.messages,
      accounts: options.accounts,
      ...(options.rounds === undefined ? {} : { rounds: options.rounds }),
      // Everything happened in the recent past: no event time lies in the future.
      startTime: new Date(
        startedAt - scenarioSpanMs(roundCountFor(options.messages, options.rounds)) - 120_000,
      ),
    });
    await addInterceptionWords(options.gatewayUrl, accounts, clients, log);
    const receiver =
      options.webhooks === false
        ? undefined
        : await registerWebhooks(options.gatewayUrl, accounts, log);
    const run = new RunState(accounts.map((account) => account.accountId));
    const total = scenario.rounds.reduce((sum, round) => sum + round.messages.length, 0);
    let doneBefore = 0;
    for (const round of scenario.rounds) {
      // The round's share of messages, by how far its events and replies have gone out.
      const report: RoundProgress = (phase, fraction) =>
        options.progress?.({
          done: doneBefore + Math.floor(fraction * round.messages.length),
          total,
          round: round.index + 1,
          rounds: scenario.rounds.length,
          phase,
        });
      await playRound(round, clients, run, log, report);
      report('settling', 1);
      const settleStart = Date.now();
      const settled = await settle(
        clients.interceptionReplicas,
        run,
        options.settleTimeoutMs ?? 30_000,
      );
      log(
        `round ${round.index + 1}: ${settled ? 'blocks and unsubscribes reached Check' : 'NOT settled'} after ${Date.now() - settleStart} ms`,
      );
      run.settled.push(settled);
      doneBefore += round.messages.length;
      if (!settled) {
        run.problem(`round ${round.index + 1}: blocks/unsubscribes did not reach Check in time`);
      }
    }
    let webhooks: WebhookTotals | undefined;
    if (receiver) {
      // Deliveries trail the ingest: wait until the receiver has been quiet for a while.
      const quietMs = options.webhookQuietMs ?? 3_000;
      await receiver.quiet(quietMs, 60_000 + quietMs);
      webhooks = receiver.totals();
      await receiver.close();
      log(
        `webhooks: ${webhooks.distinctEvents} events (${webhooks.redeliveries} re-deliveries, ${webhooks.badSignatures} bad signatures)`,
      );
      if (webhooks.badSignatures > 0) {
        run.problem(`${webhooks.badSignatures} webhook request(s) failed signature verification`);
      }
      if (webhooks.changedBodies > 0) {
        run.problem(`${webhooks.changedBodies} webhook re-delivery(ies) changed the event's body`);
      }
    }
    const summary = run.summary({
      runId,
      seed: options.seed,
      gatewayUrl: options.gatewayUrl,
      accounts,
      operator,
      rounds: scenario.rounds.length,
      durationMs: Date.now() - startedAt,
    });
    return webhooks ? { ...summary, webhooks } : summary;
  } finally {
    clients.status.close();
    clients.interception.close();
    for (const replica of clients.interceptionReplicas) {
      if (replica !== clients.interception) replica.close();
    }
    clients.replies.close();
  }
}

/**
 * A local receiver and one message.status endpoint per account through the gateway. Without the
 * webhook-dispatcher (or with a gateway that refuses the URL) the run goes on without webhooks.
 */
async function registerWebhooks(
  gatewayUrl: string,
  accounts: readonly AccountReport[],
  log: (line: string) => void,
): Promise<SimulatorWebhookReceiver | undefined> {
  const receiver = await SimulatorWebhookReceiver.start();
  for (const account of accounts) {
    const response = await fetch(`${gatewayUrl}/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: account.authorization, 'content-type': 'application/json' },
      body: JSON.stringify({
        url: receiver.urlFor(account.accountId),
        eventTypes: ['message.status'],
      }),
    }).catch((error: unknown) => error as Error);
    if (response instanceof Error || response.status !== 201) {
      const why =
        response instanceof Error
          ? response.message
          : `${response.status} ${await response.text()}`;
      log(`webhooks not registered (${why}); the run goes on without them`);
      await receiver.close();
      return undefined;
    }
    receiver.setSecret(account.accountId, ((await response.json()) as { secret: string }).secret);
  }
  log(`webhooks: a receiver for ${accounts.length} account(s) at ${receiver.urlFor('<account>')}`);
  return receiver;
}

async function preflight(clients: Clients, options: SimulationOptions): Promise<void> {
  // Only RPCs the sending service may call: a refusal of its identity is a set-up error.
  const probes: [string, () => Promise<unknown>][] = [
    [`gateway at ${options.gatewayUrl}`, () => fetch(`${options.gatewayUrl}/healthz`)],
    [
      `status-tracker at ${options.statusTarget}`,
      () => clients.status.recordEvents({ events: [] }),
    ],
    [
      `interception-service at ${options.interceptionTarget}`,
      () => clients.interception.admitBatch({ accountId: 'sim-preflight', messages: [] }),
    ],
    [
      `reply-service at ${options.replyTarget}`,
      () => clients.replies.recordReplies({ replies: [] }),
    ],
  ];
  const unreachable: number[] = [GrpcStatus.UNAVAILABLE, GrpcStatus.DEADLINE_EXCEEDED];
  const refused: number[] = [GrpcStatus.UNAUTHENTICATED, GrpcStatus.PERMISSION_DENIED];
  for (const [name, probe] of probes) {
    try {
      await probe();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'number' && refused.includes(code)) {
        throw new Error(
          `${name} refused the sending service's identity (${(error as Error).message}); ` +
            'set GRPC_TOKEN_SENDER to the token the services know',
        );
      }
      // Any other answer from the service (even INVALID_ARGUMENT) means it is there.
      if (typeof code === 'number' && !unreachable.includes(code)) continue;
      throw new Error(
        `${name} is not reachable (${(error as Error).message}); start the system with npm start`,
      );
    }
  }
}

/**
 * Each account adds its own interception word through the gateway (as a customer would), then
 * waits until admission blocks it: the word lists reach every replica within a second.
 */
async function addInterceptionWords(
  gatewayUrl: string,
  accounts: readonly AccountReport[],
  clients: Clients,
  log: (line: string) => void,
): Promise<void> {
  for (const account of accounts) {
    const response = await fetch(`${gatewayUrl}/v1/interception-words`, {
      method: 'POST',
      headers: { authorization: account.authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ words: [SIM_KEYWORD] }),
    });
    if (!response.ok) {
      throw new Error(
        `adding the interception word for ${account.name} failed: ${response.status} ${await response.text()}`,
      );
    }
  }
  // Asked of each replica in turn (its word lists are polled on its own): a replica not up
  // answers nothing yet, and is asked again.
  const probe = async (
    replica: Clients['interceptionReplicas'][number],
    accountId: string,
  ): Promise<{ reason: string; detail: string }> => {
    try {
      const { results } = await replica.admitBatch({
        accountId,
        messages: [
          {
            phone: PROBE_PHONE,
            templateId: 'sim-probe',
            templateType: commonV1.TemplateType.TEMPLATE_TYPE_NOTIFICATION,
            templateText: '',
            variables: {},
            content: SIM_KEYWORD,
            labels: [],
          },
        ],
      });
      return {
        reason: stripPrefix(results[0]?.reason, 'PROCESS_FAILED_REASON_'),
        detail: results[0]?.detail ?? '',
      };
    } catch (error) {
      if (!isRetryable(error)) throw error;
      return { reason: 'UNAVAILABLE', detail: (error as Error).message };
    }
  };
  const deadline = Date.now() + 30_000;
  for (const account of accounts) {
    for (const replica of clients.interceptionReplicas) {
      for (let interval = 50; ; interval = Math.min(interval * 2, 500)) {
        const { reason, detail } = await probe(replica, account.accountId);
        if (reason === 'KEYWORD_BLOCK') break;
        if (Date.now() > deadline) {
          const listed = await fetch(`${gatewayUrl}/v1/interception-words`, {
            headers: { authorization: account.authorization },
          }).then((r) => r.text());
          throw new Error(
            `the account's words: ${listed}; ` +
              `admission did not pick up ${account.name}'s interception word in 30 s (last answer: ${reason} ${detail})`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, interval));
      }
    }
  }
  log(`interception word "${SIM_KEYWORD}" added to every account`);
}

/** A valid mobile number outside the scenario's pool (+4479111xxxxx). */
const PROBE_PHONE = '+447911200000';

async function createAccounts(
  cli: AccountsCli,
  runId: string,
  count: number,
  log: (line: string) => void,
): Promise<{ accounts: AccountReport[]; operator: AccountReport }> {
  log(`creating ${count} accounts and an operator through the accounts CLI...`);
  const created = await Promise.all([
    ...Array.from({ length: count }, (_, i) => cli.createAccount(`sim-${runId}-${i + 1}`)),
    cli.createAccount(`sim-${runId}-operators`),
  ]);
  const keys = await Promise.all(
    created.map((account, i) =>
      cli.issueKey(account.accountId, i < count ? 'customer' : 'operator'),
    ),
  );
  // Emails are unique across runs: the run id names them.
  const users = await Promise.all(
    created.map((account, i) =>
      cli.createUser(
        account.accountId,
        `${i < count ? `customer${i + 1}` : 'operator'}.${runId}@example.com`.toLowerCase(),
        i < count ? 'customer' : 'operator',
      ),
    ),
  );
  const reports = created.map((account, i) => {
    const key = keys[i];
    return {
      ...account,
      keyId: key.keyId,
      token: key.token,
      authorization: authorizationOf(key),
      consoleUser: { email: users[i].email, password: users[i].password },
    };
  });
  const operator = reports.pop()!;
  log(
    `accounts ready: ${reports.map((a) => a.name).join(', ')} and ${operator.name} (operator key)`,
  );
  return { accounts: reports, operator };
}

interface Clients {
  readonly status: GrpcClient<statusV1.StatusServiceClient>;
  readonly interception: GrpcClient<interceptionV1.InterceptionServiceClient>;
  readonly replies: GrpcClient<replyV1.ReplyServiceClient>;
  /** One client per interception-service replica of an `ipv4:` list; else `interception`. */
  interceptionReplicas: readonly GrpcClient<interceptionV1.InterceptionServiceClient>[];
}

/** Everything the run learned and sent so far. */
class RunState {
  readonly model = new InterceptionModel();
  readonly settled: boolean[] = [];
  readonly messages: MessageReport[] = [];
  readonly replies: ReplyReport[] = [];
  readonly eventResults: Record<string, number> = {};
  readonly replyResults: Record<string, number> = {};
  /** (accountId, phone) pairs whose verdict a round changed: what settle waits for. */
  changed = new Map<string, { accountId: string; phone: string }>();
  eventsSent = 0;
  repliesSent = 0;
  grpcRetries = 0;
  /** Counts each retry of a call (see retry.ts). */
  readonly onRetry = (): void => {
    this.grpcRetries++;
  };
  private readonly problems: string[] = [];
  private problemCount = 0;

  constructor(readonly accountIds: readonly string[]) {}

  problem(text: string): void {
    this.problemCount++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(text);
  }

  markChanged(accountId: string, phone: string): void {
    this.changed.set(`${accountId}|${phone}`, { accountId, phone });
  }

  summary(
    head: Pick<
      SimulationSummary,
      'runId' | 'seed' | 'gatewayUrl' | 'accounts' | 'operator' | 'rounds' | 'durationMs'
    >,
  ): SimulationSummary {
    const messagesByStatus: Record<string, number> = {};
    const sendFailedByCode: Record<string, number> = {};
    const blockedByVerdict: Record<string, number> = {};
    const processFailedByReason: Record<string, number> = {};
    for (const message of this.messages) {
      increment(messagesByStatus, message.expected.status);
      if (message.expected.sendFailureCode)
        increment(sendFailedByCode, String(message.expected.sendFailureCode));
      if (message.verdict !== 'ALLOW') increment(processFailedByReason, message.verdict);
      if (BLOCK_VERDICTS.has(message.verdict)) increment(blockedByVerdict, message.verdict);
    }
    const expectedEntries = this.model.expectedEntries();
    const entriesByCode: Record<string, number> = {};
    for (const entry of expectedEntries) increment(entriesByCode, String(entry.code));
    const sent = this.messages.filter((m) => m.verdict === 'ALLOW');
    const problems =
      this.problemCount > this.problems.length
        ? [...this.problems, `... and ${this.problemCount - this.problems.length} more`]
        : [...this.problems];
    return {
      ...head,
      settled: this.settled,
      messages: this.messages,
      replies: this.replies,
      expectedEntries,
      unsubscribes: this.model.unsubscribes(),
      counts: {
        messages: this.messages.length,
        messagesByStatus,
        sendFailedByCode,
        blockedByVerdict,
        processFailedByReason,
        eventsSent: this.eventsSent,
        grpcRetries: this.grpcRetries,
        eventResults: this.eventResults,
        repliesSent: this.repliesSent,
        replyResults: this.replyResults,
        unsubscribeReplies: this.replies.filter((r) => r.keyword === 'UNSUBSCRIBE').length,
        entriesByCode,
        activeEntries: expectedEntries.filter((e) => e.state === 'ACTIVE').length,
        expiredEntries: expectedEntries.filter((e) => e.state === 'EXPIRED').length,
        outOfOrderReceipts: sent.filter((m) => m.receiptBeforeSubmitted).length,
        duplicateReceipts: sent.filter((m) => m.duplicateReceipt).length,
        conflictingReceipts: sent.filter((m) => m.conflictingReceipt).length,
      },
      problems,
    };
  }
}

async function checkVerdicts(
  interception: Clients['interception'],
  accountId: string,
  phones: readonly string[],
  onRetry: () => void,
  retry: RetryOptions = DEFAULT_RETRY,
): Promise<CheckVerdict[]> {
  const verdicts: CheckVerdict[] = [];
  for (const batch of chunks(phones)) {
    // A read: sent again as it is.
    const { response } = await withRetry(
      () => interception.checkBatch({ accountId, phones: batch }),
      retry,
      onRetry,
    );
    if (response.results.length !== batch.length) {
      throw new Error(
        `CheckBatch answered ${response.results.length} results for ${batch.length} numbers`,
      );
    }
    for (const result of response.results)
      verdicts.push(stripPrefix(result.verdict, 'VERDICT_') as CheckVerdict);
  }
  return verdicts;
}

const BLOCK_VERDICTS: ReadonlySet<string> = new Set([
  'GLOBAL_BLOCK',
  'PARTIAL_BLOCK',
  'UNSUBSCRIBE',
]);
const REASONS: ReadonlySet<string> = new Set(PROCESS_FAILED_REASONS_BY_PRECEDENCE);

interface AdmitAnswer {
  readonly verdict: AdmitVerdict;
  readonly detail: string;
  readonly entries: number;
  /** Its batch was sent more than once (see admitMessages). */
  readonly retried: boolean;
}

async function admitMessages(
  interception: Clients['interception'],
  accountId: string,
  messages: readonly PlannedMessage[],
  onRetry: () => void,
): Promise<AdmitAnswer[]> {
  const answers: AdmitAnswer[] = [];
  for (const batch of chunks(messages)) {
    // AdmitBatch only reads, but for one write: each allowed message counts towards its
    // number's frequency limits. An attempt lost with its replica may have counted them already,
    // so the retry may answer FREQUENCY_OVERRUN where the first would have allowed — as it would
    // for a real sending service that retries; playRound accepts that answer for a retried batch.
    const { response, retried } = await withRetry(
      () =>
        interception.admitBatch({
          accountId,
          messages: batch.map((m) => ({
            phone: m.recipient,
            templateId: m.templateId,
            templateType: `TEMPLATE_TYPE_${m.templateType}` as commonV1.TemplateType,
            templateText: m.text.templateText,
            variables: { ...m.text.variables },
            content: m.text.content,
            labels: [...m.labels],
          })),
        }),
      undefined,
      onRetry,
    );
    if (response.results.length !== batch.length) {
      throw new Error(
        `AdmitBatch answered ${response.results.length} results for ${batch.length} messages`,
      );
    }
    for (const result of response.results) {
      const reason = stripPrefix(result.reason, 'PROCESS_FAILED_REASON_');
      const allowed = stripPrefix(result.decision, 'ADMIT_DECISION_') === 'ALLOW';
      if (!allowed && !REASONS.has(reason))
        throw new Error(`AdmitBatch answered an unknown reason ${String(result.reason)}`);
      answers.push({
        verdict: allowed ? 'ALLOW' : (reason as AdmitVerdict),
        detail: result.detail,
        entries: result.entries,
        retried,
      });
    }
  }
  return answers;
}

/**
 * What admission may answer for a message: its block when the model has one (blocks outrank
 * everything), else the planned problem's reason, else ALLOW — or FREQUENCY_OVERRUN, which a
 * number revisited with the same template within a minute of real time gets.
 */
function acceptableVerdicts(block: CheckVerdict, message: PlannedMessage): AdmitVerdict[] {
  if (block !== 'ALLOW') return [block];
  switch (message.problem) {
    case 'KEYWORD':
      return ['KEYWORD_BLOCK'];
    case 'VARIABLE':
      return ['VARIABLE_ERROR'];
    case 'CONTENT':
      return ['CONTENT_ERROR'];
    case 'OTHER':
      return ['OTHER'];
    case 'FREQUENCY_PAIR':
      return ['ALLOW'];
    default:
      return message.round === 0 ? ['ALLOW'] : ['ALLOW', 'FREQUENCY_OVERRUN'];
  }
}

/** Progress within a round: its phase and the fraction (0..1) of the round done. */
type RoundProgress = (phase: string, fraction: number) => void;

async function playRound(
  round: PlannedRound,
  clients: Clients,
  run: RunState,
  log: (line: string) => void,
  report: RoundProgress,
): Promise<void> {
  const { accountIds, model } = run;
  run.changed = new Map();

  // 1. The sending service asks before it sends: AdmitBatch per account, messages in order.
  report('admit', 0);
  const verdicts = new Map<string, AdmitVerdict>();
  const details = new Map<string, string>();
  for (let index = 0; index < accountIds.length; index++) {
    const accountId = accountIds[index];
    const mine = round.messages.filter((m) => m.accountIndex === index);
    if (mine.length === 0) continue;
    const answers = await admitMessages(clients.interception, accountId, mine, run.onRetry);
    const pairsSeen = new Set<string>();
    mine.forEach((message, n) => {
      const answer = answers[n];
      verdicts.set(message.messageId, answer.verdict);
      if (answer.verdict !== 'ALLOW') details.set(message.messageId, answer.detail);
      const acceptable = acceptableVerdicts(
        model.verdictFor(accountId, message.recipient),
        message,
      );
      if (
        message.problem === 'FREQUENCY_PAIR' &&
        acceptable.length === 1 &&
        acceptable[0] === 'ALLOW'
      ) {
        // The first of the pair goes; the second is over the per-template limit.
        const pair = `${message.recipient}|${message.templateId}`;
        if (pairsSeen.has(pair)) acceptable[0] = 'FREQUENCY_OVERRUN';
        pairsSeen.add(pair);
      }
      if (answer.retried && acceptable.includes('ALLOW')) acceptable.push('FREQUENCY_OVERRUN');
      if (!acceptable.includes(answer.verdict)) {
        run.problem(
          `Admit ${message.messageId} to ${message.recipient} for ${accountId}: ${answer.verdict} (${answer.detail}), expected ${acceptable.join(' or ')}`,
        );
      }
      if (answer.entries !== 0 && answer.entries !== message.entries) {
        run.problem(
          `Admit ${message.messageId}: ${answer.entries} entries, the simulator counted ${message.entries}`,
        );
      }
    });
  }

  // 2. Events in waves: accepted, submitted / refused, receipts, repeats.
  const waves = roundEventWaves(round.messages, accountIds, verdicts, details);
  const eventCount = waves.reduce((sum, wave) => sum + wave.length, 0);
  let eventsDone = 0;
  for (const wave of waves) {
    for (const batch of chunks(wave)) {
      // Idempotent by each event's key: an event the lost attempt recorded comes back DUPLICATE
      // (or IGNORED, when it carries no eventId and the message has moved past it).
      const { response, retried } = await withRetry(
        () => clients.status.recordEvents({ events: batch.map(toProtoEvent) }),
        undefined,
        run.onRetry,
      );
      run.eventsSent += batch.length;
      eventsDone += batch.length;
      report('events', (0.9 * eventsDone) / Math.max(eventCount, 1));
      batch.forEach((event, n) => {
        const outcome = response.outcomes[n];
        const result = outcome ? stripPrefix(outcome.result, 'EVENT_RESULT_') : 'MISSING';
        increment(run.eventResults, result);
        const replayed = retried && (result === 'DUPLICATE' || result === 'IGNORED');
        if (event.expect !== 'ANY' && result !== event.expect && !replayed) {
          run.problem(
            `${event.detail.kind} of ${event.messageId}${event.eventId ? '' : ' (no eventId)'}: ${result}, expected ${event.expect}${outcome?.reason ? ` (${outcome.reason})` : ''}`,
          );
        }
      });
    }
  }

  // 3. What the receipts must have done to the block list.
  for (const message of round.messages) {
    const verdict = verdicts.get(message.messageId) ?? 'ALLOW';
    const accountId = accountIdAt(accountIds, message.accountIndex);
    run.messages.push(messageReport(message, accountId, verdict));
    if (verdict === 'ALLOW' && message.outcome.kind === 'SEND_FAILED') {
      model.recordFailure(accountId, message.recipient, message.outcome.code, message.messageId);
      if (catalogue.ruleFor(message.outcome.code).blocks)
        run.markChanged(accountId, message.recipient);
    }
  }

  // 4. Recipients reply to delivered messages.
  const messagesById = new Map(round.messages.map((m) => [m.messageId, m]));
  const { sent, calls } = roundReplyCalls(round.replies, messagesById, accountIds, verdicts);
  report('replies', 0.9);
  for (const call of calls) {
    for (const batch of chunks(call)) {
      if (batch.length === 0) continue;
      // Idempotent by replyId: a reply the lost attempt stored comes back DUPLICATE.
      const { response, retried } = await withRetry(
        () => clients.replies.recordReplies({ replies: batch.map(toProtoReply) }),
        undefined,
        run.onRetry,
      );
      run.repliesSent += batch.length;
      batch.forEach((reply, n) => {
        const outcome = response.outcomes[n];
        const result = outcome ? stripPrefix(outcome.result, 'REPLY_RESULT_') : 'MISSING';
        increment(run.replyResults, result);
        if (result !== reply.expect && !(retried && result === 'DUPLICATE')) {
          run.problem(
            `reply ${reply.replyId}: ${result}, expected ${reply.expect}${outcome?.reason ? ` (${outcome.reason})` : ''}`,
          );
        }
        if (outcome && reply.expect === 'APPLIED' && result === 'APPLIED') {
          const plan = sent.find((r) => r.replyId === reply.replyId)!;
          const attribution = stripPrefix(outcome.attribution, 'ATTRIBUTION_');
          const action = stripPrefix(outcome.keywordAction, 'KEYWORD_ACTION_');
          if (attribution !== ATTRIBUTION_FOR[plan.naming]) {
            run.problem(
              `reply ${reply.replyId}: attribution ${attribution}, expected ${ATTRIBUTION_FOR[plan.naming]}`,
            );
          }
          if (action !== plan.keyword)
            run.problem(
              `reply ${reply.replyId} "${plan.content}": keyword ${action}, expected ${plan.keyword}`,
            );
        }
      });
    }
  }
  for (const reply of sent) {
    const message = messagesById.get(reply.answersMessageId)!;
    const accountId = accountIdAt(accountIds, message.accountIndex);
    run.replies.push({
      replyId: reply.replyId,
      phone: reply.phone,
      content: reply.content,
      keyword: reply.keyword,
      naming: reply.naming,
      duplicate: reply.duplicate,
      accountId,
      messageId: message.messageId,
    });
    if (reply.keyword === 'UNSUBSCRIBE') {
      model.recordUnsubscribe(accountId, reply.phone);
      run.markChanged(accountId, reply.phone);
    }
  }
  const refused = [...verdicts.values()].filter((v) => v !== 'ALLOW').length;
  log(
    `round ${round.index + 1}: ${round.messages.length} messages (${refused} refused at admission), ${sent.length} replies`,
  );
}

function messageReport(
  message: PlannedMessage,
  accountId: string,
  verdict: AdmitVerdict,
): MessageReport {
  return {
    messageId: message.messageId,
    accountId,
    recipient: message.recipient,
    round: message.round,
    verdict,
    expected: expectedMessage(message, verdict),
    receiptBeforeSubmitted: verdict === 'ALLOW' && message.receiptBeforeSubmitted,
    duplicateReceipt: verdict === 'ALLOW' && message.duplicateReceipt,
    conflictingReceipt: verdict === 'ALLOW' && message.conflictingReceipt,
  };
}

/**
 * Waits until Check answers, for every number whose verdict this round changed, what the model
 * expects: the failures travel status-tracker → outbox → interception, and unsubscribes
 * reply-service → outbox → interception, both asynchronously. Polls; never a fixed sleep.
 */
async function settle(
  replicas: Clients['interceptionReplicas'],
  run: RunState,
  timeoutMs: number,
): Promise<boolean> {
  const pending = [...run.changed.values()];
  if (pending.length === 0) return true;
  const byAccount = new Map<string, string[]>();
  for (const { accountId, phone } of pending)
    byAccount.set(accountId, [...(byAccount.get(accountId) ?? []), phone]);
  const deadline = Date.now() + timeoutMs;
  for (let interval = 50; ; interval = Math.min(interval * 2, 500)) {
    let done = true;
    let answered = 0;
    for (const replica of replicas) {
      // Each replica asked itself, once: one that is down (killed, starting) serves no traffic
      // and is skipped when there are others; one that answers must agree.
      for (const [accountId, phones] of byAccount) {
        try {
          const verdicts = await checkVerdicts(replica, accountId, phones, run.onRetry, NO_RETRY);
          answered++;
          if (verdicts.some((verdict, n) => verdict !== run.model.verdictFor(accountId, phones[n])))
            done = false;
        } catch (error) {
          if (replicas.length === 1 || !isRetryable(error)) done = false;
          break;
        }
      }
    }
    if (done && answered > 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
