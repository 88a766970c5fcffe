/** What the Authorization header presents; parsed without touching any storage. */
export interface PresentedCredentials {
  readonly keyId: string;
  readonly secret: string;
}

export type CredentialsResult =
  { ok: true; credentials: PresentedCredentials } | { ok: false; problem: string };

const FORMS = 'use Authorization: Basic base64(keyId:secret) or Bearer <keyId>.<secret>';

/** `Basic base64(keyId:secret)` or `Bearer <keyId>.<secret>`. */
export function parseAuthorization(header: string | undefined): CredentialsResult {
  if (header === undefined || header.trim() === '') {
    return { ok: false, problem: `missing API key: ${FORMS}` };
  }
  const match = /^(\S+)\s+(\S+)$/.exec(header.trim());
  if (!match) return { ok: false, problem: `malformed Authorization header: ${FORMS}` };
  const scheme = match[1].toLowerCase();
  const value = match[2];
  let keyId: string;
  let secret: string;
  if (scheme === 'basic') {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
      return { ok: false, problem: `malformed Basic credentials: ${FORMS}` };
    }
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { ok: false, problem: `malformed Basic credentials: ${FORMS}` };
    keyId = decoded.slice(0, colon);
    secret = decoded.slice(colon + 1);
  } else if (scheme === 'bearer') {
    const dot = value.indexOf('.');
    if (dot < 0) return { ok: false, problem: `malformed Bearer token: ${FORMS}` };
    keyId = value.slice(0, dot);
    secret = value.slice(dot + 1);
  } else {
    return { ok: false, problem: `unsupported authorization scheme: ${FORMS}` };
  }
  if (!keyId || !secret || keyId.length > 64 || secret.length > 256) {
    return { ok: false, problem: `malformed credentials: ${FORMS}` };
  }
  return { ok: true, credentials: { keyId, secret } };
}
