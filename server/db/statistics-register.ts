/**
 * The register's figures: projects by status, data source, purpose, commercial use and AI
 * training; per data controller, finished projects, those with published results and those whose
 * results are overdue (domain/register-rows.ts resultsOverdue: 18 months after the end). The register
 * is public, project by project: its counts are not suppressed. Grouped in SQL on indexed columns.
 */
import { sql } from 'drizzle-orm';
import type { Db } from './client';

export type RegisterCounts = {
  byStatus: { key: string; value: number }[];
  bySource: { key: string; value: number }[];
  byPurpose: { key: string; value: number }[];
  commercial: { key: string; value: number }[];
  aiTraining: { key: string; value: number }[];
  controllers: { id: string; name: string; finished: number; resultsPublished: number }[];
  /** Finished projects with no result yet, by controller and end date (the caller applies the 18 months). */
  unpublished: { id: string; dateFin: string; value: number }[];
};

export function registerCounts(db: Db): RegisterCounts {
  const group = (column: string) =>
    db.all<{ key: string; value: number }>(sql.raw(`select ${column} as key, count(*) as value from projects group by ${column} order by ${column}`));
  const bool = (column: string) => group(column).map((r) => ({ key: Number(r.key) ? 'true' : 'false', value: r.value }));
  return {
    byStatus: group('statut'),
    byPurpose: group('finalite'),
    commercial: bool('usage_commercial'),
    aiTraining: bool('entrainement_ia'),
    bySource: db.all<{ key: string; value: number }>(
      sql`select source_id as key, count(*) as value from project_sources group by source_id order by source_id`,
    ),
    controllers: db.all<{ id: string; name: string; finished: number; resultsPublished: number }>(sql`
      select o.id as id, o.name as name, c.finished as finished, c.published as resultsPublished from (
        select responsable_id, count(*) as finished,
          sum(case when coalesce(resultats_urls, '') <> '' or coalesce(resultats_resume, '') <> '' then 1 else 0 end) as published
        from projects where statut = 'termine' group by responsable_id
      ) c join organisations o on o.id = c.responsable_id order by o.name`),
    unpublished: db.all<{ id: string; dateFin: string; value: number }>(sql`
      select responsable_id as id, date_fin as dateFin, count(*) as value from projects
      where statut = 'termine' and date_fin is not null and coalesce(resultats_urls, '') = '' and coalesce(resultats_resume, '') = ''
      group by responsable_id, date_fin`),
  };
}

/** The names of organisations, by id. */
export function organisationNames(db: Db): Map<string, string> {
  return new Map(db.all<{ id: string; name: string }>(sql`select id, name from organisations`).map((r) => [r.id, r.name]));
}
