import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Router, static as serveStatic, type Request, type Response } from 'express';

/**
 * The web console (apps/console, built to static files) at /console/, same origin as the API so
 * its session cookie and CSRF token need no CORS. Hashed assets are cached for a year; every
 * other path under /console/ is the single-page app's index.html (client-side routes), never
 * cached so a new build is picked up at once.
 */
export function consoleStatic(directory: string): Router {
  const root = resolve(directory);
  const index = join(root, 'index.html');
  const router = Router();
  // Exactly `/console` (Express would also match `/console/` for a string path: a redirect loop).
  router.get(/^\/console$/, (req: Request, res: Response) => {
    const query = req.originalUrl.slice(req.path.length);
    res.redirect(301, `/console/${query}`);
  });
  router.use(
    '/console/assets',
    serveStatic(join(root, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }),
  );
  router.get(/^\/console\/.*/, (_req: Request, res: Response) => {
    if (!existsSync(index)) {
      res.status(404).json({
        error: 'NOT_FOUND',
        message: `the console is not built (no ${index}): run npm run build`,
      });
      return;
    }
    res.set({
      'Cache-Control': 'no-cache',
      'Content-Security-Policy':
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
    });
    res.sendFile(index);
  });
  return router;
}
