import { describe, expect, it } from 'vitest';
import { accountOptions } from './account-field';
import { messageFilterFields } from './message-fields';

const now = new Date('2026-12-05T10:00:00Z');
const field = (name: string, accounts?: { value: string; label: string }[]) =>
  messageFilterFields(now, accounts).find((f) => f.name === name)!;

describe('SMS Status filter fields', () => {
  it('offers every status as a checkbox, in the API order, by name', () => {
    const status = field('status');
    expect(status.kind).toBe('checks');
    expect(status.options?.map((o) => o.label)).toEqual([
      'Sending',
      'Wait result',
      'Delivered',
      'Process failed',
      'Send failed',
    ]);
  });

  it('shows the reasons only of the failed statuses picked: 8 reasons, 10 codes by name', () => {
    const reason = field('reasonCode');
    expect(reason.when?.({ status: 'delivered' })).toBe(false);
    expect(reason.when?.({ status: 'delivered,send_failed' })).toBe(true);
    const both = reason.groups?.({ status: 'process_failed,send_failed' }) ?? [];
    expect(both.map((g) => [g.label, g.options.length])).toEqual([
      ['Process failed', 8],
      ['Send failed', 10],
    ]);
    expect(both[0]?.options[0]).toEqual({ value: 'global_block', label: 'Global block' });
    expect(both[1]?.options[2]).toEqual({ value: '520', label: 'Blacklist (520)' });
    expect(reason.groups?.({ status: 'send_failed' }).map((g) => g.label)).toEqual(['Send failed']);
  });

  it('has an account select only for operators, with each account by name and id', () => {
    expect(messageFilterFields(now).some((f) => f.name === 'accountId')).toBe(false);
    const options = accountOptions([{ accountId: 'acc_0123456789abcdef01234567', name: 'Acme' }]);
    const account = field('accountId', options);
    expect(account.kind).toBe('select');
    expect(account.emptyLabel).toBe('All accounts');
    expect(account.options).toEqual([
      { value: 'acc_0123456789abcdef01234567', label: 'Acme · acc_0123456789abcdef01234567' },
    ]);
  });
});
