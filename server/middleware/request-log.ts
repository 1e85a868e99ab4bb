/**
 * One structured log line per request: method, path without query and with tokens masked, status,
 * duration and a request id (also sent back as X-Request-Id so a person can quote it).
 */
import { randomUUID } from 'node:crypto';
import { factory } from '../context';
import { loggablePath, type Logger } from '../logger';
import { setHeader } from '../response-headers';

export function requestLog(logger: Logger) {
  return factory.createMiddleware(async (c, next) => {
    const started = performance.now();
    const requestId = randomUUID();
    c.set('requestId', requestId);
    setHeader(c, 'x-request-id', requestId);
    await next();
    if (!logger.enabled('info')) return;
    logger.info('request', {
      requestId,
      method: c.req.method,
      path: loggablePath(c.req.path),
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });
}
