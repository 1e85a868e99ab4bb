/**
 * Leasing outbox rows on PostgreSQL (issue 16, DESIGN §11): the delivery outbox (../deliveries.ts
 * leaseDueDeliveries on SQLite) and the mail outbox, leased the same way so two workers never send one
 * mail twice. Several workers on several machines share one database: the due rows are chosen by a
 * subquery that locks them FOR UPDATE SKIP LOCKED, so a row another worker is leasing at that moment
 * is skipped instead of waited for, and one that worker has just leased no longer matches (PostgreSQL
 * checks the condition again on the row's latest version before locking it). One statement: it needs
 * no transaction of its own.
 */
import { and, asc, eq, inArray, isNull, lt, lte, or } from 'drizzle-orm';
import type { PgDb } from './client';
import { deliveries, mailOutbox } from './schema';

export type PgDeliveryRecord = typeof deliveries.$inferSelect;
export type PgMailRecord = typeof mailOutbox.$inferSelect;

/** Takes up to `limit` due delivery rows whose lease is free or expired, for `owner` until `leaseUntilIso`. */
export async function leaseDueDeliveries(db: PgDb, owner: string, nowIso: string, leaseUntilIso: string, limit: number): Promise<PgDeliveryRecord[]> {
  const due = db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(eq(deliveries.status, 'pending'), lte(deliveries.nextAttemptAt, nowIso), or(isNull(deliveries.leaseUntil), lt(deliveries.leaseUntil, nowIso))))
    .orderBy(asc(deliveries.nextAttemptAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return db.update(deliveries).set({ leaseOwner: owner, leaseUntil: leaseUntilIso }).where(inArray(deliveries.id, due)).returning();
}

/** Takes up to `limit` mails due (not sent, not dead) whose lease is free or expired, for `owner` until `leaseUntilIso`. */
export async function leaseDueMails(db: PgDb, owner: string, nowIso: string, leaseUntilIso: string, limit: number): Promise<PgMailRecord[]> {
  const due = db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(
      and(
        isNull(mailOutbox.sentAt),
        isNull(mailOutbox.deadAt),
        lte(mailOutbox.nextAttemptAt, nowIso),
        or(isNull(mailOutbox.leaseUntil), lt(mailOutbox.leaseUntil, nowIso)),
      ),
    )
    .orderBy(asc(mailOutbox.nextAttemptAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return db.update(mailOutbox).set({ leaseOwner: owner, leaseUntil: leaseUntilIso }).where(inArray(mailOutbox.id, due)).returning();
}
