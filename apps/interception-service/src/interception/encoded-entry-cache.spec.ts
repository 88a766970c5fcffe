import {
  ENCODED_ENTRY_OVERHEAD_BYTES,
  EncodedEntryCache,
  encodedEntryBytes,
  type EncodedEntry,
} from './encoded-entry-cache';

const encoded = (phone = '+447700900123', bytes = 40): EncodedEntry => ({
  bytes: Buffer.alloc(bytes, 7),
  blocksUntilMs: Number.POSITIVE_INFINITY,
  phone,
  scope: 'GLOBAL',
});
const raw = (revision: number, reason = 'out of service') =>
  `{"r":${revision},"i":"e-1","o":null,"s":"F","c":510,"rs":${JSON.stringify(reason)}}`;

describe('EncodedEntryCache', () => {
  it('answers by the exact index text: a changed entry (new text) is a miss', () => {
    const cache = new EncodedEntryCache(100_000);
    const entry = encoded();
    cache.set(raw(1), entry);
    expect(cache.get(raw(1), '+447700900123', 'GLOBAL')).toBe(entry);
    // The entry changed: its revision (and so its text) moved on, the old bytes are not used.
    expect(cache.get(raw(2), '+447700900123', 'GLOBAL')).toBeUndefined();
    expect(cache.get(raw(1, 'another reason'), '+447700900123', 'GLOBAL')).toBeUndefined();
  });

  it('answers only for the phone and scope it was encoded for (not in the text)', () => {
    const cache = new EncodedEntryCache(100_000);
    cache.set(raw(1), encoded('+447700900123'));
    expect(cache.get(raw(1), '+447700900124', 'GLOBAL')).toBeUndefined();
    expect(cache.get(raw(1), '+447700900123', 'LOCAL')).toBeUndefined();
  });

  it('counts its bytes and stays within them, least recently used out first', () => {
    const perEntry = encodedEntryBytes(raw(1), encoded());
    expect(perEntry).toBe(
      raw(1).length + 40 + '+447700900123'.length + ENCODED_ENTRY_OVERHEAD_BYTES,
    );
    const cache = new EncodedEntryCache(2 * perEntry);
    cache.set(raw(1), encoded());
    cache.set(raw(2), encoded());
    // Used: 1 becomes the most recent, so 2 is the one to go.
    expect(cache.get(raw(1), '+447700900123', 'GLOBAL')).toBeDefined();
    cache.set(raw(3), encoded());
    expect(cache.size).toBe(2);
    expect(cache.bytes).toBe(2 * perEntry);
    expect(cache.get(raw(2), '+447700900123', 'GLOBAL')).toBeUndefined();
    expect(cache.get(raw(1), '+447700900123', 'GLOBAL')).toBeDefined();
    expect(cache.get(raw(3), '+447700900123', 'GLOBAL')).toBeDefined();
  });

  it('counts a text beyond Latin-1 at two bytes a character', () => {
    const text = raw(1, 'unavailable ☎');
    expect(encodedEntryBytes(text, encoded())).toBe(
      2 * text.length + 40 + '+447700900123'.length + ENCODED_ENTRY_OVERHEAD_BYTES,
    );
  });

  it('replacing an entry does not count it twice', () => {
    const cache = new EncodedEntryCache(100_000);
    cache.set(raw(1), encoded());
    cache.set(raw(1), encoded());
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(encodedEntryBytes(raw(1), encoded()));
  });

  it('does not keep an entry larger than the whole budget', () => {
    const cache = new EncodedEntryCache(100);
    cache.set(raw(1), encoded());
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });
});
