/**
 * The register as the read-only API serves it (server/routes/api-v1.ts): pages of projects,
 * organisations and data sources with their cursors, one of each by id, and the version that makes the
 * entity tags. A project is the register's row as /projets.json writes it (services/register-feeds.ts
 * rowToJson): the CSV's field names, typed. The answers' shapes are server/api/v1-schemas.ts.
 */
import type { Db } from '../db/client';
import { dataSourceById, organisationById, projectHistory, projectRows, registerVersion, type DataSourceRecord, type OrganisationRecord } from '../db/register';
import { dataSourcesPage, effectiveSort, organisationsPage, projectsPage } from '../db/register-api';
import { decodeIdCursor, decodeProjectCursor, encodeCursor } from '../domain/api-cursor';
import type { ProjectsQuery } from '../api/v1-schemas';
import { LICENCE } from './register';
import { rowToJson } from './register-feeds';

export type RegisterApiDeps = { db: Db; publicUrl: URL; now: () => Date };

/** A parameter refused by a rule beyond its own format (a cursor from another sort, relevance without words). */
export type ParameterError = { parameter: string; code: string };

export type Page<T> = {
  body: { licence: typeof LICENCE; generated_at: string; total: number; limit: number; next: string | null; data: T[] };
  nextCursor?: string;
};
export type PageResult<T> = { ok: true; page: Page<T> } | { ok: false; errors: ParameterError[] };

const at = (deps: RegisterApiDeps, path: string) => new URL(path, deps.publicUrl).href;

/** The page body without its `next` link: the route writes it from the request's own address. */
function pageOf<T>(deps: RegisterApiDeps, total: number, limit: number, data: T[], nextCursor?: string): PageResult<T> {
  return { ok: true, page: { body: { licence: LICENCE, generated_at: deps.now().toISOString(), total, limit, next: null, data }, nextCursor } };
}

/** A bare date of a stored instant (organisations keep the time of each write). */
const dateOf = (iso: string) => iso.slice(0, 10);

const projectJson = (deps: RegisterApiDeps, row: Record<string, string>) => ({ url: at(deps, `/projets/${row.id}`), ...rowToJson(row) });

const organisationJson = (deps: RegisterApiDeps, o: OrganisationRecord) => ({
  id: o.id,
  nom: o.name,
  siren: o.siren,
  type: o.kind,
  site_web: o.website,
  description: o.description,
  calendrier: o.zone,
  cree_le: dateOf(o.createdAt),
  mis_a_jour: dateOf(o.updatedAt),
  url: at(deps, `/organisations/${o.id}`),
  projets: at(deps, `/api/v1/projets?organisation=${o.id}`),
});

const sourceJson = (deps: RegisterApiDeps, s: DataSourceRecord) => ({
  id: s.id,
  nom: s.name,
  type: s.kind,
  detenteur: s.holder,
  partie_du_snds: s.partOfSnds,
  identifiante: s.identifiante,
  description: s.description,
  url: at(deps, `/sources/${s.id}`),
  projets: at(deps, `/api/v1/projets?source=${s.id}`),
});

/** Changes whenever the register does (server/db/register.ts registerVersion): keys the entity tags. */
export const apiRegisterVersion = (deps: RegisterApiDeps): number => registerVersion(deps.db);

/** The register's filters of a query, as the search reads them (server/db/register.ts RegisterQuery). */
function filtersOf(q: ProjectsQuery, words: string | undefined) {
  return {
    q: words,
    statut: q.statut,
    source: q.source,
    organisation: q.organisation,
    finalite: q.finalite,
    commercial: q.commercial ? q.commercial === 'oui' : undefined,
    opposition: q.opposition ? q.opposition === 'oui' : undefined,
  };
}

