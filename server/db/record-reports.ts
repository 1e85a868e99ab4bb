/**
 * Queries of the reports of an error on a project's record: written by the public form, read and moved
 * along by the editors' queue.
 */
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Db } from './client';
import { projects, recordReports } from './schema';
import type { RecordReportStatus } from '../domain/record-reports';

export type RecordReportRecord = typeof recordReports.$inferSelect;

export function insertRecordReport(db: Db, report: typeof recordReports.$inferInsert): void {
  db.insert(recordReports).values(report).run();
}

/** A report with its project's plain title (the project may have been deleted since: then no report either, by cascade). */
export function recordReportById(db: Db, id: string) {
  return db
    .select({ report: recordReports, projectTitle: projects.titreClair })
    .from(recordReports)
    .innerJoin(projects, eq(projects.id, recordReports.projectId))
    .where(eq(recordReports.id, id))
    .get();
}

/** One page of the reports in these statuses, oldest first (the queue is worked in order), with how many there are. */
export function recordReportPage(db: Db, statuses: readonly RecordReportStatus[], limit: number, offset: number) {
  const where = inArray(recordReports.status, [...statuses]);
  const total = db.select({ n: count() }).from(recordReports).where(where).get()?.n ?? 0;
  const rows = db
    .select({ report: recordReports, projectTitle: projects.titreClair })
    .from(recordReports)
    .innerJoin(projects, eq(projects.id, recordReports.projectId))
    .where(where)
    .orderBy(asc(recordReports.createdAt), asc(recordReports.id))
    .limit(limit)
    .offset(offset)
    .all();
  return { total, rows };
}

/** How many reports each status holds. */
export function recordReportCounts(db: Db): Record<RecordReportStatus, number> {
  const counts: Record<RecordReportStatus, number> = { nouveau: 0, en_cours: 0, traite: 0, rejete: 0 };
  for (const r of db.select({ status: recordReports.status, n: count() }).from(recordReports).groupBy(recordReports.status).all()) counts[r.status] = r.n;
  return counts;
}

/** Moves a report to a status; `eraseEmail` drops its address. False when it no longer is in `from` (another editor moved it). */
export function updateRecordReportStatus(
  db: Db,
  id: string,
  from: RecordReportStatus,
  changes: { status: RecordReportStatus; updatedAt: string; handledAt?: string | null; eraseEmail: boolean },
): boolean {
  const { eraseEmail, ...values } = changes;
  const result = db
    .update(recordReports)
    .set({ ...values, ...(eraseEmail ? { emailEnc: null } : {}) })
    .where(and(eq(recordReports.id, id), eq(recordReports.status, from)))
    .run();
  return result.changes === 1;
}
