/**
 * Queries of the page "Which projects may use my data?" (server/services/my-data.ts): the data sources a
 * person can say their data are in, and the projects that use any of them.
 */
import { asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from './client';
import { dataSources, projectSources, projects } from './schema';

export type SourceChoice = { id: string; name: string; holder: string | null };

/** The data sources of one kind (hospital warehouses, cohorts), by holder then name. */
export function dataSourcesOfKind(db: Db, kind: string): SourceChoice[] {
  return db
    .select({ id: dataSources.id, name: dataSources.name, holder: dataSources.holder })
    .from(dataSources)
    .where(eq(dataSources.kind, kind))
    .orderBy(sql`coalesce(nullif(${dataSources.holder}, ''), ${dataSources.name}) COLLATE NOCASE`, asc(dataSources.id))
    .all();
}

/** The bases of the SNDS (national health data system) among the register's sources. */
export function sndsSources(db: Db): SourceChoice[] {
  return db
    .select({ id: dataSources.id, name: dataSources.name, holder: dataSources.holder })
    .from(dataSources)
    .where(eq(dataSources.partOfSnds, true))
    .orderBy(asc(dataSources.name))
    .all();
}

/** One page of the projects that use at least one of these sources, latest change first, and how many in all. */
export function projectIdsUsingSources(db: Db, sourceIds: string[], limit: number, offset: number): { total: number; ids: string[] } {
  if (sourceIds.length === 0) return { total: 0, ids: [] };
  const using = sql`${projects.id} IN (SELECT ${projectSources.projectId} FROM ${projectSources} WHERE ${inArray(projectSources.sourceId, sourceIds)})`;
  const total = db.select({ n: count() }).from(projects).where(using).get()?.n ?? 0;
  const ids = db
    .select({ id: projects.id })
    .from(projects)
    .where(using)
    .orderBy(desc(projects.misAJour), asc(projects.id))
    .limit(limit)
    .offset(offset)
    .all()
    .map((r) => r.id);
  return { total, ids };
}
