import { ConfigError, loadConfig } from '@sms/platform-config';
import { replyConfigSchema } from './config';

const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' };

describe('reply-service configuration', () => {
  it('defaults to the SPEC 4 keyword lists, retention and peers', () => {
    const config = loadConfig('reply-service', replyConfigSchema, base);
    expect(config.UNSUBSCRIBE_KEYWORDS).toEqual([
      'STOP',
      'STOPALL',
      'UNSUBSCRIBE',
      'CANCEL',
      'END',
      'QUIT',
      'OPTOUT',
      'OPT-OUT',
      'REVOKE',
      'REMOVE',
      'ARRET',
      'TD',
      'T',
      'N',
      '退订',
      'TD退订',
      '取消',
    ]);
    expect(config.RESUBSCRIBE_KEYWORDS).toEqual(['START', 'UNSTOP', 'SUBSCRIBE']);
    expect(config).toMatchObject({
      RETENTION_DAYS: 30,
      STATUS_GRPC_TARGET: '127.0.0.1:50051',
      INTERCEPTION_GRPC_TARGET: '127.0.0.1:50052',
      GRPC_DEADLINE_MS: 5000,
    });
  });

  it('reads comma-separated keyword lists, ignoring blanks around them', () => {
    const config = loadConfig('reply-service', replyConfigSchema, {
      ...base,
      UNSUBSCRIBE_KEYWORDS: ' basta, halt ,,',
      RESUBSCRIBE_KEYWORDS: 'weiter',
    });
    expect(config.UNSUBSCRIBE_KEYWORDS).toEqual(['basta', 'halt']);
    expect(config.RESUBSCRIBE_KEYWORDS).toEqual(['weiter']);
  });

  it.each([
    [{ UNSUBSCRIBE_KEYWORDS: ' , ' }, /UNSUBSCRIBE_KEYWORDS: must name at least one keyword/],
    [{ RETENTION_DAYS: '7' }, /RETENTION_DAYS: must be at least 30/],
    [{ PAGE_TOKEN_SECRET: 'short' }, /PAGE_TOKEN_SECRET: must be at least 16 characters/],
    [{ STATUS_GRPC_TARGET: 'has space:1' }, /STATUS_GRPC_TARGET: must be a gRPC target/],
    [{ GRPC_DEADLINE_MS: '0' }, /GRPC_DEADLINE_MS: must be at least 1 ms/],
  ])('refuses %p with a message naming the variable', (env, message) => {
    const load = () => loadConfig('reply-service', replyConfigSchema, { ...base, ...env });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });
});
