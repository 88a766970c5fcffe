import { InvalidArgumentError } from '@sms/errors';
import { InvalidPageTokenError, PageTokenCodec } from './page-token-codec';

type Position = { at: number; id: string };
const isPosition = (value: unknown): value is Position =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { at: unknown }).at === 'number' &&
  typeof (value as { id: unknown }).id === 'string';

const payloadOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as Record<string, unknown>;
const withPayload = (payload: unknown, signature: string): string =>
  `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;

describe('PageTokenCodec', () => {
  const codec = new PageTokenCodec('a-test-secret-of-some-length');
  const boundTo = { account: 'acc-1', state: 'ACTIVE' };
  const position: Position = { at: 1234, id: 'abc' };

  it('round-trips a position for the same request', () => {
    const token = codec.encode(position, boundTo);
    expect(codec.decode(token, boundTo, isPosition)).toEqual(position);
  });

  it('reads an empty token as the first page', () => {
    expect(codec.decode('', boundTo, isPosition)).toBeUndefined();
  });

  it('refuses a token replayed for another account or other filters', () => {
    const token = codec.encode(position, boundTo);
    for (const other of [{ ...boundTo, account: 'acc-2' }, { ...boundTo, state: 'EXPIRED' }, {}]) {
      expect(() => codec.decode(token, other, isPosition)).toThrow(
        'page_token is not valid: issued for another account or other filters',
      );
    }
  });

  it('refuses an edited payload kept with the original signature', () => {
    const token = codec.encode(position, boundTo);
    const signature = token.split('.')[1];
    const edited = withPayload({ ...payloadOf(token), p: { at: 1, id: 'x' } }, signature);
    expect(() => codec.decode(edited, boundTo, isPosition)).toThrow(
      'page_token is not valid: not a token this service issued',
    );
  });

  it('refuses a token signed with another secret', () => {
    const other = new PageTokenCodec('another-secret-of-some-length');
    expect(() => codec.decode(other.encode(position, boundTo), boundTo, isPosition)).toThrow(
      /not a token this service issued/,
    );
  });

  it('refuses truncated or garbage tokens', () => {
    const token = codec.encode(position, boundTo);
    for (const bad of [token.slice(0, -2), `${token}x`]) {
      expect(() => codec.decode(bad, boundTo, isPosition)).toThrow(
        /not a token this service issued/,
      );
    }
    for (const bad of ['garbage', `${token}.x`, '.', 'a.b.c', token.split('.')[0]]) {
      expect(() => codec.decode(bad, boundTo, isPosition)).toThrow(
        'page_token is not valid: malformed',
      );
    }
  });

  it('refuses a correctly signed token whose position is not of the expected shape', () => {
    const token = codec.encode({ at: 'yesterday', id: 7 }, boundTo);
    expect(() => codec.decode(token, boundTo, isPosition)).toThrow(
      'page_token is not valid: malformed',
    );
  });

  it('refuses with an INVALID_ARGUMENT error that names the field and keeps the reason', () => {
    let caught: unknown;
    try {
      codec.decode('garbage', boundTo, isPosition);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidPageTokenError);
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect(caught).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'malformed' });
    expect((caught as Error).message).toMatch(/^page_token /);
  });

  it('issues opaque tokens that do not carry the bound request in clear', () => {
    const token = codec.encode(position, { account: 'acc-secret-name' });
    expect(Buffer.from(token.split('.')[0], 'base64url').toString()).not.toContain(
      'acc-secret-name',
    );
  });
});
