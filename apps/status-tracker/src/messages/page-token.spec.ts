import { PageTokenCodec } from './page-token';

describe('PageTokenCodec', () => {
  const codec = new PageTokenCodec('a-secret-of-some-length');
  const cursor = { requestTime: new Date('2026-11-29T10:00:00.123Z'), messageId: 'm-42' };

  it('round-trips a cursor within the same scope', () => {
    const token = codec.encode(cursor, 'acct-1|filters');
    expect(codec.decode(token, 'acct-1|filters')).toEqual(cursor);
  });

  it('refuses a token of another scope (account or filters)', () => {
    const token = codec.encode(cursor, 'acct-1|filters');
    expect(codec.decode(token, 'acct-2|filters')).toEqual({
      refused: 'page_token belongs to another account or other filters',
    });
  });

  it('refuses an edited or foreign-signed token', () => {
    const token = codec.encode(cursor, 'scope');
    const [payload, signature] = token.split('.') as [string, string];
    const edited = Buffer.from(
      Buffer.from(payload, 'base64url').toString().replace('m-42', 'm-99'),
    ).toString('base64url');
    expect(codec.decode(`${edited}.${signature}`, 'scope')).toEqual({
      refused: 'page_token is not a token this service issued',
    });
    const foreign = new PageTokenCodec('another-secret-entirely').encode(cursor, 'scope');
    expect(codec.decode(foreign, 'scope')).toHaveProperty('refused');
    expect(codec.decode('garbage', 'scope')).toEqual({ refused: 'page_token is malformed' });
  });
});
