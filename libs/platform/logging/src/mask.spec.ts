import { Writable } from 'node:stream';
import { createPinoLogger } from './logger';
import { maskPhone, maskPhonesDeep, maskSensitiveText, maskUrl } from './mask';

describe('maskPhone', () => {
  it('keeps the last four digits of a long number and the last two of a short one', () => {
    expect(maskPhone('+447911123456')).toBe('+********3456');
    expect(maskPhone('8613800138000')).toBe('*********8000');
    expect(maskPhone('0791 1123')).toBe('******23');
  });

  it('leaves short numbers alone', () => {
    expect(maskPhone('12345')).toBe('12345');
  });
});

describe('maskSensitiveText', () => {
  it.each([
    ['plain E.164', 'to +8613981774793 now', 'to +*********4793 now'],
    ['spaces', 'to +86 139 8177 4793 now', 'to +*********4793 now'],
    ['percent-encoded', 'phone=%2B86%20139%208177%204793', 'phone=+*********4793'],
    ['plus as space', 'phone=+86+139+8177+4793&x=1', 'phone=+*********4793&x=1'],
    ['dots', 'call 0139.8177.4793', 'call ********4793'],
    ['dashes', 'call 1-800-555-0199', 'call *******0199'],
    ['brackets', 'call +44 (0) 7911 123456', 'call +*********3456'],
    ['national brackets', 'call (020) 7946 0958', 'call *******0958'],
    ['in JSON', '{"phone":"+447911123456"}', '{"phone":"+********3456"}'],
    [
      'in an error',
      'Error: +447911123456 is blocked\n    at x (y.ts:1:2)',
      'Error: +********3456 is blocked\n    at x (y.ts:1:2)',
    ],
  ])('masks %s', (_name, input, masked) => {
    expect(maskSensitiveText(input)).toBe(masked);
  });

  it.each([
    ['ISO dates and times', 'from 2026-12-03T10:15:00.000Z to 2026-12-04'],
    ['compact dates in partition names', 'partitions created: [20261203, 20261204], p20261205'],
    ['UUIDs', 'entry 550e8400-e29b-41d4-a716-446655440000 expired'],
    ['identifiers with digits', 'acc_12345678901 key_9876543210abc msg-a1b2c3'],
    ['counts and durations', 'processed 1234567 events in 250 ms, 10000 messages'],
    ['addresses', 'listening on 192.168.100.200:50052'],
    ['short codes', 'codes 500, 510, 590'],
    ['hashes', 'sha 4bf92f3577b34da6a3ce929d0e0e4736'],
  ])('leaves %s alone', (_name, text) => {
    expect(maskSensitiveText(text)).toBe(text);
  });
});

describe('maskUrl', () => {
  it('decodes before masking, so no encoding hides a number', () => {
    expect(maskUrl('/v1/messages?phone=%2B86%20139%208177%204793&pageSize=10')).toBe(
      '/v1/messages?phone=+*********4793&pageSize=10',
    );
    expect(maskUrl('/v1/block-list/check?phone=%2B447911123456')).toBe(
      '/v1/block-list/check?phone=+********3456',
    );
  });

  it('survives malformed percent-encoding', () => {
    expect(maskUrl('/v1/x?phone=%E0%A4%A&q=%2B447911123456')).toBe(
      '/v1/x?phone=%E0%A4%A&q=+********3456',
    );
  });
});

describe('maskPhonesDeep', () => {
  it('masks nested objects, arrays, phone-named fields and errors', () => {
    const error = new Error('cannot block +447911123456');
    const masked = maskPhonesDeep({
      request: { phone: '+8613800138000', accountId: 'acc-1', count: 12345678 },
      phones: ['+447911123456'],
      err: error,
    }) as Record<string, unknown>;
    expect(masked).toMatchObject({
      request: { phone: '+*********8000', accountId: 'acc-1', count: 12345678 },
      phones: ['+********3456'],
    });
    const maskedError = masked['err'] as Error;
    expect(maskedError).toBeInstanceOf(Error);
    expect(maskedError.message).toBe('cannot block +********3456');
    expect(maskedError.stack).toContain('cannot block +********3456');
    expect(JSON.stringify(masked)).not.toContain('447911123456');
  });

  it('leaves class instances to their serializers', () => {
    class Response {
      get statusCode() {
        return 201;
      }
    }
    const response = new Response();
    expect((maskPhonesDeep({ res: response }) as { res: unknown }).res).toBe(response);
  });
});

describe('logger output', () => {
  it('never writes a raw phone number', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createPinoLogger({ service: 'test', level: 'info' }, sink);
    logger.info({ recipient: '+447911123456' }, 'sent to +44 7911 123456');
    logger.error(new Error('lookup of %2B447911123456 failed'), 'failed');
    const output = lines.join('');
    expect(output).not.toMatch(/447911123456|7911 123456/);
    expect(output).toContain('+********3456');
    expect(JSON.parse(lines[0])).toMatchObject({ service: 'test', level: 'info' });
  });
});
