/**
 * Reads the remote registers that are due (services/harvest.ts runDueHarvests): now, then every minute.
 * Each source is read on its own schedule (hourly, daily, weekly); a run holds its source by a lease, so
 * a second worker or an administrator's "run now" never reads the same source at the same time.
 */
import type { Logger } from '../logger';
import { runDueHarvests, type HarvestDeps } from '../services/harvest';
import { startPeriodic } from './periodic';

export function startHarvest(deps: HarvestDeps & { logger: Logger }, everyMs = 60_000): () => void {
  return startPeriodic('harvest', deps.logger, everyMs, () => runDueHarvests(deps));
}
