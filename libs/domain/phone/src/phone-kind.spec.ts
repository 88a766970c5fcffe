import { phoneKind } from './phone-kind';

describe('phoneKind', () => {
  it.each([
    ['+447911123456', 'GG', true, 'MOBILE'], // Guernsey shares +44 7911,
    ['+442079460000', 'GB', false, 'FIXED_LINE'],
    ['+8613800138000', 'CN', true, 'MOBILE'],
    ['+448001111111', 'GB', false, 'TOLL_FREE'],
    ['+12015550123', 'US', true, 'FIXED_LINE_OR_MOBILE'],
  ])('%s is %s, SMS %s (%s)', (e164, country, smsCapable, type) => {
    expect(phoneKind(e164)).toEqual({ country, smsCapable, type });
  });
});
