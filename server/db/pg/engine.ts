/**
 * The PostgreSQL implementations of the engine concerns (../engine.ts), over the pool's database or a
 * transaction's handle (./client.ts PgDb).
 */
import type { PgDb } from './client';
import type { EngineConcerns } from '../engine';
import { appendAuditEntry } from './audit';
import { leaseDueDeliveries, leaseDueMails } from './leases';
import { purgeExpiredSecrets, storeSecret, takeSecret } from './one-time-secrets';
import { countAttempt, sweepRateLimits } from './rate-limits';
import { indexProject, searchProjectIds } from './register-search';

export const pgConcerns = {
  name: 'postgresql',
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
} satisfies EngineConcerns<PgDb>;
