import { CachedPhoneNormalizer } from './phone-normalizer';

describe('CachedPhoneNormalizer', () => {
  it('answers like normalizePhone, from the cache the second time', () => {
    const normalizer = new CachedPhoneNormalizer(10);
    expect(normalizer.normalize('447912345601', 'phone')).toBe('+447912345601');
    expect(normalizer.normalize('447912345601', 'phone')).toBe('+447912345601');
    expect(normalizer.size).toBe(1);
  });

  it('never caches a refusal', () => {
    const normalizer = new CachedPhoneNormalizer(10);
    expect(() => normalizer.normalize('123', 'phones[3]')).toThrow(/phones\[3\] "123"/);
    expect(() => normalizer.normalize('123', 'phone')).toThrow(/phone "123"/);
    expect(normalizer.size).toBe(0);
  });

  it('stays within its size, dropping the oldest', () => {
    const normalizer = new CachedPhoneNormalizer(2);
    normalizer.normalize('+447912345601', 'phone');
    normalizer.normalize('+447912345602', 'phone');
    normalizer.normalize('+447912345603', 'phone');
    expect(normalizer.size).toBe(2);
  });
});
