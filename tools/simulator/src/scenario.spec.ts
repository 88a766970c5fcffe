import { CodeCatalogue, SEND_FAILURE_CODES } from '@sms/domain-catalogue';
import { phoneKind, tryNormalizePhone } from '@sms/domain-phone';
import { expectedMessage, roundEventWaves, roundReplyCalls, type CheckVerdict } from './events';
import { InterceptionModel } from './interception-model';
import { SeededRandom } from './random';
import {
  entriesOf,
  generateScenario,
  ROUND_SLOT_MS,
  type PlannedMessage,
  type ScenarioOptions,
} from './scenario';

const START = new Date('2026-11-29T10:00:00.000Z');
const options = (overrides: Partial<ScenarioOptions> = {}): ScenarioOptions => ({
  seed: 42,
  runId: 'test',
  messages: 200,
  accounts: 2,
  startTime: START,
  ...overrides,
});
const allMessages = (scenario: ReturnType<typeof generateScenario>): PlannedMessage[] =>
  scenario.rounds.flatMap((round) => round.messages);

describe('SeededRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 5 }, () => random.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw(7).every((value) => value >= 0 && value < 1)).toBe(true);
  });
});

describe('generateScenario', () => {
  it('is deterministic for a seed and differs for another seed', () => {
    expect(generateScenario(options())).toEqual(generateScenario(options()));
    const other = generateScenario(options({ seed: 43 }));
    expect(allMessages(other).map((m) => m.recipient)).not.toEqual(
      allMessages(generateScenario(options())).map((m) => m.recipient),
    );
  });

  it('plans exactly the requested number of messages with unique ids, in rounds', () => {
    const scenario = generateScenario(options({ messages: 1000, accounts: 3 }));
    const messages = allMessages(scenario);
    expect(messages).toHaveLength(1000);
    expect(new Set(messages.map((m) => m.messageId)).size).toBe(1000);
    expect(scenario.rounds).toHaveLength(4);
    expect(new Set(messages.map((m) => m.accountIndex))).toEqual(new Set([0, 1, 2]));
    expect(messages.every((m) => m.messageId.startsWith('m-test-'))).toBe(true);
  });

  it('uses valid E.164 numbers, each at most once per round, repeating across rounds', () => {
    const scenario = generateScenario(options({ messages: 1000 }));
    for (const round of scenario.rounds) {
      // Except the frequency pair (one number twice on purpose) and fixed-line numbers (never sent).
      const phones = round.messages
        .filter((m) => m.problem !== 'FREQUENCY_PAIR' && m.problem !== 'OTHER')
        .map((m) => m.recipient);
      expect(new Set(phones).size).toBe(phones.length);
      for (const phone of phones)
        expect(tryNormalizePhone(phone)).toEqual({ ok: true, e164: phone });
    }
    const phones = allMessages(scenario).map((m) => m.recipient);
    expect(new Set(phones).size).toBeLessThan(phones.length);
  });

  it('plans every admission problem in the first round, with entries counted from the text', () => {
    const [first, ...later] = generateScenario(options({ messages: 120 })).rounds;
    const problems = first.messages.filter((m) => m.problem !== 'NONE');
    expect(problems.map((m) => m.problem).sort()).toEqual([
      'CONTENT',
      'FREQUENCY_PAIR',
      'FREQUENCY_PAIR',
      'KEYWORD',
      'OTHER',
      'VARIABLE',
    ]);
    const [a, b] = problems.filter((m) => m.problem === 'FREQUENCY_PAIR');
    expect([b.recipient, b.accountIndex, b.templateId]).toEqual([
      a.recipient,
      a.accountIndex,
      a.templateId,
    ]);
    // Refused messages are never sent, so they plan no receipt.
    expect(problems.every((m) => m.outcome.kind === 'NOT_SUBMITTED')).toBe(true);
    expect(phoneKind(problems.find((m) => m.problem === 'OTHER')!.recipient).smsCapable).toBe(
      false,
    );
    for (const m of [...first.messages, ...later.flatMap((r) => r.messages)]) {
      expect(m.entries).toBe(entriesOf(m.text));
      expect(m.entries).toBeGreaterThanOrEqual(1);
    }
    // Long notifications make multi-segment messages.
    expect(Math.max(...first.messages.map((m) => m.entries))).toBeGreaterThan(1);
  });

  it('covers every failure code and every irregularity in the first round', () => {
    const [first] = generateScenario(options({ messages: 120 })).rounds;
    const messages = first.messages;
    const codes = messages.flatMap((m) =>
      m.outcome.kind === 'SEND_FAILED' ? [m.outcome.code] : [],
    );
    expect(new Set(codes)).toEqual(new Set(SEND_FAILURE_CODES));
    const kinds = new Set(messages.map((m) => m.outcome.kind));
    expect(kinds).toEqual(new Set(['DELIVERED', 'SEND_FAILED', 'NO_RECEIPT', 'NOT_SUBMITTED']));
    expect(messages.some((m) => m.receiptBeforeSubmitted)).toBe(true);
    expect(messages.some((m) => m.duplicateReceipt && !m.receiptWithoutEventId)).toBe(true);
    expect(messages.some((m) => m.duplicateReceipt && m.receiptWithoutEventId)).toBe(true);
    expect(messages.some((m) => m.conflictingReceipt)).toBe(true);
    const contents = first.replies.map((r) => r.content);
    expect(contents).toEqual(expect.arrayContaining(['STOP', 'td', '退订']));
    expect(first.replies.some((r) => r.keyword === 'NONE' && r.duplicate)).toBe(true);
  });

  it('has a realistic outcome mix at volume', () => {
    const messages = allMessages(generateScenario(options({ messages: 10_000, accounts: 3 })));
    const share = (kind: string) =>
      messages.filter((m) => m.outcome.kind === kind).length / messages.length;
    expect(share('DELIVERED')).toBeGreaterThan(0.6);
    expect(share('SEND_FAILED')).toBeGreaterThan(0.15);
    expect(share('SEND_FAILED')).toBeLessThan(0.25);
    expect(share('NO_RECEIPT')).toBeGreaterThan(0.03);
  });

  it('revisits numbers that earlier rounds will block, with the owner and with others', () => {
    const catalogue = new CodeCatalogue();
    const scenario = generateScenario(options({ messages: 400 }));
    const [first, ...later] = scenario.rounds;
    const blocking = first.messages.filter(
      (m) => m.outcome.kind === 'SEND_FAILED' && catalogue.ruleFor(m.outcome.code).blocks,
    );
    const revisits = later
      .flatMap((round) => round.messages)
      .filter((m) => blocking.some((b) => b.recipient === m.recipient));
    expect(revisits.length).toBeGreaterThan(0);
    expect(
      revisits.some((m) =>
        blocking.some((b) => b.recipient === m.recipient && b.accountIndex === m.accountIndex),
      ),
    ).toBe(true);
    expect(
      revisits.some((m) =>
        blocking.some((b) => b.recipient === m.recipient && b.accountIndex !== m.accountIndex),
      ),
    ).toBe(true);
  });

  it('keeps each round inside its time slot, in order, replies after receipts', () => {
    const scenario = generateScenario(options({ messages: 400 }));
    for (const round of scenario.rounds) {
      const slotStart = START.getTime() + round.index * ROUND_SLOT_MS;
      for (const m of round.messages) {
        expect(m.requestTime.getTime()).toBeGreaterThanOrEqual(slotStart);
        expect(m.submitTime.getTime()).toBeGreaterThan(m.requestTime.getTime());
        expect(m.receiptTime.getTime()).toBeGreaterThan(m.submitTime.getTime());
      }
      for (const r of round.replies) {
        const answered = round.messages.find((m) => m.messageId === r.answersMessageId)!;
        expect(r.phone).toBe(answered.recipient);
        expect(answered.outcome.kind).toBe('DELIVERED');
        expect(r.receivedAt.getTime()).toBeGreaterThan(answered.receiptTime.getTime());
        expect(r.receivedAt.getTime()).toBeLessThan(slotStart + ROUND_SLOT_MS);
      }
    }
  });

  it.each([
    [{ messages: 10 }, /messages must be/],
    [{ messages: 1.5 }, /messages must be/],
    [{ accounts: 0 }, /accounts must be/],
    [{ seed: -1 }, /seed must be/],
    [{ rounds: 10, messages: 100 }, /each round needs/],
    [{ runId: 'Bad Id' }, /runId/],
  ])('refuses %p', (overrides, message) => {
    expect(() => generateScenario(options(overrides))).toThrow(message);
  });
});

