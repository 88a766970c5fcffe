import { describe, expect, it } from 'vitest';
import { codeInWords, percent, showTime, statusInWords } from './format';

describe('codes in words', () => {
  it('names a send failure by its word and code', () => {
    expect(statusInWords('send_failed', 'empty', 500)).toBe('Send failed · Empty (500)');
    expect(statusInWords('send_failed', 'other', 590)).toBe('Send failed · Other (590)');
    expect(codeInWords(570)).toBe('Not in service (570)');
    expect(codeInWords('520', 'blacklist')).toBe('Blacklist (520)');
  });

  it('names a process failure by its reason, without a code', () => {
    expect(statusInWords('process_failed', 'global_block', null)).toBe(
      'Process failed · Global block',
    );
    expect(statusInWords('process_failed', 'frequency_overrun')).toBe(
      'Process failed · Frequency overrun',
    );
  });

  it('shows other statuses plainly and missing values as a dash', () => {
    expect(statusInWords('wait_result')).toBe('Wait result');
    expect(statusInWords('delivered', null, null)).toBe('Delivered');
    expect(statusInWords(null)).toBe('—');
    expect(codeInWords(null)).toBe('—');
  });
});

describe('times', () => {
  it('shows the time in the given zone with UTC for the hover title', () => {
    const shown = showTime('2026-12-04T16:35:34.000Z', { timeZone: 'Asia/Shanghai' });
    expect(shown).toEqual({
      local: '05 Dec 2026, 00:35:34',
      utc: '2026-12-04 16:35:34 UTC',
      iso: '2026-12-04T16:35:34.000Z',
    });
    expect(showTime('2026-12-04T16:35:34.000Z', { timeZone: 'America/New_York' })?.local).toBe(
      '04 Dec 2026, 11:35:34',
    );
  });

  it('shows nothing for a missing or broken time', () => {
    expect(showTime(null)).toBeNull();
    expect(showTime('not a time')).toBeNull();
  });

  it('formats rates as percentages', () => {
    expect(percent(0.9876)).toBe('98.8 %');
    expect(percent(null)).toBe('—');
  });
});
