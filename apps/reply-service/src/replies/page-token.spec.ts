import { decodePageToken, encodePageToken, InvalidPageTokenError } from './page-token';

describe('page tokens', () => {
  const secret = 'test-secret-of-sixteen+';
  const cursor = { receivedAtMs: 1_764_400_000_123, replyId: 'r-42' };
  const scope = JSON.stringify({ account: 'acc-1', phone: '+447911123456' });

  it('round-trips a cursor for the same scope', () => {
    const token = encodePageToken(cursor, scope, secret);
    expect(decodePageToken(token, scope, secret)).toEqual(cursor);
  });

  it('refuses a token for another account or other filters', () => {
    const token = encodePageToken(cursor, scope, secret);
    expect(() => decodePageToken(token, JSON.stringify({ account: 'acc-2' }), secret)).toThrow(
      /another account or other filters/,
    );
  });

  it('refuses a tampered payload, a forged signature and garbage', () => {
    const token = encodePageToken(cursor, scope, secret);
    const [payload, signature] = token.split('.') as [string, string];
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), r: 1 }),
    ).toString('base64url');
    expect(() => decodePageToken(`${forgedPayload}.${signature}`, scope, secret)).toThrow(
      InvalidPageTokenError,
    );
    expect(() => decodePageToken(token, scope, 'another-secret-123456')).toThrow(
      /signature does not match/,
    );
    expect(() => decodePageToken('garbage', scope, secret)).toThrow(/malformed/);
    expect(() => decodePageToken('a.b.c', scope, secret)).toThrow(/malformed/);
  });
});
