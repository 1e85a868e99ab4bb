/**
 * The audit log: every staff action and every read of decrypted identity data appends one
 * entry. Entries are chained: each stores the previous entry's hash and its own, an HMAC-SHA256 over
 * its canonical JSON keyed with a secret derived from SESSION_SECRET, so an edit, a deletion or an
 * insertion anywhere breaks verification from that entry on, and a forger without the secret cannot
 * rebuild the chain. The table also refuses UPDATE and DELETE (triggers in migration 0008).
 * Append inside the same transaction as the action it records.
 */
import { createHmac } from 'node:crypto';
import { asc, desc, gt, lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditLog } from '../db/schema';

export const GENESIS = '0'.repeat(64);

export type AuditInput = {
  /** `user:<id>`, `system`, `callback:<organisation>`: never a name or an address. */
  actor: string;
  action: string;
  targetType?: string;
  targetId?: string;
  /** Technical facts only: no personal data. */
  detail?: Record<string, string | number | boolean | null>;
};

export type AuditEntry = typeof auditLog.$inferSelect;

export function auditKey(sessionSecret: Buffer): Buffer {
  return createHmac('sha256', sessionSecret).update('audit-log-chain').digest();
}

function entryHash(key: Buffer, e: Omit<AuditEntry, 'hash'>): string {
  const canonical = JSON.stringify([e.seq, e.at, e.actor, e.action, e.targetType, e.targetId, e.detail, e.prevHash]);
  return createHmac('sha256', key).update(canonical).digest('hex');
}

/**
 * Appends audit entries through `db`: the opened database, or a transaction's handle, so that the entry
 * commits or rolls back with the change it records.
 */
export function auditThrough(db: Db, sessionSecret: Buffer, now: () => Date) {
  const key = auditKey(sessionSecret);
  return (actor: string, action: string, target?: { type: string; id: string }, detail?: AuditInput['detail']): AuditEntry =>
    appendAudit(db, key, { actor, action, targetType: target?.type, targetId: target?.id, detail }, now());
}

export function appendAudit(db: Db, key: Buffer, input: AuditInput, now: Date): AuditEntry {
  const last = db.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1).get();
  const entry = {
    seq: (last?.seq ?? 0) + 1,
    at: now.toISOString(),
    actor: input.actor,
    action: input.action,
    targetType: input.targetType ?? null,
    targetId: input.targetId ?? null,
    detail: input.detail ? JSON.stringify(input.detail) : null,
    prevHash: last?.hash ?? GENESIS,
  };
  const full = { ...entry, hash: entryHash(key, entry) };
  db.insert(auditLog).values(full).run();
  return full;
}

export type AuditVerification =
  { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number; reason: 'hash_mismatch' | 'chain_broken' | 'sequence_gap' };

/** Walks the chain in order; reports the first entry that does not hold. */
export function verifyAudit(db: Db, key: Buffer): AuditVerification {
  let prev = GENESIS;
  let expectedSeq = 1;
  let count = 0;
  // Pages of 5,000 entries, so a long log is verified in bounded memory.
  for (let after = 0; ;) {
    const page = db.select().from(auditLog).where(gt(auditLog.seq, after)).orderBy(asc(auditLog.seq)).limit(5000).all();
    if (page.length === 0) return { ok: true, entries: count };
    for (const e of page) {
      count += 1;
      if (e.seq !== expectedSeq) return { ok: false, entries: count, brokenAt: e.seq, reason: 'sequence_gap' };
      if (e.prevHash !== prev) return { ok: false, entries: count, brokenAt: e.seq, reason: 'chain_broken' };
      if (entryHash(key, e) !== e.hash) return { ok: false, entries: count, brokenAt: e.seq, reason: 'hash_mismatch' };
      prev = e.hash;
      expectedSeq += 1;
    }
    after = page.at(-1)!.seq;
  }
}

export function auditEntries(db: Db, limit = 200, beforeSeq?: number): AuditEntry[] {
  const q = db.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(limit);
  return (beforeSeq ? q.where(lt(auditLog.seq, beforeSeq)) : q).all();
}
