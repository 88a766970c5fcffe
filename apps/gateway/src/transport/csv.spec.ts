import { csvField, csvRow } from './csv';

describe('CSV fields (RFC 4180 with a formula guard)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['退订', '退订'],
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1 call me', "'+1 call me"],
    ['-2', "'-2"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['=1,2', `"'=1,2"`],
  ])('writes %p as %p', (value, field) => {
    expect(csvField(value)).toBe(field);
  });

  it('leaves numbers, empty values, lists and unguarded columns as they are', () => {
    expect(csvField(-5)).toBe('-5');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(['promo', 'vip'])).toBe('promo;vip');
    expect(csvField('+447911123456', false)).toBe('+447911123456');
    expect(csvRow(['+447911123456', '+x', 1], new Set([0]))).toBe("+447911123456,'+x,1\r\n");
  });
});
