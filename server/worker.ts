/**
 * `npm run worker`: the delivery worker alone, for a deployment that runs it apart from the web
 * process (WORKER=0 there). It forwards confirmed requests, reads CNAM acknowledgement files and sends
 * queued mail and the reminders to staff; it stops cleanly on SIGTERM, and a kill -9 loses nothing (leases run out, rows stay).
 */
import { bootstrap } from './bootstrap';
import { loadConfigOrExit } from './config';

function start() {
  const config = loadConfigOrExit();
  const runtime = bootstrap(config);
  const { logger, deliveryWorker } = runtime;
  runtime.start('worker');
  logger.info('worker started', { owner: deliveryWorker.owner });
  const stop = async (signal: string) => {
    logger.info('worker stopping', { signal });
    await runtime.stop();
    runtime.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

start();
