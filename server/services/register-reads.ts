/**
 * The public register as its pages and open-data files read it (server/routes/register.tsx): searches,
 * a project with its history, the organisations and data sources, and the version that keys caches.
 */
import type { Db } from '../db/client';
import {
  dataSourceById,
  dataSourcesWithProjects,
  organisationById,
  organisationsWithProjects,
  projectHistory,
  projectRows,
  registerVersion,
  searchProjectIds,
  type RegisterQuery,
} from '../db/register';
import type { RegisterParams } from '../domain/register-query';
import type { ProjectRow } from '../domain/register-schema';

export type { RegisterQuery };

/** The query of the register's URL parameters (server/domain/register-query.ts); `pageSize` null for every result. */
export function queryOfParams(p: RegisterParams, pageSize: number | null): RegisterQuery {
  return {
    q: p.q || undefined,
    statut: p.statut,
    source: p.source,
    organisation: p.organisation,
    finalite: p.finalite,
    commercial: p.commercial ? p.commercial === 'oui' : undefined,
    opposition: p.opposition ? p.opposition === 'oui' : undefined,
    sort: p.tri,
    page: p.page,
    pageSize,
  };
}
export type ProjectHistory = ReturnType<typeof projectHistory>;

export function registerReads(db: Db) {
  return {
    /** The projects matching a query, in its order and page, with how many match in all. */
    search(query: RegisterQuery): { total: number; rows: ProjectRow[] } {
      const { total, ids } = searchProjectIds(db, query);
      return { total, rows: projectRows(db, ids) };
    },
    /** One project and its change history (most recent first), if it exists. */
    project(id: string): { row: ProjectRow; history: ProjectHistory } | undefined {
      const row = projectRows(db, [id])[0];
      return row ? { row, history: projectHistory(db, id) } : undefined;
    },
    /** Changes whenever the register does: keys the render cache and the open-data entity tags. */
    version: (): number => registerVersion(db),
    organisationsWithProjects: () => organisationsWithProjects(db),
    dataSourcesWithProjects: () => dataSourcesWithProjects(db),
    organisationById: (id: string) => organisationById(db, id),
    dataSourceById: (id: string) => dataSourceById(db, id),
  };
}
