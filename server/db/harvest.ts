/**
 * Queries of the harvest: the remote sources administrators register, their runs, and the origin of each
 * harvested project.
 */
import { and, asc, desc, eq, inArray, isNull, lt, lte, or } from 'drizzle-orm';
import type { Db } from './client';
import { harvestedProjects, harvestRuns, harvestSources, organisations, projects } from './schema';

export type HarvestSourceRecord = typeof harvestSources.$inferSelect;
export type HarvestRunRecord = typeof harvestRuns.$inferSelect;
export type HarvestRunInsert = typeof harvestRuns.$inferInsert;

export function insertHarvestSource(db: Db, source: typeof harvestSources.$inferInsert): void {
  db.insert(harvestSources).values(source).run();
}

export function harvestSourceById(db: Db, id: string): HarvestSourceRecord | undefined {
  return db.select().from(harvestSources).where(eq(harvestSources.id, id)).get();
}

/** Every source with its organisation's name, by organisation then URL. */
export function harvestSourceList(db: Db) {
  return db
    .select({ source: harvestSources, organisationName: organisations.name })
    .from(harvestSources)
    .innerJoin(organisations, eq(organisations.id, harvestSources.organisationId))
    .orderBy(asc(organisations.name), asc(harvestSources.url))
    .all();
}

export function harvestRunsOf(db: Db, sourceId: string, limit: number): HarvestRunRecord[] {
  return db.select().from(harvestRuns).where(eq(harvestRuns.sourceId, sourceId)).orderBy(desc(harvestRuns.id)).limit(limit).all();
}

/** What an administrator may change in a source; a new address drops the validators of the old file. */
export function updateHarvestSource(
  db: Db,
  id: string,
  changes: Pick<HarvestSourceRecord, 'url' | 'format' | 'schedule' | 'nextRunAt' | 'updatedAt'> & { resetValidators: boolean },
): void {
  const { resetValidators, ...values } = changes;
  db.update(harvestSources)
    .set({ ...values, ...(resetValidators ? { etag: null, lastModified: null } : {}) })
    .where(eq(harvestSources.id, id))
    .run();
}

/** Turns a source off (`disabledAt` set) or on again (null, with its next run). */
export function setHarvestSourceDisabled(db: Db, id: string, changes: { disabledAt: string | null; nextRunAt?: string; updatedAt: string }): void {
  db.update(harvestSources).set(changes).where(eq(harvestSources.id, id)).run();
}

/** Sources whose next run is due, that are not turned off and that no run holds, soonest first. */
export function dueHarvestSources(db: Db, nowIso: string, limit: number): HarvestSourceRecord[] {
  return db
    .select()
    .from(harvestSources)
    .where(
      and(
        lte(harvestSources.nextRunAt, nowIso),
        isNull(harvestSources.disabledAt),
        or(isNull(harvestSources.leaseUntil), lt(harvestSources.leaseUntil, nowIso)),
      ),
    )
    .orderBy(asc(harvestSources.nextRunAt))
    .limit(limit)
    .all();
}

/** Takes the source for one run until `untilIso`; false when a run already holds it or it was turned off meanwhile. */
export function leaseHarvestSource(db: Db, id: string, nowIso: string, untilIso: string): boolean {
  const result = db
    .update(harvestSources)
    .set({ leaseUntil: untilIso })
    .where(and(eq(harvestSources.id, id), isNull(harvestSources.disabledAt), or(isNull(harvestSources.leaseUntil), lt(harvestSources.leaseUntil, nowIso))))
    .run();
  return result.changes === 1;
}

/** Ends a run: releases the lease, sets the next run and, after a good read, its time and validators. */
export function finishHarvestSource(
  db: Db,
  id: string,
  changes: { nextRunAt: string; updatedAt: string; read?: { at: string; etag?: string | null; lastModified?: string | null } },
): void {
  db.update(harvestSources)
    .set({
      leaseUntil: null,
      nextRunAt: changes.nextRunAt,
      updatedAt: changes.updatedAt,
      ...(changes.read
        ? {
            lastReadAt: changes.read.at,
            ...(changes.read.etag !== undefined ? { etag: changes.read.etag } : {}),
            ...(changes.read.lastModified !== undefined ? { lastModified: changes.read.lastModified } : {}),
          }
        : {}),
    })
    .where(eq(harvestSources.id, id))
    .run();
}

export function insertHarvestRun(db: Db, run: HarvestRunInsert): number {
  return Number(db.insert(harvestRuns).values(run).run().lastInsertRowid);
}

/** The data controller of each of these projects that exists: project id → organisation id. */
export function projectOwners(db: Db, ids: string[]): Map<string, string> {
  if (ids.length === 0) return new Map();
  const rows = db.select({ id: projects.id, owner: projects.responsableId }).from(projects).where(inArray(projects.id, ids)).all();
  return new Map(rows.map((r) => [r.id, r.owner]));
}

/** What a source published until now: its projects, each with when it stopped listing them (or null). */
export function harvestedBySource(db: Db, sourceId: string): { projectId: string; withdrawnSince: string | null }[] {
  return db
    .select({ projectId: harvestedProjects.projectId, withdrawnSince: harvestedProjects.withdrawnSince })
    .from(harvestedProjects)
    .where(eq(harvestedProjects.sourceId, sourceId))
    .orderBy(asc(harvestedProjects.projectId))
    .all();
}

/** Records that the source publishes this project (again): its origin, no longer withdrawn. */
export function recordHarvested(db: Db, projectId: string, sourceId: string, atIso: string): void {
  db.insert(harvestedProjects)
    .values({ projectId, sourceId, firstReadAt: atIso, withdrawnSince: null })
    .onConflictDoUpdate({ target: harvestedProjects.projectId, set: { sourceId, withdrawnSince: null } })
    .run();
}

export function markWithdrawn(db: Db, projectId: string, sinceIso: string): void {
  db.update(harvestedProjects).set({ withdrawnSince: sinceIso }).where(eq(harvestedProjects.projectId, projectId)).run();
}

/** Where a project comes from, when a source publishes it: the source's organisation, URL and last good read. */
export function projectOrigin(db: Db, projectId: string) {
  return db
    .select({
      sourceId: harvestSources.id,
      url: harvestSources.url,
      organisationId: organisations.id,
      organisationName: organisations.name,
      lastReadAt: harvestSources.lastReadAt,
      withdrawnSince: harvestedProjects.withdrawnSince,
    })
    .from(harvestedProjects)
    .innerJoin(harvestSources, eq(harvestSources.id, harvestedProjects.sourceId))
    .innerJoin(organisations, eq(organisations.id, harvestSources.organisationId))
    .where(eq(harvestedProjects.projectId, projectId))
    .get();
}
