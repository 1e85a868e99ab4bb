/**
 * Register fixtures: complete, valid rows with overrides, written through the real import path.
 */
import { FIELD_NAMES, type ProjectRow } from '../../server/domain/register-schema';
import { translatorFor } from '../../server/i18n';
import { importRegisterRows, registerTableSchema } from '../../server/services/register';
import type { TestApp } from './app';

export function projectRow(overrides: Partial<ProjectRow> & { id: string }): ProjectRow {
  const base: ProjectRow = Object.fromEntries(FIELD_NAMES.map((n) => [n, '']));
  return {
    ...base,
    numero_hdh: `HDH-TEST-${overrides.id}`,
    titre_officiel: `Titre officiel de ${overrides.id}`,
    titre_clair: `Projet ${overrides.id}`,
    statut: 'en_instruction',
    finalite: 'recherche',
    resume: 'Un projet de test qui étudie les parcours de soins.',
    usage_commercial: 'false',
    entrainement_ia: 'false',
    responsable_id: 'organisme-test',
    responsable_nom: 'Organisme de test',
    sources_ids: 'snds',
    sources_noms: 'Base principale du SNDS',
    opposition_applicable: 'true',
    cree_le: '2024-01-10',
    mis_a_jour: '2024-01-10',
    ...overrides,
  };
}

export function importRows(t: TestApp, rows: ProjectRow[], now = new Date('2026-11-22T10:00:00Z')) {
  const schema = registerTableSchema(translatorFor(t.deps.i18n, 'fr'), t.deps.config.publicUrl);
  const report = importRegisterRows(
    t.deps.database.db,
    schema,
    FIELD_NAMES,
    rows.map((r) => FIELD_NAMES.map((n) => r[n] ?? '')),
    { origin: 'test', now, today: now.toISOString().slice(0, 10) },
  );
  if (report.errors.length > 0) throw new Error(`fixture rows invalid: ${JSON.stringify(report.errors.slice(0, 3))}`);
  return report;
}
