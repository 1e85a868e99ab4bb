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
