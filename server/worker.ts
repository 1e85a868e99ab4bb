/**
 * `npm run worker`: the delivery worker alone, for a deployment that runs it apart from the web
 * process (WORKER=0 there). It forwards confirmed requests, reads CNAM acknowledgement files and sends
 * queued mail and the reminders to staff; it stops cleanly on SIGTERM, and a kill -9 loses nothing (leases run out, rows stay).
 */
import { bootstrap } from './bootstrap';
import { loadConfigOrExit } from './config';
import { startReminders } from './worker/reminders';

function start() {
  const config = loadConfigOrExit();
  const { logger, database, mailer, mailWorker, deliveryWorker, cipher, i18n, now } = bootstrap(config);
  // The delivery worker wakes itself when rows fall due; the mail outbox is polled here, since the web
  // process (WORKER=0) only queues mail.
  deliveryWorker.kick();
  mailWorker.kick();
  const timer = setInterval(mailWorker.kick, 2_000);
  const stopReminders = startReminders({ db: database.db, cipher, config, logger, now, i18n, kickMail: mailWorker.kick });
  logger.info('worker started', { owner: deliveryWorker.owner });
  const stop = async (signal: string) => {
    logger.info('worker stopping', { signal });
    clearInterval(timer);
    stopReminders();
    mailWorker.stop();
    await deliveryWorker.stop();
    await mailWorker.idle();
    mailer.close();
    database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

start();
