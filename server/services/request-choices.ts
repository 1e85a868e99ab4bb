/**
 * What the request form offers and names (/demande): the project a person came from or chose, the
 * organisations to choose from, the register's search on the scope step, and the checks a step's
 * answers need (does this project, this organisation exist; does the route ask for the NIR).
 */
import type { Db } from '../db/client';
import { allOrganisations, organisationName, projectTitle } from '../db/requests';
import { projectRows, searchProjectIds } from '../db/register';
import type { Answers } from '../domain/rights-request';
import { asksNir } from './route-plan';

type ChoiceDeps = { db: Db };

export type ProjectChoice = { id: string; title: string; organisation: string };

/** A project of the register, by its id, as the form shows it. */
export function projectChoice(deps: ChoiceDeps, id: string | undefined): ProjectChoice | undefined {
  const p = id ? projectTitle(deps.db, id) : undefined;
  return p ? { id: p.id, title: p.title, organisation: p.organisationName } : undefined;
}

export function organisationChoices(deps: ChoiceDeps): { id: string; name: string }[] {
  return allOrganisations(deps.db);
}

export function organisationLabel(deps: ChoiceDeps, id: string | undefined): string | undefined {
  return id ? organisationName(deps.db, id) : undefined;
}

/** Projects matching words typed on the scope step: the register's own full-text search, 10 at most. */
export function findProjects(deps: ChoiceDeps, q: string): ProjectChoice[] {
  const { ids } = searchProjectIds(deps.db, { q: q.slice(0, 200), sort: 'pertinence', page: 1, pageSize: 10 });
  return projectRows(deps.db, ids).map((r) => ({ id: r.id!, title: r.titre_clair!, organisation: r.responsable_nom! }));
}

/** What checking a step needs to know of the database (server/services/request-form.ts checkStep). */
export function knownChoices(deps: ChoiceDeps) {
  return {
    projectExists: (id: string) => !!projectTitle(deps.db, id),
    organisationExists: (id: string) => !!organisationName(deps.db, id),
    asksNir: (a: Answers) => asksNir(deps, a),
  };
}
