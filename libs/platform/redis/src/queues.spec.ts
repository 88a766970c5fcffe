import { EventEmitter } from 'node:events';
import { reportQueueErrors } from './queues';

describe('reportQueueErrors', () => {
  it('logs each distinct connection error once a minute instead of letting BullMQ print stacks', () => {
    const queue = new EventEmitter();
    const warnings: string[] = [];
    let clock = 0;
    reportQueueErrors(
      queue,
      (message) => warnings.push(message),
      () => clock,
    );
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:6379');
    queue.emit('error', refused);
    clock = 500;
    queue.emit('error', refused);
    queue.emit('error', new Error('NOAUTH Authentication required.'));
    clock = 61_000;
    queue.emit('error', refused);
    expect(warnings).toEqual([
      'queue connection: connect ECONNREFUSED 127.0.0.1:6379 (BullMQ retries)',
      'queue connection: NOAUTH Authentication required. (BullMQ retries)',
      'queue connection: connect ECONNREFUSED 127.0.0.1:6379 (BullMQ retries)',
    ]);
  });
});
