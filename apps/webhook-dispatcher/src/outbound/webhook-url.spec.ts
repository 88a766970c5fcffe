import { urlProblem } from './webhook-url';

describe('urlProblem', () => {
  it('wants https unless http is allowed', () => {
    expect(urlProblem('https://example.com/hook', { allowHttp: false })).toBeNull();
    expect(urlProblem('http://example.com/hook', { allowHttp: false })).toBe('url must use https');
    expect(urlProblem('http://example.com/hook', { allowHttp: true })).toBeNull();
    expect(urlProblem('ftp://example.com/hook', { allowHttp: true })).toMatch(/https or http/);
  });

  it('refuses relative URLs, credentials, fragments and very long URLs', () => {
    expect(urlProblem('/hook', { allowHttp: false })).toMatch(/absolute URL/);
    expect(urlProblem('https://u:p@example.com/', { allowHttp: false })).toMatch(/credentials/);
    expect(urlProblem('https://example.com/#x', { allowHttp: false })).toMatch(/fragment/);
    expect(urlProblem(`https://example.com/${'a'.repeat(2000)}`, { allowHttp: false })).toMatch(
      /at most 2000/,
    );
  });
});
