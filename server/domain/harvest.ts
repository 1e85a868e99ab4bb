/**
 * Rules of the harvest of the registers other controllers publish (services/harvest.ts): how often each
 * schedule reads its source, and the history entry of a project its source stopped listing.
 */

/** How often each schedule reads its source. */
export const SCHEDULE_MS = { hourly: 3_600_000, daily: 86_400_000, weekly: 7 * 86_400_000 } as const;
export type HarvestSchedule = keyof typeof SCHEDULE_MS;

/**
 * The field of the public history entry written when a source stops listing one of its projects (new
 * value: the day it was first missing) or lists it again (old value: that day, new value empty).
 */
export const WITHDRAWN_FIELD = 'retrait_source';

/**
 * When a source an administrator edited is read next: at once when its address changed (it is another
 * file, whose validators the service does not hold yet); otherwise no later than one period of its new
 * schedule from now, so that going from weekly to hourly takes effect within the hour; otherwise as planned.
 */
export function nextRunAfterEdit(
  before: { url: string; schedule: HarvestSchedule; nextRunAt: string },
  after: { url: string; schedule: HarvestSchedule },
  now: Date,
): string {
  if (after.url !== before.url) return now.toISOString();
  const latest = new Date(now.getTime() + SCHEDULE_MS[after.schedule]).toISOString();
  return before.nextRunAt < latest ? before.nextRunAt : latest;
}
