import { z } from 'zod';
import { ConfigError, developmentSecret, loadConfig, MIN_PRODUCTION_SECRET_LENGTH } from './index';

const schema = z.object({
  PAGE_TOKEN_SECRET: developmentSecret('dev-only-page-token-secret'),
  CALLER_TOKEN: developmentSecret('dev-only-caller-token-value'),
});
const strong = 'x'.repeat(MIN_PRODUCTION_SECRET_LENGTH);

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig('svc', schema, env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((issue) => `${issue.variable}: ${issue.problem}`);
  }
}

describe('developmentSecret', () => {
  it('falls back to the development value outside production', () => {
    expect(loadConfig('svc', schema, {})).toEqual({
      PAGE_TOKEN_SECRET: 'dev-only-page-token-secret',
      CALLER_TOKEN: 'dev-only-caller-token-value',
    });
    expect(loadConfig('svc', schema, { NODE_ENV: 'development' }).PAGE_TOKEN_SECRET).toBe(
      'dev-only-page-token-secret',
    );
  });

  it('refuses a missing secret in production, naming each variable', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      'PAGE_TOKEN_SECRET: must be set in production (the development default is refused)',
      'CALLER_TOKEN: must be set in production (the development default is refused)',
    ]);
  });

  it('refuses the development value given explicitly in production', () => {
    expect(
      problems({
        NODE_ENV: 'production',
        PAGE_TOKEN_SECRET: 'dev-only-page-token-secret',
        CALLER_TOKEN: strong,
      }),
    ).toEqual([
      'PAGE_TOKEN_SECRET: must be set in production (the development default is refused)',
    ]);
  });

  it('refuses a short secret in production', () => {
    expect(
      problems({
        NODE_ENV: 'production',
        PAGE_TOKEN_SECRET: 'short-but-16-chars',
        CALLER_TOKEN: strong,
      }),
    ).toEqual([
      `PAGE_TOKEN_SECRET: must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters in production`,
    ]);
  });

  it('refuses a placeholder copied from .env.example in production', () => {
    expect(
      problems({
        NODE_ENV: 'production',
        PAGE_TOKEN_SECRET: 'replace-with-openssl-rand-hex-32-output-2222222222',
        CALLER_TOKEN: strong,
      }),
    ).toEqual([
      'PAGE_TOKEN_SECRET: is a placeholder (e.g. from .env.example); generate one: openssl rand -hex 32',
    ]);
  });

  it('takes long secrets of their own in production', () => {
    expect(
      loadConfig('svc', schema, {
        NODE_ENV: 'production',
        PAGE_TOKEN_SECRET: strong,
        CALLER_TOKEN: `${strong}y`,
      }),
    ).toEqual({ PAGE_TOKEN_SECRET: strong, CALLER_TOKEN: `${strong}y` });
  });

  it('reports a secret once when it is also invalid in any environment', () => {
    expect(
      problems({ NODE_ENV: 'production', PAGE_TOKEN_SECRET: 'short', CALLER_TOKEN: strong }),
    ).toEqual(['PAGE_TOKEN_SECRET: must be at least 16 characters']);
  });
});
