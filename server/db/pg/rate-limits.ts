/**
 * Rate limits on PostgreSQL (issue 16), shared by every web process: the counterpart of
 * ../rate-limits.ts, the same fixed window in one atomic upsert (the row's lock orders concurrent
 * attempts on one key, so a limit reached through one process holds on the others).
 */
import { lte, sql } from 'drizzle-orm';
import type { PgDb } from './client';
import { rateLimits } from './schema';
import type { AttemptInput } from '../rate-limits';

/** Counts one attempt on `scope`/`key` and returns the count in its window (a window older than `windowStartedBy` restarts now). */
export async function countAttempt(db: PgDb, input: AttemptInput): Promise<number> {
  const expired = sql`${rateLimits.windowStart} <= ${input.windowStartedBy}`;
  const [row] = await db
    .insert(rateLimits)
    .values({ scope: input.scope, key: input.key, windowStart: input.nowIso, count: 1 })
    .onConflictDoUpdate({
      target: [rateLimits.scope, rateLimits.key],
      set: {
        count: sql`CASE WHEN ${expired} THEN 1 ELSE ${rateLimits.count} + 1 END`,
        windowStart: sql`CASE WHEN ${expired} THEN ${input.nowIso} ELSE ${rateLimits.windowStart} END`,
      },
    })
    .returning({ count: rateLimits.count });
  return row!.count;
}

/** Drops windows that started at or before `beforeIso` (housekeeping): they count for nothing any more. */
export async function sweepRateLimits(db: PgDb, beforeIso: string): Promise<number> {
  return (await db.delete(rateLimits).where(lte(rateLimits.windowStart, beforeIso)).returning({ key: rateLimits.key })).length;
}