/** One page of projects matching the register's filters, in the order asked (tri), after the cursor. */
export function apiProjects(deps: RegisterApiDeps, q: ProjectsQuery): PageResult<ReturnType<typeof projectJson>> {
  const words = q.q?.replace(/\s+/g, ' ').trim() || undefined;
  const sort = q.tri ?? (words ? 'pertinence' : 'recent');
  // /projets quietly falls back to the most recent first; a program is told instead.
  if (sort === 'pertinence' && !words) return { ok: false, errors: [{ parameter: 'tri', code: 'pertinence_needs_q' }] };
  const after = q.cursor ? decodeProjectCursor(q.cursor, effectiveSort(words, sort)) : undefined;
  if (after === 'invalid' || after === 'sort')
    return { ok: false, errors: [{ parameter: 'cursor', code: after === 'sort' ? 'cursor_sort' : 'cursor_invalid' }] };
  const since = q.updated_since ? new Date(q.updated_since).toISOString() : undefined;
  const { total, rows } = projectsPage(deps.db, { ...filtersOf(q, words), sort, updatedSince: since, after, limit: q.limit + 1 });
  const shown = rows.slice(0, q.limit);
  const more = rows.length > q.limit ? encodeCursor(shown[shown.length - 1]!.key) : undefined;
  const data = projectRows(
    deps.db,
    shown.map((r) => r.id),
  ).map((row) => projectJson(deps, row));
  return pageOf(deps, total, q.limit, data, more);
}

/** One project with its change history (most recent first), or undefined. */
export function apiProject(deps: RegisterApiDeps, id: string) {
  const row = projectRows(deps.db, [id])[0];
  if (!row) return undefined;
  const history = projectHistory(deps.db, id).map((h) => ({ champ: h.field, ancienne_valeur: h.oldValue, nouvelle_valeur: h.newValue, date: h.changedAt }));
  return { ...projectJson(deps, row), historique: history };
}

/** The cursor of a list by id: the last id read, or the error naming it. */
function idCursor(cursor: string | undefined): { after?: string } | { errors: ParameterError[] } {
  const after = cursor ? decodeIdCursor(cursor) : undefined;
  return after === 'invalid' ? { errors: [{ parameter: 'cursor', code: 'cursor_invalid' }] } : { after };
}

/** A list by id: one more row than the page asks says whether there is a next page. */
function byIdPage<R extends { id: string }, T>(deps: RegisterApiDeps, limit: number, total: number, rows: R[], json: (r: R) => T): PageResult<T> {
  const shown = rows.slice(0, limit);
  const more = rows.length > limit ? encodeCursor({ sort: 'id', key: [shown[shown.length - 1]!.id] }) : undefined;
  return pageOf(deps, total, limit, shown.map(json), more);
}

export function apiOrganisations(deps: RegisterApiDeps, q: { updated_since?: string; limit: number; cursor?: string }) {
  const cursor = idCursor(q.cursor);
  if ('errors' in cursor) return { ok: false as const, errors: cursor.errors };
  const since = q.updated_since ? new Date(q.updated_since).toISOString() : undefined;
  const { total, rows } = organisationsPage(deps.db, { after: cursor.after, updatedSince: since, limit: q.limit + 1 });
  return byIdPage(deps, q.limit, total, rows, (o) => organisationJson(deps, o));
}

export function apiOrganisation(deps: RegisterApiDeps, id: string) {
  const o = organisationById(deps.db, id);
  return o ? organisationJson(deps, o) : undefined;
}

export function apiSources(deps: RegisterApiDeps, q: { limit: number; cursor?: string }) {
  const cursor = idCursor(q.cursor);
  if ('errors' in cursor) return { ok: false as const, errors: cursor.errors };
  const { total, rows } = dataSourcesPage(deps.db, { after: cursor.after, limit: q.limit + 1 });
  return byIdPage(deps, q.limit, total, rows, (s) => sourceJson(deps, s));
}

export function apiSource(deps: RegisterApiDeps, id: string) {
  const s = dataSourceById(deps.db, id);
  return s ? sourceJson(deps, s) : undefined;
}
