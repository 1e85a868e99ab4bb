/**
 * What of a project the register's full-text search reads, column by column, on either engine
 * (server/db/register-search.ts on SQLite, server/db/pg/register-search.ts on PostgreSQL): its titles,
 * its summary, its other texts, the names of its organisations and of its sources. Relevance weighs them
 * in that order, titles first.
 */
import type { ProjectRow } from './register-schema';

export type SearchTexts = { titles: string; summary: string; details: string; organisations: string; sources: string };

const list = (cell: string | undefined) => (cell ?? '').split(';').join(' ');

export function searchTexts(r: ProjectRow): SearchTexts {
  return {
    titles: [r.id, r.numero_hdh, r.titre_clair, r.titre_officiel].join(' '),
    summary: r.resume ?? '',
    details: [r.resume_technique, r.interet_public, r.benefice_attendu, r.population, r.resultats_resume, r.note_statut].join(' '),
    organisations: [r.responsable_nom, list(r.partenaires_noms), r.prestataire, list(r.financeurs)].join(' '),
    sources: list(r.sources_noms),
  };
}
