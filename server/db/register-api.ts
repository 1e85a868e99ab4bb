/**
 * The register as the read-only API pages through it (server/services/register-api.ts): keyset
 * pagination, so that a page is read from where the last one stopped (its sort key), never by skipping
 * rows (an OFFSET reads and drops every row before it, and shifts when a row is added or removed
 * between two pages). The filters are the search page's own (searchConditions in ./register), plus
 * `updatedSince`: a project with an entry in its public change history at or after that instant
 * (every write lands there, the creation included: server/db/register.ts writeProject).
 */
import { and, asc, count, gt, gte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client';
import { searchConditions, STATUS_ORDER, type RegisterQuery } from './register';
import { ftsQuery, matches } from './register-search';
import { dataSources, organisations, projectChanges, projects } from './schema';
import type { ProjectSortKey } from '../domain/api-cursor';

export type ApiProjectQuery = Omit<RegisterQuery, 'page' | 'pageSize'> & {
  /** ISO 8601 instant in UTC as Date.toISOString() writes it, the form of project_changes.changed_at. */
  updatedSince?: string;
  /** The key of the last row of the previous page. */
  after?: ProjectSortKey;
  limit: number;
};

type Part = { expr: SQL; dir: 'asc' | 'desc' };

/** The sort's columns, in order, each with its direction; the id comes last and makes every key unique. */
function sortParts(sort: ProjectSortKey['sort']): Part[] {
  const id: Part = { expr: sql`${projects.id}`, dir: 'asc' };
  const updated: Part = { expr: sql`${projects.misAJour}`, dir: 'desc' };
  if (sort === 'titre') return [{ expr: sql`${projects.titreClair} COLLATE NOCASE`, dir: 'asc' }, id];
  if (sort === 'statut') return [{ expr: STATUS_ORDER, dir: 'asc' }, updated, id];
  if (sort === 'pertinence') return [{ expr: sql`matches.score`, dir: 'asc' }, updated, id];
  return [updated, id];
}

/** Rows strictly after `key` in the sort's order: (a > A) or (a = A and b > B) or ..., each with its direction. */
function afterKey(parts: Part[], key: readonly (string | number)[]): SQL {
  const step = (p: Part, v: string | number) => (p.dir === 'asc' ? sql`${p.expr} > ${v}` : sql`${p.expr} < ${v}`);
  const branches = parts.map((p, i) => and(...parts.slice(0, i).map((q, j) => sql`${q.expr} = ${key[j]!}`), step(p, key[i]!))!);
  return or(...branches)!;
}

/** The key of a row read with keyColumns, in the order of sortParts. */
function keyOf(sort: ProjectSortKey['sort'], r: { id: string; updated: string; title: string; rank: number; score: number | null }): ProjectSortKey {
  if (sort === 'titre') return { sort, key: [r.title, r.id] };
  if (sort === 'statut') return { sort, key: [r.rank, r.updated, r.id] };
  if (sort === 'pertinence') return { sort, key: [r.score ?? 0, r.updated, r.id] };
  return { sort, key: [r.updated, r.id] };
}

/** The sort a query is read in: by relevance only when its words make a full-text query, else most recent first. */
export function effectiveSort(q: string | undefined, sort: ProjectSortKey['sort']): ProjectSortKey['sort'] {
  return sort === 'pertinence' && !(q && ftsQuery(q)) ? 'recent' : sort;
}

export function changedSince(since: string): SQL {
  return sql`EXISTS (SELECT 1 FROM ${projectChanges} WHERE ${projectChanges.projectId} = ${projects.id} AND ${projectChanges.changedAt} >= ${since})`;
}

/**
 * One page of projects: how many match in all, and up to `limit` ids after `query.after`, each with its
 * sort key (the last one makes the next page's cursor).
 */
export function projectsPage(db: Db, query: ApiProjectQuery): { total: number; rows: { id: string; key: ProjectSortKey }[] } {
  const { conditions, match } = searchConditions(query);
  if (query.updatedSince) conditions.push(changedSince(query.updatedSince));
  const total =
    db
      .select({ n: count() })
      .from(projects)
      .where(and(...conditions))
      .get()?.n ?? 0;
  const sort = effectiveSort(query.q, query.sort);
  const ranked = sort === 'pertinence' && match !== undefined;
  const parts = sortParts(sort);
  // With relevance the full-text match is joined once, its score reused for sorting, instead of filtered.
  const filters = ranked ? conditions.slice(1) : conditions;
  if (query.after) filters.push(afterKey(parts, query.after.key));
  const base = db
    .select({
      id: projects.id,
      updated: projects.misAJour,
      title: projects.titreClair,
      rank: sql<number>`${STATUS_ORDER}`,
      score: ranked ? sql<number>`matches.score` : sql<null>`NULL`,
    })
    .from(projects);
  const rows = (ranked ? base.innerJoin(matches(match), sql`matches.search_rowid = ${projects.searchRowid}`) : base)
    .where(and(...filters))
    .orderBy(...parts.map((p) => (p.dir === 'asc' ? sql`${p.expr} ASC` : sql`${p.expr} DESC`)))
    .limit(query.limit)
    .all();
  return { total, rows: rows.map((r) => ({ id: r.id, key: keyOf(sort, r) })) };
}

/** Organisations by id, after `after`; `updatedSince` keeps those changed at or after it. */
export function organisationsPage(db: Db, q: { after?: string; updatedSince?: string; limit: number }) {
  const where = and(q.updatedSince ? gte(organisations.updatedAt, q.updatedSince) : undefined);
  const total = db.select({ n: count() }).from(organisations).where(where).get()?.n ?? 0;
  const rows = db
    .select()
    .from(organisations)
    .where(and(where, q.after ? gt(organisations.id, q.after) : undefined))
    .orderBy(asc(organisations.id))
    .limit(q.limit)
    .all();
  return { total, rows };
}

/** Data sources by id, after `after`. */
export function dataSourcesPage(db: Db, q: { after?: string; limit: number }) {
  const total = db.select({ n: count() }).from(dataSources).get()?.n ?? 0;
  const rows = db
    .select()
    .from(dataSources)
    .where(q.after ? gt(dataSources.id, q.after) : undefined)
    .orderBy(asc(dataSources.id))
    .limit(q.limit)
    .all();
  return { total, rows };
}
