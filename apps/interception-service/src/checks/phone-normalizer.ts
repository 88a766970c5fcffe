import { normalizePhone } from '@sms/domain-phone';

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
  private readonly cache = new Map<string, string>();
  private usedBytes = 0;

  constructor(private readonly maxBytes: number) {}

  normalize(input: string, field: string): string {
    const cached = this.cache.get(input);
    if (cached !== undefined) return cached;
    const e164 = normalizePhone(input, field);
    const cost = entryBytes(input, e164);
    if (cost > this.maxBytes) return e164;
    while (this.usedBytes + cost > this.maxBytes) this.dropOldest();
    this.cache.set(input, e164);
    this.usedBytes += cost;
    return e164;
  }

  get size(): number {
    return this.cache.size;
  }

  /** The estimated heap the cached entries take (see PHONE_CACHE_ENTRY_OVERHEAD_BYTES). */
  get bytes(): number {
    return this.usedBytes;
  }

  private dropOldest(): void {
    const oldest = this.cache.entries().next();
    if (oldest.done) return;
    const [input, e164] = oldest.value;
    this.cache.delete(input);
    this.usedBytes -= entryBytes(input, e164);
  }
}

/** Phone inputs are one-byte strings unless they hold non-Latin-1 digits (then two per char). */
function entryBytes(input: string, e164: string): number {
  const inputCharBytes = /^[\x00-\xff]*$/.test(input) ? 1 : 2;
  return input.length * inputCharBytes + e164.length + PHONE_CACHE_ENTRY_OVERHEAD_BYTES;
}
