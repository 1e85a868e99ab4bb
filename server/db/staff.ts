/**
 * Queries of staff users, passkeys, challenges, invitations and sessions.
 */
import { and, asc, eq, gt, isNull, lt } from 'drizzle-orm';
import { ROLES, type Role } from '../domain/staff-roles';
import type { Db } from './client';
import { authChallenges, credentials, invitations, sessions, users } from './schema';

export type UserRecord = typeof users.$inferSelect;
export type CredentialRecord = typeof credentials.$inferSelect;
export type InvitationRecord = typeof invitations.$inferSelect;
export { ROLES, type Role };

export const userById = (db: Db, id: string) => db.select().from(users).where(eq(users.id, id)).get();
export const userByHandle = (db: Db, handle: string) => db.select().from(users).where(eq(users.handle, handle)).get();
export const userByEmailIndex = (db: Db, emailIndex: string) => db.select().from(users).where(eq(users.emailIndex, emailIndex)).get();
export const allUsers = (db: Db) => db.select().from(users).orderBy(asc(users.createdAt)).all();
export const insertUser = (db: Db, user: typeof users.$inferInsert) => db.insert(users).values(user).run();
export const updateUser = (db: Db, id: string, changes: Partial<typeof users.$inferInsert>) => db.update(users).set(changes).where(eq(users.id, id)).run();
export const activeUsersWithRole = (db: Db, role: Role, organisationId?: string) =>
  db
    .select()
    .from(users)
    .where(and(eq(users.role, role), isNull(users.disabledAt), organisationId ? eq(users.organisationId, organisationId) : undefined))
    .all();

export const credentialById = (db: Db, id: string) => db.select().from(credentials).where(eq(credentials.id, id)).get();
export const credentialsOf = (db: Db, userId: string) =>
  db.select().from(credentials).where(eq(credentials.userId, userId)).orderBy(asc(credentials.createdAt)).all();
export const insertCredential = (db: Db, c: typeof credentials.$inferInsert) => db.insert(credentials).values(c).run();
export const deleteCredential = (db: Db, userId: string, id: string) =>
  db
    .delete(credentials)
    .where(and(eq(credentials.id, id), eq(credentials.userId, userId)))
    .run().changes;
export const renameCredential = (db: Db, userId: string, id: string, name: string) =>
  db
    .update(credentials)
    .set({ name })
    .where(and(eq(credentials.id, id), eq(credentials.userId, userId)))
    .run().changes;

/**
 * Compare-and-swap on the signature counter: the update only lands if the counter is still the one
 * read before verifying, so two concurrent uses of one response cannot both pass.
 */
export function swapCounter(db: Db, id: string, expected: number, next: number, nowIso: string): boolean {
  return (
    db
      .update(credentials)
      .set({ counter: next, lastUsedAt: nowIso })
      .where(and(eq(credentials.id, id), eq(credentials.counter, expected)))
      .run().changes === 1
  );
}

export const insertChallenge = (db: Db, c: typeof authChallenges.$inferInsert) => db.insert(authChallenges).values(c).run();
/** Reads and deletes a challenge in one go: it can be used once, and only before it expires. */
export function takeChallenge(db: Db, id: string, purpose: 'register' | 'authenticate', nowIso: string) {
  const row = db
    .delete(authChallenges)
    .where(and(eq(authChallenges.id, id), eq(authChallenges.purpose, purpose)))
    .returning()
    .get();
  return row && row.expiresAt > nowIso ? row : undefined;
}
export const purgeChallenges = (db: Db, nowIso: string) => db.delete(authChallenges).where(lt(authChallenges.expiresAt, nowIso)).run().changes;

export const insertInvitation = (db: Db, i: typeof invitations.$inferInsert) => db.insert(invitations).values(i).run();
export const usableInvitation = (db: Db, tokenHash: string, nowIso: string) =>
  db
    .select()
    .from(invitations)
    .where(and(eq(invitations.tokenHash, tokenHash), isNull(invitations.usedAt), gt(invitations.expiresAt, nowIso)))
    .get();
/** Marks an invitation used; false if it was used in between (single use). */
export const consumeInvitation = (db: Db, tokenHash: string, nowIso: string) =>
  db
    .update(invitations)
    .set({ usedAt: nowIso })
    .where(and(eq(invitations.tokenHash, tokenHash), isNull(invitations.usedAt)))
    .run().changes === 1;

export const insertSession = (db: Db, s: typeof sessions.$inferInsert) => db.insert(sessions).values(s).run();
export const sessionByHash = (db: Db, idHash: string) => db.select().from(sessions).where(eq(sessions.idHash, idHash)).get();
export const touchSession = (db: Db, idHash: string, nowIso: string) =>
  db.update(sessions).set({ lastSeenAt: nowIso }).where(eq(sessions.idHash, idHash)).run();
export const deleteSession = (db: Db, idHash: string) => db.delete(sessions).where(eq(sessions.idHash, idHash)).run();
export const deleteUserSessions = (db: Db, userId: string) => db.delete(sessions).where(eq(sessions.userId, userId)).run().changes;
export const purgeSessions = (db: Db, idleBeforeIso: string, nowIso: string) => {
  const a = db.delete(sessions).where(lt(sessions.expiresAt, nowIso)).run().changes;
  const b = db.delete(sessions).where(lt(sessions.lastSeenAt, idleBeforeIso)).run().changes;
  return a + b;
};
