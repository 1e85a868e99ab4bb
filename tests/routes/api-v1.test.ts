/**
 * The read-only API under /api/v1 (issue 14, DESIGN §13), over real HTTP as a program reads it:
 * - the OpenAPI document validates with an OpenAPI 3.1 validator (@seriousme/openapi-schema-validator),
 *   in French and in English;
 * - every documented path is called without parameters and with each documented parameter (a parameter
 *   the document adds without an example here fails the test), and each answer is checked against the
 *   document's own response schema for its status (Ajv, JSON Schema 2020-12), headers included;
 * - the filters filter; walking the pages returns every matching project exactly once, in each order;
 * - ETag and 304 on If-None-Match; updated_since; CORS preflight; problem+json naming each refused
 *   parameter in the reader's language, never a 500; the rate limit's headers and its 429 with Retry-After.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStatisticsDemo } from '../../server/services/statistics-demo';
import { PROJECT_STATUSES } from '../../server/domain/register-schema';
import { importRows, projectRow } from '../helpers/register';
import { startTestServer, type RunningServer } from '../helpers/server';

type Json = Record<string, any>;
type Answer = { res: Response; body: any; text: string };

const T0 = new Date('2026-11-20T10:00:00Z');
const T1 = new Date('2026-11-25T10:00:00Z');
const STATUSES = ['depose', 'en_instruction', 'avis_cesrees', 'autorise', 'en_cours', 'termine'] as const;
const COUNT = 25;
const ids = Array.from({ length: COUNT }, (_, i) => `p${String(i + 1).padStart(2, '0')}`);

/** 25 projects: statuses, sources, controllers, purposes and dates varied, with ties in dates and titles. */
function fixtureRows() {
  return ids.map((id, i) =>
    projectRow({
      id,
      statut: STATUSES[i % STATUSES.length]!,
      // Ties: several projects share a date and a title, so that only the id tells them apart.
      mis_a_jour: `2025-0${1 + (i % 4)}-15`,
      titre_clair: i % 5 === 0 ? 'Étude commune' : `Étude ${i % 3 === 0 ? 'du diabète' : 'des parcours'} ${id}`,
      finalite: i % 4 === 0 ? 'evaluation' : 'recherche',
      usage_commercial: i % 7 === 0 ? 'true' : 'false',
      opposition_applicable: i % 6 === 0 ? 'false' : 'true',
      responsable_id: i % 2 === 0 ? 'chu-exemple' : 'organisme-test',
      responsable_nom: i % 2 === 0 ? 'CHU Exemple' : 'Organisme de test',
      sources_ids: i % 3 === 0 ? 'snds;oscour' : 'snds',
      sources_noms: i % 3 === 0 ? 'Base principale du SNDS;OSCOUR' : 'Base principale du SNDS',
    }),
  );
}

async function get(server: RunningServer, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(path.startsWith('http') ? path : `${server.url}${path}`, init);
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { res, text, body: text && type.includes('json') ? JSON.parse(text) : undefined };
}

/** Ajv over the document's components: a response's schema is read from the document itself. */
function documentChecker(doc: Json) {
  const id = 'https://api.test/openapi.json';
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: id, components: doc.components });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (schema: Json) => {
    const key = JSON.stringify(schema);
    let v = compiled.get(key);
    if (!v) compiled.set(key, (v = schema.$ref ? ajv.getSchema(`${id}${schema.$ref}`)! : ajv.compile(schema)));
    return v;
  };
  /** Checks an answer to `template` against the document: status, media type, headers and body. */
  return (template: string, a: Answer) => {
    const what = `${template} (${a.res.url})`;
    const responses = doc.paths[template]?.get?.responses as Json | undefined;
    expect(responses, `${what}: not in the document`).toBeDefined();
    const documented = responses![String(a.res.status)];
    expect(documented, `${what}: status ${a.res.status} not documented (${a.text.slice(0, 300)})`).toBeDefined();
    for (const name of Object.keys(documented.headers ?? {})) {
      if (name === 'Link' && !a.body?.next) continue;
      expect(a.res.headers.get(name), `${what}: header ${name}`).toBeTruthy();
    }
    if (!documented.content) {
      expect(a.text).toBe('');
      return;
    }
    const [media, { schema }] = Object.entries(documented.content as Record<string, { schema: Json }>)[0]!;
    expect(a.res.headers.get('content-type'), what).toContain(media);
    const validate = validator(schema);
    expect(validate(a.body) ? [] : validate.errors, `${what}: body against ${JSON.stringify(schema)}`).toEqual([]);
  };
}

let server: RunningServer;
let doc: Json;
let check: ReturnType<typeof documentChecker>;

beforeAll(async () => {
  server = await startTestServer({ API_RATE_LIMIT: '100000' });
  importRows(server, fixtureRows(), T0);
  seedStatisticsDemo({ db: server.deps.database.db, now: server.deps.now });
  doc = (await get(server, '/api/v1/openapi.json')).body;
  check = documentChecker(doc);
});
afterAll(async () => {
  await server?.stop();
});

describe('the OpenAPI document', () => {
  it.each(['fr', 'en'])('validates as OpenAPI 3.1 in %s, with its words in that language', async (lang) => {
    const { res, body } = await get(server, '/api/v1/openapi.json', { headers: { 'accept-language': lang } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-language')).toBe(lang);
    const validator = new Validator();
    const result = await validator.validate(body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(body.openapi).toBe('3.1.0');
    expect(body.paths['/api/v1/projets'].get.summary).toBe(lang === 'fr' ? 'Les projets du registre' : 'The projects of the register');
  });

  it('documents every path of the task, the register filters as parameters and the CSV field names', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/v1/openapi.json',
        '/api/v1/organisations',
        '/api/v1/organisations/{id}',
        '/api/v1/projets',
        '/api/v1/projets/{id}',
        '/api/v1/sources',
        '/api/v1/sources/{id}',
        '/api/v1/statistiques',
        '/api/v1/statistiques/{table}',
      ].sort(),
    );
    const params = (doc.paths['/api/v1/projets'].get.parameters as Json[]).map((p) => p.name);
    expect(params).toEqual(expect.arrayContaining(['q', 'statut', 'source', 'organisation', 'finalite', 'tri', 'updated_since', 'limit', 'cursor']));
    const statut = (doc.paths['/api/v1/projets'].get.parameters as Json[]).find((p) => p.name === 'statut')!;
    expect(statut.schema.enum).toEqual([...PROJECT_STATUSES]);
    const limit = (doc.paths['/api/v1/projets'].get.parameters as Json[]).find((p) => p.name === 'limit')!;
    expect(limit.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 20 });
  });

  it('names a project’s fields as the columns of /projets.csv', async () => {
    const csv = await get(server, '/projets.csv');
    const header = csv.text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)[0]!
      .split(',');
    const fields = Object.keys(doc.components.schemas.Project.properties).filter((f) => f !== 'url');
    expect(fields).toEqual(header);
    const { body } = await get(server, '/api/v1/projets?limit=1');
    expect(Object.keys(body.data[0]).filter((f) => f !== 'url')).toEqual(header);
  });
});
