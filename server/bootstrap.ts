/**
 * The one composition of the service: builds the whole dependency graph from the config, for the web
 * server (server/main.ts), the lone worker (server/worker.ts, `npm run worker`) and the tests
 * (tests/helpers/app.ts). Opens and migrates the database; listens on nothing and starts no job until
 * asked: `start('web')` or `start('worker')` runs what that process runs, `stop()` stops it, `close()`
 * releases the mailer and the database.
 */
import { join } from 'node:path';
import { createConnectors } from '../connectors';
import { createMailer } from '../connectors/mail';
import type { Config } from './config';
import type { AppDeps } from './context';
import { createBlindIndex, createFieldCipher, type FieldCipher } from './crypto/fields';
import { openDatabase } from './db/client';
import { indexMissingProjects } from './db/register-reindex';
import { createI18n } from './i18n';
import { createLogger, type LogLevel } from './logger';
import { DEMO_RECEIVER_PATH, seedDemoData } from './services/demo';
import { createMailWorker, type MailWorker } from './worker/mail';
import { createDeliveryWorker, type DeliveryWorker } from './worker/deliveries';
import { startHousekeeping } from './worker/housekeeping';
import { startStatisticsFreezer } from './worker/statistics';
import { startReminders } from './worker/reminders';
import { startHarvest } from './worker/harvest';
import { startDigests } from './worker/digests';
import { createHarvestDeps } from './services/harvest';

export type BootstrapOptions = {
  /** The log level (LOG_LEVEL by default) and where lines go (stdout by default); tests collect them. */
  log?: { level?: LogLevel; write?: (line: string) => void };
  /** The clock of every part; tests pass a controlled one. */
  now?: () => Date;
  /** Replaces the cipher built from DATA_KEYS, everywhere it is used. */
  cipher?: FieldCipher;
  /** How often the delivery worker looks for due rows unasked (5 s by default). */
  deliveryPollMs?: number;
  /** Whether a locale key missing in a language throws (by default under NODE_ENV=test; tests ask for it). */
  strictLocales?: boolean;
  /**
   * Whether the app kicks this process's mail and delivery workers (config.runWorker by default: with
   * WORKER=0 the web process only queues). Tests run them in their own process whatever WORKER says.
   */
  inProcessWorkers?: boolean;
  /** Parts of the app's dependencies replaced after the graph is built (tests). */
  overrides?: Partial<AppDeps>;
};

/** What a process runs: the web server with its housekeeping, or the lone worker. */
export type ProcessRole = 'web' | 'worker';

/** How often the lone worker polls the mail outbox, which the web process (WORKER=0) only fills. */
const WORKER_MAIL_POLL_MS = 2_000;

export function bootstrap(config: Config, options: BootstrapOptions = {}) {
  const logger = createLogger(options.log?.level ?? config.logLevel, options.log?.write);
  const database = openDatabase(join(config.dataDir, 'service.sqlite'));
  const i18n = createI18n(undefined, options.strictLocales === undefined ? {} : { strict: options.strictLocales });
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir });
  const cipher = options.cipher ?? createFieldCipher(config.dataKeys);
  const index = createBlindIndex(config.indexKey);
  const now = options.now ?? (() => new Date());
  const mailWorker = createMailWorker({ db: database.db, cipher, mailer, config, logger, now, i18n });
  const connectors = createConnectors({
    mailer,
    i18n,
    publicUrl: config.publicUrl,
    dataDir: config.dataDir,
    webhookAllow: config.webhookAllow,
    webhookTimeoutMs: config.delivery.webhookTimeoutMs,
    cnamBatchKey: config.cnamBatchKey,
    now,
    ...(config.demoData ? { demoReceiverPrefix: new URL(DEMO_RECEIVER_PATH, config.publicUrl).href } : {}),
  });
  const deliveryWorker = createDeliveryWorker(
    { db: database.db, cipher, config, logger, now, i18n, connectors, kickMail: mailWorker.kick, groupCommit: database.groupCommit },
    options.deliveryPollMs === undefined ? {} : { pollMs: options.deliveryPollMs },
  );

  // With WORKER=0 another process (`npm run worker`) sends mail and delivers: this one only queues, so
  // no mail is sent twice (the outboxes are shared through the database).
  const inProcess = options.inProcessWorkers ?? config.runWorker;
  const kickMail = inProcess ? mailWorker.kick : () => {};
  const appDeps: AppDeps = {
    config,
    database,
    i18n,
    logger,
    mailer,
    mailWorker: inProcess ? mailWorker : { ...mailWorker, kick: kickMail },
    cipher,
    index,
    now,
    connectors,
    deliveryWorker: inProcess ? deliveryWorker : { kick: () => {} },
    ...options.overrides,
  };

  const jobs = backgroundJobs({ config, logger, database, i18n, mailer, cipher, index, now, mailWorker, deliveryWorker }, inProcess, kickMail);

  return {
    config,
    logger,
    database,
    i18n,
    mailer,
    cipher,
    index,
    now,
    mailWorker,
    connectors,
    deliveryWorker,
    /** What createApp is built from. */
    appDeps,
    /** Starts what this process runs in the background (on an up-to-date search index, for the web). */
    start: jobs.start,
    /** Stops the jobs and the workers; resolves once the deliveries and the mail round in flight are done. */
    stop: jobs.stop,
    /** Closes the mailer and the database (after stop()). */
    close: () => {
      mailer.close();
      database.close();
    },
  };
}

