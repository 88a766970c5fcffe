import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { InvalidArgumentError } from '@sms/errors';

/** A refused page_token; `reason` says why in a few words (the message names the field). */
export class InvalidPageTokenError extends InvalidArgumentError {
  constructor(readonly reason: string) {
    super(`page_token is not valid: ${reason}`);
  }
}

/**
 * Opaque keyset page tokens `payload.signature`: the position (JSON) plus a digest of the
 * request it belongs to (account, operator flag, filters), HMAC-signed as a whole. A token
 * edited, forged, or replayed with another account or other filters fails verification, so it
 * cannot open anyone else's data. The scope digest travels in the payload (rather than only in
 * the signature) so a replay can be told apart from a forgery in the error.
 */
export class PageTokenCodec {
  constructor(private readonly secret: string) {}

  encode(position: unknown, boundTo: unknown): string {
    const payload = Buffer.from(JSON.stringify({ p: position, s: scopeDigest(boundTo) })).toString(
      'base64url',
    );
    return `${payload}.${this.sign(payload)}`;
  }

  /** The position, or undefined for an empty token (first page); INVALID_ARGUMENT otherwise. */
  decode<T>(
    token: string,
    boundTo: unknown,
    isPosition: (value: unknown) => value is T,
  ): T | undefined {
    if (!token) return undefined;
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) throw new InvalidPageTokenError('malformed');
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    // Constant-time compare: the signature must not be guessable byte by byte.
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new InvalidPageTokenError('not a token this service issued');
    }
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidPageTokenError('malformed');
    }
    const { p, s } = (decoded ?? {}) as { p?: unknown; s?: unknown };
    if (typeof s !== 'string') throw new InvalidPageTokenError('malformed');
    if (s !== scopeDigest(boundTo)) {
      throw new InvalidPageTokenError('issued for another account or other filters');
    }
    if (!isPosition(p)) throw new InvalidPageTokenError('malformed');
    return p;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

function scopeDigest(boundTo: unknown): string {
  // One-shot: every page of every list computes it (no Hash object per call).
  return hash('sha256', JSON.stringify(boundTo) ?? '', 'base64url').slice(0, 22);
}
