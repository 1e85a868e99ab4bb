/**
 * Freezes the public figures of each ended month (services/statistics.ts freezeEndedMonths),
 * hourly: a month is frozen once, 8 days after it ends; running again changes nothing.
 */
import type { Logger } from '../logger';
import { freezeEndedMonths, type StatisticsDeps } from '../services/statistics';
import { startPeriodic } from './periodic';

export function startStatisticsFreezer(deps: StatisticsDeps & { logger: Logger }, everyMs = 60 * 60_000): () => void {
  return startPeriodic('statistics freeze', deps.logger, everyMs, async () => ({ monthsFrozen: freezeEndedMonths(deps).length }));
}
