/**
 * Queries of follows (following the register by e-mail): the follows and their links, and what the
 * digests read of the register's change history.
 */
import { and, asc, count, eq, gt, inArray, isNotNull, isNull, lt, lte, max } from 'drizzle-orm';
import type { Db } from './client';
import { followTokens, follows, projectChanges, projectOrganisations, projects, projectSources } from './schema';
import type { FollowTokenPurpose, HistoryChange } from '../domain/follows';

export type FollowRecord = typeof follows.$inferSelect;
export type FollowTokenRecord = typeof followTokens.$inferSelect;

export function insertFollow(db: Db, follow: typeof follows.$inferInsert): void {
  db.insert(follows).values(follow).run();
}

export function updateFollow(db: Db, id: string, changes: Partial<typeof follows.$inferInsert>): void {
  db.update(follows).set(changes).where(eq(follows.id, id)).run();
}

/** Deletes follows (their links go with them); returns how many. */
export function deleteFollows(db: Db, ids: string[]): number {
  if (ids.length === 0) return 0;
  return db.delete(follows).where(inArray(follows.id, ids)).run().changes;
}

export function followById(db: Db, id: string): FollowRecord | undefined {
  return db.select().from(follows).where(eq(follows.id, id)).get();
}

/** The follow of one address on one target, if any. */
export function followOf(db: Db, emailIndex: string, kind: FollowRecord['kind'], target: string): FollowRecord | undefined {
  return db
    .select()
    .from(follows)
    .where(and(eq(follows.emailIndex, emailIndex), eq(follows.kind, kind), eq(follows.target, target)))
    .get();
}

/** Every follow of one address, oldest first. */
export function followsOfAddress(db: Db, emailIndex: string): FollowRecord[] {
  return db.select().from(follows).where(eq(follows.emailIndex, emailIndex)).orderBy(asc(follows.createdAt), asc(follows.id)).all();
}

export function countFollowsOfAddress(db: Db, emailIndex: string): number {
  return db.select({ n: count() }).from(follows).where(eq(follows.emailIndex, emailIndex)).get()?.n ?? 0;
}

/** Confirmed follows whose digest is due, most overdue first. */
export function dueFollows(db: Db, nowIso: string, limit: number): FollowRecord[] {
  return db
    .select()
    .from(follows)
    .where(and(isNotNull(follows.confirmedAt), lte(follows.nextDigestAt, nowIso)))
    .orderBy(asc(follows.nextDigestAt))
    .limit(limit)
    .all();
}

/** Deletes the follows never confirmed and created before a date; returns how many. */
export function deleteUnconfirmedFollows(db: Db, beforeIso: string): number {
  return db
    .delete(follows)
    .where(and(isNull(follows.confirmedAt), lt(follows.createdAt, beforeIso)))
    .run().changes;
}

/* ---------- Links ---------- */

export function insertFollowToken(db: Db, token: typeof followTokens.$inferInsert): void {
  db.insert(followTokens).values(token).run();
}

/** A link that still works: its purpose, unexpired, and unused when single-use. */
export function usableFollowToken(db: Db, tokenHash: string, purpose: FollowTokenPurpose, nowIso: string): FollowTokenRecord | undefined {
  return db
    .select()
    .from(followTokens)
    .where(and(eq(followTokens.tokenHash, tokenHash), eq(followTokens.purpose, purpose), isNull(followTokens.usedAt), gt(followTokens.expiresAt, nowIso)))
    .get();
}

/** Marks a single-use link used, once: the link's row only if it was still usable. */
export function consumeFollowToken(db: Db, tokenHash: string, purpose: FollowTokenPurpose, nowIso: string): FollowTokenRecord | undefined {
  return db
    .update(followTokens)
    .set({ usedAt: nowIso })
    .where(and(eq(followTokens.tokenHash, tokenHash), eq(followTokens.purpose, purpose), isNull(followTokens.usedAt), gt(followTokens.expiresAt, nowIso)))
    .returning()
    .get();
}

/** A single-use link used since a time: what the page after a confirmation shows. */
export function usedFollowToken(db: Db, tokenHash: string, purpose: FollowTokenPurpose, sinceIso: string): FollowTokenRecord | undefined {
  return db
    .select()
    .from(followTokens)
    .where(and(eq(followTokens.tokenHash, tokenHash), eq(followTokens.purpose, purpose), gt(followTokens.usedAt, sinceIso)))
    .get();
}

/** Deletes links expired before a date; returns how many. */
export function deleteExpiredFollowTokens(db: Db, beforeIso: string): number {
  return db.delete(followTokens).where(lt(followTokens.expiresAt, beforeIso)).run().changes;
}

/* ---------- What the digests read ---------- */

/** The latest entry of the register's change history (0 when it is empty). */
export function latestChangeId(db: Db): number {
  return (
    db
      .select({ id: max(projectChanges.id) })
      .from(projectChanges)
      .get()?.id ?? 0
  );
}

/** History entries after `afterId` up to `upToId`, oldest first. */
export function changesBetween(db: Db, afterId: number, upToId: number): HistoryChange[] {
  if (upToId <= afterId) return [];
  return db
    .select({
      id: projectChanges.id,
      projectId: projectChanges.projectId,
      field: projectChanges.field,
      oldValue: projectChanges.oldValue,
      newValue: projectChanges.newValue,
    })
    .from(projectChanges)
    .where(and(gt(projectChanges.id, afterId), lte(projectChanges.id, upToId)))
    .orderBy(asc(projectChanges.id))
    .all();
}

/** Of these projects, those the organisation runs (as controller or partner) or the data source feeds. */
export function projectsLinkedTo(db: Db, ids: string[], link: { organisation: string } | { source: string }): string[] {
  if (ids.length === 0) return [];
  if ('organisation' in link)
    return db
      .selectDistinct({ id: projectOrganisations.projectId })
      .from(projectOrganisations)
      .where(and(eq(projectOrganisations.organisationId, link.organisation), inArray(projectOrganisations.projectId, ids)))
      .all()
      .map((r) => r.id);
  return db
    .selectDistinct({ id: projectSources.projectId })
    .from(projectSources)
    .where(and(eq(projectSources.sourceId, link.source), inArray(projectSources.projectId, ids)))
    .all()
    .map((r) => r.id);
}

/** The plain-language titles of projects, by id. */
export function projectTitles(db: Db, ids: string[]): Map<string, string> {
  if (ids.length === 0) return new Map();
  const rows = db.select({ id: projects.id, title: projects.titreClair }).from(projects).where(inArray(projects.id, ids)).all();
  return new Map(rows.map((r) => [r.id, r.title]));
}
