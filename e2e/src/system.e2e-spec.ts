// The whole system as four processes over real gRPC, PostgreSQL and Redis: the simulator plays
// the sending service and the channels, then everything is checked through the REST API only.
import { GRPC_SERVICES, toTimestamp, type statusV1 } from '@sms/contracts';
import {
  CodeCatalogue,
  PROCESS_FAILED_REASONS_BY_PRECEDENCE,
  SEND_FAILURE_CODES,
} from '@sms/domain-catalogue';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { createGrpcClient } from '@sms/platform-grpc';
import { waitFor } from '@sms/testing';
import { randomBytes } from 'node:crypto';
import { GatewayClient, mapLimited } from './gateway-client';
import { exposedMetricNames, metricNamesIn, observabilityExpressions } from './observability-names';
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver';
import { runSimulator, type SimulationSummary } from './simulator-process';
import { startSystem, type RunningSystem } from './system-under-test';

interface RestMessage {
  messageId: string;
  accountId: string;
  recipient: string;
  status: string;
  reasonCode: string | null;
  reasonText: string | null;
  sendFailureCode: number | null;
  channelSendTime: string | null;
  sendLog?: { kind: string; result: string; statusAfter: string }[];
}
interface RestEntry {
  entryId: string;
  phone: string;
  scope: string;
  ownedByYou: boolean;
  ownerAccountId: string | null;
  source: string;
  reasonCode: string | null;
  reasonText: string | null;
  sendFailureCode: number | null;
  messageId: string | null;
  state: string;
}
interface RestCheck {
  phone: string;
  verdict: string;
  entry: RestEntry | null;
  unsubscribe: { phone: string; source: string } | null;
}
interface RestUnsubscribe {
  phone: string;
  source: string;
  replyId: string | null;
}
interface RestReply {
  replyId: string;
  phone: string;
  accountId: string | null;
  messageId: string | null;
  attribution: string;
  keywordAction: string;
}

const SEED = 3;
const catalogue = new CodeCatalogue();
const lower = (value: string) => value.toLowerCase();
const countBy = <T>(items: readonly T[], key: (item: T) => string): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
};

