/**
 * The zod schemas of the read-only API (/api/v1, DESIGN §13): the query parameters each path accepts,
 * which the routes validate with (server/routes/api-v1.ts), and the answers it gives, from which the
 * OpenAPI document is generated (server/api/openapi.ts). One definition serves both, so the document
 * cannot drift from what is checked and sent; tests/routes/api-v1.test.ts validates every answer
 * against the document.
 *
 * zod's own JSON Schema output (`zod/v4`, shipped by the zod 3.25 the service uses): it writes JSON
 * Schema draft 2020-12, the dialect of OpenAPI 3.1, with no extra package and no patching of zod.
 * A project's fields come from the register's schema (server/domain/register-schema.ts), so they are
 * the CSV's, with the JSON types of /projets.json (lists as arrays, booleans and integers typed).
 */
import { z } from 'zod/v4';
import { MAX_CURSOR_LENGTH } from '../domain/api-cursor';
import { MAX_QUERY_LENGTH, SORTS } from '../domain/register-query';
import { PROJECT_FIELDS, PROJECT_STATUSES, PURPOSES, type FieldDef } from '../domain/register-schema';
import { KINDS } from '../domain/rights-request';
import { LANGUAGES } from '../i18n';
import { OPEN_DATA_TABLES } from '../domain/statistics-types';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/* ---------- Parameters ---------- */

const slug = z.string().max(80).regex(SLUG);
const yesNo = z.enum(['oui', 'non']);
/** An instant with its offset (Z or ±hh:mm): a time without one would be read in an unknown zone. */
const instant = z.iso.datetime({ offset: true });
const page = {
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  cursor: z.string().max(MAX_CURSOR_LENGTH),
};
/** Read by the language middleware (server/middleware/language.ts): the language of errors and titles. */
const lang = z.enum(LANGUAGES);

/** /api/v1/projets: the register's filters (server/domain/register-query.ts), as /projets reads them. */
export const projectsQuery = z.strictObject({
  q: z.string().max(MAX_QUERY_LENGTH).optional(),
  statut: z.enum(PROJECT_STATUSES).optional(),
  source: slug.optional(),
  organisation: slug.optional(),
  finalite: z.enum(PURPOSES).optional(),
  commercial: yesNo.optional(),
  opposition: yesNo.optional(),
  tri: z.enum(SORTS).optional(),
  updated_since: instant.optional(),
  limit: page.limit,
  cursor: page.cursor.optional(),
  lang: lang.optional(),
});
export type ProjectsQuery = z.infer<typeof projectsQuery>;

export const organisationsQuery = z.strictObject({
  updated_since: instant.optional(),
  limit: page.limit,
  cursor: page.cursor.optional(),
  lang: lang.optional(),
});

export const sourcesQuery = z.strictObject({ limit: page.limit, cursor: page.cursor.optional(), lang: lang.optional() });

/** The statistics' filters, named as on /statistiques (a quarter, a kind of request). */
export const statisticsQuery = z.strictObject({
  periode: z
    .string()
    .regex(/^\d{4}-T[1-4]$/)
    .optional(),
  type: z.enum(KINDS).optional(),
  lang: lang.optional(),
});

export const itemQuery = z.strictObject({ lang: lang.optional() });
export const idParam = z.strictObject({ id: slug });
export const statisticsTableParam = z.strictObject({ table: z.enum(OPEN_DATA_TABLES) });

/* ---------- Answers ---------- */

/** One register field as its JSON value: typed, a list as an array, a missing value null. */
function fieldSchema(f: FieldDef): z.ZodType {
  let item: z.ZodType;
  if (f.enum) item = z.enum(f.enum as [string, ...string[]]);
  else if (f.type === 'boolean') item = z.boolean();
  else if (f.type === 'integer') item = z.int().min(f.minimum ?? Number.MIN_SAFE_INTEGER);
  else if (f.type === 'date') item = z.iso.date();
  else {
    let s = z.string();
    if (f.pattern) s = s.regex(new RegExp(f.pattern));
    if (f.maxLength) s = s.max(f.maxLength);
    item = f.format === 'uri' ? s.meta({ format: 'uri' }) : s;
  }
  if (f.list) return z.array(item);
  return f.required ? item : item.nullable();
}

