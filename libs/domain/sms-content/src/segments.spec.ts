import { countSegments } from './segments';

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
});
