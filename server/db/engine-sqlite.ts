/**
 * The SQLite implementations of the engine concerns (./engine.ts): the functions the service already
 * runs, gathered behind the interfaces PostgreSQL implements too (./pg/engine.ts).
 */
import type { Db } from './client';
import type { EngineConcerns } from './engine';
import { appendAuditEntry } from './audit-chain';
import { leaseDueDeliveries } from './deliveries';
import { leaseDueMails } from './mail-leases';
import { purgeExpiredSecrets, storeSecret, takeSecret } from './one-time-secrets';
import { countAttempt, sweepRateLimits } from './rate-limits';
import { searchProjectIds } from './register';
import { indexProject } from './register-search';

export const sqliteConcerns = {
  name: 'sqlite',
  indexProject,
  searchProjectIds,
  leaseDueDeliveries,
  leaseDueMails,
  appendAuditEntry,
  countAttempt,
  sweepRateLimits,
  storeSecret,
  takeSecret,
  purgeExpiredSecrets,
} satisfies EngineConcerns<Db>;
