/**
 * Rate limits kept in the database (issue 16, DESIGN §11), so that every process counts the same
 * attempts: the fixed window of server/middleware/rate-limit.ts (one process's memory), as one atomic
 * upsert per attempt. PostgreSQL's counterpart is ./pg/rate-limits.ts. Keys are addresses or blind
 * indexes, never an e-mail or a name.
 */
import { lte, sql } from 'drizzle-orm';
import type { Db } from './client';
import { rateLimits } from './schema';

export type AttemptInput = {
  /** The limiter ("tracking-link", "staff-login"…). */
  scope: string;
  key: string;
  nowIso: string;
  /** Now minus the window: a window that started at or before this has run out, and restarts now. */
  windowStartedBy: string;
};

/** Counts one attempt on `scope`/`key` and returns the count in its window; the caller compares it with its maximum. */
export function countAttempt(db: Db, input: AttemptInput): number {
  const expired = sql`${rateLimits.windowStart} <= ${input.windowStartedBy}`;
  const row = db
    .insert(rateLimits)
    .values({ scope: input.scope, key: input.key, windowStart: input.nowIso, count: 1 })
    .onConflictDoUpdate({
      target: [rateLimits.scope, rateLimits.key],
      set: {
        count: sql`CASE WHEN ${expired} THEN 1 ELSE ${rateLimits.count} + 1 END`,
        windowStart: sql`CASE WHEN ${expired} THEN ${input.nowIso} ELSE ${rateLimits.windowStart} END`,
      },
    })
    .returning({ count: rateLimits.count })
    .get();
  return row!.count;
}

/** Drops windows that started at or before `beforeIso` (housekeeping): they count for nothing any more. */
export function sweepRateLimits(db: Db, beforeIso: string): number {
  return db.delete(rateLimits).where(lte(rateLimits.windowStart, beforeIso)).run().changes;
}
