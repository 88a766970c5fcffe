import { checkContent, DEFAULT_TEMPLATE_TYPE_RULES } from './content-rules';

const policy = { forbiddenCharacters: new Set(['¤', '★']) };
const { VERIFICATION, NOTIFICATION, MARKETING } = DEFAULT_TEMPLATE_TYPE_RULES;

describe('checkContent', () => {
  it('passes ordinary content with its segment count', () => {
    expect(checkContent('Your code is 1234', 'VERIFICATION', VERIFICATION, policy, false)).toEqual({
      ok: true,
      count: { encoding: 'GSM7', units: 17, segments: 1, perSegment: 160 },
    });
  });

  it.each([
    ['empty content', '  ', 'content is empty'],
    ['a control character', 'a\u0007b', 'content has the control character U+0007 at position 1'],
    [
      'a configured forbidden character',
      'win ★ now',
      'content has the forbidden character "★" (U+2605) at position 4',
    ],
    [
      'more segments than the type allows',
      'x'.repeat(307),
      'content takes 3 GSM-7 segments (307 septets); VERIFICATION allows at most 2',
    ],
    [
      'UCS-2 over the limit',
      '码'.repeat(135),
      'content takes 3 UCS-2 segments (135 characters); VERIFICATION allows at most 2',
    ],
  ])('refuses %s', (_, content, detail) => {
    expect(checkContent(content, 'VERIFICATION', VERIFICATION, policy, false)).toMatchObject({
      ok: false,
      detail,
    });
  });

  it('keeps new lines', () => {
    expect(checkContent('a\r\nb', 'NOTIFICATION', NOTIFICATION, policy, false).ok).toBe(true);
  });

  it.each([
    ['【Acme】 50% off today', true],
    ['50% off today [Acme]', true],
    ['[Acme] 50% off', true],
    ['50% off today', false],
    ['50% off [Acme] today', false],
    ['【】 50% off', false],
  ])('marketing where a signature is required: %s -> %s', (content, ok) => {
    expect(checkContent(content, 'MARKETING', MARKETING, policy, true).ok).toBe(ok);
  });

  it('asks no signature where the market does not need one, nor of other types', () => {
    expect(checkContent('50% off today', 'MARKETING', MARKETING, policy, false).ok).toBe(true);
    expect(checkContent('Your parcel', 'NOTIFICATION', NOTIFICATION, policy, true).ok).toBe(true);
  });
});
