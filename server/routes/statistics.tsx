/**
 * The public figures (issue 13): /statistiques with its filters (a GET form) and its table
 * of organisations sorted by links, /statistiques/methode, each answering organisation's detail page,
 * and every table as open data (CSV, JSON and its Table Schema, under Licence Ouverte 2.0) following
 * the same filters. Bad filters get the page again with an error summary (400), never an exception.
 */
import { stringify } from 'csv-stringify/sync';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from '../context';
import { todayIn } from '../domain/deadlines';
import { CONFIRMATION_DAYS, KINDS } from '../domain/rights-request';
import { FREEZE_AFTER_DAYS, RATE_MIN_ANSWERED, SUPPRESS_BELOW } from '../domain/statistics';
import { OPEN_DATA_TABLES, type FilterError, type Filters, type OpenDataTable } from '../domain/statistics-types';
import type { TableSchema } from '../domain/table-schema';
import type { Translator } from '../i18n';
import { LICENCE } from '../services/register';
import { figuresContext, frozenPageVersion, openDataTables, organisationFigures, parseFilters, publicFigures, publishedPeriods } from '../services/statistics';
import { quarterOf } from '../domain/statistics-periods';
import { MethodsPage } from '../../views/pages/statistics/MethodsPage';
import { OrganisationStatisticsPage } from '../../views/pages/statistics/OrganisationStatisticsPage';
import { parseOrganisationSort } from '../../views/pages/statistics/organisation-sort';
import { FILTER_PARAMS, StatisticsPage, type FilterField, type FilterValues } from '../../views/pages/statistics/StatisticsPage';
import { createPageCache, type PageCache } from './page-cache';
import { pageContext } from './render';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Longest typed value read: a valid one is 7 characters. */
const MAX_ECHO = 20;
/** Where each filter error sends the reader: the field it concerns. */
const ERROR_TARGET: Record<FilterError['field'], string> = { period: 'f-periode', kind: 'f-type' };

type Read = { values: FilterValues; parsed: ReturnType<typeof parseFilters> };

/** The filters as typed and as parsed (the older `du` / `au` too). A parameter given twice counts as its first value. */
function readFilters(c: Context<AppEnv>, today: string): Read {
  const q = (name: string) => (c.req.query(name) ?? '').trim().slice(0, MAX_ECHO);
  const values: FilterValues = { period: q(FILTER_PARAMS.period), kind: q(FILTER_PARAMS.kind) };
  const parsed = parseFilters({ periode: values.period, du: q('du'), au: q('au'), type: values.kind }, today);
  return { values, parsed };
}

/** The values the form shows once the filters are read: the quarter actually used, so links keep it. */
const valuesOf = (f: Filters): FilterValues => ({ period: quarterOf(f.period.from), kind: f.kind ?? '' });

function errorMessage(tr: Translator, e: FilterError): string {
  return tr.t(`statistics:${e.message}`);
}

/** Open data may be read from any origin (read-only, no credentials), as the register's. */
function openDataHeaders(c: Context<AppEnv>) {
  c.header('Access-Control-Allow-Origin', '*');
  c.header('Cross-Origin-Resource-Policy', 'cross-origin');
  c.header('Cache-Control', 'public, max-age=300');
}

/** RFC 4180 CSV, UTF-8, comma, CRLF, header row in the schema's order; a missing value is empty. */
export function tableToCsv(table: OpenDataTable): string {
  const names = table.schema.fields.map((f) => f.name);
  return stringify([names, ...table.rows.map((r) => names.map((n) => (r[n] === null || r[n] === undefined ? '' : String(r[n]))))], {
    record_delimiter: '\r\n',
  });
}

/** The published schema: the table's own, with its name, title, the CSV's address and the licence. */
function publishedSchema(table: OpenDataTable, publicUrl: URL): TableSchema {
  return {
    $schema: 'https://specs.frictionlessdata.io/schemas/table-schema.json',
    name: `statistiques-${table.name}`,
    title: table.title,
    path: new URL(`/statistiques/${table.name}.csv`, publicUrl).href,
    licenses: [{ name: 'etalab-2.0', title: LICENCE.name, path: LICENCE.url }],
    ...table.schema,
  };
}

/** Each app's cache of rendered statistics pages, by its database (tests count its renders). */
const pageCaches = new WeakMap<object, PageCache>();
export const statisticsPageCache = (database: object): PageCache | undefined => pageCaches.get(database);

