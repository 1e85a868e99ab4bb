/**
 * Periodic housekeeping, run by the server process on a timer (server/worker/housekeeping.ts): deletes
 * unconfirmed requests after 7 days (telling each person), unconfirmed follows of the register after 7 days
 * and the follows' expired links, expired drafts, and erases the identity data
 * of requests closed for longer than the retention period (GDPR art. 5(1)(e), storage limitation). Each task is idempotent:
 * running it twice changes nothing more.
 */
import { IDLE_MINUTES } from '../auth/sessions';
import { purgeReceivedUpdates } from '../db/deliveries';
import { purgeChallenges, purgeSessions } from '../db/staff';
import { deleteExpiredDrafts, eraseClosedBefore } from '../db/requests';
import { FINAL_STATUSES } from '../domain/rights-request';
import { purgeFollows } from './follows';
import { purgeUnconfirmed, type RequestDeps } from './rights-requests';

export type HousekeepingReport = {
  unconfirmedDeleted: number;
  draftsDeleted: number;
  identitiesErased: number;
  followsDeleted: number;
  followLinksDeleted: number;
};

export async function runHousekeeping(deps: RequestDeps): Promise<HousekeepingReport> {
  const now = deps.now();
  const unconfirmedDeleted = await purgeUnconfirmed(deps);
  const draftsDeleted = deleteExpiredDrafts(deps.db, now.toISOString());
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - deps.config.retentionMonths);
  const identitiesErased = deps.db.transaction((tx) => eraseClosedBefore(tx, cutoff.toISOString(), now.toISOString(), FINAL_STATUSES), {
    behavior: 'immediate',
  });
  // Staff sessions past their idle or absolute limit, and unused passkey challenges.
  purgeSessions(deps.db, new Date(now.getTime() - IDLE_MINUTES * 60_000).toISOString(), now.toISOString());
  purgeChallenges(deps.db, now.toISOString());
  // Ids of status updates are kept a day: a callback older than 5 minutes is refused anyway.
  purgeReceivedUpdates(deps.db, new Date(now.getTime() - 86_400_000).toISOString());
  const follows = purgeFollows(deps);
  // Mail queued before a restart, or waiting for a retry, goes out on the next round.
  deps.kickMail();
  return { unconfirmedDeleted, draftsDeleted, identitiesErased, ...follows };
}
