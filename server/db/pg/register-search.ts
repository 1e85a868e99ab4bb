/**
 * Full-text search of the register on PostgreSQL (issue 16, DESIGN §11): the counterpart of
 * ../register-search.ts (SQLite FTS5), with the same functions and the same behaviour, so the register's
 * search tests pass on both engines (tests/db/register-search-engines.test.ts).
 *
 * The index is projects_fts.document, one weighted `tsvector` per project (GIN index), kept by
 * indexProject in the caller's transaction. It holds:
 * - the French stems of the project's texts (server/domain/register-search-texts.ts), made by PostgreSQL
 *   with the `fr_unaccent` configuration (migrations-pg/0001_search.sql: unaccent, then the Snowball French
 *   stemmer), weighted A (titles), B (summary) and C (the other texts, organisation and source names);
 * - the words as written, weighted D, through `fr_unaccent_words` (unaccent, no stemming, no stop words),
 *   for a word being typed, matched as a prefix ("hospitalisati").
 * Each word is split as on SQLite and given to the stemmer as on SQLite (server/domain/search-stems.ts
 * prepareForStemmer: folded, a final "s" dropped, a final "ee" made "e"), so a singular and its plural give
 * one stem on both engines. A query word matches its stem in A, B or C, or is a prefix of a word in D.
 * Relevance is ts_rank with the weights below, negated: lower is better, as bm25 is on SQLite.
 */
