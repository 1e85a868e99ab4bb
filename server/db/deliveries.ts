/**
 * Queries of organisation channels, the delivery outbox and received status updates.
 * Leasing is one UPDATE ... RETURNING over the due rows, so two workers never take the same row while
 * its lease runs (with PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED in the subquery).
 */
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from './client';
import { deliveries, organisationChannels, receivedUpdates, rightsRequests } from './schema';

export type ChannelRecord = typeof organisationChannels.$inferSelect;
export type DeliveryRecord = typeof deliveries.$inferSelect;

export function channelsOf(db: Db, organisationId: string): ChannelRecord[] {
  return db
    .select()
    .from(organisationChannels)
    .where(eq(organisationChannels.organisationId, organisationId))
    .orderBy(asc(organisationChannels.createdAt))
    .all();
}

export function channelById(db: Db, id: string): ChannelRecord | undefined {
  return db.select().from(organisationChannels).where(eq(organisationChannels.id, id)).get();
}

export function insertChannel(db: Db, channel: typeof organisationChannels.$inferInsert): void {
  db.insert(organisationChannels).values(channel).run();
}

export function disableChannel(db: Db, id: string, reason: string, nowIso: string): void {
  db.update(organisationChannels).set({ enabled: false, disabledReason: reason, updatedAt: nowIso }).where(eq(organisationChannels.id, id)).run();
}

export function insertDelivery(db: Db, delivery: typeof deliveries.$inferInsert): void {
  db.insert(deliveries).values(delivery).run();
}

export function deliveryById(db: Db, id: string): DeliveryRecord | undefined {
  return db.select().from(deliveries).where(eq(deliveries.id, id)).get();
}

export function deliveriesOf(db: Db, requestId: string): DeliveryRecord[] {
  return db.select().from(deliveries).where(eq(deliveries.requestId, requestId)).orderBy(asc(deliveries.createdAt)).all();
}

/** Takes up to `limit` due rows whose lease is free or expired, for `owner` until `leaseUntil`. */
export function leaseDueDeliveries(db: Db, owner: string, nowIso: string, leaseUntilIso: string, limit: number): DeliveryRecord[] {
  const due = db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(eq(deliveries.status, 'pending'), lte(deliveries.nextAttemptAt, nowIso), or(isNull(deliveries.leaseUntil), lt(deliveries.leaseUntil, nowIso))))
    .orderBy(asc(deliveries.nextAttemptAt))
    .limit(limit);
  return db.update(deliveries).set({ leaseOwner: owner, leaseUntil: leaseUntilIso }).where(inArray(deliveries.id, due)).returning().all();
}

export function updateDelivery(db: Db, id: string, changes: Partial<typeof deliveries.$inferInsert>): void {
  db.update(deliveries).set(changes).where(eq(deliveries.id, id)).run();
}

export function deadDeliveries(db: Db): DeliveryRecord[] {
  return db.select().from(deliveries).where(eq(deliveries.status, 'dead')).orderBy(asc(deliveries.deadAt)).all();
}

/** When the next pending row falls due, to sleep until then. */
export function nextDueAt(db: Db): string | undefined {
  // A row leased by a worker that died is not due before its lease runs out.
  return (
    db
      .select({ at: sql<string>`min(max(${deliveries.nextAttemptAt}, coalesce(${deliveries.leaseUntil}, ${deliveries.nextAttemptAt})))` })
      .from(deliveries)
      .where(eq(deliveries.status, 'pending'))
      .get()?.at ?? undefined
  );
}

export function deliveryCounts(db: Db): Record<'pending' | 'delivered' | 'dead', number> {
  const rows = db
    .select({ status: deliveries.status, n: sql<number>`count(*)` })
    .from(deliveries)
    .groupBy(deliveries.status)
    .all();
  return { pending: 0, delivered: 0, dead: 0, ...Object.fromEntries(rows.map((r) => [r.status, r.n])) };
}

/**
 * Deliveries in trouble: dead ones, and pending ones that already failed at least once (being retried);
 * all of them, or those of one organisation's requests.
 */
export function deliveryTrouble(db: Db, organisationId?: string): { dead: number; retrying: number } {
  const row = db
    .select({
      dead: sql<number>`coalesce(sum(case when ${deliveries.status} = 'dead' then 1 else 0 end), 0)`,
      retrying: sql<number>`coalesce(sum(case when ${deliveries.status} = 'pending' and ${deliveries.attempts} > 0 then 1 else 0 end), 0)`,
    })
    .from(deliveries)
    .where(and(inArray(deliveries.status, ['dead', 'pending']), organisationId ? eq(deliveries.organisationId, organisationId) : undefined))
    .get();
  return { dead: row?.dead ?? 0, retrying: row?.retrying ?? 0 };
}

/** Records a status update's id; false when it was already recorded (a replay). */
export function recordUpdateId(db: Db, organisationId: string, updateId: string, nowIso: string): boolean {
  return db.insert(receivedUpdates).values({ organisationId, updateId, receivedAt: nowIso }).onConflictDoNothing().run().changes === 1;
}

export function purgeReceivedUpdates(db: Db, beforeIso: string): number {
  return db.delete(receivedUpdates).where(lt(receivedUpdates.receivedAt, beforeIso)).run().changes;
}

/** A request addressed to this organisation, by its id or its reference. */
export function requestForOrganisation(db: Db, organisationId: string, idOrReference: string) {
  return db
    .select()
    .from(rightsRequests)
    .where(and(eq(rightsRequests.organisationId, organisationId), or(eq(rightsRequests.id, idOrReference), eq(rightsRequests.reference, idOrReference))))
    .get();
}
