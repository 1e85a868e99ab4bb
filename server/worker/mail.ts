/**
 * The mail loop: sends what the mail outbox holds (server/services/mail-outbox.ts deliverDueMails).
 * Started with the worker jobs (server/bootstrap.ts); the web process kicks it after a commit that queued mail.
 */
import { BASE_DELAY_MS, deliverDueMails, type OutboxDeps } from '../services/mail-outbox';

/**
 * The worker: `kick()` asks for a delivery round soon (after a commit that queued mail); rounds never
 * overlap; a round that sent a full batch or met a failure schedules the next one.
 */
export function createMailWorker(deps: OutboxDeps) {
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let idle: Promise<void> = Promise.resolve();
  const round = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const { sent, failed } = await deliverDueMails(deps);
        if (sent === 50) again = true;
        if (failed > 0 && !timer) {
          timer = setTimeout(() => {
            timer = undefined;
            kick();
          }, BASE_DELAY_MS);
          timer.unref();
        }
      } while (again);
    } catch (err) {
      // The name only: a mail server's message can quote the recipient's address (nothing personal in logs).
      deps.logger.error('mail worker failed', { name: (err as Error).name });
    } finally {
      running = false;
    }
  };
  const kick = () => {
    idle = new Promise<void>((resolve) => setImmediate(() => void round().then(resolve)));
  };
  return {
    kick,
    /** Resolves when the latest round has finished (tests, graceful stop). */
    idle: () => idle,
    stop: () => timer && clearTimeout(timer),
  };
}

export type MailWorker = ReturnType<typeof createMailWorker>;
