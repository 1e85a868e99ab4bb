/**
 * Appending to the audit chain on SQLite, as an engine concern (./engine.ts; PostgreSQL's is
 * ./pg/audit.ts): read the end of the chain, build the next entry from it, insert it. SQLite has one
 * writer at a time: inside the caller's IMMEDIATE transaction nobody else appends in between, so no lock
 * is taken here. server/services/audit.ts appendAudit does the same today; the asynchronous conversion
 * moves it onto this function.
 */
import { desc } from 'drizzle-orm';
import type { Db } from './client';
import { auditLog } from './schema';

export type AuditRow = typeof auditLog.$inferSelect;
/** The last entry of the chain, undefined while it is empty. */
export type ChainEnd = { seq: number; hash: string } | undefined;

export function appendAuditEntry(db: Db, next: (last: ChainEnd) => AuditRow): AuditRow {
  const last = db.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1).get();
  const row = next(last);
  db.insert(auditLog).values(row).run();
  return row;
}
