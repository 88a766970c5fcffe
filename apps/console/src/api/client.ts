// The one way the console talks to the gateway: openapi-fetch typed by the paths generated from the
// gateway's OpenAPI document (npm run console:generate). Same origin, so the session cookie rides
// along; state-changing calls carry the session's CSRF token.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './generated/gateway-api';
import { t } from '../i18n';

export type { paths };

/** An error answer of the API, `{ error, message }`, with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: () => void = () => undefined;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}
export const currentCsrfToken = (): string | null => csrfToken;
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

const session: Middleware = {
  onRequest({ request }) {
    if (csrfToken !== null && !['GET', 'HEAD'].includes(request.method)) {
      request.headers.set('X-CSRF-Token', csrfToken);
    }
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !new URL(request.url).pathname.endsWith('/v1/session')) {
      onUnauthenticated();
    }
    return response;
  },
};

export const api = createClient<paths>({
  baseUrl: window.location.origin,
  credentials: 'same-origin',
});
api.use(session);

/** The data of an answer, or an ApiError carrying the API's own message. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw toApiError(result.response.status, result.error);
  }
  return result.data as T;
}

export function toApiError(status: number, body: unknown): ApiError {
  if (body && typeof body === 'object' && 'message' in body) {
    const { error, message } = body as { error?: unknown; message?: unknown };
    const code = typeof error === 'string' ? error : String(status);
    return new ApiError(status, code, typeof message === 'string' ? message : t.errors.unknown);
  }
  return new ApiError(status, String(status), t.errors.unknown);
}

/** The message to show for any failure (the API's text when it gave one). */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return t.errors.network;
  return error instanceof Error ? error.message : t.errors.unknown;
}
