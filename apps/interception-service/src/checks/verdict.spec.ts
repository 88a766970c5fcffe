import { blocksAt, decideVerdict } from './verdict';

const entry = (expiresAtMs: number | null, id = 'e') => ({ id, expiresAtMs });
const NOW = 1_000_000;

describe('blocksAt', () => {
  it('blocks strictly before expiresAt and not at or after it', () => {
    expect(blocksAt(NOW + 1, NOW)).toBe(true);
    expect(blocksAt(NOW, NOW)).toBe(false);
    expect(blocksAt(NOW - 1, NOW)).toBe(false);
  });

  it('blocks forever without an expiry', () => {
    expect(blocksAt(null, Number.MAX_SAFE_INTEGER)).toBe(true);
  });
});

describe('decideVerdict', () => {
  const unsubscribe = { since: 1 };

  it('allows when nothing applies', () => {
    expect(decideVerdict({ global: null, local: null, unsubscribe: null }, NOW).verdict).toBe(
      'ALLOW',
    );
  });

  it('puts GLOBAL before PARTIAL before UNSUBSCRIBE', () => {
    const global = entry(NOW + 10, 'g');
    const local = entry(null, 'l');
    expect(decideVerdict({ global, local, unsubscribe }, NOW)).toEqual({
      verdict: 'GLOBAL_BLOCK',
      entry: global,
      unsubscribe: null,
    });
    expect(decideVerdict({ global: null, local, unsubscribe }, NOW)).toEqual({
      verdict: 'PARTIAL_BLOCK',
      entry: local,
      unsubscribe: null,
    });
    expect(decideVerdict({ global: null, local: null, unsubscribe }, NOW)).toEqual({
      verdict: 'UNSUBSCRIBE',
      entry: null,
      unsubscribe,
    });
  });

  it('skips entries that are past their expiry even if still indexed', () => {
    const expiredGlobal = entry(NOW, 'g');
    const local = entry(NOW + 1, 'l');
    expect(decideVerdict({ global: expiredGlobal, local, unsubscribe: null }, NOW).verdict).toBe(
      'PARTIAL_BLOCK',
    );
    expect(
      decideVerdict({ global: expiredGlobal, local: entry(NOW - 5), unsubscribe: null }, NOW)
        .verdict,
    ).toBe('ALLOW');
  });
});
