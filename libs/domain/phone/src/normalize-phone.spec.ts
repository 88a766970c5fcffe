import {
  analysePhone,
  InvalidPhoneNumberError,
  normalizePhone,
  tryNormalizePhone,
} from './normalize-phone';
import { phoneKind } from './phone-kind';

describe('normalizePhone', () => {
  it.each([
    ['+447911123456', '+447911123456'],
    ['+44 7911 123456', '+447911123456'],
    ['+1 (415) 555-2671', '+14155552671'],
    ['8613800138000', '+8613800138000'],
    ['  +86 138-0013-8000 ', '+8613800138000'],
    ['+33 6 12 34 56 78', '+33612345678'],
  ])('normalises %p to %p', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    ['', /is empty/],
    ['   ', /is empty/],
    ['hello', /only digits/],
    ['+44abc', /only digits/],
    ['+1', /international format|not a valid/],
    ['+4412', /international format|not a valid/],
    ['+999123456789', /international format|not a valid/],
    ['+447911123456789', /not a valid|international format/],
    ['1'.repeat(40), /too long/],
  ])('refuses %p', (input, problem) => {
    const result = tryNormalizePhone(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problem).toMatch(problem);
  });

  it('throws an INVALID_ARGUMENT error naming the field', () => {
    expect(() => normalizePhone('nope', 'recipient')).toThrow(InvalidPhoneNumberError);
    expect(() => normalizePhone('nope', 'recipient')).toThrow(
      /^recipient "nope" may contain only digits/,
    );
    const error = captureError(() => normalizePhone('nope'));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('analysePhone', () => {
  it.each([
    '+447911123456',
    '447911123456',
    '+44 20 7946 0958',
    '+8613800138000',
    '+18005550199',
    '+12025550123',
    '+1 (415) 555-2671',
    '+80012345678',
    '+4479111234',
    '+999123',
    '07911123456',
    'abc',
    '',
    '+1'.padEnd(40, '2'),
  ])('answers %p as tryNormalizePhone and phoneKind do together', (input) => {
    const normalized = tryNormalizePhone(input);
    expect(analysePhone(input)).toEqual(
      normalized.ok
        ? { ok: true, e164: normalized.e164, ...phoneKind(normalized.e164) }
        : normalized,
    );
  });
});
