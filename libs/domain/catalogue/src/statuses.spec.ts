import {
  MESSAGE_STATUS_NUMBERS,
  MESSAGE_STATUSES,
  PROCESS_FAILED_REASON_NUMBERS,
  PROCESS_FAILED_REASONS_BY_PRECEDENCE,
  TEMPLATE_TYPE_NUMBERS,
  TEMPLATE_TYPES,
} from './statuses';

// Rows in PostgreSQL hold these numbers. Written out here on purpose: renumbering, reusing or
// reordering fails this test, and the fix is a new number, never a changed one.
describe('stored enum numbers', () => {
  it('keep the number of every message status', () => {
    expect(MESSAGE_STATUS_NUMBERS).toEqual({
      SENDING: 1,
      WAIT_RESULT: 2,
      DELIVERED: 3,
      PROCESS_FAILED: 4,
      SEND_FAILED: 5,
    });
  });

  it('keep the number of every template type', () => {
    expect(TEMPLATE_TYPE_NUMBERS).toEqual({ VERIFICATION: 1, NOTIFICATION: 2, MARKETING: 3 });
  });

  it('keep the number of every process-failed reason', () => {
    expect(PROCESS_FAILED_REASON_NUMBERS).toEqual({
      GLOBAL_BLOCK: 1,
      PARTIAL_BLOCK: 2,
      UNSUBSCRIBE: 3,
      KEYWORD_BLOCK: 4,
      VARIABLE_ERROR: 5,
      CONTENT_ERROR: 6,
      FREQUENCY_OVERRUN: 7,
      OTHER: 8,
    });
  });

  it.each([
    ['message status', MESSAGE_STATUSES, MESSAGE_STATUS_NUMBERS],
    ['template type', TEMPLATE_TYPES, TEMPLATE_TYPE_NUMBERS],
    ['process-failed reason', PROCESS_FAILED_REASONS_BY_PRECEDENCE, PROCESS_FAILED_REASON_NUMBERS],
  ] as const)('give every %s one distinct positive number', (_, names, numbers) => {
    expect(Object.keys(numbers).sort()).toEqual([...names].sort());
    const values = Object.values(numbers) as number[];
    expect(new Set(values).size).toBe(values.length);
    expect(values.every((value) => Number.isInteger(value) && value > 0)).toBe(true);
  });
});
