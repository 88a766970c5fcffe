import { normalizePhone, PHONE_CACHE_KEY_OVERHEAD_BYTES, PhoneCache } from '@sms/domain-phone';

/**
 * What one cached normalisation costs on V8's heap, beyond its characters: two string headers
 * (~16 bytes each, rounded to 8) and the Map's hash-table slot and entry (~48 bytes). An
 * estimate, deliberately on the high side, so the budget is a ceiling rather than a target.
 */
export const PHONE_CACHE_ENTRY_OVERHEAD_BYTES = 96;

/**
 * The one phone normalisation (@sms/domain-phone), memoised for the send path: parsing and
 * validating against the full metadata costs ~65 µs a number, which would dominate a check
 * (and make a 1,000-number batch take ~65 ms). Only successes are kept. The cache is bounded by
 * bytes, not entries, so that long inputs cannot stretch it past the service's memory budget;
 * the oldest entry goes first when it is full.
 */
export class CachedPhoneNormalizer {
  // PhoneCache counts the key and its Map entry; the E.164 value adds its characters and a string
  // header, which makes PHONE_CACHE_ENTRY_OVERHEAD_BYTES in all.
  private readonly cache: PhoneCache<string>;

  constructor(maxBytes: number) {
    this.cache = new PhoneCache<string>(
      maxBytes,
      (e164) => e164.length + PHONE_CACHE_ENTRY_OVERHEAD_BYTES - PHONE_CACHE_KEY_OVERHEAD_BYTES,
    );
  }

  normalize(input: string, field: string): string {
    return this.cache.resolve(input, (raw) => normalizePhone(raw, field));
  }

  get size(): number {
    return this.cache.size;
  }

  /** The estimated heap the cached entries take (see PHONE_CACHE_ENTRY_OVERHEAD_BYTES). */
  get bytes(): number {
    return this.cache.bytes;
  }
}
