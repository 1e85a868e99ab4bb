/**
 * The administrators' overview page: deliveries by status, how many organisations, how many active staff.
 */
import type { Db } from '../db/client';
import { deliveryCounts } from '../db/deliveries';
import { organisationSummaries } from './staff-organisations';
import { activeUserCount } from './staff-users';

export function adminOverview(db: Db) {
  return { deliveries: deliveryCounts(db), organisations: organisationSummaries(db, 1, 1).total, activeUsers: activeUserCount(db) };
}
