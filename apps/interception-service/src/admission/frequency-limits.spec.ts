import { describeWindow, parseFrequencyLimits } from './frequency-limits';

describe('parseFrequencyLimits', () => {
  it('reads both scopes, windows sorted by length', () => {
    expect(parseFrequencyLimits('template: 1d=10, 1m=1, 1h=5; ACCOUNT:1d=20')).toEqual({
      template: [
        { seconds: 60, limit: 1 },
        { seconds: 3600, limit: 5 },
        { seconds: 86_400, limit: 10 },
      ],
      account: [{ seconds: 86_400, limit: 20 }],
    });
  });

  it('reads an empty text as no limits', () => {
    expect(parseFrequencyLimits('')).toEqual({ template: [], account: [] });
  });

  it.each([
    ['per-minute', /must be template:<windows> or account:<windows>/],
    ['template:1w=1', /must be <number><s\|m\|h\|d>=<limit>/],
    ['template:1m=0', /limit in 1m=0 must be 1..10000/],
    ['template:0s=1', /window 0s=1 must be 1 s/],
    ['template:32d=1', /window 32d=1 must be 1 s .. 31 days/],
    ['template:60s=1,1m=2', /window 1m=2 is given twice/],
    ['template:1m=1;template:1h=2', /scope template is given twice/],
  ])('refuses %s', (text, message) => {
    expect(() => parseFrequencyLimits(text)).toThrow(message);
  });

  it('names windows for people', () => {
    expect([60, 3600, 86_400, 90, 7200, 172_800].map(describeWindow)).toEqual([
      'minute',
      'hour',
      'day',
      '90 seconds',
      '2 hours',
      '2 days',
    ]);
  });
});
