import { describe, expect, it } from 'vitest';
import {
  draftProblems,
  emptyWindow,
  fromDraft,
  hasProblems,
  limitInWords,
  splitWindow,
  toDraft,
  windowInWords,
  type WindowDraft,
} from './frequency-limits';

const row = (
  limit: string,
  amount: string,
  unit: WindowDraft['unit'],
  key = `${amount}${unit}`,
) => ({
  key,
  limit,
  amount,
  unit,
});

describe('frequency limits in words', () => {
  it('reads a limit as a sentence, per unit or in any n units', () => {
    expect(limitInWords({ windowSeconds: 3600, limit: 5 }, 'template')).toBe(
      'At most 5 messages per hour to the same number with the same template',
    );
    expect(limitInWords({ windowSeconds: 86_400, limit: 1 }, 'account')).toBe(
      'At most 1 message per day to the same number across all templates',
    );
    expect(windowInWords(60)).toBe('per minute');
    expect(windowInWords(1)).toBe('per second');
    expect(windowInWords(7200)).toBe('in any 2 hours');
    expect(windowInWords(90)).toBe('in any 90 seconds');
    expect(windowInWords(31 * 86_400)).toBe('in any 31 days');
  });

  it('splits a window into the largest unit that divides it', () => {
    expect(splitWindow(172_800)).toEqual({ amount: 2, unit: 'days' });
    expect(splitWindow(5400)).toEqual({ amount: 90, unit: 'minutes' });
    expect(splitWindow(61)).toEqual({ amount: 61, unit: 'seconds' });
  });
});

describe('the limits editor', () => {
  it('round-trips the API limits through editor rows', () => {
    const windows = [
      { windowSeconds: 60, limit: 1 },
      { windowSeconds: 3600, limit: 5 },
      { windowSeconds: 86_400, limit: 10 },
    ];
    const draft = { template: toDraft(windows), account: [] };
    expect(draft.template.map((r) => [r.amount, r.unit, r.limit])).toEqual([
      ['1', 'minutes', '1'],
      ['1', 'hours', '5'],
      ['1', 'days', '10'],
    ]);
    expect(hasProblems(draftProblems(draft))).toBe(false);
    expect(fromDraft(draft)).toEqual({ template: windows, account: [] });
  });

  it('refuses what the gateway refuses, beside the field', () => {
    const draft = {
      template: [
        row('0', '1', 'hours', 'a'),
        row('5.5', '60', 'minutes', 'b'),
        row('10001', '32', 'days', 'c'),
        row('', '', 'hours', 'd'),
        row('3', '0', 'seconds', 'e'),
      ],
      account: [],
    };
    expect(draftProblems(draft).fields).toEqual({
      'a.limit': 'Must be at least 1.',
      'b.limit': 'Must be a whole number.',
      // 60 minutes is the hour of row a: the same window twice.
      'b.window': 'This window length is given twice.',
      'c.limit': 'Must be at most 10000.',
      'c.window': 'Must be at most 31 days.',
      'd.limit': 'Required.',
      'd.window': 'Required.',
      'e.window': 'Must be at least 1.',
    });
  });

  it('allows the same window once per kind, and at most 8 windows', () => {
    const same = { template: [row('1', '1', 'hours')], account: [row('2', '1', 'hours')] };
    expect(hasProblems(draftProblems(same))).toBe(false);
    const nine = {
      template: Array.from({ length: 9 }, (_, i) => row('1', String(i + 1), 'minutes')),
      account: [],
    };
    expect(draftProblems(nine).lists).toEqual({ template: 'At most 8 limits of this kind.' });
  });

  it('offers an hour for a new row, a day when an hour is taken', () => {
    expect(emptyWindow([]).unit).toBe('hours');
    expect(emptyWindow([row('1', '60', 'minutes')]).unit).toBe('days');
  });
});
