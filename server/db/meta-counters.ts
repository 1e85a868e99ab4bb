/**
 * Counters kept in `meta` that only count up: versions that tell a cached page what it was built from
 * (the register's organisations and sources, the statistics). Counted up in the same transaction as the
 * change they stand for, and read from the primary key: O(1), the same in every process.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from './client';
import { prepared } from './prepared';
import { meta } from './schema';

/** Adds one to the counter `key` (starting at 1). */
export function countUp(db: Db, key: string, now: string): void {
  prepared(db, 'metaCountUp', (d) =>
    d
      .insert(meta)
      .values({ key: sql.placeholder('key'), value: '1', updatedAt: sql.placeholder('now') })
      .onConflictDoUpdate({ target: meta.key, set: { value: sql`CAST(${meta.value} AS INTEGER) + 1`, updatedAt: sql`excluded.updated_at` } })
      .prepare(),
  ).run({ key, now });
}

/** The counter `key`, 0 before its first count. */
export function counterValue(db: Db, key: string): number {
  const row = prepared(db, 'metaCounter', (d) =>
    d
      .select({ v: meta.value })
      .from(meta)
      .where(eq(meta.key, sql.placeholder('key')))
      .prepare(),
  ).get({ key });
  return Number(row?.v ?? 0);
}
