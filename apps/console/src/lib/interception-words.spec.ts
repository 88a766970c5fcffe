import { describe, expect, it } from 'vitest';
import { parseWords, wordsProblem } from './interception-words';

describe('interception words typed in the add box', () => {
  it('takes one word per line, trimmed, without blanks or repeats', () => {
    expect(parseWords(' casino \r\n\n贷款\ncasino\n  ')).toEqual(['casino', '贷款']);
  });

  it('refuses what the gateway refuses', () => {
    expect(wordsProblem([])).toBe('Type at least one word.');
    expect(wordsProblem(['x'.repeat(64)])).toBeNull();
    expect(wordsProblem(['x'.repeat(65)])).toBe(
      `“${'x'.repeat(20)}…” is longer than 64 characters.`,
    );
    expect(wordsProblem(Array.from({ length: 1001 }, (_, i) => `w${i}`))).toBe(
      'At most 1000 words at once.',
    );
  });
});
