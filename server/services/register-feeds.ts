/**
 * The register's open-data formats beyond the standard CSV: a CSV for spreadsheets set up in French,
 * typed JSON and an Atom 1.0 feed (RFC 4287).
 */
import { stringify } from 'csv-stringify/sync';
import { splitList } from '../domain/register-rows';
import { FIELD_NAMES, FIELDS_BY_NAME, type ProjectRow } from '../domain/register-schema';
import type { Translator } from '../i18n';
import { LICENCE } from './register';

/**
 * The same table for Excel in French, which reads a CSV with its list separator (";") and, without a byte
 * order mark, as Windows-1252: UTF-8 with a BOM, ";" between columns, CRLF. A cell holding ";" (a list)
 * or a quote or a line break is quoted, so every value stays whole and reads back as in the standard
 * CSV. One change: a cell starting with =, +, -, @ or a tab gets a leading apostrophe, so that the
 * spreadsheet shows it as text and never runs it as a formula (CSV injection, OWASP).
 */
export function rowsToSpreadsheetCsv(rows: ProjectRow[]): string {
  return stringify([FIELD_NAMES, ...rows.map((r) => FIELD_NAMES.map((name) => r[name] ?? ''))], {
    bom: true,
    delimiter: ';',
    record_delimiter: '\r\n',
    escape_formulas: true,
  });
}

/** A row as JSON: lists as arrays, booleans and integers typed, missing values null. */
export function rowToJson(row: ProjectRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of FIELD_NAMES) {
    const field = FIELDS_BY_NAME.get(name)!;
    const cell = row[name] ?? '';
    if (field.list) out[name] = splitList(cell);
    else if (cell === '') out[name] = null;
    else if (field.type === 'boolean') out[name] = cell === 'true';
    else if (field.type === 'integer') out[name] = Number(cell);
    else out[name] = cell;
  }
  return out;
}

export function registerJson(rows: ProjectRow[], publicUrl: URL, generatedAt: Date) {
  return {
    licence: LICENCE,
    schema: new URL('/projets/schema.json', publicUrl).href,
    generated_at: generatedAt.toISOString(),
    count: rows.length,
    projects: rows.map((r) => ({ url: new URL(`/projets/${r.id}`, publicUrl).href, ...rowToJson(r) })),
  };
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export function xmlEscape(text: string): string {
  // Characters XML 1.0 forbids are dropped rather than breaking the feed.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** Atom 1.0: latest changes first; each entry's id is the project's stable URL, updated its last change. */
export function registerAtom(tr: Translator, rows: ProjectRow[], publicUrl: URL, selfPath: string): string {
  const { t } = tr;
  const feedUpdated = rows.reduce((max, r) => (r.mis_a_jour! > max ? r.mis_a_jour! : max), '1970-01-01');
  const abs = (path: string) => xmlEscape(new URL(path, publicUrl).href);
  const entries = rows.map((r) => {
    const url = new URL(`/projets/${r.id}`, publicUrl).href;
    const status = t(`register-fields:values.statut.${r.statut}`);
    return [
      '  <entry>',
      `    <id>${xmlEscape(url)}</id>`,
      `    <title>${xmlEscape(r.titre_clair!)}</title>`,
      `    <updated>${r.mis_a_jour}T00:00:00Z</updated>`,
      `    <published>${r.cree_le}T00:00:00Z</published>`,
      `    <link rel="alternate" type="text/html" href="${xmlEscape(url)}"/>`,
      `    <author><name>${xmlEscape(r.responsable_nom!)}</name></author>`,
      `    <category term="${xmlEscape(r.statut!)}" label="${xmlEscape(status)}"/>`,
      `    <summary type="text">${xmlEscape(`${status}. ${r.resume}`)}</summary>`,
      '  </entry>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">`,
    `  <id>${abs('/projets.atom')}</id>`,
    `  <title>${xmlEscape(t('register:feed.title'))}</title>`,
    `  <subtitle>${xmlEscape(t('register:feed.subtitle'))}</subtitle>`,
    `  <updated>${feedUpdated}T00:00:00Z</updated>`,
    `  <author><name>${xmlEscape(t('common:site.name'))}</name></author>`,
    `  <link rel="self" type="application/atom+xml" href="${abs(selfPath)}"/>`,
    `  <link rel="alternate" type="text/html" href="${abs('/projets')}"/>`,
    `  <rights>${xmlEscape(LICENCE.name)}</rights>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
