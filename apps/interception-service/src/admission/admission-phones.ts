import { phoneKind, tryNormalizePhone, type PhoneKind } from '@sms/domain-phone';

export type AdmissionPhone =
  | ({ readonly ok: true; readonly e164: string } & PhoneKind)
  | { readonly ok: false; readonly problem: string };

/**
 * What one cached answer costs on the heap (the input, the E.164 string, the kind object and the
 * Map's slot), on the high side: the cache is sized by the same byte budget as the send path's
 * (CHECK_PHONE_CACHE_BYTES, each cache its own), holding at most budget / this entries.
 */
export const ADMISSION_PHONE_ENTRY_BYTES = 256;

/**
 * Phone numbers as admission needs them (E.164, country, whether SMS can reach them), memoised:
 * parsing against the full metadata costs tens of µs a number, which would dominate a batch.
 * Failures are kept too (a sender repeating a bad number should not cost a parse each time); the
 * oldest entry goes first when full.
 */
export class AdmissionPhones {
  private readonly cache = new Map<string, AdmissionPhone>();

  constructor(private readonly maxEntries: number) {}

  resolve(input: string): AdmissionPhone {
    const cached = this.cache.get(input);
    if (cached !== undefined) return cached;
    const normalized = tryNormalizePhone(input);
    const resolved: AdmissionPhone = normalized.ok
      ? { ok: true, e164: normalized.e164, ...phoneKind(normalized.e164) }
      : normalized;
    if (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(input, resolved);
    return resolved;
  }
}
