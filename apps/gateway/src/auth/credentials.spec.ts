import { parseAuthorization } from './credentials';

const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('parseAuthorization', () => {
  it('reads Bearer <keyId>.<secret>, splitting at the first dot', () => {
    expect(parseAuthorization('Bearer key_1.abc.def')).toEqual({
      ok: true,
      credentials: { keyId: 'key_1', secret: 'abc.def' },
    });
  });

  it('reads Basic base64(keyId:secret), case-insensitive scheme', () => {
    expect(parseAuthorization(`  ${basic('key_1:s3cr:et')}  `.replace('Basic', 'basic'))).toEqual({
      ok: true,
      credentials: { keyId: 'key_1', secret: 's3cr:et' },
    });
  });

  it.each([
    [undefined, /missing API key/],
    ['', /missing API key/],
    ['Bearer', /malformed Authorization header/],
    ['Bearer a b', /malformed Authorization header/],
    ['Digest abc', /unsupported authorization scheme/],
    ['Bearer nodot', /malformed Bearer token/],
    ['Bearer .secret', /malformed credentials/],
    ['Bearer key.', /malformed credentials/],
    ['Basic !!!', /malformed Basic credentials/],
    [basic('nocolon'), /malformed Basic credentials/],
    [basic(':secret'), /malformed credentials/],
    [`Bearer ${'k'.repeat(65)}.s`, /malformed credentials/],
  ])('refuses %p', (header, problem) => {
    const result = parseAuthorization(header);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(problem);
  });
});
