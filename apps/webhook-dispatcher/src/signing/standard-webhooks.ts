import { createHmac, randomBytes } from 'node:crypto';

// Standard Webhooks (https://www.standardwebhooks.com): the receiver recomputes
// base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")) with the key the secret
// names and compares it with the `v1,` entries of webhook-signature.

export const SECRET_PREFIX = 'whsec_';

/** A fresh endpoint secret: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** The exact string that is signed. */
export function signedContent(id: string, timestampSeconds: number, body: string): string {
  return `${id}.${timestampSeconds}.${body}`;
}

/** The value of webhook-signature: `v1,<base64 signature>`. */
export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('a webhook secret starts with whsec_');
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  const signature = createHmac('sha256', key)
    .update(signedContent(id, timestampSeconds, body))
    .digest('base64');
  return `v1,${signature}`;
}

/** The three headers of one attempt (the timestamp is the attempt's, the id the event's). */
export function webhookHeaders(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': sign(secret, id, timestampSeconds, body),
  };
}
