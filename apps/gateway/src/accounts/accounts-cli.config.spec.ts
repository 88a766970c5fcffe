import { loadConfig } from '@sms/platform-config';
import { accountsCliConfigSchema, LOCAL_DATABASE_URL } from './accounts-cli.config';

describe('accounts CLI configuration', () => {
  it('defaults to the database and schema `npm start` uses', () => {
    expect(loadConfig('accounts', accountsCliConfigSchema, {})).toEqual({
      DATABASE_URL: LOCAL_DATABASE_URL,
      DATABASE_SCHEMA: 'gateway',
    });
    expect(LOCAL_DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/sms');
  });

  it('takes both from the environment', () => {
    expect(
      loadConfig('accounts', accountsCliConfigSchema, {
        DATABASE_URL: 'postgres://db.example:5432/other',
        DATABASE_SCHEMA: 'gw2',
      }),
    ).toEqual({ DATABASE_URL: 'postgres://db.example:5432/other', DATABASE_SCHEMA: 'gw2' });
  });

  it('still refuses a broken URL, naming the variable', () => {
    expect(() => loadConfig('accounts', accountsCliConfigSchema, { DATABASE_URL: 'nope' })).toThrow(
      /DATABASE_URL: must be a postgres:\/\/ URL/,
    );
  });
});
