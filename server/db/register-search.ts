/**
 * Full-text search of the register with SQLite FTS5 (the one SQLite-only piece of the register, kept here:
 * nowhere else). The index holds, per project, the French stems (server/domain/search-stems.ts) of its
 * titles, summary, other texts, organisation and source names, one column each, so that singular, plural
 * and other inflections match and relevance weighs each column; and, in `words`, the same texts as
 * written, so that a word being typed still matches as a prefix of the full word ("hospitalisati").
 * Accents and case are folded by the stemming and by the tokenizer (migrations/0010_register_search_stems.sql).
 * Rebuilding the whole index at start is in server/db/register-reindex.ts (it reads projects through
 * server/db/register.ts, which imports this module).
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client';
import { projects } from './schema';
import { stemText, stemWord, words } from '../domain/search-stems';
import type { ProjectRow } from '../domain/register-schema';
import { searchTexts } from '../domain/register-search-texts';

const MAX_TERMS = 12;
const STEMMED_COLUMNS = '{titles summary details organisations sources}';

/**
 * Turns what a person typed into a safe FTS5 query: words only (letters and digits), all required, each
 * matching either its stem exactly ("médicaments" finds "médicament", not "médical"), or itself as the
 * prefix of a word as written ("neurolog" finds "neurologues"). Operators, quotes and punctuation typed
 * by the person are never interpreted.
 */
export function ftsQuery(input: string): string | undefined {
  const terms = words(input)
    .slice(0, MAX_TERMS)
    .map((t) => t.slice(0, 40))
    .map((t) => `(${STEMMED_COLUMNS} : "${stemWord(t)}" OR words : "${t}"*)`);
  return terms.length > 0 ? terms.join(' AND ') : undefined;
}

export function searchClause(match: string): SQL {
  return sql`${projects.searchRowid} IN (SELECT rowid FROM projects_fts WHERE projects_fts MATCH ${match})`;
}

/**
 * The matching index rows with their relevance (bm25: lower is better; titles weigh most, the words as
 * written least), computed once per query as a derived table to join on projects.search_rowid.
 */
export function matches(match: string) {
  return sql`(SELECT rowid AS search_rowid, bm25(projects_fts, 0, 10.0, 4.0, 1.0, 3.0, 2.0, 0.1) AS score FROM projects_fts WHERE projects_fts MATCH ${match}) AS matches`;
}

/**
 * Puts one project's text in the index, replacing what was there, inside the caller's transaction.
 * The index row is found through projects.search_rowid (an indexed key), never by scanning the index.
 */
export function indexProject(db: Db, r: ProjectRow): void {
  const current = db.select({ rowid: projects.searchRowid }).from(projects).where(eq(projects.id, r.id!)).get();
  if (current?.rowid != null) db.run(sql`DELETE FROM projects_fts WHERE rowid = ${current.rowid}`);
  const text = searchTexts(r);
  const written = Object.values(text).join(' ');
  const result = db.run(
    sql`INSERT INTO projects_fts (rowid, project_id, titles, summary, details, organisations, sources, words) VALUES (${current?.rowid ?? null}, ${r.id}, ${stemText(text.titles)}, ${stemText(text.summary)}, ${stemText(text.details)}, ${stemText(text.organisations)}, ${stemText(text.sources)}, ${written})`,
  );
  if (current?.rowid == null)
    db.update(projects)
      .set({ searchRowid: Number(result.lastInsertRowid) })
      .where(eq(projects.id, r.id!))
      .run();
}
