import type { EntryScope } from '../block-list/block-entry.entity';

/**
 * What one cached entry costs beyond its index text and its bytes: the Map's slot and entry,
 * the record, the Buffer object and the strings' headers. An estimate on the high side, so the
 * budget is a ceiling rather than a target.
 */
export const ENCODED_ENTRY_OVERHEAD_BYTES = 256;

/** A blocking entry of the index, as CheckBatch answers with it. */
export interface EncodedEntry {
  /** The Entry message's body (protobuf bytes, without its field tag and length). */
  readonly bytes: Buffer;
  /** Until when it blocks (epoch ms; Infinity without expiry). */
  readonly blocksUntilMs: number;
  readonly phone: string;
  readonly scope: EntryScope;
}

interface Slot {
  readonly entry: EncodedEntry;
  /** Looked up since it was queued (see dropLeastRecent). */
  used: boolean;
}

/**
 * The encoded Entry of an index value, memoised by the value's exact text: the text changes
 * whenever the entry does (it carries the row's revision), so a changed entry is a new key and
 * the old one simply ages out; nothing needs invalidating. The phone and the scope are not in
 * the text (they are the hash and the field it sits in), so a hit is only used for the same
 * phone and scope. Least recently used out first (nearly: see dropLeastRecent), bounded by
 * (estimated) bytes, not entries.
 */
export class EncodedEntryCache {
  private readonly cache = new Map<string, Slot>();
  private usedBytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(raw: string, phone: string, scope: EntryScope): EncodedEntry | undefined {
    const slot = this.cache.get(raw);
    if (slot === undefined) return undefined;
    const entry = slot.entry;
    if (entry.phone !== phone || entry.scope !== scope) return undefined;
    slot.used = true;
    return entry;
  }

  set(raw: string, entry: EncodedEntry): void {
    const cost = encodedEntryBytes(raw, entry);
    if (cost > this.maxBytes) return;
    const previous = this.cache.get(raw);
    if (previous !== undefined) {
      this.cache.delete(raw);
      this.usedBytes -= encodedEntryBytes(raw, previous.entry);
    }
    while (this.usedBytes + cost > this.maxBytes) this.dropLeastRecent();
    this.cache.set(raw, { entry, used: false });
    this.usedBytes += cost;
  }

  get size(): number {
    return this.cache.size;
  }

  /** The estimated heap the cached entries take (see ENCODED_ENTRY_OVERHEAD_BYTES). */
  get bytes(): number {
    return this.usedBytes;
  }

  /**
   * Second chance: the oldest entry goes unless it was used since it was (re)queued, then it
   * moves to the back, flag cleared. A hit only sets a flag (no Map delete and insert per hit,
   * which made the lookups the larger part of the cache's cost); eviction stays near LRU.
   */
  private dropLeastRecent(): void {
    for (;;) {
      const oldest = this.cache.entries().next();
      if (oldest.done) return;
      const [raw, slot] = oldest.value;
      this.cache.delete(raw);
      if (!slot.used) {
        this.usedBytes -= encodedEntryBytes(raw, slot.entry);
        return;
      }
      slot.used = false;
      this.cache.set(raw, slot);
    }
  }
}

/**
 * The estimated cost of one cached entry. V8 keeps a text of Latin-1 characters at one byte
 * each, any other text (a reason or detail beyond Latin-1) at two.
 */
export function encodedEntryBytes(raw: string, entry: EncodedEntry): number {
  const charBytes = /^[\x00-\xff]*$/.test(raw) ? 1 : 2;
  return (
    raw.length * charBytes + entry.bytes.length + entry.phone.length + ENCODED_ENTRY_OVERHEAD_BYTES
  );
}
