import { createHmac } from 'node:crypto';
import { newWebhookSecret, sign, signedContent, webhookHeaders } from './standard-webhooks';

describe('Standard Webhooks signing', () => {
  it('matches the specification’s example', () => {
    // The example of the Standard Webhooks specification and its reference libraries.
    expect(
      sign(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('signs "id.timestamp.body" with the base64 key after whsec_', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    expect(key).toHaveLength(32);
    const headers = webhookHeaders(secret, 'evt_1', 1700000000, '{"a":1}');
    expect(signedContent('evt_1', 1700000000, '{"a":1}')).toBe('evt_1.1700000000.{"a":1}');
    expect(headers).toEqual({
      'webhook-id': 'evt_1',
      'webhook-timestamp': '1700000000',
      'webhook-signature': `v1,${createHmac('sha256', key).update('evt_1.1700000000.{"a":1}').digest('base64')}`,
    });
  });

  it('refuses a secret without the whsec_ prefix', () => {
    expect(() => sign('plain', 'id', 1, '')).toThrow(/whsec_/);
  });
});
