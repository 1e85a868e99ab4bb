/**
 * Dead deliveries: the list administrators see, and putting one back in the queue.
 */
import { deliveryById } from '../db/deliveries';
export { deadLetters, type DeadLetter } from '../db/staff-admin';
import { inTransaction, type AdminDeps } from './admin-outcome';
import { retryDelivery } from './delivery-attempts';

/** Puts a dead delivery back in the queue (the caller then kicks the worker). False if it was not dead. */
export function retryDeadLetter(deps: AdminDeps, actor: string, id: string): boolean {
  return inTransaction(deps, (tx) => {
    const row = deliveryById(tx.db, id);
    if (!retryDelivery(tx, id)) return false;
    tx.audit(actor, 'delivery.retry', { type: 'delivery', id }, { organisation: row?.organisationId ?? null, attempts: row?.attempts ?? 0 });
    return true;
  });
}
