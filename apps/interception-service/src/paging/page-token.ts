import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidArgumentError } from '@sms/errors';

export class InvalidPageTokenError extends InvalidArgumentError {}

/**
 * Opaque keyset page tokens: the position (JSON) plus an HMAC over the position AND the request
 * it belongs to (account, operator flag, filters). A token edited, or replayed with another
 * account or other filters, fails verification: it cannot open anyone else's data.
 */
export class PageTokenCodec {
  constructor(private readonly secret: string) {}

  encode(position: unknown, boundTo: unknown): string {
    const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
    return `${payload}.${this.sign(payload, boundTo)}`;
  }

  /** The position, or undefined for an empty token; INVALID_ARGUMENT for anything forged. */
  decode<T>(
    token: string,
    boundTo: unknown,
    isPosition: (value: unknown) => value is T,
  ): T | undefined {
    if (!token) return undefined;
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) throw this.invalid();
    const expected = Buffer.from(this.sign(payload, boundTo));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw this.invalid();
    let position: unknown;
    try {
      position = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw this.invalid();
    }
    if (!isPosition(position)) throw this.invalid();
    return position;
  }

  private sign(payload: string, boundTo: unknown): string {
    return createHmac('sha256', this.secret)
      .update(payload)
      .update('\n')
      .update(JSON.stringify(boundTo))
      .digest('base64url');
  }

  private invalid(): InvalidPageTokenError {
    return new InvalidPageTokenError(
      'page_token is not valid for this request (it must come from the previous page of the same query)',
    );
  }
}
