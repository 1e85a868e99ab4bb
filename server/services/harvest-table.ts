/**
 * A harvested file as a table, checked as an import checks it: the CSV or JSON of a remote register read
 * into the register's columns, every row validated with the import's own rules (services/register.ts
 * validateRegisterTable: the Table Schema, then the row rules), then the harvest's own rule: a source
 * publishes only its own organisation's projects.
 */
import type { Db } from '../db/client';
import { projectOwners } from '../db/harvest';
import { dataSourceById, organisationById } from '../db/register';
import { joinList, splitList } from '../domain/register-rows';
import { FIELD_NAMES, type ProjectRow } from '../domain/register-schema';
import type { CellError, TableSchema } from '../domain/table-schema';
import { CsvFormatError, parseCsv, validateRegisterTable } from './register';

/**
 * One error of a harvested file. `line` is as the import gives it for a CSV (the header is line 1, the
 * first project line 2); for a JSON file it is the project's position in its list (the first is 1).
 */
export type HarvestError = Omit<CellError, 'code'> & { code: CellError['code'] | 'unreadable' | 'connection' | 'other_organisation' | 'other_owner' };

export type HarvestFormat = 'csv' | 'json';

export type HarvestTable = { ok: true; rows: ProjectRow[] } | { ok: false; errors: HarvestError[]; failure: 'format' | 'invalid_rows' };

/** A JSON value as a CSV cell: lists joined with ";", booleans and numbers as text, null as missing. */
function jsonCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return joinList(value.map((v) => jsonCell(v)));
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/**
 * The register's JSON (/projets.json: `{"projects": [...]}`) or a bare list of projects, each an object
 * keyed by the CSV's column names; other keys (the export's `url`) are left out.
 */
function jsonTable(body: string): { header: string[]; records: string[][] } {
  let data: unknown;
  try {
    data = JSON.parse(body.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new CsvFormatError((err as Error).message);
  }
  const list = Array.isArray(data) ? data : (data as { projects?: unknown } | null)?.projects;
  if (!Array.isArray(list)) throw new CsvFormatError('no list of projects');
  const records = list.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new CsvFormatError(`project ${i + 1} is not an object`);
    return FIELD_NAMES.map((name) => jsonCell((item as Record<string, unknown>)[name]));
  });
  return { header: [...FIELD_NAMES], records };
}

/** Reads, validates and checks ownership; the rows come back only when every one of them holds. */
export function harvestTable(db: Db, schema: TableSchema, format: HarvestFormat, body: string, organisationId: string): HarvestTable {
  let table: { header: string[]; records: string[][] };
  try {
    table = format === 'json' ? jsonTable(body) : parseCsv(body);
  } catch (err) {
    if (!(err instanceof CsvFormatError)) throw err;
    return { ok: false, failure: 'format', errors: [{ line: 0, column: '', code: 'unreadable', value: err.message.slice(0, 300) }] };
  }
  const { errors, rows } = validateRegisterTable(schema, table.header, table.records);
  const all: HarvestError[] = [...errors, ...ownershipErrors(db, rows, organisationId)].sort((a, b) => a.line - b.line);
  // A JSON file has no header line: its projects are numbered from 1.
  if (format === 'json') for (const e of all) e.line -= 1;
  return all.length > 0 ? { ok: false, failure: 'invalid_rows', errors: all } : { ok: true, rows };
}

/**
 * A source belongs to one organisation: each of its rows must name that organisation as data controller,
 * and a project of the register whose controller is another organisation is never overwritten.
 */
function ownershipErrors(db: Db, rows: ProjectRow[], organisationId: string): HarvestError[] {
  const owners = projectOwners(db, rows.map((r) => r.id ?? '').filter(Boolean));
  const errors: HarvestError[] = [];
  rows.forEach((row, i) => {
    const line = i + 2;
    if (row.responsable_id && row.responsable_id !== organisationId)
      errors.push({ line, column: 'responsable_id', code: 'other_organisation', value: row.responsable_id, expected: organisationId });
    const owner = row.id ? owners.get(row.id) : undefined;
    if (owner && owner !== organisationId) errors.push({ line, column: 'id', code: 'other_owner', value: row.id!, expected: owner });
  });
  return errors;
}

/**
 * The row as the harvest writes it: organisations and data sources the register already knows keep their
 * registered names (and a source whether it is identifying, which decides where requests go), so one
 * organisation's file cannot rename another organisation or re-route a shared source. New ones are created
 * as the row names them.
 */
export function withRegisteredEntities(db: Db, row: ProjectRow): ProjectRow {
  const out = { ...row };
  const controller = organisationById(db, row.responsable_id!);
  if (controller) {
    out.responsable_nom = controller.name;
    out.responsable_siren = controller.siren ?? '';
  }
  const partnerIds = splitList(row.partenaires_ids);
  const partnerNames = splitList(row.partenaires_noms);
  out.partenaires_noms = joinList(partnerIds.map((id, i) => organisationById(db, id)?.name ?? partnerNames[i] ?? id));
  const sourceIds = splitList(row.sources_ids);
  const sourceNames = splitList(row.sources_noms);
  const identifying = splitList(row.sources_identifiantes);
  const known = sourceIds.map((id) => dataSourceById(db, id));
  out.sources_noms = joinList(sourceIds.map((_, i) => known[i]?.name ?? sourceNames[i]!));
  if (row.sources_identifiantes) out.sources_identifiantes = joinList(sourceIds.map((_, i) => (known[i] ? String(known[i]!.identifiante) : identifying[i]!)));
  return out;
}
