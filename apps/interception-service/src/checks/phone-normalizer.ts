import { normalizePhone } from '@sms/domain-phone';

/**
 * The one phone normalisation (@sms/domain-phone), memoised for the send path: parsing and
 * validating against the full metadata costs ~65 µs a number, which would dominate a check
 * (and make a 1,000-number batch take ~65 ms). Only successes are kept; the oldest entry goes
 * first when the cache is full.
 */
export class CachedPhoneNormalizer {
  private readonly cache = new Map<string, string>();

  constructor(private readonly maxEntries: number) {}

  normalize(input: string, field: string): string {
    const cached = this.cache.get(input);
    if (cached !== undefined) return cached;
    const e164 = normalizePhone(input, field);
    if (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(input, e164);
    return e164;
  }

  get size(): number {
    return this.cache.size;
  }
}
