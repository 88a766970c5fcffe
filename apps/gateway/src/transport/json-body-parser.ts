import { json, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { httpErrorFor } from './http-errors';

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