describe('roundEventWaves', () => {
  const [first] = generateScenario(options()).rounds;
  const messages = first.messages;
  const accounts = ['acc-a', 'acc-b'];
  const allow = new Map<string, CheckVerdict>();

  it('accepts every message first, then reports receipts, repeats last', () => {
    const [accepted, second, third, repeats] = roundEventWaves(messages, accounts, allow);
    expect(accepted.map((e) => e.messageId)).toEqual(messages.map((m) => m.messageId));
    expect(accepted.every((e) => e.detail.kind === 'ACCEPTED')).toBe(true);
    const outOfOrder = messages.filter((m) => m.receiptBeforeSubmitted);
    for (const m of outOfOrder) {
      expect(second.find((e) => e.messageId === m.messageId)?.detail.kind).toMatch(
        /DELIVERED|SEND_FAILED/,
      );
      expect(third.find((e) => e.messageId === m.messageId)?.detail.kind).toBe('SUBMITTED');
    }
    expect(repeats.filter((e) => e.expect === 'DUPLICATE')).toHaveLength(
      messages.filter((m) => m.duplicateReceipt).length,
    );
    expect(repeats.some((e) => e.expect === 'DUPLICATE' && e.eventId === '')).toBe(true);
    expect(repeats.filter((e) => e.expect === 'IGNORED')).toHaveLength(
      messages.filter((m) => m.conflictingReceipt).length,
    );
    for (const duplicate of repeats.filter((e) => e.expect === 'DUPLICATE')) {
      expect([...second, ...third]).toContainEqual({ ...duplicate, expect: 'APPLIED' });
    }
  });

  it('stops blocked messages with the verdict as reason and sends nothing else for them', () => {
    const blocked = messages[0];
    const verdicts = new Map<string, CheckVerdict>([[blocked.messageId, 'PARTIAL_BLOCK']]);
    const waves = roundEventWaves(messages, accounts, verdicts);
    const forBlocked = waves.flat().filter((e) => e.messageId === blocked.messageId);
    expect(forBlocked.map((e) => e.detail)).toEqual([
      expect.objectContaining({ kind: 'ACCEPTED', accountId: accounts[blocked.accountIndex] }),
      { kind: 'PROCESS_FAILED', reason: 'PARTIAL_BLOCK' },
    ]);
    expect(expectedMessage(blocked, 'PARTIAL_BLOCK')).toMatchObject({
      status: 'PROCESS_FAILED',
      processFailedReason: 'PARTIAL_BLOCK',
    });
  });

  it('expects the final status the plan implies', () => {
    for (const m of messages) {
      const expected = expectedMessage(m, 'ALLOW');
      const status = {
        DELIVERED: 'DELIVERED',
        SEND_FAILED: 'SEND_FAILED',
        NO_RECEIPT: 'WAIT_RESULT',
        NOT_SUBMITTED: 'SENDING',
      }[m.outcome.kind];
      expect(expected.status).toBe(status);
      if (m.outcome.kind === 'SEND_FAILED') expect(expected.sendFailureCode).toBe(m.outcome.code);
    }
  });
});

