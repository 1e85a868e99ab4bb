/**
 * Queries of the register's back office: the lists editors choose from, the projects an
 * organisation or a data source appears in, and change-history entries written outside writeProject.
 */
import { asc, eq } from 'drizzle-orm';
import type { Db } from './client';
import { dataSources, organisations, projectChanges, projectOrganisations, projectSources } from './schema';

export type OrganisationChoice = { id: string; name: string; siren: string | null; kind: string | null };
export type DataSourceChoice = { id: string; name: string; kind: string | null; identifiante: boolean };

export function allOrganisations(db: Db): OrganisationChoice[] {
  return db
    .select({ id: organisations.id, name: organisations.name, siren: organisations.siren, kind: organisations.kind })
    .from(organisations)
    .orderBy(asc(organisations.name), asc(organisations.id))
    .all();
}

export function allDataSources(db: Db): DataSourceChoice[] {
  return db
    .select({ id: dataSources.id, name: dataSources.name, kind: dataSources.kind, identifiante: dataSources.identifiante })
    .from(dataSources)
    .orderBy(asc(dataSources.name), asc(dataSources.id))
    .all();
}

/** Projects whose controller or partner the organisation is. */
export function projectIdsOfOrganisation(db: Db, organisationId: string): string[] {
  return db
    .selectDistinct({ id: projectOrganisations.projectId })
    .from(projectOrganisations)
    .where(eq(projectOrganisations.organisationId, organisationId))
    .orderBy(asc(projectOrganisations.projectId))
    .all()
    .map((r) => r.id);
}

export function projectIdsOfDataSource(db: Db, sourceId: string): string[] {
  return db
    .selectDistinct({ id: projectSources.projectId })
    .from(projectSources)
    .where(eq(projectSources.sourceId, sourceId))
    .orderBy(asc(projectSources.projectId))
    .all()
    .map((r) => r.id);
}

export type ProjectChange = { projectId: string; field: string; oldValue: string | null; newValue: string | null; changedAt: string; origin: string };

/** Appends entries to projects' public change history, inside the caller's transaction. */
export function insertProjectChanges(db: Db, changes: ProjectChange[]): void {
  if (changes.length > 0) db.insert(projectChanges).values(changes).run();
}
