import type { CookieOptions, Request } from 'express';

export const SESSION_COOKIE = 'sms_session';
export const CSRF_HEADER = 'x-csrf-token';

/** The session cookie's value, or undefined. Tolerates any other cookies around it. */
export function readSessionCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      // Our tokens are base64url; anything else cannot be one of ours.
      return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/** HttpOnly, SameSite=Strict, Secure when the request came over HTTPS (or always, by config). */
export function sessionCookieOptions(request: Request, secure: 'auto' | 'always'): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    secure: secure === 'always' || request.secure,
    path: '/',
  };
}

export function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}
