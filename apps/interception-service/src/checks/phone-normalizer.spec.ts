import { CachedPhoneNormalizer, PHONE_CACHE_ENTRY_OVERHEAD_BYTES } from './phone-normalizer';

const oneEntry = (input: string, e164: string) =>
  input.length + e164.length + PHONE_CACHE_ENTRY_OVERHEAD_BYTES;

describe('CachedPhoneNormalizer', () => {
  it('answers like normalizePhone, from the cache the second time', () => {
    const normalizer = new CachedPhoneNormalizer(10_000);
    expect(normalizer.normalize('447912345601', 'phone')).toBe('+447912345601');
    expect(normalizer.normalize('447912345601', 'phone')).toBe('+447912345601');
    expect(normalizer.size).toBe(1);
    expect(normalizer.bytes).toBe(oneEntry('447912345601', '+447912345601'));
  });

  it('never caches a refusal', () => {
    const normalizer = new CachedPhoneNormalizer(10_000);
    expect(() => normalizer.normalize('123', 'phones[3]')).toThrow(/phones\[3\] "123"/);
    expect(() => normalizer.normalize('123', 'phone')).toThrow(/phone "123"/);
    expect(normalizer.size).toBe(0);
    expect(normalizer.bytes).toBe(0);
  });

  it('stays within its byte budget, dropping the oldest', () => {
    const perEntry = oneEntry('+447912345601', '+447912345601');
    const normalizer = new CachedPhoneNormalizer(2 * perEntry);
    normalizer.normalize('+447912345601', 'phone');
    normalizer.normalize('+447912345602', 'phone');
    normalizer.normalize('+447912345603', 'phone');
    expect(normalizer.size).toBe(2);
    expect(normalizer.bytes).toBe(2 * perEntry);
    // The oldest went: normalising it again adds it back and drops the next oldest.
    normalizer.normalize('+447912345601', 'phone');
    expect(normalizer.size).toBe(2);
    expect(normalizer.bytes).toBeLessThanOrEqual(2 * perEntry);
  });

  it('counts an input by its own length, so formatted inputs cost what they take', () => {
    const formatted = '+44 (0) 7912 - 345 - 601';
    const normalizer = new CachedPhoneNormalizer(10_000);
    expect(normalizer.normalize(formatted, 'phone')).toBe('+447912345601');
    expect(normalizer.bytes).toBe(oneEntry(formatted, '+447912345601'));
  });

  it('answers without caching an entry larger than the whole budget', () => {
    const normalizer = new CachedPhoneNormalizer(10);
    expect(normalizer.normalize('+447912345601', 'phone')).toBe('+447912345601');
    expect(normalizer.size).toBe(0);
  });
});
