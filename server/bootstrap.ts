/**
 * Builds what both processes need from the config: the web server (server/main.ts) and the lone
 * worker (server/worker.ts, `npm run worker`). Opens and migrates the database; no listening here.
 */
import { join } from 'node:path';
import { createConnectors } from '../connectors';
import { createMailer } from '../connectors/mail';
import type { Config } from './config';
import { createBlindIndex, createFieldCipher } from './crypto/fields';
import { openDatabase } from './db/client';
import { createI18n } from './i18n';
import { createLogger } from './logger';
import { createDeliveryWorker } from './worker/deliveries';
import { createMailWorker } from './services/mail-outbox';
import { DEMO_RECEIVER_PATH } from './services/demo';

export function bootstrap(config: Config) {
  const logger = createLogger(config.logLevel);
  const database = openDatabase(join(config.dataDir, 'service.sqlite'));
  const i18n = createI18n();
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir });
  const cipher = createFieldCipher(config.dataKeys);
  const index = createBlindIndex(config.indexKey);
  const now = () => new Date();
  const mailWorker = createMailWorker({ db: database.db, cipher, mailer, config, logger, now, i18n });
  const connectors = createConnectors({ mailer, i18n, publicUrl: config.publicUrl, dataDir: config.dataDir, webhookAllow: config.webhookAllow, webhookTimeoutMs: config.delivery.webhookTimeoutMs, cnamBatchKey: config.cnamBatchKey, now, ...(config.demoData ? { demoReceiverPrefix: new URL(DEMO_RECEIVER_PATH, config.publicUrl).href } : {}) });
  const deliveryWorker = createDeliveryWorker({ db: database.db, cipher, config, logger, now, i18n, connectors, kickMail: mailWorker.kick, groupCommit: database.groupCommit });
  return { config, logger, database, i18n, mailer, cipher, index, now, mailWorker, connectors, deliveryWorker };
}

export type Runtime = ReturnType<typeof bootstrap>;
