import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// Keyset cursor for ListMessages: the last row's (request_time, message_id), bound to the
// account and filters that produced it and HMAC-signed, so a token can neither be edited nor
// replayed against another account or another filter.

export interface PageCursor {
  readonly requestTime: Date;
  readonly messageId: string;
}

export class PageTokenCodec {
  constructor(private readonly secret: string) {}

  encode(cursor: PageCursor, scope: string): string {
    const payload = Buffer.from(
      JSON.stringify({
        t: cursor.requestTime.getTime(),
        id: cursor.messageId,
        s: scopeHash(scope),
      }),
    ).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The cursor, or a reason the token is refused. */
  decode(token: string, scope: string): PageCursor | { refused: string } {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined)
      return { refused: 'page_token is malformed' };
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return { refused: 'page_token is not a token this service issued' };
    let parsed: { t?: unknown; id?: unknown; s?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof parsed;
    } catch {
      return { refused: 'page_token is malformed' };
    }
    if (parsed.s !== scopeHash(scope))
      return { refused: 'page_token belongs to another account or other filters' };
    if (typeof parsed.t !== 'number' || typeof parsed.id !== 'string')
      return { refused: 'page_token is malformed' };
    return { requestTime: new Date(parsed.t), messageId: parsed.id };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

function scopeHash(scope: string): string {
  return createHash('sha256').update(scope).digest('base64url').slice(0, 22);
}
