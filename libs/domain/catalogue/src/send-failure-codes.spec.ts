import { CodeCatalogue, parseDurationOverrides, SEND_FAILURE_CODES } from './send-failure-codes';
import { isFinalStatus, PROCESS_FAILED_REASONS_BY_PRECEDENCE } from './statuses';

describe('send-failure code table', () => {
  const catalogue = new CodeCatalogue();

  it.each([
    [500, 'EMPTY', 30 * 86400, 'GLOBAL', true],
    [510, 'OUT_OF_SERVICE', 3600, 'GLOBAL', true],
    [520, 'BLACKLIST', 3600, 'LOCAL', true],
    [530, 'BUSY', 0, 'LOCAL', false],
    [540, 'NO_ANSWER', 0, 'LOCAL', false],
    [550, 'INTERCEPTION', 3600, 'LOCAL', true],
    [560, 'BREAK_DOWN', 3600, 'GLOBAL', true],
    [570, 'NOT_IN_SERVICE', 3600, 'GLOBAL', true],
    [580, 'POWER_OFF', 0, 'LOCAL', false],
    [590, 'OTHER', 0, 'LOCAL', false],
  ])('code %i is %s for %i s, %s, blocks=%p', (code, name, seconds, scope, blocks) => {
    expect(catalogue.ruleFor(code)).toMatchObject({
      code,
      name,
      durationSeconds: seconds,
      scope,
      blocks,
    });
    expect(catalogue.ruleForName(name)?.code).toBe(code);
  });

  it('lists exactly the ten codes of the spec', () => {
    expect(SEND_FAILURE_CODES).toEqual([500, 510, 520, 530, 540, 550, 560, 570, 580, 590]);
    expect(catalogue.all()).toHaveLength(10);
  });

  it('refuses unknown codes', () => {
    expect(catalogue.isKnownCode(505)).toBe(false);
    expect(() => catalogue.ruleFor(505)).toThrow(/unknown send-failure code 505/);
  });

  it('applies operator overrides of durations, turning blocking on or off', () => {
    const custom = new CodeCatalogue({ 510: 7200, 530: 60, 500: 0 });
    expect(custom.ruleFor(510).durationSeconds).toBe(7200);
    expect(custom.ruleFor(530)).toMatchObject({
      durationSeconds: 60,
      blocks: true,
      scope: 'LOCAL',
    });
    expect(custom.ruleFor(500)).toMatchObject({
      durationSeconds: 0,
      blocks: false,
      scope: 'GLOBAL',
    });
    expect(() => new CodeCatalogue({ 510: -1 })).toThrow(/510/);
  });
});

describe('parseDurationOverrides', () => {
  it('parses code=seconds lists', () => {
    expect(parseDurationOverrides('500=86400, 510=7200')).toEqual({ 500: 86400, 510: 7200 });
    expect(parseDurationOverrides('')).toEqual({});
  });

  it.each([['500'], ['500=abc'], ['505=10'], ['500=-1']])('refuses %p', (text) => {
    expect(() => parseDurationOverrides(text)).toThrow();
  });
});

describe('statuses and reasons', () => {
  it('knows the final statuses', () => {
    expect(isFinalStatus('DELIVERED')).toBe(true);
    expect(isFinalStatus('SEND_FAILED')).toBe(true);
    expect(isFinalStatus('PROCESS_FAILED')).toBe(true);
    expect(isFinalStatus('SENDING')).toBe(false);
    expect(isFinalStatus('WAIT_RESULT')).toBe(false);
  });

  it('orders process-failed reasons by precedence', () => {
    expect(PROCESS_FAILED_REASONS_BY_PRECEDENCE.slice(0, 3)).toEqual([
      'GLOBAL_BLOCK',
      'PARTIAL_BLOCK',
      'UNSUBSCRIBE',
    ]);
  });
});
