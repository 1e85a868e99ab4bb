/**
 * Appending to the audit chain on PostgreSQL (issue 16): each entry stores the previous entry's hash
 * (server/services/audit.ts), so two processes that read the same last entry and both append would fork
 * the chain (the second insert fails on the primary key, and the action it records with it). The append
 * takes a transaction-level advisory lock first: appends from every process take turns, each reading the
 * last entry its predecessor committed. On SQLite the single writer (BEGIN IMMEDIATE) already serialises them.
 *
 * The lock is held until the end of the outermost transaction: called with a transaction's handle (the
 * action and its audit entry commit together), it holds the chain until that transaction commits; called
 * with the pool's database, it opens a transaction of its own.
 */
import { desc, sql } from 'drizzle-orm';
import type { PgDb } from './client';
import { auditLog } from './schema';
import type { ChainEnd } from '../audit-chain';

export type PgAuditRow = typeof auditLog.$inferSelect;

/** Any fixed number, distinct from the migration lock (./client.ts): it names the audit chain. */
export const AUDIT_CHAIN_LOCK = 1_616_416_002;

/**
 * Appends the entry `next` builds from the end of the chain (undefined for the first entry), under the
 * chain's lock. `next` is pure (the HMAC of server/services/audit.ts): no I/O while the lock is held.
 */
export async function appendAuditEntry(db: PgDb, next: (last: ChainEnd) => PgAuditRow): Promise<PgAuditRow> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
    const [last] = await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    const row = next(last);
    await tx.insert(auditLog).values(row);
    return row;
  });
}
