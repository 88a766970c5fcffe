import { GrpcStatus } from '@sms/platform-grpc';
import { withRetry } from './retry';

const FAST = { attempts: 3, initialBackoffMs: 1, maxBackoffMs: 2 };
const failure = (code: number) => Object.assign(new Error(`code ${code}`), { code });

describe('simulator gRPC retry', () => {
  it('answers at once when the first attempt succeeds', async () => {
    await expect(withRetry(() => Promise.resolve('ok'), FAST)).resolves.toEqual({
      response: 'ok',
      retried: false,
    });
  });

  it('sends a call again after UNAVAILABLE and says it did', async () => {
    const calls: number[] = [];
    const retries: number[] = [];
    const result = await withRetry(
      () => {
        calls.push(calls.length);
        return calls.length < 3
          ? Promise.reject(failure(GrpcStatus.UNAVAILABLE))
          : Promise.resolve('ok');
      },
      FAST,
      (_error, attempt) => retries.push(attempt),
    );
    expect(result).toEqual({ response: 'ok', retried: true });
    expect(retries).toEqual([1, 2]);
  });

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0;
    await expect(
      withRetry(() => {
        calls++;
        return Promise.reject(failure(GrpcStatus.UNAVAILABLE));
      }, FAST),
    ).rejects.toThrow(`code ${GrpcStatus.UNAVAILABLE}`);
    expect(calls).toBe(3);
  });

  it('does not retry other failures: the service answered', async () => {
    let calls = 0;
    await expect(
      withRetry(() => {
        calls++;
        return Promise.reject(failure(GrpcStatus.INVALID_ARGUMENT));
      }, FAST),
    ).rejects.toThrow(`code ${GrpcStatus.INVALID_ARGUMENT}`);
    expect(calls).toBe(1);
  });
});
