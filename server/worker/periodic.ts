/**
 * Runs a job now and then every `everyMs`, never two runs at once; logs what it did (technical
 * counts only) and any failure by name. Returns a function that stops it.
 */
import type { Logger } from '../logger';

export function startPeriodic<R extends Record<string, number>>(name: string, logger: Logger, everyMs: number, job: () => Promise<R>): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const report = await job();
      if (Object.values(report).some((n) => n > 0)) logger.info(name, report);
    } catch (err) {
      logger.error(`${name} failed`, { name: (err as Error).name, message: (err as Error).message });
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
