// How many segments (the status page's "number of entries") a text takes on the air. The one
// function for it: admission computes it, the sending service records it with ACCEPTED.

export type MessageEncodingName = 'GSM7' | 'UCS2';

export interface SegmentCount {
  readonly encoding: MessageEncodingName;
  /** Septets for GSM-7 (an extension character counts two), UTF-16 code units for UCS-2. */
  readonly units: number;
  /** Billed segments, at least 1 (an empty text still costs one). */
  readonly segments: number;
  /** Units one segment holds in this message (single or concatenated). */
  readonly perSegment: number;
}

/** GSM 03.38 default alphabet (one septet each). */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** GSM 03.38 extension table: escape + character, two septets each. */
const GSM7_EXTENSION = '\f^{}\\[~]|€';

/**
 * Septets per UTF-16 code unit: 1 basic, 2 extension, 0 not GSM-7. Both tables are in the BMP,
 * so a code unit decides (a surrogate is never GSM-7): the count walks the text's code units
 * without a string or array per character (admission counts every message of a batch).
 */
const GSM7_WIDTH = new Uint8Array(0x10000);
for (const char of GSM7_BASIC) GSM7_WIDTH[char.charCodeAt(0)] = 1;
for (const char of GSM7_EXTENSION) GSM7_WIDTH[char.charCodeAt(0)] = 2;

export const SEGMENT_LIMITS = {
  GSM7: { single: 160, concatenated: 153 },
  UCS2: { single: 70, concatenated: 67 },
} as const;

export function countSegments(text: string): SegmentCount {
  const length = text.length;
  let units = 0;
  let gsm7 = true;
  for (let i = 0; i < length; i++) {
    const width = GSM7_WIDTH[text.charCodeAt(i)];
    if (width === 0) {
      gsm7 = false;
      break;
    }
    units += width;
  }
  // UCS-2 counts UTF-16 code units: a character outside the BMP (most emoji) takes two.
  if (!gsm7) units = length;
  const encoding: MessageEncodingName = gsm7 ? 'GSM7' : 'UCS2';
  const limits = SEGMENT_LIMITS[encoding];
  if (units <= limits.single) {
    return { encoding, units, segments: 1, perSegment: limits.single };
  }
  // Concatenated: a character never straddles two segments (an escape stays with its character,
  // a surrogate pair stays whole), so a segment may end one unit short.
  let segments = 1;
  let used = 0;
  for (let i = 0; i < length; i++) {
    let width: number;
    if (gsm7) width = GSM7_WIDTH[text.charCodeAt(i)];
    else if (isSurrogatePair(text, i)) {
      width = 2;
      i++;
    } else width = 1;
    if (used + width > limits.concatenated) {
      segments += 1;
      used = 0;
    }
    used += width;
  }
  return { encoding, units, segments, perSegment: limits.concatenated };
}

/** A high surrogate at `i` followed by a low one: one character of two units. */
function isSurrogatePair(text: string, i: number): boolean {
  const high = text.charCodeAt(i);
  if (high < 0xd800 || high > 0xdbff || i + 1 >= text.length) return false;
  const low = text.charCodeAt(i + 1);
  return low >= 0xdc00 && low <= 0xdfff;
}
