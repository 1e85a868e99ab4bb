/**
 * The audit log as administrators read it: one page of entries and the chain's verification.
 */
import type { Db } from '../db/client';
import { auditEntries, verifyAudit, type AuditEntry, type AuditVerification } from './audit';

/** One page of the log, the requested one or the last there is, and the whole chain's verification. */
export function auditLogPage(
  db: Db,
  key: Buffer,
  requested: number,
  pageSize: number,
): { total: number; page: number; pages: number; entries: AuditEntry[]; verification: AuditVerification } {
  const last = auditEntries(db, 1)[0];
  const total = last?.seq ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(requested, pages);
  // Sequence numbers run 1..N without gaps while the chain holds: page p starts below N - (p-1)·size + 1.
  const before = total - (page - 1) * pageSize + 1;
  const entries = before > 1 ? auditEntries(db, pageSize, before) : [];
  return { total, page, pages, entries, verification: verifyAudit(db, key) };
}
