import { formatReport } from './report';
import type { SimulationSummary } from './simulation';

const account = (n: number) => ({
  accountId: `acc_${n}`,
  name: `sim-${n}`,
  keyId: `key_${n}`,
  token: `key_${n}.s`,
  authorization: `Bearer key_${n}.s`,
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
    eventsSent: 130,
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

  it('lists problems instead of claiming success', () => {
    const text = formatReport(summary(['reply r-1: REJECTED, expected APPLIED']));
    expect(text).toContain('PROBLEMS (1):');
    expect(text).toContain('- reply r-1: REJECTED, expected APPLIED');
    expect(text).not.toContain('every answer was what the spec implies');
  });
});