export function statisticsRoutes(deps: Pick<AppDeps, 'database' | 'now' | 'config'>) {
  const service = { db: deps.database.db, now: deps.now };
  const app = new Hono<AppEnv>();
  // A published quarter is frozen: its pages are rendered once per version of what they show (its
  // frozen months, statuses, the register, the day; services/statistics-page-version.ts) and language.
  const pages = createPageCache();
  pageCaches.set(deps.database, pages);

  app.get('/statistiques', (c) => {
    const tr = c.get('tr');
    const { values, parsed } = readFilters(c, todayIn(deps.now()));
    const sort = parseOrganisationSort(c.req.query('tri'), c.req.query('ordre'));
    // Read only to render (a cached page does not need them).
    const common = () => ({ sort, kinds: KINDS, periods: publishedPeriods(service) });
    if (!parsed.ok) {
      const errors = parsed.errors.map((e) => ({ field: e.field, href: `#${ERROR_TARGET[e.field]}`, message: errorMessage(tr, e) }));
      return c.html(<StatisticsPage ctx={pageContext(c)} view={{ ...common(), figures: null, values, errors, tables: [] }} />, 400);
    }
    const render = () => {
      const figures = publicFigures(service, parsed.filters);
      const tables = OPEN_DATA_TABLES.map((name) => ({ name, title: tr.t(`statistics:openData.tables.${name}`) }));
      return <StatisticsPage ctx={pageContext(c)} view={{ ...common(), figures, values: valuesOf(parsed.filters), errors: [], tables }} />;
    };
    const version = frozenPageVersion(service, parsed.filters);
    return version ? pages(c, render, { version: version.shared, extraKey: version.own }) : c.html(render());
  });

  app.get('/statistiques/methode', (c) =>
    c.html(
      <MethodsPage
        ctx={pageContext(c)}
        numbers={{
          confirmDays: CONFIRMATION_DAYS,
          suppressBelow: SUPPRESS_BELOW,
          suppressMax: SUPPRESS_BELOW - 1,
          rateMin: RATE_MIN_ANSWERED,
          freezeDays: FREEZE_AFTER_DAYS,
        }}
      />,
    ),
  );

  app.get('/statistiques/organisations/:id', (c) => organisationPage(c, deps, service, pages));
  /** `/statistiques/<table>.csv`, `.json` and `.schema.json`: one table of openDataTables. */
  app.get('/statistiques/:file{[a-z0-9.-]+}', (c) => openDataFile(c, deps, service));
  return app;
}

type Deps = Pick<AppDeps, 'database' | 'now' | 'config'>;
type Service = { db: AppDeps['database']['db']; now: () => Date };

/** One organisation's figures, computed once; a bad filter in a link to it falls back to the default period. */
function organisationPage(c: Context<AppEnv>, deps: Deps, service: Service, pages: PageCache) {
  const id = c.req.param('id') ?? '';
  if (!SLUG.test(id) || id.length > 80) throw new HTTPException(404);
  const { parsed } = readFilters(c, todayIn(deps.now()));
  // A bad filter in a link to this page falls back to the default period rather than failing.
  const filters = parsed.ok ? parsed.filters : (parseFilters({}, todayIn(deps.now())) as { ok: true; filters: Filters }).filters;
  const render = () => {
    const organisation = organisationFigures(service, id, filters);
    if (!organisation) throw new HTTPException(404);
    return (
      <OrganisationStatisticsPage ctx={pageContext(c)} view={{ organisation, context: { ...figuresContext(service), filters }, values: valuesOf(filters) }} />
    );
  };
  const version = frozenPageVersion(service, filters);
  return version ? pages(c, render, { version: version.shared, extraKey: version.own }) : c.html(render());
}

/** One open-data file: the table as CSV or JSON, or its Table Schema; a bad filter is a 400 in the format asked. */
function openDataFile(c: Context<AppEnv>, deps: Deps, service: Service) {
  const file = c.req.param('file') ?? '';
  const match = /^([a-z0-9-]+?)(\.schema)?\.(csv|json)$/.exec(file);
  if (!match || (match[2] && match[3] !== 'json')) throw new HTTPException(404);
  const [, name, schema, ext] = match as unknown as [string, string, string | undefined, 'csv' | 'json'];
  const tr = c.get('tr');
  const { parsed } = readFilters(c, todayIn(deps.now()));
  openDataHeaders(c);
  if (!parsed.ok) {
    const first = parsed.errors[0]!;
    const message = errorMessage(tr, first);
    return ext === 'json' ? c.json({ error: message, field: FILTER_PARAMS[first.field] }, 400) : c.text(message, 400);
  }
  const table = openDataTables(service, parsed.filters, tr).find((t) => t.name === name);
  if (!table) throw new HTTPException(404);
  if (schema) return c.json(publishedSchema(table, deps.config.publicUrl));
  if (ext === 'json') {
    return c.json({
      name: table.name,
      title: table.title,
      licence: LICENCE,
      schema: new URL(`/statistiques/${table.name}.schema.json`, deps.config.publicUrl).href,
      filters: parsed.filters,
      data: table.rows,
    });
  }
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="statistiques-${table.name}.csv"`);
  c.header('Link', `</statistiques/${table.name}.schema.json>; rel="describedby"; type="application/json"`);
  return c.body(tableToCsv(table));
}
