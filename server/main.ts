/**
 * Starts the service: reads the config, opens and migrates the database, serves HTTP. The only module
 * with side effects at import. On SIGTERM or SIGINT it stops taking connections, lets in-flight requests
 * finish, then closes the database.
 */
import { serve } from '@hono/node-server';
import { join } from 'node:path';
import { createApp } from './app';
import { createMailer } from '../connectors/mail';
import { createBlindIndex, createFieldCipher } from './crypto/fields';
import { startHousekeeping } from './worker/housekeeping';
import { createMailWorker } from './services/mail-outbox';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/client';
import { indexMissingProjects } from './db/register-search';
import { todayIn } from './domain/deadlines';
import { createI18n, translatorFor } from './i18n';
import { createLogger } from './logger';
import { registerTableSchema, seedDemoRegister } from './services/register';

function start() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const database = openDatabase(join(config.dataDir, 'service.sqlite'));
  const i18n = createI18n();
  const reindexed = database.db.transaction((tx) => indexMissingProjects(tx as unknown as typeof database.db), { behavior: 'immediate' });
  if (reindexed > 0) logger.info('search index rebuilt', { projects: reindexed });
  if (config.demoData) {
    const now = new Date();
    const seeded = seedDemoRegister(database.db, registerTableSchema(translatorFor(i18n, 'fr'), config.publicUrl), now, todayIn(now));
    if (seeded) logger.info('demonstration data seeded', { projects: seeded.created });
  }
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir });
  const cipher = createFieldCipher(config.dataKeys);
  const index = createBlindIndex(config.indexKey);
  const now = () => new Date();
  const mailWorker = createMailWorker({ db: database.db, cipher, mailer, config, logger, now, i18n });
  const app = createApp({ config, database, i18n, logger, mailer, mailWorker, cipher, index, now });
  const stopHousekeeping = startHousekeeping({ db: database.db, cipher, index, mailer, config, logger, now, i18n, kickMail: mailWorker.kick });

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info('listening', { url: config.publicUrl.href, address: info.address, port: info.port, env: config.env });
  });

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
    mailWorker.stop();
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
