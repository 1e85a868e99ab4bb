/**
 * The public figures (§12) as the read-only API serves them (server/routes/api-v1.ts): the list of
 * open-data tables for a period, and one table with its Table Schema. The rows are those of
 * /statistiques/<table>.json (services/statistics-open-data.ts openDataTables), so a count suppressed
 * on the page is suppressed here too; the filters are the page's (parseFilters), refused the same way.
 */
import { OPEN_DATA_TABLES, type FilterError, type Filters } from '../domain/statistics-types';
import { todayIn } from '../domain/deadlines';
import type { Translator } from '../i18n';
import { LICENCE } from './register';
import { openDataTables, parseFilters, publishedPeriods } from './statistics';
import type { StatisticsDeps } from './statistics-view';

export type StatisticsApiDeps = StatisticsDeps & { publicUrl: URL };
export type StatisticsInput = { periode?: string; type?: string };
type Result<T> = { ok: true; body: T } | { ok: false; errors: FilterError[] };

/** The filters' own query string, for the links an answer gives. */
function searchOf(input: StatisticsInput): string {
  const params = new URLSearchParams();
  if (input.periode) params.set('periode', input.periode);
  if (input.type) params.set('type', input.type);
  const s = params.toString();
  return s ? `?${s}` : '';
}

function filtersOf(deps: StatisticsApiDeps, input: StatisticsInput): { ok: true; filters: Filters } | { ok: false; errors: FilterError[] } {
  return parseFilters({ periode: input.periode, type: input.type }, todayIn(deps.now()));
}

/** The quarters published, the filters read, and each table with its addresses (API, CSV, Table Schema). */
export function apiStatisticsIndex(deps: StatisticsApiDeps, tr: Translator, input: StatisticsInput) {
  const parsed = filtersOf(deps, input);
  if (!parsed.ok) return parsed;
  const search = searchOf(input);
  const at = (path: string) => new URL(path + search, deps.publicUrl).href;
  const body = {
    licence: LICENCE,
    periods: publishedPeriods(deps),
    filters: parsed.filters,
    tables: OPEN_DATA_TABLES.map((name) => ({
      name,
      title: tr.t(`statistics:openData.tables.${name}`),
      url: at(`/api/v1/statistiques/${name}`),
      csv: at(`/statistiques/${name}.csv`),
      schema: at(`/statistiques/${name}.schema.json`),
    })),
  };
  return { ok: true as const, body };
}

/** One table: its rows and Table Schema for the filters, or undefined when no table has this name. */
export function apiStatisticsTable(deps: StatisticsApiDeps, tr: Translator, name: string, input: StatisticsInput) {
  const parsed = filtersOf(deps, input);
  if (!parsed.ok) return parsed;
  const table = openDataTables(deps, parsed.filters, tr).find((t) => t.name === name);
  if (!table) return undefined;
  return {
    ok: true as const,
    body: { name: table.name, title: table.title, licence: LICENCE, filters: parsed.filters, schema: table.schema, data: table.rows },
  } satisfies Result<unknown>;
}
