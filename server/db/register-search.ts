/**
 * Full-text search of the register with SQLite FTS5 (the one SQLite-only piece of the register, kept here:
 * DESIGN §11). The index holds, per project, its titles, summary, other texts, organisation and source
 * names; accents and case are folded by the tokenizer (migrations/0002_register_search.sql).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './client';
import { projects } from './schema';
import { projectRows } from './register';

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
  return sql`${projects.id} IN (SELECT project_id FROM projects_fts WHERE projects_fts MATCH ${match})`;
}

export function reindexProjects(db: Db, ids: string[]): void {
  if (ids.length === 0) return;
  const rows = projectRows(db, ids);
  db.run(sql`DELETE FROM projects_fts WHERE project_id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`);
  for (const r of rows) {
    db.run(
      sql`INSERT INTO projects_fts (project_id, titles, summary, details, organisations, sources) VALUES (${r.id}, ${[r.id, r.numero_hdh, r.titre_clair, r.titre_officiel].join(' ')}, ${r.resume}, ${[r.resume_technique, r.interet_public, r.benefice_attendu, r.population, r.resultats_resume, r.note_statut].join(' ')}, ${[r.responsable_nom, r.partenaires_noms, r.prestataire, r.financeurs].join(' ')}, ${r.sources_noms})`,
    );
  }
}

