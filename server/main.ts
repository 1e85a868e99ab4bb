/**
 * Starts the service: reads the config, opens and migrates the database, serves HTTP. The only module
 * with side effects at import. On SIGTERM or SIGINT it stops taking connections, lets in-flight requests
 * finish, then closes the database.
 */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { lingerBeforeClosing } from './lingering-close';
import { createApp } from './app';
import { bootstrap } from './bootstrap';
import { startHousekeeping } from './worker/housekeeping';
import { startReminders } from './worker/reminders';
import { startStatisticsFreezer } from './worker/statistics';
import { loadConfigOrExit } from './config';
import { indexMissingProjects } from './db/register-search';
import { seedDemoData } from './services/demo';

function start() {
  const config = loadConfigOrExit();
  const runtime = bootstrap(config);
  const { logger, database, i18n, mailer, cipher, index, now, mailWorker, deliveryWorker } = runtime;
  const reindexed = database.db.transaction((tx) => indexMissingProjects(tx as unknown as typeof database.db), { behavior: 'immediate' });
  if (reindexed > 0) logger.info('search index rebuilt', { projects: reindexed });
  if (config.demoData) {
    const seeded = seedDemoData(runtime);
    if (seeded) logger.info('demonstration data seeded', { projects: seeded.created });
  }
  // With WORKER=0 another process (`npm run worker`) sends mail and delivers: this one only queues, so
  // no mail is sent twice (the outboxes are shared through the database).
  const kickMail = config.runWorker ? mailWorker.kick : () => {};
  const app = createApp({ config, database, i18n, logger, mailer, mailWorker: { ...mailWorker, kick: kickMail }, cipher, index, now, connectors: runtime.connectors, deliveryWorker: config.runWorker ? deliveryWorker : { kick: () => {} } });
  const stopHousekeeping = startHousekeeping({ db: database.db, cipher, index, mailer, config, logger, now, i18n, kickMail });
  const stopStatistics = startStatisticsFreezer({ db: database.db, now, logger });
  // The worker runs here unless WORKER=0 (then `npm run worker` runs it in its own process).
  let stopReminders = () => {};
  if (config.runWorker) {
    deliveryWorker.kick();
    mailWorker.kick();
    stopReminders = startReminders({ db: database.db, cipher, config, logger, now, i18n, kickMail: mailWorker.kick });
  }

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
      database.close();
      process.exit(1);
    }, 10_000);
    force.unref();
    stopHousekeeping();
    stopStatistics();
    stopReminders();
    mailWorker.stop();
    void deliveryWorker.stop();
    server.close(() => {
      mailer.close();
      database.close();
      logger.info('stopped');
      process.exit(0);
    });
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

start();
