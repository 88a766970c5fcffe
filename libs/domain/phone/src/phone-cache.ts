/**
 * Memoised answers about phone inputs (normalisation, kind), bounded by an estimate of the heap
 * they take rather than by a count, so that long inputs cannot stretch a cache past its budget.
 * The oldest entry goes first when it is full; a single entry over the whole budget is not kept.
 */
export class PhoneCache<V> {
  private readonly cache = new Map<string, V>();
  private usedBytes = 0;

  /**
   * @param maxBytes the heap budget.
   * @param valueBytes the estimated heap of one value, beyond its key (see phoneInputBytes); it
   *   is given the key too, so that a value sharing the key's string need not count it twice.
   */
  constructor(
    private readonly maxBytes: number,
    private readonly valueBytes: (value: V, input: string) => number,
  ) {}

  /** The cached answer for `input`, computing (and keeping) it when there is none. */
  resolve(input: string, compute: (input: string) => V): V {
    const cached = this.cache.get(input);
    if (cached !== undefined) return cached;
    const value = compute(input);
    const cost = this.cost(input, value);
    if (cost > this.maxBytes) return value;
    while (this.usedBytes + cost > this.maxBytes) this.dropOldest();
    this.cache.set(input, value);
    this.usedBytes += cost;
    return value;
  }

  get size(): number {
    return this.cache.size;
  }

  /** The estimated heap the cached entries take. */
  get bytes(): number {
    return this.usedBytes;
  }

  private cost(input: string, value: V): number {
    return phoneInputBytes(input) + this.valueBytes(value, input);
  }

  private dropOldest(): void {
    const oldest = this.cache.entries().next();
    if (oldest.done) return;
    const [input, value] = oldest.value;
    this.cache.delete(input);
    this.usedBytes -= this.cost(input, value);
  }
}

/** A key's string header and the Map's slot and entry (see phoneInputBytes). */
export const PHONE_CACHE_KEY_OVERHEAD_BYTES = 80;

/**
 * What a key costs beyond its value: its characters (one byte each in a one-byte string, two when
 * it holds non-Latin-1 digits), a string header and the Map's hash-table slot and entry (~80
 * bytes: measured, 200,000 entries of `+44…` → `{ ok, e164, country, smsCapable, type }` took
 * 213 bytes each on the heap with separate input and E.164 strings).
 */
export function phoneInputBytes(input: string): number {
  const charBytes = /^[\x00-\xff]*$/.test(input) ? 1 : 2;
  return input.length * charBytes + PHONE_CACHE_KEY_OVERHEAD_BYTES;
}
