/**
 * The delivery worker: leases due rows of the deliveries outbox and delivers each through
 * server/services/delivery-attempts.ts, which records the result; on its timer it also reads the CNAM's
 * acknowledgement files (server/services/status-updates.ts). It runs in the web process unless WORKER=0.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { deliverOne, leaseDue, nextAttemptAt, type DeliveryDeps } from '../services/delivery-attempts';
import { collectAcknowledgements } from '../services/status-updates';

export type { DeliveryDeps };

/** Delivers what is due; returns what happened. Several workers may run: leases keep them apart. */
export async function deliverDue(deps: DeliveryDeps, owner: string, limit = 20): Promise<{ delivered: number; retried: number; dead: number }> {
  const leased = leaseDue(deps, owner, limit);
  const counts = { delivered: 0, retried: 0, dead: 0 };
  await Promise.all(
    leased.map(async (row) => {
      const outcome = await deliverOne(deps, row);
      counts[outcome] += 1;
    }),
  );
  if (leased.length > 0) deps.kickMail();
  return counts;
}

/**
 * The worker: up to `concurrency` deliveries in flight, each started as soon as a slot frees, so one
 * slow receiver (up to WEBHOOK_TIMEOUT_MS) never holds up the others. `kick()` asks it to look for due
 * rows now (after a confirmation); otherwise it sleeps until the next row falls due or its lease runs
 * out, at most `pollMs`, and reads the CNAM's acknowledgement files on each wake-up. `stop()` lets the
 * deliveries in flight finish.
 */
export function createDeliveryWorker(deps: DeliveryDeps, options: { pollMs?: number; owner?: string; concurrency?: number } = {}) {
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const pollMs = options.pollMs ?? 5_000;
  const concurrency = options.concurrency ?? 20;
  const inFlight = new Set<Promise<unknown>>();
  let collecting: Promise<unknown> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      kick();
      collect();
    }, ms);
    timer.unref();
  };

  const fill = () => {
    if (stopped) return;
    const free = concurrency - inFlight.size;
    if (free > 0) {
      for (const row of leaseDue(deps, owner, free)) {
        const run: Promise<unknown> = deliverOne(deps, row)
          .catch((err: Error) => deps.logger.error('delivery worker failed', { name: err.name }))
          .finally(() => {
            inFlight.delete(run);
            deps.kickMail();
            kick();
          });
        inFlight.add(run);
      }
    }
    if (inFlight.size === 0) {
      const next = nextAttemptAt(deps);
      schedule(next ? Math.max(50, Math.min(pollMs, Date.parse(next) - deps.now().getTime())) : pollMs);
    }
  };

  const kick = () => {
    if (stopped) return;
    try {
      fill();
    } catch (err) {
      deps.logger.error('delivery worker failed', { name: (err as Error).name });
      schedule(pollMs);
    }
  };

  // The CNAM's acknowledgement files arrive a few times a day: read on the timer's wake-ups only.
  const collect = () => {
    if (stopped || collecting) return;
    collecting = collectAcknowledgements(deps)
      .catch((err: Error) => deps.logger.error('acknowledgements not read', { name: err.name }))
      .finally(() => (collecting = undefined));
  };

  const settled = async () => {
    while (inFlight.size > 0 || collecting) await Promise.all([...inFlight, collecting]);
  };

  return {
    owner,
    kick: (): void => {
      setImmediate(kick);
    },
    /** Resolves when nothing is in flight (tests, graceful stop). */
    idle: settled,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await settled();
    },
  };
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;
