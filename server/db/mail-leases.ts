/**
 * Leasing mails of the outbox (issue 16): as the delivery outbox is leased (./deliveries.ts
 * leaseDueDeliveries), so that two workers never send one mail twice. On SQLite one UPDATE ... RETURNING
 * over the due rows is atomic (one writer at a time); PostgreSQL's counterpart (./pg/leases.ts) chooses
 * the rows FOR UPDATE SKIP LOCKED. The mail worker (server/services/mail-outbox.ts) takes it up with the
 * asynchronous data layer.
 */
import { and, asc, inArray, isNull, lt, lte, or } from 'drizzle-orm';
import type { Db } from './client';
import { mailOutbox } from './schema';

export type MailRecord = typeof mailOutbox.$inferSelect;

/** Takes up to `limit` mails due (not sent, not dead) whose lease is free or expired, for `owner` until `leaseUntilIso`. */
export function leaseDueMails(db: Db, owner: string, nowIso: string, leaseUntilIso: string, limit: number): MailRecord[] {
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
    .limit(limit);
  return db.update(mailOutbox).set({ leaseOwner: owner, leaseUntil: leaseUntilIso }).where(inArray(mailOutbox.id, due)).returning().all();
}
