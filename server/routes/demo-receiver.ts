/**
 * The demonstration webhook receiver (demonstration mode only): a stand-in for an
 * organisation's own endpoint, served by this process, so that a demonstration organisation reached by
 * webhook gets its requests on a fresh machine with no setting. It checks the Standard Webhooks
 * signature with the organisation's channel secrets, as a real receiver must, keeps each document under
 * DATA_DIR/demo-webhooks/<organisation>/<webhook-id>.json (written once: a retry is a duplicate), and
 * answers 204. Mounted only when DEMO_DATA is on; the webhook allow-list then admits this one path.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { verify } from '../../connectors/standard-webhooks';
import type { AppDeps, AppEnv } from '../context';
import { header } from '../http';
import { callbackSecrets } from '../services/channels';
import { DEMO_RECEIVER_PATH } from '../services/demo';

export function demoReceiverRoutes(deps: Pick<AppDeps, 'database' | 'cipher' | 'config' | 'now' | 'logger'>) {
  const app = new Hono<AppEnv>();
  app.post(`${DEMO_RECEIVER_PATH}:organisation`, async (c) => {
    const organisation = c.req.param('organisation');
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(organisation)) return c.body(null, 404);
    const secrets = callbackSecrets({ db: deps.database.db, cipher: deps.cipher }, organisation);
    if (secrets.length === 0) return c.body(null, 404);
    const body = await c.req.text();
    const checked = verify(
      secrets,
      { id: header(c, 'webhook-id'), timestamp: header(c, 'webhook-timestamp'), signature: header(c, 'webhook-signature') },
      body,
      Math.floor(deps.now().getTime() / 1000),
    );
    if (!checked.ok) return c.body(null, 401);
    const dir = join(deps.config.dataDir, 'demo-webhooks', organisation);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      // "wx": the first copy of an id stays; a retry of the same delivery is a duplicate the receiver drops.
      writeFileSync(join(dir, `${checked.id.replace(/[^A-Za-z0-9_-]/g, '_')}.json`), body, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    deps.logger.info('demonstration webhook received', { organisation });
    return c.body(null, 204);
  });
  return app;
}
