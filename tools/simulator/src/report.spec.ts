import { formatReport, leftoverLines } from './report';
import type { SimulationSummary } from './simulation';

const account = (n: number) => ({
  accountId: `acc_${n}`,
  name: `sim-${n}`,
  keyId: `key_${n}`,
  token: `key_${n}.s`,
  authorization: `Bearer key_${n}.s`,
  consoleUser: { email: `user${n}@example.com`, password: `password-${n}-long` },
});

const summary = (problems: string[]): SimulationSummary => ({
  runId: 'run1',
  seed: 3,
  gatewayUrl: 'http://127.0.0.1:3000',
  accounts: [account(1), account(2)],
  operator: account(9),
  rounds: 2,
  settled: [true, true],
  messages: [],
  replies: [],
  expectedEntries: [
    {
      phone: '+447911100001',
      scope: 'GLOBAL',
      ownerAccountId: 'acc_1',
      code: 500,
      state: 'ACTIVE',
      messageId: 'm-1',
      renewals: 0,
    },
  ],
  unsubscribes: [{ accountId: 'acc_2', phone: '+447911100002' }],
  counts: {
    messages: 60,
    messagesByStatus: { DELIVERED: 50, SEND_FAILED: 10 },
    sendFailedByCode: { '500': 1 },
    blockedByVerdict: {},
    processFailedByReason: {},
    eventsSent: 130,
    grpcRetries: 0,
    eventResults: { APPLIED: 130 },
    repliesSent: 4,
    replyResults: { APPLIED: 4 },
    unsubscribeReplies: 1,
    entriesByCode: { '500': 1 },
    activeEntries: 1,
    expiredEntries: 0,
    outOfOrderReceipts: 1,
    duplicateReceipts: 0,
    conflictingReceipts: 0,
  },
  problems,
  durationMs: 1500,
});

describe('formatReport', () => {
  it('prints the counts and curl commands with a real key, phones URL-encoded', () => {
    const text = formatReport(summary([]));
    expect(text).toContain('final statuses:  delivered 50, send_failed 10');
    expect(text).toContain('every answer was what the spec implies');
    expect(text).toContain(
      "curl -s -H 'Authorization: Bearer key_1.s' 'http://127.0.0.1:3000/v1/block-list/check?phone=%2B447911100001'",
    );
    // The unsubscribe is checked with its own account's key.
    expect(text).toContain(
      "-H 'Authorization: Bearer key_2.s' 'http://127.0.0.1:3000/v1/block-list/check?phone=%2B447911100002'",
    );
    expect(text).toContain("Bearer key_9.s' 'http://127.0.0.1:3000/v1/admin/block-list");
  });

  it('explains messages left sending or wait_result, and says nothing when there are none', () => {
    const text = formatReport({
      ...summary([]),
      counts: {
        ...summary([]).counts,
        messagesByStatus: { DELIVERED: 50, SENDING: 3, WAIT_RESULT: 7 },
      },
    });
    expect(text).toContain('final statuses:  delivered 50, sending 3, wait_result 7');
    expect(text).toMatch(/still open \(on purpose, not stuck\):/);
    expect(text).toMatch(/3 sending: accepted, then deliberately never handed to a channel/);
    expect(text).toMatch(
      /7 wait_result: handed to a channel that deliberately never sends a receipt.*WAIT_RESULT_TIMEOUT_HOURS \(default 72 h\)/,
    );
    expect(leftoverLines({ WAIT_RESULT: 1 })).toHaveLength(2);
    expect(leftoverLines({ DELIVERED: 5 })).toEqual([]);
    expect(formatReport(summary([]))).not.toContain('still open');
  });

  it('lists problems instead of claiming success', () => {
    const text = formatReport(summary(['reply r-1: REJECTED, expected APPLIED']));
    expect(text).toContain('PROBLEMS (1):');
    expect(text).toContain('- reply r-1: REJECTED, expected APPLIED');
    expect(text).not.toContain('every answer was what the spec implies');
  });
});
