import { InvalidPageTokenError, PageTokenCodec } from './page-token';

const isPosition = (value: unknown): value is { at: number; id: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { at: unknown }).at === 'number' &&
  typeof (value as { id: unknown }).id === 'string';

describe('PageTokenCodec', () => {
  const codec = new PageTokenCodec('a-test-secret-of-some-length');
  const boundTo = { account: 'acc-1', state: 'ACTIVE' };
  const position = { at: 1234, id: 'abc' };

  it('round-trips a position for the same request', () => {
    const token = codec.encode(position, boundTo);
    expect(codec.decode(token, boundTo, isPosition)).toEqual(position);
  });

  it('reads an empty token as the first page', () => {
    expect(codec.decode('', boundTo, isPosition)).toBeUndefined();
  });

  it('refuses a token replayed for another account or other filters', () => {
    const token = codec.encode(position, boundTo);
    expect(() => codec.decode(token, { ...boundTo, account: 'acc-2' }, isPosition)).toThrow(
      InvalidPageTokenError,
    );
    expect(() => codec.decode(token, { ...boundTo, state: 'EXPIRED' }, isPosition)).toThrow(
      InvalidPageTokenError,
    );
  });

  it('refuses edited, truncated or garbage tokens', () => {
    const token = codec.encode(position, boundTo);
    const [, signature] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ at: 1, id: 'x' })).toString('base64url')}.${signature}`;
    for (const bad of [
      forged,
      token.slice(0, -2),
      'garbage',
      `${token}.x`,
      '.',
      token.split('.')[0],
    ]) {
      expect(() => codec.decode(bad, boundTo, isPosition)).toThrow(/page_token is not valid/);
    }
  });

  it('refuses a token signed with another secret', () => {
    const other = new PageTokenCodec('another-secret-of-some-length');
    expect(() => codec.decode(other.encode(position, boundTo), boundTo, isPosition)).toThrow(
      InvalidPageTokenError,
    );
  });
});
