/**
 * GET /healthz: liveness and a real database read, as JSON, for probes and operators.
 */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context';
import { send, setHeader } from '../response-headers';
import { databaseHealth } from '../services/health';

const startedAt = Date.now();

export function healthRoutes(deps: Pick<AppDeps, 'database' | 'now'>) {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => {
    const database = databaseHealth(deps.database);
    setHeader(c, 'cache-control', 'no-store');
    const body = {
      status: database.ok ? 'ok' : 'error',
      time: deps.now().toISOString(),
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      database,
    };
    return send(c, JSON.stringify(body), database.ok ? 200 : 503, 'application/json');
  });
  return app;
}
