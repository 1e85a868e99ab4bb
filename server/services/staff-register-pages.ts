/**
 * What the register editors' pages read: the search list of projects, the organisations and
 * data sources a form offers, one project as it stands with its history, one organisation or source to
 * edit. Writes are server/services/register-editing.ts's.
 */
import type { Db } from '../db/client';
import { dataSourceById, organisationById, projectHistory, projectRows, searchProjectIds } from '../db/register';
import type { ProjectRow } from '../domain/register-schema';
import { allDataSources, allOrganisations } from '../db/register-editing';

/** One page of the editors' project list: by relevance when searched, the most recent first otherwise. */
export function registerHome(db: Db, input: { q: string; page: number; pageSize: number }) {
  const { total, ids } = searchProjectIds(db, { q: input.q || undefined, sort: input.q ? 'pertinence' : 'recent', page: input.page, pageSize: input.pageSize });
  return {
    total,
    pages: Math.max(1, Math.ceil(total / input.pageSize)),
    projects: projectRows(db, ids),
    organisations: allOrganisations(db),
    sources: allDataSources(db),
  };
}

/** The organisations and data sources a project form offers. */
export function projectChoices(db: Db) {
  return { organisations: allOrganisations(db).map(({ id, name }) => ({ id, name })), sources: allDataSources(db).map(({ id, name }) => ({ id, name })) };
}

/** One project as it stands, or undefined. */
export const projectRow = (db: Db, id: string): ProjectRow | undefined => projectRows(db, [id])[0];

/** The changes recorded on a project, for the preview. */
export const projectChanges = (db: Db, id: string) => projectHistory(db, id);

export const organisationRecord = (db: Db, id: string) => organisationById(db, id);
export const dataSourceRecord = (db: Db, id: string) => dataSourceById(db, id);
