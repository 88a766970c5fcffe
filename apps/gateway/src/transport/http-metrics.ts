import { Counter, Histogram, type Registry } from '@sms/platform-metrics';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * `gateway_http_requests_total` and `gateway_http_request_duration_seconds` by method, route
 * template (never the raw path: ids and phone numbers would explode the label set) and status.
 */
export function httpMetrics(registry: Registry): RequestHandler {
  const requests = new Counter({
    name: 'gateway_http_requests_total',
    help: 'HTTP requests answered by the gateway',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'gateway_http_request_duration_seconds',
    help: 'Time to answer an HTTP request',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return function recordHttpMetrics(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const template = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof template === 'string' ? `${req.baseUrl}${template}` : 'unmatched';
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      duration.observe(
        { method: req.method, route },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  };
}