import { and, asc, count, desc, eq, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { PgDb } from './client';
import { projectOrganisations, projects, projectSources, projectsFts } from './schema';
import { foldWord, prepareForStemmer, words } from '../../domain/search-stems';
import { searchTexts } from '../../domain/register-search-texts';
import type { ProjectRow } from '../../domain/register-schema';
import type { RegisterQuery } from '../register';

const MAX_TERMS = 12;
/** ts_rank's weights, in its order D, C, B, A: close to SQLite's bm25 weights (titles 10, summary 4, others 1 to 3, words 0.1). */
const RANK_WEIGHTS = '{0.01, 0.2, 0.4, 1.0}';

const prepared = (text: string) => words(text).map(prepareForStemmer).join(' ');

/**
 * Turns what a person typed into a safe tsquery: words only (letters and digits), all required, each
 * matching either its stem in the stemmed texts ("médicaments" finds "médicament", not "médical"), or
 * itself as the prefix of a word as written ("neurolog" finds "neurologues"). Operators, quotes and
 * punctuation typed by the person never reach to_tsquery; what does is a bound parameter.
 */
export function ftsQuery(input: string): SQL | undefined {
  const terms = words(input)
    .slice(0, MAX_TERMS)
    .map((t) => t.slice(0, 40))
    .map((t) => sql`(to_tsquery('fr_unaccent', ${`${prepareForStemmer(t)}:ABC`}) || to_tsquery('fr_unaccent_words', ${`${foldWord(t)}:*D`}))`);
  return terms.length > 0 ? sql`(${sql.join(terms, sql` && `)})` : undefined;
}

export function searchClause(match: SQL): SQL {
  return sql`${projects.searchRowid} IN (SELECT ${projectsFts.rowid} FROM ${projectsFts} WHERE ${projectsFts.document} @@ ${match})`;
}

/** The matching index rows with their relevance (lower is better), a derived table to join on projects.search_rowid. */
export function matches(match: SQL): SQL {
  return sql`(SELECT ${projectsFts.rowid} AS search_rowid, -ts_rank(${RANK_WEIGHTS}::float4[], ${projectsFts.document}, ${match}) AS score FROM ${projectsFts} WHERE ${projectsFts.document} @@ ${match}) AS matches`;
}

/** One project's document: its stems weighted by where they stand, then its words as written. */
function documentOf(r: ProjectRow): SQL {
  const text = searchTexts(r);
  const written = words(Object.values(text).join(' ')).join(' ');
  const others = prepared([text.details, text.organisations, text.sources].join(' '));
  return sql`setweight(to_tsvector('fr_unaccent', ${prepared(text.titles)}), 'A') || setweight(to_tsvector('fr_unaccent', ${prepared(text.summary)}), 'B') || setweight(to_tsvector('fr_unaccent', ${others}), 'C') || setweight(to_tsvector('fr_unaccent_words', ${written}), 'D')`;
}

/**
 * Puts one project's text in the index, replacing what was there, inside the caller's transaction (its
 * handle: on a pool, another connection would not see the uncommitted project). projects.search_rowid
 * is set to the index row, as on SQLite.
 */
export async function indexProject(db: PgDb, r: ProjectRow): Promise<void> {
  const [row] = await db
    .insert(projectsFts)
    .values({ projectId: r.id!, document: documentOf(r) })
    .onConflictDoUpdate({ target: projectsFts.projectId, set: { document: sql`excluded.document` } })
    .returning({ rowid: projectsFts.rowid });
  await db
    .update(projects)
    .set({ searchRowid: row!.rowid })
    .where(and(eq(projects.id, r.id!), or(isNull(projects.searchRowid), ne(projects.searchRowid, row!.rowid))));
}

/** The order of statuses along a project's life, for sorting by status (as on SQLite). */
const STATUS_ORDER = sql`CASE ${projects.statut} WHEN 'depose' THEN 1 WHEN 'en_instruction' THEN 2 WHEN 'avis_cesrees' THEN 3 WHEN 'autorise' THEN 4 WHEN 'en_cours' THEN 5 WHEN 'termine' THEN 6 WHEN 'refuse' THEN 7 WHEN 'abandonne' THEN 8 ELSE 9 END`;

function filters(query: RegisterQuery): SQL[] {
  const conditions: (SQL | undefined)[] = [];
  if (query.statut) conditions.push(eq(projects.statut, query.statut));
  if (query.finalite) conditions.push(eq(projects.finalite, query.finalite));
  if (query.commercial !== undefined) conditions.push(eq(projects.usageCommercial, query.commercial));
  if (query.opposition !== undefined) conditions.push(eq(projects.oppositionApplicable, query.opposition));
  if (query.source)
    conditions.push(sql`${projects.id} IN (SELECT ${projectSources.projectId} FROM ${projectSources} WHERE ${projectSources.sourceId} = ${query.source})`);
  if (query.organisation)
    conditions.push(
      sql`${projects.id} IN (SELECT ${projectOrganisations.projectId} FROM ${projectOrganisations} WHERE ${projectOrganisations.organisationId} = ${query.organisation})`,
    );
  return conditions.filter((c): c is SQL => c !== undefined);
}

function orderOf(query: RegisterQuery, ranked: boolean): SQL[] {
  // SQLite's NOCASE folds ASCII case only; lower() under the C collation compares as it does.
  if (query.sort === 'titre') return [sql`lower(${projects.titreClair}) COLLATE "C"`, asc(projects.id)];
  if (query.sort === 'statut') return [STATUS_ORDER, desc(projects.misAJour), asc(projects.id)];
  if (ranked) return [sql`matches.score`, desc(projects.misAJour), asc(projects.id)];
  return [desc(projects.misAJour), asc(projects.id)];
}

/** The register's search (../register.ts searchProjectIds): the total, and the ids of the page asked for. */
export async function searchProjectIds(db: PgDb, query: RegisterQuery): Promise<{ total: number; ids: string[] }> {
  const match = query.q ? ftsQuery(query.q) : undefined;
  const others = filters(query);
  const where = and(...(match ? [searchClause(match), ...others] : others));
  const [counted] = await db.select({ n: count() }).from(projects).where(where);
  const ranked = query.sort === 'pertinence' && match !== undefined;
  const base = db.select({ id: projects.id }).from(projects);
  // With relevance, the full-text match is joined once (its score reused for sorting) instead of filtered.
  let select = (ranked ? base.innerJoin(matches(match), sql`matches.search_rowid = ${projects.searchRowid}`) : base)
    .where(ranked ? and(...others) : where)
    .orderBy(...orderOf(query, ranked))
    .$dynamic();
  if (query.pageSize !== null) select = select.limit(query.pageSize).offset((query.page - 1) * query.pageSize);
  return { total: counted?.n ?? 0, ids: (await select).map((r) => r.id) };
}
