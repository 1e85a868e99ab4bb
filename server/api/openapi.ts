/**
 * The OpenAPI 3.1 document of the read-only API, served at /api/v1/openapi.json. It is generated, never
 * written by hand: each operation's parameters from the zod schema its route validates with, each
 * answer from the zod schema of server/api/v1-schemas.ts (zod's JSON Schema output, draft 2020-12, the
 * dialect of OpenAPI 3.1). Only the words come from elsewhere: summaries, descriptions and the
 * register fields' titles, from locales/<lng>/api.json and register-fields.json, in the reader's language.
 * Pure: no I/O.
 */
import { z } from 'zod/v4';
import type { Translator } from '../i18n';
import { COMPONENTS, idParam, itemQuery, organisationsQuery, projectsQuery, sourcesQuery, statisticsQuery, statisticsTableParam } from './v1-schemas';

type Json = Record<string, unknown>;
type Component = keyof typeof COMPONENTS;

/** One documented operation: its path (OpenAPI template), the schemas it reads and what it answers. */
export type ApiOperation = {
  id: string;
  path: string;
  query: z.ZodObject;
  params?: z.ZodObject;
  /** The component of the 200 answer; `null` for the document itself. */
  response: Component | null;
  /** A list: the answer has a `next` link and a Link header. */
  paged?: boolean;
};

export const OPERATIONS: readonly ApiOperation[] = [
  { id: 'listProjects', path: '/api/v1/projets', query: projectsQuery, response: 'ProjectList', paged: true },
  { id: 'getProject', path: '/api/v1/projets/{id}', query: itemQuery, params: idParam, response: 'ProjectDetail' },
  { id: 'listOrganisations', path: '/api/v1/organisations', query: organisationsQuery, response: 'OrganisationList', paged: true },
  { id: 'getOrganisation', path: '/api/v1/organisations/{id}', query: itemQuery, params: idParam, response: 'Organisation' },
  { id: 'listSources', path: '/api/v1/sources', query: sourcesQuery, response: 'SourceList', paged: true },
  { id: 'getSource', path: '/api/v1/sources/{id}', query: itemQuery, params: idParam, response: 'Source' },
  { id: 'getStatistics', path: '/api/v1/statistiques', query: statisticsQuery, response: 'StatisticsIndex' },
  { id: 'getStatisticsTable', path: '/api/v1/statistiques/{table}', query: statisticsQuery, params: statisticsTableParam, response: 'StatisticsTable' },
  { id: 'getOpenApi', path: '/api/v1/openapi.json', query: itemQuery, response: null },
];

/** A schema as JSON Schema for the document: no `$schema` (the document's dialect applies), no `$id`. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as Json;
  return rest;
}

/** Each answer's schema, named, the ones used inside another as $ref. */
function componentSchemas(tr: Translator): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}` });
  const fields = tr.doc<{ fields: Record<string, { title: string; description: string }> }>('register-fields').fields;
  const words = tr.doc<{ schemas: Record<string, { description: string; properties?: Record<string, string> }> }>('api').schemas;
  return Object.fromEntries(
    Object.entries(schemas).map(([id, s]) => {
      const { $schema: _dialect, $id: _id, ...schema } = s as Json;
      const properties = (schema.properties ?? {}) as Record<string, Json>;
      for (const [name, property] of Object.entries(properties)) {
        const field = id.startsWith('Project') && !id.endsWith('List') ? fields[name] : undefined;
        const description = field ? `${field.title}. ${field.description}` : words[id]?.properties?.[name];
        if (description) property.description = description;
      }
      return [id, { ...schema, description: words[id]!.description }];
    }),
  );
}

/** The parameters of an operation, in the order of its schemas, path first. */
function parameters(op: ApiOperation, tr: Translator): Json[] {
  const of = (schema: z.ZodObject | undefined, where: 'path' | 'query') =>
    Object.entries(schema?.shape ?? {}).map(([name, property]) => ({
      name,
      in: where,
      required: where === 'path' || !(property as z.ZodType).safeParse(undefined).success,
      description: tr.t(`api:params.${where === 'path' ? `${op.id}.${name}` : name}`),
      schema: jsonSchema(property as z.ZodType, 'input'),
    }));
  return [...of(op.params, 'path'), ...of(op.query, 'query')];
}

const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
const problem = (description: string, headers: Json = {}) => ({
  description,
  headers: { ...headers, RateLimit: header('RateLimit'), 'RateLimit-Policy': header('RateLimit-Policy') },
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** What an operation answers: 200 with its schema, 304, and the problems it can give. */
function responses(op: ApiOperation, tr: Translator): Json {
  const { t } = tr;
  const rate = { RateLimit: header('RateLimit'), 'RateLimit-Policy': header('RateLimit-Policy') };
  const schema = op.response ? { $ref: `#/components/schemas/${op.response}` } : { type: 'object', description: t('api:openapi.self') };
  return {
    '200': {
      description: t('api:responses.ok'),
      headers: { ETag: header('ETag'), ...(op.paged ? { Link: header('Link') } : {}), ...rate },
      content: { 'application/json': { schema } },
    },
    '304': { description: t('api:responses.notModified'), headers: { ETag: header('ETag'), ...rate } },
    '400': problem(t('api:responses.badRequest')),
    ...(op.params ? { '404': problem(t('api:responses.notFound')) } : {}),
    '429': problem(t('api:responses.tooMany'), { 'Retry-After': header('Retry-After') }),
  };
}

function headers(tr: Translator): Json {
  const text = (name: string, format?: string) => ({
    description: tr.t(`api:headers.${name}`),
    schema: format ? { type: 'integer', minimum: 0 } : { type: 'string' },
  });
  return {
    ETag: text('ETag'),
    Link: text('Link'),
    RateLimit: text('RateLimit'),
    'RateLimit-Policy': text('RateLimit-Policy'),
    'Retry-After': text('Retry-After', 'integer'),
  };
}

/** The whole document, its words in the translator's language, its server the service's public URL. */
export function openApiDocument(tr: Translator, publicUrl: URL): Json {
  const { t } = tr;
  const paths: Record<string, Json> = {};
  for (const op of OPERATIONS) {
    paths[op.path] = {
      get: {
        operationId: op.id,
        summary: t(`api:operations.${op.id}.summary`),
        description: t(`api:operations.${op.id}.description`),
        tags: [t(`api:operations.${op.id}.tag`)],
        parameters: parameters(op, tr),
        responses: responses(op, tr),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: t('api:openapi.title'),
      version: '1.0.0',
      description: t('api:openapi.description'),
      license: { name: 'Licence Ouverte / Open Licence 2.0', identifier: 'etalab-2.0' },
    },
    externalDocs: { description: t('api:openapi.docs'), url: new URL('/outils/api', publicUrl).href },
    servers: [{ url: publicUrl.origin }],
    paths,
    components: { schemas: componentSchemas(tr), headers: headers(tr) },
  };
}