describe('the whole system, four processes, driven by the simulator', () => {
  let system: RunningSystem;
  let summary: SimulationSummary;
  let collector: OtlpReceiver;
  const customer = (accountId: string): GatewayClient => {
    if (!summary) throw new Error('the simulation did not complete: see the first test');
    const account = summary.accounts.find((a) => a.accountId === accountId);
    if (!account) throw new Error(`no key for ${accountId}`);
    return new GatewayClient(system.gatewayUrl, account.authorization);
  };
  const operator = (): GatewayClient =>
    new GatewayClient(system.gatewayUrl, summary.operator.authorization);
  /** Explains a failure with the services' logs. */
  const withLogs = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      const tail = system.output().split('\n').slice(-80).join('\n');
      (error as Error).message += `\n--- last service output ---\n${tail}`;
      throw error;
    }
  };

  beforeAll(async () => {
    collector = await startOtlpReceiver();
    system = await startSystem({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint });
  }, 170_000);

  afterAll(async () => {
    await system?.cleanUp();
    await collector?.close();
  });

  it('plays 200 messages over 2 accounts with every answer as the spec implies', async () => {
    const run = await withLogs(() =>
      runSimulator(system, ['--messages', '200', '--accounts', '2', '--seed', String(SEED)]),
    );
    // Exit 1 means the simulator saw an answer the spec does not allow: listed in problems.
    await withLogs(async () =>
      expect({
        problems: run.summary.problems,
        exitCode: run.exitCode,
        progress: run.stderr.split('\n'),
      }).toEqual({
        problems: [],
        exitCode: 0,
        // stderr is not a terminal here: plain progress lines instead of a bar, ending complete.
        progress: expect.arrayContaining([
          expect.stringMatching(
            /^progress: 200\/200 messages \(100%\), round (\d+)\/\1, settling$/,
          ),
        ]),
      }),
    );
    summary = run.summary;
    // Every RecordEvents / RecordReplies / CheckBatch answer matched, every round settled.
    expect(summary.settled.every(Boolean)).toBe(true);
    // The scenario really exercised what it claims to.
    expect(Object.keys(summary.counts.sendFailedByCode).sort()).toEqual(
      SEND_FAILURE_CODES.map(String),
    );
    expect(Object.keys(summary.counts.blockedByVerdict).sort()).toEqual([
      'GLOBAL_BLOCK',
      'PARTIAL_BLOCK',
      'UNSUBSCRIBE',
    ]);
    // Admission decided every process-failed reason of the spec at least once.
    expect(Object.keys(summary.counts.processFailedByReason).sort()).toEqual(
      [...PROCESS_FAILED_REASONS_BY_PRECEDENCE].sort(),
    );
    expect(summary.counts.outOfOrderReceipts).toBeGreaterThan(0);
    expect(summary.counts.duplicateReceipts).toBeGreaterThan(0);
    expect(summary.counts.conflictingReceipts).toBeGreaterThan(0);
    expect(summary.counts.eventResults['DUPLICATE']).toBe(summary.counts.duplicateReceipts);
    expect(summary.counts.eventResults['IGNORED']).toBe(summary.counts.conflictingReceipts);
    expect(summary.unsubscribes.length).toBeGreaterThan(0);
    expect(summary.messages).toHaveLength(200);
  });

  it('shows each message with the status, reason and send log its events imply', async () => {
    await withLogs(() =>
      mapLimited(summary.messages, 8, async (expected) => {
        const message = await customer(expected.accountId).get<RestMessage>(
          `/v1/messages/${encodeURIComponent(expected.messageId)}`,
        );
        const want = expected.expected;
        const context = `${expected.messageId} (${JSON.stringify(expected)})`;
        expect({ id: context, status: message.status }).toEqual({
          id: context,
          status: lower(want.status),
        });
        expect(message.accountId).toBe(expected.accountId);
        expect(message.recipient).toBe(expected.recipient);
        if (want.processFailedReason) {
          expect(message.reasonCode).toBe(lower(want.processFailedReason));
          expect(message.reasonText).toEqual(expect.any(String));
          expect(message.sendFailureCode).toBeNull();
        } else if (want.sendFailureCode) {
          expect(message.reasonCode).toBe(lower(catalogue.ruleFor(want.sendFailureCode).name));
          expect(message.reasonText).toBe(catalogue.ruleFor(want.sendFailureCode).description);
          expect(message.sendFailureCode).toBe(want.sendFailureCode);
        } else {
          expect(message.reasonCode).toBeNull();
        }
        const log = message.sendLog ?? [];
        const applied = log
          .filter((entry) => entry.result === 'applied')
          // After an early receipt, SUBMITTED only records the send time (spec leaves its result open).
          .filter((entry) => !(expected.receiptBeforeSubmitted && entry.kind === 'submitted'))
          .map((entry) => entry.kind);
        expect({ id: context, applied }).toEqual({
          id: context,
          applied: want.appliedKinds.map(lower),
        });
        for (const kind of want.ignoredKinds) {
          expect(log).toContainEqual(
            expect.objectContaining({ kind: lower(kind), result: 'ignored' }),
          );
        }
        if (expected.receiptBeforeSubmitted) expect(message.channelSendTime).not.toBeNull();
      }),
    );
  });

  it('lists exactly the messages sent, per account and per status: nothing lost or doubled', async () => {
    for (const account of summary.accounts) {
      const mine = summary.messages.filter((m) => m.accountId === account.accountId);
      const listed = await customer(account.accountId).all<RestMessage>('/v1/messages');
      expect(listed.map((m) => m.messageId).sort()).toEqual(mine.map((m) => m.messageId).sort());
      const expectedByStatus = countBy(mine, (m) => lower(m.expected.status));
      for (const status of [
        'sending',
        'wait_result',
        'delivered',
        'process_failed',
        'send_failed',
      ]) {
        const filtered = await customer(account.accountId).all<RestMessage>('/v1/messages', {
          status,
        });
        expect({ status, count: filtered.length }).toEqual({
          status,
          count: expectedByStatus[status] ?? 0,
        });
      }
      // Each process-failed reason with exactly as many messages as admission gave it.
      for (const reason of PROCESS_FAILED_REASONS_BY_PRECEDENCE) {
        const filtered = await customer(account.accountId).all<RestMessage>('/v1/messages', {
          status: 'process_failed',
          reasonCode: lower(reason),
        });
        expect({ reason, count: filtered.length }).toEqual({
          reason,
          count: mine.filter((m) => m.expected.processFailedReason === reason).length,
        });
      }
      const failures = mine.filter((m) => m.expected.sendFailureCode !== undefined);
      for (const code of SEND_FAILURE_CODES) {
        const filtered = await customer(account.accountId).all<RestMessage>('/v1/messages', {
          status: 'send_failed',
          reasonCode: String(code),
        });
        expect({ code, count: filtered.length }).toEqual({
          code,
          count: failures.filter((m) => m.expected.sendFailureCode === code).length,
        });
      }
    }
  });

  it('has one block-list entry per reported failure, with the scope, state and owner of its code', async () => {
    const expected = summary.expectedEntries;
    // 0-second codes are recorded asynchronously too and never show up in Check: wait for them.
    const entries = await withLogs(() =>
      waitFor(
        async () => {
          const all = await operator().all<RestEntry>('/v1/admin/block-list');
          return all.length >= expected.length ? all : undefined;
        },
        {
          timeoutMs: 30_000,
          intervalMs: 200,
          description: `${expected.length} block-list entries`,
        },
      ),
    );
    const key = (e: {
      phone: string;
      scope: string;
      owner: string | null;
      code: number | null;
      state: string;
      messageId: string | null;
    }) => `${e.phone}|${e.scope}|${e.owner}|${e.code}|${e.state}|${e.messageId}`;
    expect(
      entries.map((e) => key({ ...e, owner: e.ownerAccountId, code: e.sendFailureCode })).sort(),
    ).toEqual(
      expected
        .map((e) =>
          key({
            phone: e.phone,
            scope: lower(e.scope),
            owner: e.ownerAccountId,
            code: e.code,
            state: lower(e.state),
            messageId: e.messageId,
          }),
        )
        .sort(),
    );
    expect(entries.every((e) => e.source === 'send_failure')).toBe(true);
    // The code table, per code: scope and whether the entry is active.
    for (const entry of entries) {
      const rule = catalogue.ruleFor(entry.sendFailureCode ?? 0);
      expect({ code: rule.code, scope: entry.scope, state: entry.state }).toEqual({
        code: rule.code,
        scope: lower(rule.scope),
        state: rule.blocks ? 'active' : 'expired',
      });
      expect(entry.reasonCode).toBe(lower(rule.name));
    }
    expect(countBy(entries, (e) => String(e.sendFailureCode))).toEqual(
      summary.counts.entriesByCode,
    );
    // Each customer sees its own entries.
    for (const account of summary.accounts) {
      const own = await customer(account.accountId).all<RestEntry>('/v1/block-list');
      expect(own.map((e) => e.entryId).sort()).toEqual(
        entries
          .filter((e) => e.ownerAccountId === account.accountId)
          .map((e) => e.entryId)
          .sort(),
      );
      expect(own.every((e) => e.ownedByYou)).toBe(true);
    }
  });

  it('answers a later Check of every affected number with the verdict blocks and unsubscribes imply', async () => {
    const activeGlobal = new Set(
      summary.expectedEntries
        .filter((e) => e.state === 'ACTIVE' && e.scope === 'GLOBAL')
        .map((e) => e.phone),
    );
    const activeLocal = new Set(
      summary.expectedEntries
        .filter((e) => e.state === 'ACTIVE' && e.scope === 'LOCAL')
        .map((e) => `${e.ownerAccountId}|${e.phone}`),
    );
    const unsubscribed = new Set(summary.unsubscribes.map((u) => `${u.accountId}|${u.phone}`));
    const verdictFor = (accountId: string, phone: string): string =>
      activeGlobal.has(phone)
        ? 'global_block'
        : activeLocal.has(`${accountId}|${phone}`)
          ? 'partial_block'
          : unsubscribed.has(`${accountId}|${phone}`)
            ? 'unsubscribe'
            : 'allow';
    const phones = [
      ...new Set([
        ...summary.expectedEntries.map((e) => e.phone),
        ...summary.unsubscribes.map((u) => u.phone),
      ]),
    ];
    const pairs = phones.flatMap((phone) =>
      summary.accounts.map((a) => ({ phone, accountId: a.accountId })),
    );
    const answers = await withLogs(() =>
      mapLimited(pairs, 8, async ({ phone, accountId }) => {
        const check = await customer(accountId).get<RestCheck>('/v1/block-list/check', { phone });
        return { phone, accountId, check };
      }),
    );
    for (const { phone, accountId, check } of answers) {
      const want = verdictFor(accountId, phone);
      expect({ phone, accountId, verdict: check.verdict }).toEqual({
        phone,
        accountId,
        verdict: want,
      });
      if (want === 'global_block' || want === 'partial_block') {
        expect(check.entry).toEqual(expect.objectContaining({ phone, state: 'active' }));
        const owner = summary.expectedEntries.find(
          (e) =>
            e.phone === phone &&
            e.state === 'ACTIVE' &&
            (want === 'global_block' ? e.scope === 'GLOBAL' : e.ownerAccountId === accountId),
        )?.ownerAccountId;
        // Another customer's global entry blocks, but never reveals who caused it.
        expect(check.entry).toEqual(
          expect.objectContaining(
            owner === accountId
              ? { ownedByYou: true, ownerAccountId: accountId }
              : { ownedByYou: false, ownerAccountId: null, messageId: null },
          ),
        );
      }
      if (want === 'unsubscribe') {
        expect(check.unsubscribe).toEqual(expect.objectContaining({ phone, source: 'reply' }));
      }
    }
    // Every kind of verdict was seen, including a local block that lets the other account through
    // and an unsubscribe honoured for its account only.
    expect(new Set(answers.map((a) => a.check.verdict))).toEqual(
      new Set(['global_block', 'partial_block', 'unsubscribe', 'allow']),
    );
    const localOnly = answers.filter(
      (a) =>
        a.check.verdict === 'partial_block' &&
        answers.some((b) => b.phone === a.phone && b.check.verdict === 'allow'),
    );
    expect(localOnly.length).toBeGreaterThan(0);
    const someoneElsesGlobal = answers.filter(
      (a) => a.check.verdict === 'global_block' && a.check.entry?.ownedByYou === false,
    );
    expect(someoneElsesGlobal.length).toBeGreaterThan(0);
    const unsubscribeOnly = answers.filter(
      (a) =>
        a.check.verdict === 'unsubscribe' &&
        answers.some((b) => b.phone === a.phone && b.check.verdict === 'allow'),
    );
    expect(unsubscribeOnly.length).toBeGreaterThan(0);
  });

  it('lists the unsubscribes the replies asked for, per account, exactly once', async () => {
    for (const account of summary.accounts) {
      const expectedCount = summary.unsubscribes.filter(
        (u) => u.accountId === account.accountId,
      ).length;
      // Check only proves an unsubscribe that no block outranks; wait for the others too.
      const listed = await waitFor(
        async () => {
          const all = await customer(account.accountId).all<RestUnsubscribe>('/v1/unsubscribes');
          return all.length >= expectedCount ? all : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 200, description: `${expectedCount} unsubscribes` },
      );
      expect(listed.map((u) => u.phone).sort()).toEqual(
        summary.unsubscribes
          .filter((u) => u.accountId === account.accountId)
          .map((u) => u.phone)
          .sort(),
      );
      expect(listed.every((u) => u.source === 'reply' && u.replyId !== null)).toBe(true);
    }
  });

  it('stores every reply once, attributed to the message it answers', async () => {
    const attribution = {
      MESSAGE: 'message_id',
      ACCOUNT: 'account_latest',
      NONE: 'latest_message',
    };
    for (const account of summary.accounts) {
      const listed = await customer(account.accountId).all<RestReply>('/v1/replies');
      const expected = summary.replies.filter((r) => r.accountId === account.accountId);
      expect(listed.map((r) => r.replyId).sort()).toEqual(expected.map((r) => r.replyId).sort());
      for (const want of expected) {
        expect(listed.find((r) => r.replyId === want.replyId)).toEqual(
          expect.objectContaining({
            phone: want.phone,
            accountId: account.accountId,
            messageId: want.messageId,
            attribution: attribution[want.naming],
            keywordAction: lower(want.keyword),
          }),
        );
      }
    }
  });

  it('follows one REST call through the gateway to interception-service in one trace', async () => {
    const traceId = randomBytes(16).toString('hex');
    const message = summary.messages[0];
    const account = summary.accounts.find((a) => a.accountId === message.accountId)!;
    const phone = encodeURIComponent(message.recipient);
    const response = await fetch(`${system.gatewayUrl}/v1/block-list/check?phone=${phone}`, {
      headers: {
        Authorization: account.authorization,
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
    });
    expect({ status: response.status, body: await response.text() }).toEqual({
      status: 200,
      body: expect.any(String),
    });
    // Each process exports its spans in batches (about every second), so wait for the whole
    // chain: interception-service's server span and, as its parent, the gateway's client span.
    const chain = await waitFor(
      () => {
        const spans = collector.spans(traceId);
        const server = spans.find(
          (span) => span.service === 'interception-service' && span.name.endsWith('/Check'),
        );
        const client = spans.find(
          (span) => span.service === 'gateway' && span.spanId === server?.parentSpanId,
        );
        return server && client ? { server, client, spans } : null;
      },
      { timeoutMs: 30_000, description: 'the Check call in one trace from both processes' },
    );
    expect(chain.client.kind).toBe(3); // SPAN_KIND_CLIENT
    expect(chain.server.kind).toBe(2); // SPAN_KIND_SERVER
    // The REST request itself is the gateway's root of the trace.
    expect(chain.spans.some((span) => span.service === 'gateway' && span.kind === 2)).toBe(true);
    // The service's own log lines carry the trace id (the gateway logs the request).
    await waitFor(() => system.output('gateway').includes(`"trace_id":"${traceId}"`), {
      timeoutMs: 10_000,
      description: 'the gateway request log with the trace id',
    });
  });

  it('follows a RecordEvents send failure through the outbox job to interception-service in one trace', async () => {
    const traceId = randomBytes(16).toString('hex');
    const messageId = `trace-${traceId.slice(0, 12)}`;
    const template = summary.messages[0];
    const status = createGrpcClient<statusV1.StatusServiceClient>(GRPC_SERVICES.status, {
      target: system.targets.status,
      deadlineMs: 10_000,
      callerToken: DEVELOPMENT_GRPC_TOKENS.sender,
    });
    try {
      const event = (
        kind: string,
        detail: Partial<statusV1.MessageEvent>,
      ): statusV1.MessageEvent => ({
        eventId: `${messageId}-${kind}`,
        messageId,
        occurredAt: toTimestamp(new Date()),
        ...detail,
      });
      const response = await status.recordEvents(
        {
          events: [
            event('accepted', {
              accepted: {
                accountId: template.accountId,
                smsUser: 'trace',
                recipient: template.recipient,
                entries: 1,
                templateId: 'trace',
                templateType:
                  'TEMPLATE_TYPE_NOTIFICATION' as statusV1.MessageEvent['accepted'] extends
                    { templateType: infer T } | undefined
                    ? T
                    : never,
                labels: [],
              },
            }),
            event('failed', {
              sendFailed: {
                code: 'SEND_FAILURE_CODE_OTHER' as NonNullable<
                  statusV1.MessageEvent['sendFailed']
                >['code'],
                detail: 'traced',
                operator: '',
              },
            }),
          ],
        },
        { metadata: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } },
      );
      expect(response.outcomes.map((outcome) => outcome.result)).toEqual([
        'EVENT_RESULT_APPLIED',
        'EVENT_RESULT_APPLIED',
      ]);
    } finally {
      status.close();
    }
    const chain = await waitFor(
      () => {
        const spans = collector.spans(traceId);
        const job = spans.find((span) => span.name === 'failure-outbox RecordFailure');
        const server = spans.find(
          (span) => span.service === 'interception-service' && span.name.endsWith('/RecordFailure'),
        );
        return job && server ? { job, server, spans } : null;
      },
      { timeoutMs: 60_000, description: 'the outbox job and RecordFailure in the trace' },
    );
    expect(chain.job.service).toBe('status-tracker');
    expect(
      chain.spans.some(
        (span) => span.service === 'status-tracker' && span.name.endsWith('/RecordEvents'),
      ),
    ).toBe(true);
  });

  it('exports every metric that a dashboard panel or an alert rule of deploy/observability names', async () => {
    const exposed = new Set<string>();
    for (const url of Object.values(system.metricsUrls)) {
      for (const name of exposedMetricNames(await (await fetch(url)).text())) exposed.add(name);
    }
    const missing = observabilityExpressions().flatMap(({ where, expr }) =>
      metricNamesIn(expr)
        .filter((name) => !exposed.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('stops every service gracefully on SIGTERM with exit code 0', async () => {
    const exits = await system.stop();
    expect(exits).toEqual({
      gateway: { code: 0, signal: null },
      'status-tracker': { code: 0, signal: null },
      'interception-service': { code: 0, signal: null },
      'reply-service': { code: 0, signal: null },
    });
  });

  it('wrote no phone number of the run into any log line of any service', () => {
    const phones = new Set([
      ...summary.messages.map((m) => m.recipient),
      ...summary.replies.map((r) => r.phone),
      ...summary.expectedEntries.map((e) => e.phone),
      ...summary.unsubscribes.map((u) => u.phone),
    ]);
    // The last 9 digits: found whatever country prefix or separators a line used.
    const tails = [...phones].map((phone) => phone.replace(/\D/g, '').slice(-9));
    expect(tails.length).toBeGreaterThan(100);
    const lines = system.output().split('\n');
    expect(lines.filter((line) => line.includes('"statusCode":null'))).toEqual([]);
    const leaks = lines.flatMap((line) => {
      const joined = line.replace(/(?<=\d)(?:[\s().+-]|%2[0B8-9DE])+(?=\d)/gi, '');
      return tails.filter((tail) => joined.includes(tail)).map((tail) => ({ tail, line }));
    });
    expect(leaks).toEqual([]);
    // Dates stay readable.
    expect(system.output()).toMatch(/"time":"\d{4}-\d{2}-\d{2}T/);
  });
});
