import { createHmac } from 'node:crypto';
import { signatureValid, SimulatorWebhookReceiver } from './webhook-receiver';

const SECRET = `whsec_${Buffer.from('k'.repeat(32)).toString('base64')}`;
const signed = (id: string, ts: string, body: string, secret = SECRET) =>
  `v1,${createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
    .update(`${id}.${ts}.${body}`)
    .digest('base64')}`;

describe('simulator webhook receiver', () => {
  it('accepts the Standard Webhooks signature and nothing else', () => {
    const body = '{"a":1}';
    expect(signatureValid(SECRET, 'e1', '100', body, signed('e1', '100', body))).toBe(true);
    expect(signatureValid(SECRET, 'e1', '101', body, signed('e1', '100', body))).toBe(false);
    expect(signatureValid(SECRET, 'e1', '100', '{"a":2}', signed('e1', '100', body))).toBe(false);
    expect(
      signatureValid(SECRET, 'e1', '100', body, `v1,x v1,${signed('e1', '100', body).slice(3)}`),
    ).toBe(true);
    expect(signatureValid(SECRET, 'e1', '100', body, '')).toBe(false);
  });

  it('counts events once, re-deliveries and bad signatures apart', async () => {
    const receiver = await SimulatorWebhookReceiver.start();
    try {
      receiver.setSecret('acct-1', SECRET);
      const post = (id: string, body: string, signature: string) =>
        fetch(receiver.urlFor('acct-1'), {
          method: 'POST',
          headers: { 'webhook-id': id, 'webhook-timestamp': '5', 'webhook-signature': signature },
          body,
        });
      const body = JSON.stringify({ type: 'message.status', data: { status: 'delivered' } });
      await post('e1', body, signed('e1', '5', body));
      await post('e1', body, signed('e1', '5', body));
      await post('e2', body, 'v1,bad');
      // A re-delivery must repeat the first body of its id.
      const other = JSON.stringify({ type: 'message.status', data: { status: 'failed' } });
      await post('e1', other, signed('e1', '5', other));
      expect(receiver.totals()).toEqual({
        endpoints: 1,
        requests: 4,
        distinctEvents: 1,
        redeliveries: 2,
        badSignatures: 1,
        changedBodies: 1,
        byStatus: { delivered: 1 },
      });
    } finally {
      await receiver.close();
    }
  });
});
