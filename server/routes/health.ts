/**
 * GET /healthz: liveness and a real database read, as JSON, for probes and operators.
 */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context';
import { databaseHealth } from '../services/health';

const startedAt = Date.now();

export function healthRoutes(deps: Pick<AppDeps, 'database' | 'now'>) {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => {
    const database = databaseHealth(deps.database);
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        status: database.ok ? 'ok' : 'error',
        time: deps.now().toISOString(),
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        database,
      },
      database.ok ? 200 : 503,
    );
  });
  return app;
}
