/**
 * Full-text search of the register with SQLite FTS5 (the one SQLite-only piece of the register, kept here:
 * DESIGN §11). The index holds, per project, its titles, summary, other texts, organisation and source
 * names; accents and case are folded by the tokenizer (migrations/0002_register_search.sql).
 */
import { eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client';
import { projects } from './schema';
import { projectRows } from './register';
import type { ProjectRow } from '../domain/register-schema';

const MAX_TERMS = 12;

/**
 * Turns what a person typed into a safe FTS5 query: words only (letters and digits), each quoted, each a
 * prefix, all required. Operators, quotes and punctuation typed by the person are never interpreted.
 */
export function ftsQuery(input: string): string | undefined {
  const terms = input
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, MAX_TERMS)
    .map((t) => `"${t.slice(0, 40)}"*`);
  return terms.length > 0 ? terms.join(' ') : undefined;
}

export function searchClause(match: string): SQL {
  return sql`${projects.searchRowid} IN (SELECT rowid FROM projects_fts WHERE projects_fts MATCH ${match})`;
}

/**
 * The matching index rows with their relevance (bm25: lower is better; titles weigh most), computed once
 * per query as a derived table to join on projects.search_rowid.
 */
export function matches(match: string) {
  return sql`(SELECT rowid AS search_rowid, bm25(projects_fts, 0, 10.0, 4.0, 1.0, 3.0, 2.0) AS score FROM projects_fts WHERE projects_fts MATCH ${match}) AS matches`;
}

/**
 * Puts one project's text in the index, replacing what was there, inside the caller's transaction.
 * The index row is found through projects.search_rowid (an indexed key), never by scanning the index.
 */
export function indexProject(db: Db, r: ProjectRow): void {
  const current = db.select({ rowid: projects.searchRowid }).from(projects).where(eq(projects.id, r.id!)).get();
  if (current?.rowid != null) db.run(sql`DELETE FROM projects_fts WHERE rowid = ${current.rowid}`);
  const text = {
    titles: [r.id, r.numero_hdh, r.titre_clair, r.titre_officiel].join(' '),
    details: [r.resume_technique, r.interet_public, r.benefice_attendu, r.population, r.resultats_resume, r.note_statut].join(' '),
    organisations: [r.responsable_nom, (r.partenaires_noms ?? '').split(';').join(' '), r.prestataire, (r.financeurs ?? '').split(';').join(' ')].join(' '),
    sources: (r.sources_noms ?? '').split(';').join(' '),
  };
  const result = db.run(
    sql`INSERT INTO projects_fts (rowid, project_id, titles, summary, details, organisations, sources) VALUES (${current?.rowid ?? null}, ${r.id}, ${text.titles}, ${r.resume}, ${text.details}, ${text.organisations}, ${text.sources})`,
  );
  if (current?.rowid == null) db.update(projects).set({ searchRowid: Number(result.lastInsertRowid) }).where(eq(projects.id, r.id!)).run();
}

/** Indexes projects that have no index row (after a migration, for instance) and drops orphan index rows. */
export function indexMissingProjects(db: Db): number {
  db.run(sql`DELETE FROM projects_fts WHERE rowid NOT IN (SELECT search_rowid FROM projects WHERE search_rowid IS NOT NULL)`);
  const ids = db.select({ id: projects.id }).from(projects).where(isNull(projects.searchRowid)).all().map((r) => r.id);
  for (const row of projectRows(db, ids)) indexProject(db, row);
  return ids.length;
}
