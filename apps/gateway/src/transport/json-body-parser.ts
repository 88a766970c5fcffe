import { json, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { httpErrorFor } from './http-errors';

/** `application/json`, with an optional charset parameter (utf-8 only). */
const JSON_CONTENT_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

const UNSUPPORTED_MESSAGE = 'request body must be JSON (Content-Type: application/json)';

/** The shape body-parser gives its errors, so the one error mapping answers them. */
function parserError(status: number, type: string, message: string): Error {
  return Object.assign(new Error(message), { status, type });
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * JSON is the only body the API takes. Any body of another type — a form a browser may send
 * cross-site without a preflight, text, or no Content-Type at all — is refused with 415 before
 * it is read, and a declared length over the limit with 413 before anything is read.
 *
 * Named `urlencodedParser` so Nest does not add its own urlencoded parser: there is none.
 */
export function jsonOnlyGate(maxBodyBytes: number): RequestHandler {
  return function urlencodedParser(req: Request, res: Response, next: NextFunction): void {
    if (!hasBody(req)) return next();
    const declared = Number(req.headers['content-length']);
    const refusal =
      Number.isFinite(declared) && declared > maxBodyBytes
        ? httpErrorFor(parserError(413, 'entity.too.large', 'too large'), maxBodyBytes)
        : JSON_CONTENT_TYPE.test(req.headers['content-type'] ?? '')
          ? undefined
          : httpErrorFor(
              parserError(415, 'unsupported.media.type', UNSUPPORTED_MESSAGE),
              maxBodyBytes,
            );
    if (!refusal) return next();
    // The connection is closed after the answer: the unread body is never parsed.
    res.set('Connection', 'close');
    res.status(refusal.status).set(refusal.headers).json(refusal.body);
  };
}

/**
 * JSON bodies up to `maxBodyBytes`. Named `jsonParser` so Nest does not add its own (100 kB)
 * parser. Express middleware errors never reach Nest's filters, so a too-large or malformed body
 * is answered here — through the same mapping the exception filter uses.
 */
export function jsonBodyParser(maxBodyBytes: number): RequestHandler {
  const parse = json({ limit: maxBodyBytes });
  return function jsonParser(req: Request, res: Response, next: NextFunction): void {
    void parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const answer = httpErrorFor(error, maxBodyBytes);
      res.status(answer.status).set(answer.headers).json(answer.body);
    });
  };
}
