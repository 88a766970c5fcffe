import { countSegments, SEGMENT_LIMITS, type SegmentCount } from './segments';

/** The count written plainly (one width per character), for comparison with the fast one. */
function referenceCount(text: string): SegmentCount {
  const basic = new Set(
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
      '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  );
  const extension = new Set('\f^{}\\[~]|€');
  const chars = [...text];
  const gsm7 = chars.every((char) => basic.has(char) || extension.has(char));
  const widths = chars.map((char) => (gsm7 ? (extension.has(char) ? 2 : 1) : char.length));
  const encoding = gsm7 ? 'GSM7' : 'UCS2';
  const units = widths.reduce((sum, width) => sum + width, 0);
  const limits = SEGMENT_LIMITS[encoding];
  if (units <= limits.single) return { encoding, units, segments: 1, perSegment: limits.single };
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

describe('countSegments', () => {
  it.each([
    ['empty text still costs one', '', 'GSM7', 0, 1],
    ['plain GSM-7, one segment', 'Your code is 1234', 'GSM7', 17, 1],
    ['160 GSM-7 characters fit one segment', 'a'.repeat(160), 'GSM7', 160, 1],
    ['161 GSM-7 characters take two (153 each)', 'a'.repeat(161), 'GSM7', 161, 2],
    ['306 GSM-7 characters take two', 'a'.repeat(306), 'GSM7', 306, 2],
    ['307 GSM-7 characters take three', 'a'.repeat(307), 'GSM7', 307, 3],
    ['GSM-7 accented letters of the basic table count one', 'éèùìòÇÅåÆæßÉÄÖÑÜäöñüà', 'GSM7', 21, 1],
    ['an extension character counts two', '€', 'GSM7', 2, 1],
    ['80 extension characters are 160 septets: one segment', '{'.repeat(80), 'GSM7', 160, 1],
    ['159 + one extension character is 161 septets: two', 'a'.repeat(159) + '[', 'GSM7', 161, 2],
    ['all extension characters', '^{}\\[~]|€\f', 'GSM7', 20, 1],
    ['one Chinese character makes UCS-2', '验证码1234', 'UCS2', 7, 1],
    ['70 UCS-2 characters fit one segment', '码'.repeat(70), 'UCS2', 70, 1],
    ['71 UCS-2 characters take two (67 each)', '码'.repeat(71), 'UCS2', 71, 2],
    ['134 UCS-2 characters take two', '码'.repeat(134), 'UCS2', 134, 2],
    ['135 UCS-2 characters take three', '码'.repeat(135), 'UCS2', 135, 3],
    ['a non-GSM Latin letter (ç lower case) makes UCS-2', 'français', 'UCS2', 8, 1],
    ['an emoji counts two UTF-16 units', 'ok 👍', 'UCS2', 5, 1],
  ])('%s', (_, text, encoding, units, segments) => {
    expect(countSegments(text)).toMatchObject({ encoding, units, segments });
  });

  it('never splits an escape from its character across segments', () => {
    // 152 septets, then '€' (2): 154 would straddle the first segment's end, so it moves on.
    const text = 'a'.repeat(152) + '€' + 'a'.repeat(152);
    expect(countSegments(text)).toMatchObject({ units: 306, segments: 3 });
    // The same units without the straddle fit two.
    expect(countSegments('a'.repeat(151) + '€' + 'a'.repeat(153))).toMatchObject({
      units: 306,
      segments: 2,
    });
  });

  it('never splits a surrogate pair across segments', () => {
    const text = '码'.repeat(66) + '👍' + '码'.repeat(66);
    expect(countSegments(text)).toMatchObject({ encoding: 'UCS2', units: 134, segments: 3 });
  });

  it('counts a long notification as the status page shows it', () => {
    expect(countSegments('x'.repeat(1000))).toMatchObject({ segments: 7, perSegment: 153 });
  });

  it('agrees with the plain count on random texts (surrogates, lone ones, escapes)', () => {
    const alphabet = ['a', ' ', 'é', '€', '{', '\f', '码', '👍', '\uD83D', '\uDC4D', 'ç', '\n'];
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % below;
    };
    for (let n = 0; n < 2000; n++) {
      // Mostly GSM-7 texts, some with one other character, of 0..400 characters.
      const gsmOnly = random(2) === 0;
      const text = Array.from({ length: random(400) }, () =>
        gsmOnly ? alphabet[random(6)] : alphabet[random(alphabet.length)],
      ).join('');
      expect(countSegments(text)).toEqual(referenceCount(text));
    }
  });
});