const url = z.string().meta({ format: 'uri' });
const licence = z.strictObject({ name: z.string(), url });

export const projectSchema = z.strictObject({
  url,
  ...Object.fromEntries(PROJECT_FIELDS.map((f) => [f.name, fieldSchema(f)])),
});

export const projectDetailSchema = projectSchema.extend({
  historique: z.array(
    z.strictObject({
      champ: z.string(),
      ancienne_valeur: z.string().nullable(),
      nouvelle_valeur: z.string().nullable(),
      date: instant,
    }),
  ),
});

export const organisationSchema = z.strictObject({
  id: slug,
  nom: z.string(),
  siren: z
    .string()
    .regex(/^[0-9]{9}$/)
    .nullable(),
  type: z.string().nullable(),
  site_web: z.string().nullable(),
  description: z.string().nullable(),
  calendrier: z.string(),
  cree_le: z.iso.date(),
  mis_a_jour: z.iso.date(),
  url,
  projets: url,
});

export const sourceSchema = z.strictObject({
  id: slug,
  nom: z.string(),
  type: z.string().nullable(),
  detenteur: z.string().nullable(),
  partie_du_snds: z.boolean(),
  identifiante: z.boolean(),
  description: z.string().nullable(),
  url,
  projets: url,
});

/** A page of a list: how many match in all, the page's rows, and the address of the next page (null on the last). */
function listOf<T extends z.ZodType>(item: T) {
  return z.strictObject({
    licence,
    generated_at: instant,
    total: z.int().min(0),
    limit: z.int().min(1).max(MAX_LIMIT),
    next: url.nullable(),
    data: z.array(item),
  });
}

export const projectListSchema = listOf(projectSchema);
export const organisationListSchema = listOf(organisationSchema);
export const sourceListSchema = listOf(sourceSchema);

const period = z.strictObject({ from: z.string(), to: z.string() });
const statisticsFilters = z.strictObject({ period, kind: z.enum(KINDS).optional() });

export const statisticsIndexSchema = z.strictObject({
  licence,
  periods: z.array(z.string()),
  filters: statisticsFilters,
  tables: z.array(z.strictObject({ name: z.string(), title: z.string(), url, csv: url, schema: url })),
});

export const statisticsTableSchema = z.strictObject({
  name: z.string(),
  title: z.string(),
  licence,
  filters: statisticsFilters,
  /** The table's Frictionless Table Schema, as /statistiques/<table>.schema.json publishes it. */
  schema: z.looseObject({ fields: z.array(z.looseObject({ name: z.string(), type: z.string() })) }),
  data: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
});

/** RFC 9457 problem details, with `errors` naming each refused parameter. */
export const problemSchema = z.strictObject({
  type: url,
  title: z.string(),
  status: z.int().min(400).max(599),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z
    .array(
      z.strictObject({
        parameter: z.string(),
        in: z.enum(['query', 'path']),
        code: z.string(),
        detail: z.string(),
      }),
    )
    .optional(),
});
export type Problem = z.infer<typeof problemSchema>;

/** The answers the document names, by their component name. */
export const COMPONENTS = {
  Project: projectSchema,
  ProjectDetail: projectDetailSchema,
  ProjectList: projectListSchema,
  Organisation: organisationSchema,
  OrganisationList: organisationListSchema,
  Source: sourceSchema,
  SourceList: sourceListSchema,
  StatisticsIndex: statisticsIndexSchema,
  StatisticsTable: statisticsTableSchema,
  Problem: problemSchema,
} as const;