describe('roundReplyCalls', () => {
  const [first] = generateScenario(options()).rounds;
  const byId = new Map(first.messages.map((m) => [m.messageId, m]));

  it('names message or account as planned, repeats duplicates, drops replies to blocked sends', () => {
    const dropped = first.replies[0];
    const verdicts = new Map<string, CheckVerdict>([[dropped.answersMessageId, 'GLOBAL_BLOCK']]);
    const { sent, calls } = roundReplyCalls(first.replies, byId, ['a', 'b'], verdicts);
    expect(sent).not.toContain(dropped);
    expect(calls[0]).toHaveLength(first.replies.length - 1);
    for (const reply of calls[0]) {
      const plan = sent.find((r) => r.replyId === reply.replyId)!;
      expect(reply.messageId === '').toBe(plan.naming !== 'MESSAGE');
      expect(reply.accountId === '').toBe(plan.naming === 'NONE');
    }
    expect(calls[1].map((r) => r.replyId)).toEqual(
      sent.filter((r) => r.duplicate).map((r) => r.replyId),
    );
  });
});

describe('InterceptionModel', () => {
  it('answers by precedence and scope', () => {
    const model = new InterceptionModel();
    model.recordFailure('a', '+447911100001', 520, 'm1');
    model.recordFailure('a', '+447911100002', 500, 'm2');
    model.recordFailure('a', '+447911100003', 530, 'm3');
    model.recordUnsubscribe('b', '+447911100001');
    expect(model.verdictFor('a', '+447911100001')).toBe('PARTIAL_BLOCK');
    expect(model.verdictFor('b', '+447911100001')).toBe('UNSUBSCRIBE');
    expect(model.verdictFor('b', '+447911100002')).toBe('GLOBAL_BLOCK');
    expect(model.verdictFor('a', '+447911100003')).toBe('ALLOW');
    expect(model.expectedEntries().map((e) => [e.scope, e.state])).toEqual([
      ['LOCAL', 'ACTIVE'],
      ['GLOBAL', 'ACTIVE'],
      ['LOCAL', 'EXPIRED'],
    ]);
  });

  it('renews an active entry instead of adding one; 0-second codes always add', () => {
    const model = new InterceptionModel();
    model.recordFailure('a', '+447911100001', 510, 'm1');
    model.recordFailure('b', '+447911100001', 560, 'm2');
    model.recordFailure('a', '+447911100001', 590, 'm3');
    model.recordFailure('a', '+447911100001', 590, 'm4');
    expect(model.expectedEntries()).toEqual([
      expect.objectContaining({ code: 560, messageId: 'm2', renewals: 1, state: 'ACTIVE' }),
      expect.objectContaining({ code: 590, state: 'EXPIRED' }),
      expect.objectContaining({ code: 590, state: 'EXPIRED' }),
    ]);
  });
});
