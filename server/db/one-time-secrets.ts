/**
 * Secrets that serve once, kept in the database (issue 16, DESIGN §11) rather than in one process's
 * memory: stored under the hash of the secret (never the secret), taken by deleting the row and reading
 * it in one statement, so that of two attempts racing for one secret only one gets it, on any process.
 * PostgreSQL's counterpart is ./pg/one-time-secrets.ts. The payload is encrypted by the caller.
 */
import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from './client';
import { oneTimeSecrets } from './schema';

export type OneTimeSecret = typeof oneTimeSecrets.$inferInsert;
export type StoredSecret = typeof oneTimeSecrets.$inferSelect;

export function storeSecret(db: Db, secret: OneTimeSecret): void {
  db.insert(oneTimeSecrets).values(secret).run();
}

/** The secret stored under `secretHash` for `purpose`, unexpired at `nowIso`, removed as it is read; undefined otherwise. */
export function takeSecret(db: Db, secretHash: string, purpose: string, nowIso: string): StoredSecret | undefined {
  return db
    .delete(oneTimeSecrets)
    .where(and(eq(oneTimeSecrets.secretHash, secretHash), eq(oneTimeSecrets.purpose, purpose), gt(oneTimeSecrets.expiresAt, nowIso)))
    .returning()
    .get();
}

/** Removes the secrets expired at `nowIso` (housekeeping). */
export function purgeExpiredSecrets(db: Db, nowIso: string): number {
  return db.delete(oneTimeSecrets).where(lte(oneTimeSecrets.expiresAt, nowIso)).run().changes;
}
