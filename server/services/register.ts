/**
 * The register as a service: validation and import of rows, the open-data formats (CSV, JSON, Atom,
 * Table Schema), and the demonstration data.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/client';
import { countProjects, upsertDataSource, upsertOrganisation, writeProject, type WriteOutcome } from '../db/register';
import { checkRowRules } from '../domain/register-rows';
import { FIELD_NAMES, PROJECT_FIELDS, type ProjectRow } from '../domain/register-schema';
import { buildTableSchema, validateTable, type CellError, type TableSchema } from '../domain/table-schema';
import type { Translator } from '../i18n';

export const LICENCE = { name: 'Licence Ouverte / Open Licence 2.0', url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' };

/** The published Table Schema, titled in the reader's language. */
export function registerTableSchema(tr: Translator, publicUrl: URL): TableSchema {
  const fields = tr.doc<{ fields: Record<string, { title: string; description: string }> }>('register-fields').fields;
  return buildTableSchema(PROJECT_FIELDS, (name) => fields[name]!, {
    $schema: 'https://specs.frictionlessdata.io/schemas/table-schema.json',
    name: 'registre-projets-donnees-sante',
    title: tr.t('register:schema.title'),
    description: tr.t('register:schema.description'),
    path: new URL('/projets.csv', publicUrl).href,
    licenses: [{ name: 'etalab-2.0', title: LICENCE.name, path: LICENCE.url }],
  });
}

/* ---------- CSV ---------- */

/** RFC 4180 CSV, UTF-8, comma, CRLF, header row; fields quoted only when they must be. */
export function rowsToCsv(rows: ProjectRow[]): string {
  return stringify([FIELD_NAMES, ...rows.map((r) => FIELD_NAMES.map((name) => r[name] ?? ''))], { record_delimiter: '\r\n' });
}

export class CsvFormatError extends Error {
  override name = 'CsvFormatError';
}

export function parseCsv(text: string): { header: string[]; records: string[][] } {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    throw new CsvFormatError((err as Error).message, { cause: err });
  }
  const [header, ...rest] = records;
  if (!header) throw new CsvFormatError('empty file');
  return { header, records: rest };
}

/* ---------- Validation and import ---------- */

export function validateRegisterTable(schema: TableSchema, header: string[], records: string[][]): { errors: CellError[]; rows: ProjectRow[] } {
  const errors = validateTable(schema, header, records);
  if (errors.some((e) => e.line === 1)) return { errors, rows: [] };
  const rows = records.map((record) => Object.fromEntries(header.map((name, i) => [name, record[i] ?? ''])) as ProjectRow);
  rows.forEach((row, i) => errors.push(...checkRowRules(row, i + 2)));
  errors.sort((a, b) => a.line - b.line);
  return { errors, rows };
}

export type ImportReport = { errors: CellError[]; created: number; updated: number; unchanged: number };

/**
 * Imports rows all or nothing: any error and nothing is written. Updates land in the public change history.
 */
export function importRegisterRows(
  db: Db,
  schema: TableSchema,
  header: string[],
  records: string[][],
  opts: { origin: string; now: Date; today: string },
): ImportReport {
  const { errors, rows } = validateRegisterTable(schema, header, records);
  const report: ImportReport = { errors, created: 0, updated: 0, unchanged: 0 };
  if (errors.length > 0) return report;
  const changedAt = opts.now.toISOString();
  db.transaction(
    (tx) => {
      for (const row of rows) {
        const outcome: WriteOutcome = writeProject(tx, row, { origin: opts.origin, changedAt, today: opts.today });
        report[outcome] += 1;
      }
    },
    { behavior: 'immediate' },
  );
  return report;
}

/** Explains one error in plain words, in the reader's language. */
export function describeError(tr: Translator, e: CellError): string {
  const fields = tr.doc<{ fields: Record<string, { title: string }> }>('register-fields').fields;
  const column = e.column ? `${e.column} (${fields[e.column]?.title ?? e.column})` : '';
  return tr.t(`register:import.errors.${e.code}`, { line: e.line, column, value: e.value ?? '', expected: e.expected ?? '' });
}

/* ---------- Demonstration data ---------- */

type DemoData = {
  organisations: { id: string; name: string; siren: string; kind: string; website: string; description: string }[];
  /** `identifianteMotif`: why the source is identifying or pseudonymised, for whoever checks the demonstration. */
  sources: {
    id: string;
    name: string;
    kind: string;
    holder: string;
    partOfSnds: boolean;
    identifiante: boolean;
    identifianteMotif: string;
    description: string;
  }[];
  projects: ProjectRow[];
};

const DEMO_FILE = fileURLToPath(new URL('../db/seed/demo-register.json', import.meta.url));

/** Seeds the pilot projects (server/db/seed/demo-register.json) into an empty register. */
export function seedDemoRegister(db: Db, schema: TableSchema, now: Date, today: string): ImportReport | undefined {
  if (countProjects(db) > 0) return undefined;
  const demo = JSON.parse(readFileSync(DEMO_FILE, 'utf8')) as DemoData;
  const stamp = now.toISOString();
  db.transaction(
    (tx) => {
      for (const o of demo.organisations) upsertOrganisation(tx, { ...o, siren: o.siren || null, website: o.website || null }, stamp);
      for (const { identifianteMotif: _reason, ...s } of demo.sources) upsertDataSource(tx, s);
    },
    { behavior: 'immediate' },
  );
  const records = demo.projects.map((p) => FIELD_NAMES.map((name) => p[name] ?? ''));
  const report = importRegisterRows(db, schema, FIELD_NAMES, records, { origin: 'demo', now, today });
  if (report.errors.length > 0) throw new Error(`Demonstration data does not validate: ${JSON.stringify(report.errors.slice(0, 5))}`);
  return report;
}
