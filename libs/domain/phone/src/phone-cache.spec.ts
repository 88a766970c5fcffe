import { PhoneCache, phoneInputBytes } from './phone-cache';

describe('PhoneCache', () => {
  const sized = (maxBytes: number) => new PhoneCache<string>(maxBytes, (value) => value.length);

  it('computes once per input', () => {
    const cache = sized(10_000);
    let computed = 0;
    const compute = (input: string) => (computed++, `+${input}`);
    expect(cache.resolve('441', compute)).toBe('+441');
    expect(cache.resolve('441', compute)).toBe('+441');
    expect(computed).toBe(1);
    expect(cache.bytes).toBe(phoneInputBytes('441') + 4);
  });

  it('drops the oldest entries to stay within its byte budget', () => {
    const entry = phoneInputBytes('1000') + 5;
    const cache = sized(entry * 3);
    for (const input of ['1000', '1001', '1002', '1003']) cache.resolve(input, (i) => `+${i}`);
    expect(cache.size).toBe(3);
    expect(cache.bytes).toBeLessThanOrEqual(entry * 3);
    let computed = 0;
    cache.resolve('1000', (i) => (computed++, `+${i}`));
    expect(computed).toBe(1);
  });

  it('does not keep an entry larger than the whole budget', () => {
    const cache = sized(100);
    expect(cache.resolve('1'.repeat(200), () => 'x')).toBe('x');
    expect(cache.size).toBe(0);
  });

  it('counts two bytes per character for inputs beyond Latin-1', () => {
    expect(phoneInputBytes('٠١٢')).toBe(6 + 80);
  });
});