export type Runtime = ReturnType<typeof bootstrap>;

type JobParts = Pick<AppDeps, 'config' | 'logger' | 'database' | 'i18n' | 'mailer' | 'cipher' | 'index' | 'now'> & {
  mailWorker: MailWorker;
  deliveryWorker: DeliveryWorker;
};

/**
 * The background jobs of each process role. `kickMail` is what housekeeping wakes the mail worker
 * with: nothing when the workers run in another process.
 */
function backgroundJobs(parts: JobParts, inProcess: boolean, kickMail: () => void) {
  const { config, logger, database, i18n, mailer, cipher, index, now, mailWorker, deliveryWorker } = parts;
  const stops: (() => void)[] = [];
  const startWorkers = () => {
    // The delivery worker wakes itself when rows fall due; the mail worker when mail is queued here.
    deliveryWorker.kick();
    mailWorker.kick();
    stops.push(startReminders({ db: database.db, cipher, config, logger, now, i18n, kickMail: mailWorker.kick }));
    // Each ended month's public figures are frozen once (services/statistics.ts).
    stops.push(startStatisticsFreezer({ db: database.db, now, logger }));
    // The registers other controllers publish, each read on its schedule (services/harvest.ts).
    stops.push(startHarvest({ ...createHarvestDeps({ db: database.db, now, i18n, config, logger }), logger }));
    // The digests of the register's followers, each on its own rhythm (services/follow-digests.ts).
    stops.push(startDigests({ db: database.db, cipher, config, now, i18n, logger, kickMail: mailWorker.kick }));
  };
  const roles: Record<ProcessRole, () => void> = {
    web: () => {
      const reindexed = database.db.transaction((tx) => indexMissingProjects(tx), { behavior: 'immediate' });
      if (reindexed > 0) logger.info('search index rebuilt', { projects: reindexed });
      if (config.demoData) {
        const seeded = seedDemoData({ database, i18n, config, cipher, now });
        if (seeded) logger.info('demonstration data seeded', { projects: seeded.created });
      }
      stops.push(startHousekeeping({ db: database.db, cipher, index, mailer, config, logger, now, i18n, kickMail }));
      // The workers run here unless WORKER=0 (then `npm run worker` runs them in its own process).
      if (inProcess) startWorkers();
    },
    worker: () => {
      startWorkers();
      // The web process (WORKER=0) only queues mail: the outbox is polled here.
      const timer = setInterval(mailWorker.kick, WORKER_MAIL_POLL_MS);
      stops.push(() => clearInterval(timer));
    },
  };

  return {
    start: (role: ProcessRole) => roles[role](),
    stop: async () => {
      for (const stopJob of stops.splice(0)) stopJob();
      mailWorker.stop();
      await deliveryWorker.stop();
      await mailWorker.idle();
    },
  };
}
