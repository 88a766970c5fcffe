import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Where the next page starts: strictly older than this (received_at, reply_id). */
export interface PageCursor {
  readonly receivedAtMs: number;
  readonly replyId: string;
}

export class InvalidPageTokenError extends Error {}

/**
 * An opaque token `payload.signature`: the cursor plus a digest of the listing's scope (account,
 * operator flag and every filter), HMAC-signed. A token altered, forged or replayed with other
 * filters or another account fails verification.
 */
export function encodePageToken(cursor: PageCursor, scope: string, secret: string): string {
  const payload = Buffer.from(
    JSON.stringify({ r: cursor.receivedAtMs, i: cursor.replyId, s: scopeDigest(scope) }),
  ).toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

export function decodePageToken(token: string, scope: string, secret: string): PageCursor {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) throw new InvalidPageTokenError('malformed');
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new InvalidPageTokenError('signature does not match');
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidPageTokenError('malformed');
  }
  const { r, i, s } = (decoded ?? {}) as { r?: unknown; i?: unknown; s?: unknown };
  if (
    typeof r !== 'number' ||
    !Number.isFinite(r) ||
    typeof i !== 'string' ||
    typeof s !== 'string'
  ) {
    throw new InvalidPageTokenError('malformed');
  }
  if (s !== scopeDigest(scope)) {
    throw new InvalidPageTokenError('issued for another account or other filters');
  }
  return { receivedAtMs: r, replyId: i };
}

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

function scopeDigest(scope: string): string {
  return createHash('sha256').update(scope).digest('base64url').slice(0, 22);
}
