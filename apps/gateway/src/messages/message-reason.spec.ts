import { resolveReason } from './message-reason';

describe('resolveReason (the messages reason filter)', () => {
  it.each([
    ['global_block', undefined, { kind: 'process_failed', name: 'GLOBAL_BLOCK' }],
    ['global_block', 'process_failed', { kind: 'process_failed', name: 'GLOBAL_BLOCK' }],
    ['empty', undefined, { kind: 'send_failed', name: 'EMPTY', code: 500 }],
    ['500', 'send_failed', { kind: 'send_failed', name: 'EMPTY', code: 500 }],
    ['590', undefined, { kind: 'send_failed', name: 'OTHER', code: 590 }],
    ['other', 'send_failed', { kind: 'send_failed', name: 'OTHER', code: 590 }],
    ['other', 'process_failed', { kind: 'process_failed', name: 'OTHER' }],
    ['empty', ['send_failed', 'process_failed'], { kind: 'send_failed', name: 'EMPTY', code: 500 }],
    [
      'global_block',
      ['delivered', 'process_failed'],
      { kind: 'process_failed', name: 'GLOBAL_BLOCK' },
    ],
    ['other', ['delivered', 'send_failed'], { kind: 'send_failed', name: 'OTHER', code: 590 }],
  ])('%s with status %p', (reason, status, filter) => {
    expect(resolveReason(reason, status)).toEqual({ ok: true, filter });
  });

  it.each([
    ['other', undefined, /both a process-failed and a send-failure reason/],
    ['other', 'delivered', /both/],
    ['505', undefined, /unknown send-failure code 505/],
    ['500', 'process_failed', /code 500 is a send-failure reason/],
    ['empty', 'process_failed', /"empty" is a send-failure reason/],
    ['unsubscribe', 'send_failed', /"unsubscribe" is a process-failed reason/],
    ['EMPTY', undefined, /must be a process-failed reason/],
    ['other', ['send_failed', 'process_failed'], /give exactly one of/],
    ['empty', ['delivered', 'process_failed'], /cannot match status delivered,process_failed/],
    ['510', ['sending', 'wait_result'], /code 510 is a send-failure reason/],
    ['unsubscribe', ['delivered', 'send_failed'], /"unsubscribe" is a process-failed reason/],
  ])('refuses %s with status %p', (reason, status, problem) => {
    const result = resolveReason(reason, status);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(problem);
  });
});
