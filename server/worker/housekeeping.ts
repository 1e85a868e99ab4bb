/**
 * Schedules housekeeping (server/services/housekeeping.ts) in the server process: now, then every ten minutes.
 */
import { startPeriodic } from './periodic';
import { runHousekeeping } from '../services/housekeeping';
import type { RequestDeps } from '../services/rights-requests';

/** Runs housekeeping now and then every `everyMs`; returns a function that stops it. */
export function startHousekeeping(deps: RequestDeps, everyMs = 10 * 60_000): () => void {
  return startPeriodic('housekeeping', deps.logger, everyMs, () => runHousekeeping(deps));
}
