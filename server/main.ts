/**
 * Starts the service: reads the config, builds the service (server/bootstrap.ts: opens and migrates the
 * database), starts its background jobs, serves HTTP. The only module with side effects at import. On
 * SIGTERM or SIGINT it stops taking connections, lets in-flight requests finish, then closes the database.
 */
import { serve } from '@hono/node-server';
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { lingerBeforeClosing } from './lingering-close';
import { createApp } from './app';
import { bootstrap } from './bootstrap';
import { loadConfigOrExit } from './config';

function start() {
  const config = loadConfigOrExit();
  const runtime = bootstrap(config);
  const { logger } = runtime;
  // Housekeeping, and the workers unless WORKER=0 (then `npm run worker` runs them in its own process).
  runtime.start('web');
  const app = createApp(runtime.appDeps);

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info('listening', { url: config.publicUrl.href, address: info.address, port: info.port, env: config.env });
  });
  // An answer given while the body still arrives closes in stages, never with a reset under the upload.
  lingerBeforeClosing(server as Server);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    const force = setTimeout(() => {
      logger.warn('forced stop: requests still open after 10 s');
      runtime.database.close();
      process.exit(1);
    }, 10_000);
    force.unref();
    void runtime.stop();
    server.close(() => {
      runtime.close();
      logger.info('stopped');
      process.exit(0);
    });
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  };
  // `npm run bench` (BENCH_TIMINGS=1): each SIGUSR2 writes the timers' totals so far, with the group
  // commits' sizes, then starts them again.
  const { timings } = runtime;
  if (timings) {
    let seen = 0;
    process.on('SIGUSR2', () => {
      const batches = runtime.database.groupCommit.batches().slice(seen);
      seen += batches.length;
      const totals = { phases: timings.snapshot(), commits: batches.length, committed: batches.reduce((a, b) => a + b, 0) };
      writeFileSync(join(config.dataDir, 'bench-timings.json'), JSON.stringify(totals));
      timings.reset();
    });
  }
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

start();
