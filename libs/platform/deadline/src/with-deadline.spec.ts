import { DeadlineExceededError, withDeadline } from './with-deadline';

describe('withDeadline', () => {
  afterEach(() => jest.useRealTimers());

  it('settles with the work when it answers in time', async () => {
    await expect(withDeadline(Promise.resolve(42), 1000, 'store')).resolves.toBe(42);
    await expect(withDeadline(Promise.reject(new Error('refused')), 1000)).rejects.toThrow(
      'refused',
    );
  });

  it('rejects with a named error once the deadline passes', async () => {
    jest.useFakeTimers();
    const raced = withDeadline(new Promise<never>(() => undefined), 250, 'redis');
    jest.advanceTimersByTime(250);
    const error = await raced.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as Error).message).toBe('redis: no answer within 250 ms');
  });

  it('names no subject when none is given', async () => {
    jest.useFakeTimers();
    const raced = withDeadline(new Promise(() => undefined), 10);
    jest.advanceTimersByTime(10);
    await expect(raced).rejects.toThrow(/^no answer within 10 ms$/);
  });

  it('clears its timer when the work settles first', async () => {
    jest.useFakeTimers();
    await withDeadline(Promise.resolve('done'), 60_000);
    expect(jest.getTimerCount()).toBe(0);
  });
});
