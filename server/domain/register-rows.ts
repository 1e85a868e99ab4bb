/**
 * Rules on register rows beyond the Table Schema: word limits of plain-language summaries, list columns
 * that must pair up (ids and names), per-item limits of list cells, and what makes results overdue.
 */
import { computePeriodEnd } from './deadlines';
import { PROJECT_FIELDS, type ProjectRow } from './register-schema';
import type { CellError } from './table-schema';

export const LIST_SEPARATOR = ';';

export function splitList(cell: string | undefined): string[] {
  return cell ? cell.split(LIST_SEPARATOR) : [];
}

export function joinList(values: readonly string[]): string {
  return values.join(LIST_SEPARATOR);
}

export function wordCount(text: string): number {
  return text.split(/\s+/u).filter(Boolean).length;
}

const PAIRS: [string, string][] = [
  ['partenaires_ids', 'partenaires_noms'],
  ['sources_ids', 'sources_noms'],
];

export function checkRowRules(row: ProjectRow, line: number): CellError[] {
  const errors: CellError[] = [];
  for (const f of PROJECT_FIELDS) {
    const value = row[f.name] ?? '';
    if (!value) continue;
    if (f.maxWords && wordCount(value) > f.maxWords)
      errors.push({ line, column: f.name, code: 'max_words', value: String(wordCount(value)), expected: String(f.maxWords) });
    if (f.list) {
      for (const item of splitList(value)) {
        if (item.trim() === '' || item !== item.trim()) errors.push({ line, column: f.name, code: 'pattern', value });
        else if (f.maxLength && [...item].length > f.maxLength)
          errors.push({ line, column: f.name, code: 'max_length', value: item, expected: String(f.maxLength) });
      }
    }
  }
  for (const [ids, names] of PAIRS) {
    if (splitList(row[ids]).length !== splitList(row[names]).length) errors.push({ line, column: names, code: 'list_mismatch', expected: ids });
  }
  if (row.sources_identifiantes && splitList(row.sources_identifiantes).length !== splitList(row.sources_ids).length)
    errors.push({ line, column: 'sources_identifiantes', code: 'list_mismatch', expected: 'sources_ids' });
  if (row.responsable_id && splitList(row.partenaires_ids).includes(row.responsable_id)) {
    errors.push({ line, column: 'partenaires_ids', code: 'unique', value: row.responsable_id });
  }
  return errors;
}

/**
 * A finished project that has published no result 18 months after its end has overdue results
 * (publication of results: Code de la santé publique L1461-3 and R1461-9 I).
 */
export const RESULTS_GRACE_MONTHS = 18;

export function resultsOverdue(row: ProjectRow, today: string): boolean {
  if (row.statut !== 'termine' || !row.date_fin) return false;
  if (row.resultats_urls || row.resultats_resume) return false;
  return computePeriodEnd(row.date_fin, { months: RESULTS_GRACE_MONTHS }).due < today;
}
