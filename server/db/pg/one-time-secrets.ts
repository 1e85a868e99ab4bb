/**
 * One-time secrets on PostgreSQL (issue 16): the counterpart of ../one-time-secrets.ts. Taking a secret
 * deletes its row and returns it in one statement: of two processes racing for one secret, one gets
 * the row, the other nothing.
 */
import { and, eq, gt, lte } from 'drizzle-orm';
import type { PgDb } from './client';
import { oneTimeSecrets } from './schema';
import type { OneTimeSecret, StoredSecret } from '../one-time-secrets';

export async function storeSecret(db: PgDb, secret: OneTimeSecret): Promise<void> {
  await db.insert(oneTimeSecrets).values(secret);
}

/** The secret stored under `secretHash` for `purpose`, unexpired at `nowIso`, removed as it is read; undefined otherwise. */
export async function takeSecret(db: PgDb, secretHash: string, purpose: string, nowIso: string): Promise<StoredSecret | undefined> {
  const [row] = await db
    .delete(oneTimeSecrets)
    .where(and(eq(oneTimeSecrets.secretHash, secretHash), eq(oneTimeSecrets.purpose, purpose), gt(oneTimeSecrets.expiresAt, nowIso)))
    .returning();
  return row;
}

/** Removes the secrets expired at `nowIso` (housekeeping). */
export async function purgeExpiredSecrets(db: PgDb, nowIso: string): Promise<number> {
  return (await db.delete(oneTimeSecrets).where(lte(oneTimeSecrets.expiresAt, nowIso)).returning({ h: oneTimeSecrets.secretHash })).length;
}
