/**
 * Dead deliveries (DESIGN §7): the list administrators see, and putting one back in the queue.
 */
import { count, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { deliveryById } from '../db/deliveries';
import { deliveries, organisationChannels, organisations, rightsRequests } from '../db/schema';
import { inTransaction, type AdminDeps } from './admin-outcome';
import { retryDelivery } from './delivery-attempts';

export type DeadLetter = {
  id: string;
  reference: string | null;
  organisationId: string;
  organisationName: string | null;
  channelKind: string | null;
  attempts: number;
  lastError: string | null;
  deadAt: string | null;
};

export function deadLetters(db: Db, page: number, pageSize: number): { total: number; rows: DeadLetter[] } {
  const total = db.select({ n: count() }).from(deliveries).where(eq(deliveries.status, 'dead')).get()?.n ?? 0;
  const rows = db
    .select({
      id: deliveries.id,
      reference: rightsRequests.reference,
      organisationId: deliveries.organisationId,
      organisationName: organisations.name,
      channelKind: organisationChannels.kind,
      attempts: deliveries.attempts,
      lastError: deliveries.lastError,
      deadAt: deliveries.deadAt,
    })
    .from(deliveries)
    .leftJoin(rightsRequests, eq(rightsRequests.id, deliveries.requestId))
    .leftJoin(organisations, eq(organisations.id, deliveries.organisationId))
    .leftJoin(organisationChannels, eq(organisationChannels.id, deliveries.channelId))
    .where(eq(deliveries.status, 'dead'))
    .orderBy(desc(deliveries.deadAt), desc(deliveries.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  return { total, rows };
}

/** Puts a dead delivery back in the queue (the caller then kicks the worker). False if it was not dead. */
export function retryDeadLetter(deps: AdminDeps, actor: string, id: string): boolean {
  return inTransaction(deps.db, () => {
    const row = deliveryById(deps.db, id);
    if (!retryDelivery(deps, id)) return false;
    deps.audit(actor, 'delivery.retry', { type: 'delivery', id }, { organisation: row?.organisationId ?? null, attempts: row?.attempts ?? 0 });
    return true;
  });
}
