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

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

export const SEGMENT_LIMITS = {
  GSM7: { single: 160, concatenated: 153 },
  UCS2: { single: 70, concatenated: 67 },
} as const;

export function countSegments(text: string): SegmentCount {
  const widths: number[] = [];
  let encoding: MessageEncodingName = 'GSM7';
  for (const char of text) {
    if (BASIC.has(char)) widths.push(1);
    else if (EXTENSION.has(char)) widths.push(2);
    else {
      encoding = 'UCS2';
      break;
    }
  }
  if (encoding === 'UCS2') {
    widths.length = 0;
    // UCS-2 counts UTF-16 code units: a character outside the BMP (most emoji) takes two.
    for (const char of text) widths.push(char.length);
  }
  const units = widths.reduce((sum, width) => sum + width, 0);
  const limits = SEGMENT_LIMITS[encoding];
  if (units <= limits.single) {
    return { encoding, units, segments: 1, perSegment: limits.single };
  }
  // Concatenated: a character never straddles two segments (an escape stays with its character,
  // a surrogate pair stays whole), so a segment may end one unit short.
  let segments = 1;
  let used = 0;
  for (const width of widths) {
    if (used + width > limits.concatenated) {
      segments += 1;
      used = 0;
    }
    used += width;
  }
  return { encoding, units, segments, perSegment: limits.concatenated };
}
