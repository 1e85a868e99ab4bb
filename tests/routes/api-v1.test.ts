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

/** An example value for each documented query parameter: a parameter without one fails the test. */
const EXAMPLES: Record<string, string | ((template: string) => Promise<string>)> = {
  q: 'diabète',
  statut: 'autorise',
  source: 'oscour',
  organisation: 'chu-exemple',
  finalite: 'evaluation',
  commercial: 'oui',
  opposition: 'non',
  tri: 'titre',
  updated_since: '2026-01-01T00:00:00Z',
  limit: '3',
  lang: 'en',
  type: 'opposition',
  // The cursor of a first page of one, as its next link gives it.
  cursor: async (template) => new URL((await get(server, `${template}?limit=1`)).body.next).searchParams.get('cursor')!,
  periode: async () => (await get(server, '/api/v1/statistiques')).body.periods[0],
};

/** Real values of the path parameters: each id known to the register, each table the document lists. */
function pathValues(template: string, op: Json): string[] {
  const param = (op.parameters as Json[]).find((p) => p.in === 'path');
  if (!param) return [template];
  const values: string[] = param.schema.enum ?? [
    { '/api/v1/projets/{id}': 'p01', '/api/v1/organisations/{id}': 'chu-exemple', '/api/v1/sources/{id}': 'oscour' }[template]!,
  ];
  return values.map((v) => template.replace(`{${param.name}}`, encodeURIComponent(v)));
}

describe('every documented path', () => {
  it('answers without parameters and with each documented one, as the document describes', async () => {
    let calls = 0;
    for (const [template, item] of Object.entries(doc.paths as Record<string, Json>)) {
      const op = item.get as Json;
      for (const path of pathValues(template, op)) {
        const bare = await get(server, path);
        expect(bare.res.status, `${path}: ${bare.text.slice(0, 200)}`).toBe(200);
        check(template, bare);
        const all = new URLSearchParams();
        for (const p of (op.parameters as Json[]).filter((p) => p.in === 'query')) {
          const example = EXAMPLES[p.name];
          expect(example, `${template}: no example for the documented parameter ${p.name}`).toBeDefined();
          const value = typeof example === 'function' ? await example(template) : example!;
          if (p.name !== 'cursor') all.set(p.name, value);
          const one = await get(server, `${path}?${new URLSearchParams({ [p.name]: value })}`);
          expect(one.res.status, `${path}?${p.name}=${value}: ${one.text.slice(0, 300)}`).toBe(200);
          check(template, one);
          calls += 2;
        }
        if (all.size > 0) {
          const together = await get(server, `${path}?${all}`);
          expect(together.res.status, `${path}?${all}: ${together.text.slice(0, 300)}`).toBe(200);
          check(template, together);
        }
      }
    }
    expect(calls).toBeGreaterThan(40);
  });

  it('would notice an answer that breaks its schema (the check is not vacuous)', async () => {
    const a = await get(server, '/api/v1/projets/p01');
    check('/api/v1/projets/{id}', a);
    const broken = { ...a, body: { ...a.body, statut: 'fini' } };
    expect(() => check('/api/v1/projets/{id}', broken)).toThrow(/body against/);
    const extra = { ...a, body: { ...a.body, champ_inconnu: 1 } };
    expect(() => check('/api/v1/projets/{id}', extra)).toThrow(/body against/);
  });

  it('answers a 404 problem for an unknown id or table, as documented', async () => {
    for (const [template, path] of [
      ['/api/v1/projets/{id}', '/api/v1/projets/inconnu'],
      ['/api/v1/projets/{id}', '/api/v1/projets/Pas%20un%20id'],
      ['/api/v1/organisations/{id}', '/api/v1/organisations/inconnu'],
      ['/api/v1/sources/{id}', '/api/v1/sources/inconnue'],
      ['/api/v1/statistiques/{table}', '/api/v1/statistiques/inconnu'],
    ] as const) {
      const a = await get(server, path);
      expect(a.res.status, path).toBe(404);
      check(template, a);
      expect(a.body.status).toBe(404);
    }
    const nowhere = await get(server, '/api/v1/nulle-part');
    expect(nowhere.res.status).toBe(404);
    expect(nowhere.res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers HEAD like GET, without the body', async () => {
    const head = await fetch(`${server.url}/api/v1/projets`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toMatch(/^W\/"/);
    expect(await head.text()).toBe('');
  });
});

describe('the register filters', () => {
  const all = async (search: string) => {
    const { res, body } = await get(server, `/api/v1/projets?limit=100&${search}`);
    expect(res.status, search).toBe(200);
    expect(body.total).toBe(body.data.length);
    return body.data as Json[];
  };

  it('keep the projects each filter names, as /projets does', async () => {
    const byStatus = await all('statut=autorise');
    expect(byStatus.length).toBeGreaterThan(0);
    expect(byStatus.every((p) => p.statut === 'autorise')).toBe(true);
    const bySource = await all('source=oscour');
    expect(bySource.every((p) => p.sources_ids.includes('oscour'))).toBe(true);
    expect(bySource).toHaveLength(ids.filter((_, i) => i % 3 === 0).length);
    const byOrg = await all('organisation=chu-exemple');
    expect(byOrg).toHaveLength(13);
    expect(byOrg.every((p) => p.responsable_id === 'chu-exemple')).toBe(true);
    expect((await all('finalite=evaluation')).every((p) => p.finalite === 'evaluation')).toBe(true);
    expect((await all('commercial=oui')).map((p) => p.usage_commercial)).toEqual([true, true, true, true]);
    expect((await all('opposition=non')).every((p) => p.opposition_applicable === false)).toBe(true);
    const words = await all('q=diab%C3%A8te');
    expect(words.length).toBeGreaterThan(0);
    expect(words.every((p) => /diabète/.test(p.titre_clair))).toBe(true);
    // The register page counts the same.
    const page = await get(server, '/projets?statut=autorise&source=snds');
    const combined = await all('statut=autorise&source=snds');
    expect(page.text).toContain(`${combined.length} projet`);
  });

  it('sort as tri asks: titles in order, the most recently changed first by default', async () => {
    const byTitle = (await all('tri=titre')).map((p) => p.titre_clair as string);
    expect(byTitle).toEqual([...byTitle].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase(), 'en')));
    const recent = (await all('')).map((p) => p.mis_a_jour as string);
    expect(recent).toEqual([...recent].sort().reverse());
  });
});

describe('cursor pagination', () => {
  /** Follows `next` from the first page to the last, checking the Link header beside it. */
  async function walk(first: string) {
    const seen: string[] = [];
    let url: string | null = first;
    let pages = 0;
    let total = -1;
    while (url) {
      const a = await get(server, url);
      expect(a.res.status, `${url}: ${a.text.slice(0, 200)}`).toBe(200);
      check(new URL(url, server.url).pathname, a);
      total = a.body.total;
      seen.push(...a.body.data.map((p: Json) => p.id));
      const link = a.res.headers.get('link');
      if (a.body.next) expect(link).toBe(`<${a.body.next}>; rel="next"`);
      else expect(link).toBeNull();
      url = a.body.next;
      pages += 1;
      expect(pages).toBeLessThan(50);
    }
    return { seen, pages, total };
  }

  it.each(['', 'tri=recent', 'tri=titre', 'tri=statut', 'q=%C3%A9tude', 'q=%C3%A9tude&tri=pertinence', 'source=snds&tri=statut'])(
    'walking every page of /api/v1/projets?%s returns each project exactly once',
    async (search) => {
      const expected = (await get(server, `/api/v1/projets?limit=100&${search}`)).body.data.map((p: Json) => p.id);
      expect(expected.length).toBeGreaterThan(10);
      const { seen, pages, total } = await walk(`/api/v1/projets?limit=4&${search}`);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expected);
      expect(total).toBe(expected.length);
      expect(pages).toBe(Math.ceil(expected.length / 4));
    },
  );

  it('walks all 25 projects, and the organisations and sources, one page of one at a time', async () => {
    expect((await walk('/api/v1/projets?limit=7')).seen.sort()).toEqual(ids);
    const orgs = await walk('/api/v1/organisations?limit=1');
    expect(orgs.seen).toEqual([...orgs.seen].sort());
    expect(orgs.seen).toEqual(expect.arrayContaining(['chu-exemple', 'organisme-test']));
    expect(orgs.seen).toHaveLength(orgs.total);
    const sources = await walk('/api/v1/sources?limit=1');
    expect(sources.seen).toEqual(expect.arrayContaining(['oscour', 'snds']));
    expect(sources.seen).toHaveLength(sources.total);
  });

  it('keeps the other parameters in next, on the public address', async () => {
    const { res, body } = await get(server, '/api/v1/projets?statut=depose&limit=2&lang=en');
    expect(res.headers.get('content-language')).toBe('en');
    // A public, cacheable answer sets no cookie, not even the language one.
    expect(res.headers.get('set-cookie')).toBeNull();
    const next = new URL(body.next);
    expect(next.origin).toBe(server.url);
    expect(Object.fromEntries(next.searchParams)).toMatchObject({ statut: 'depose', limit: '2', lang: 'en' });
  });
});

describe('ETag and If-None-Match', () => {
  it.each([
    '/api/v1/projets?statut=autorise',
    '/api/v1/projets/p01',
    '/api/v1/organisations',
    '/api/v1/sources/snds',
    '/api/v1/statistiques',
    '/api/v1/statistiques/mois',
    '/api/v1/openapi.json',
  ])('%s: a weak ETag, then 304 without a body for the same tag, 200 for another', async (path) => {
    const first = await get(server, path);
    const tag = first.res.headers.get('etag')!;
    expect(tag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    expect((await get(server, path)).res.headers.get('etag')).toBe(tag);
    const again = await get(server, path, { headers: { 'if-none-match': tag } });
    expect(again.res.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.res.headers.get('etag')).toBe(tag);
    expect(again.res.headers.get('access-control-allow-origin')).toBe('*');
    check(
      new URL(path, server.url).pathname
        .replace(/\/p01$/, '/{id}')
        .replace(/\/snds$/, '/{id}')
        .replace(/\/mois$/, '/{table}'),
      again,
    );
    const other = await get(server, path, { headers: { 'if-none-match': 'W/"autre", W/"encore"' } });
    expect(other.res.status).toBe(200);
    expect(other.text).toBe(first.text.replace(/"generated_at":"[^"]+"/, other.text.match(/"generated_at":"[^"]+"/)?.[0] ?? ''));
    // A tag in another language is another answer.
    const english = await get(server, path, { headers: { 'if-none-match': tag, 'accept-language': 'en' } });
    expect(english.res.status).toBe(200);
  });
});

describe('CORS for reads', () => {
  it('answers a preflight from any origin for GET, without credentials', async () => {
    const res = await fetch(`${server.url}/api/v1/projets?statut=autorise`, {
      method: 'OPTIONS',
      headers: { origin: 'https://reuse.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match, accept-language' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')?.split(/,\s*/)).toEqual(['GET', 'HEAD', 'OPTIONS']);
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('if-none-match');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
  });

  it('lets a page of another origin read the answers and their ETag, Link and RateLimit headers', async () => {
    const { res } = await get(server, '/api/v1/projets?limit=2', { headers: { origin: 'https://reuse.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const exposed = res.headers.get('access-control-expose-headers')!.split(/,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['ETag', 'Link', 'RateLimit', 'RateLimit-Policy', 'Retry-After']));
    const problem = await get(server, '/api/v1/projets?limit=0', { headers: { origin: 'https://reuse.example' } });
    expect(problem.res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('refused parameters', () => {
  const cases: [template: string, search: string, parameter: string][] = [
    ['/api/v1/projets', 'limit=0', 'limit'],
    ['/api/v1/projets', 'limit=101', 'limit'],
    ['/api/v1/projets', 'limit=dix', 'limit'],
    ['/api/v1/projets', 'limit=2.5', 'limit'],
    ['/api/v1/projets', 'statut=fini', 'statut'],
    ['/api/v1/projets', 'finalite=autre', 'finalite'],
    ['/api/v1/projets', 'commercial=peut-etre', 'commercial'],
    ['/api/v1/projets', 'tri=hasard', 'tri'],
    ['/api/v1/projets', 'tri=pertinence', 'tri'],
    ['/api/v1/projets', 'source=SNDS', 'source'],
    ['/api/v1/projets', 'organisation=ap%20hp', 'organisation'],
    ['/api/v1/projets', `q=${'x'.repeat(201)}`, 'q'],
    ['/api/v1/projets', 'updated_since=2026-13-01T00:00:00Z', 'updated_since'],
    ['/api/v1/projets', 'updated_since=2026-01-01T00:00:00', 'updated_since'],
    ['/api/v1/projets', 'updated_since=hier', 'updated_since'],
    ['/api/v1/projets', 'cursor=pas-un-curseur', 'cursor'],
    ['/api/v1/projets', 'cursor=%E2%9C%93', 'cursor'],
    ['/api/v1/projets', 'inconnu=1', 'inconnu'],
    ['/api/v1/projets', 'statut=autorise&statut=depose', 'statut'],
    ['/api/v1/projets', 'lang=de', 'lang'],
    ['/api/v1/projets/{id}', 'limit=3', 'limit'],
    ['/api/v1/organisations', 'limit=-1', 'limit'],
    ['/api/v1/organisations', 'updated_since=2026', 'updated_since'],
    ['/api/v1/organisations', 'cursor=eyJ4IjoxfQ', 'cursor'],
    ['/api/v1/sources', 'updated_since=2026-01-01T00:00:00Z', 'updated_since'],
    ['/api/v1/statistiques', 'periode=2026-T5', 'periode'],
    ['/api/v1/statistiques', 'periode=2099-T1', 'periode'],
    ['/api/v1/statistiques', 'type=toutes', 'type'],
    ['/api/v1/statistiques/{table}', 'periode=T1', 'periode'],
  ];

  it.each(cases)('%s?%s: a 400 problem naming %s, nothing else changed', async (template, search, parameter) => {
    const path = template.replace('{id}', 'p01').replace('{table}', 'mois');
    const a = await get(server, `${path}?${search}`);
    expect(a.res.status, a.text).toBe(400);
    expect(a.res.headers.get('content-type')).toBe('application/problem+json');
    check(template, a);
    expect(a.body).toMatchObject({ status: 400, title: 'Paramètres refusés' });
    expect(a.body.type).toBe(`${server.url}/outils/api#probleme-parametres`);
    const named = a.body.errors.find((e: Json) => e.parameter === parameter);
    expect(named, JSON.stringify(a.body.errors)).toBeDefined();
    expect(named.in).toBe('query');
    expect(named.detail.length).toBeGreaterThan(10);
    expect(a.res.headers.get('etag')).toBeNull();
  });

  it('names every refused parameter at once, in the reader’s language', async () => {
    const a = await get(server, '/api/v1/projets?limit=0&statut=fini&inconnu=1', { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(a.res.status).toBe(400);
    expect(a.res.headers.get('content-language')).toBe('en');
    expect(a.body.title).toBe('Parameters refused');
    expect(a.body.errors.map((e: Json) => e.parameter).sort()).toEqual(['inconnu', 'limit', 'statut']);
    expect(a.body.errors.find((e: Json) => e.parameter === 'statut').detail).toMatch(/statut must be one of these values: depose, en_instruction/);
    const cursor = (await get(server, '/api/v1/projets?tri=titre&limit=1')).body.next;
    const otherSort = await get(server, `${cursor.replace('tri=titre', 'tri=statut')}&lang=en`);
    expect(otherSort.res.status).toBe(400);
    expect(otherSort.body.errors).toEqual([{ parameter: 'cursor', in: 'query', code: 'cursor_sort', detail: expect.stringMatching(/another sort/) }]);
  });

  it('never answers a 500, whatever a parameter holds', async () => {
    const values = ['', ' ', '\u0000', 'x'.repeat(5000), '-1', '1e309', 'NaN', '[]', '{"a":1}', "' OR 1=1 --", '"', 'é', '😀', '2026-02-30T00:00:00Z', '0x10'];
    const statuses = new Set<number>();
    for (const [template, item] of Object.entries(doc.paths as Record<string, Json>)) {
      const path = pathValues(template, item.get)[0]!;
      for (const p of (item.get.parameters as Json[]).filter((p) => p.in === 'query')) {
        for (const value of values) {
          const a = await get(server, `${path}?${new URLSearchParams({ [p.name]: value })}`);
          statuses.add(a.res.status);
          expect([200, 400], `${path}?${p.name}=${JSON.stringify(value.slice(0, 40))}: ${a.text.slice(0, 200)}`).toContain(a.res.status);
          check(template, a);
        }
      }
    }
    expect([...statuses].sort()).toEqual([200, 400]);
  });
});

describe('a register that changes', () => {
  let changing: RunningServer;
  beforeAll(async () => {
    changing = await startTestServer({ API_RATE_LIMIT: '100000' });
    importRows(changing, fixtureRows(), T0);
  });
  afterAll(async () => {
    await changing?.stop();
  });

  it('updated_since keeps the projects and organisations changed at or after the instant; the ETag changes with the register', async () => {
    const before = await get(changing, '/api/v1/projets?statut=autorise');
    const tag = before.res.headers.get('etag')!;
    const one = await get(changing, '/api/v1/projets/p04');
    const oneTag = one.res.headers.get('etag')!;
    expect((await get(changing, '/api/v1/projets?updated_since=2026-11-21T00:00:00Z')).body.total).toBe(0);

    // Five days later: p04 is authorised (it was already), p08 moves to a new step, a new controller publishes p26.
    const rows = fixtureRows();
    importRows(
      changing,
      [
        { ...rows[3]!, titre_clair: 'Un titre plus clair' },
        { ...rows[7]!, statut: 'autorise' },
        projectRow({ id: 'p26', responsable_id: 'chu-nouveau', responsable_nom: 'CHU Nouveau', statut: 'depose' }),
      ],
      T1,
    );

    const since = (value: string) => get(changing, `/api/v1/projets?limit=100&updated_since=${encodeURIComponent(value)}`);
    const changed = await since('2026-11-25T10:00:00Z');
    expect(changed.res.status).toBe(200);
    expect(changed.body.data.map((p: Json) => p.id).sort()).toEqual(['p04', 'p08', 'p26']);
    expect(changed.body.total).toBe(3);
    // The same instant written with an offset.
    expect((await since('2026-11-25T11:00:00+01:00')).body.data.map((p: Json) => p.id).sort()).toEqual(['p04', 'p08', 'p26']);
    expect((await since('2026-11-25T10:00:01Z')).body.total).toBe(0);
    expect((await since('2026-01-01T00:00:00Z')).body.total).toBe(26);
    // With the other filters.
    expect((await get(changing, '/api/v1/projets?updated_since=2026-11-25T10:00:00Z&statut=autorise')).body.data.map((p: Json) => p.id).sort()).toEqual([
      'p04',
      'p08',
    ]);
    // Paged, every changed project once.
    const first = await get(changing, '/api/v1/projets?updated_since=2026-11-25T10:00:00Z&limit=2');
    const second = await get(changing, first.body.next);
    expect([...first.body.data, ...second.body.data].map((p: Json) => p.id).sort()).toEqual(['p04', 'p08', 'p26']);
    expect(second.body.next).toBeNull();

    const orgs = await get(changing, '/api/v1/organisations?limit=100&updated_since=2026-11-25T10:00:00Z');
    expect(orgs.res.status).toBe(200);
    expect(orgs.body.data.map((o: Json) => o.id)).toContain('chu-nouveau');
    expect(orgs.body.data.every((o: Json) => o.mis_a_jour >= '2026-11-25')).toBe(true);
    expect((await get(changing, '/api/v1/organisations?updated_since=2099-01-01T00:00:00Z')).body.total).toBe(0);

    // The old tags no longer hold: the answers changed.
    const after = await get(changing, '/api/v1/projets?statut=autorise', { headers: { 'if-none-match': tag } });
    expect(after.res.status).toBe(200);
    expect(after.res.headers.get('etag')).not.toBe(tag);
    expect(after.body.data.map((p: Json) => p.id)).toContain('p08');
    const oneAfter = await get(changing, '/api/v1/projets/p04', { headers: { 'if-none-match': oneTag } });
    expect(oneAfter.res.status).toBe(200);
    expect(oneAfter.body.titre_clair).toBe('Un titre plus clair');
    expect(oneAfter.body.historique[0]).toMatchObject({ champ: 'titre_clair', nouvelle_valeur: 'Un titre plus clair', date: T1.toISOString() });
  });
});

describe('the rate limit', () => {
  let limited: RunningServer;
  let now = new Date('2026-11-30T09:00:00Z');
  beforeAll(async () => {
    limited = await startTestServer({ API_RATE_LIMIT: '3' }, { overrides: { now: () => now } });
  });
  afterAll(async () => {
    await limited?.stop();
  });

  it('tells what is left in RateLimit and RateLimit-Policy, then answers 429 with Retry-After until the window ends', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const a = await get(limited, '/api/v1/sources');
      expect(a.res.status).toBe(200);
      expect(a.res.headers.get('ratelimit-policy')).toBe('"api";q=3;w=60');
      remaining.push(a.res.headers.get('ratelimit')!);
    }
    expect(remaining).toEqual(['"api";r=2;t=60', '"api";r=1;t=60', '"api";r=0;t=60']);

    now = new Date(now.getTime() + 20_000);
    const refused = await get(limited, '/api/v1/projets?lang=en');
    expect(refused.res.status).toBe(429);
    expect(refused.res.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.res.headers.get('retry-after')).toBe('40');
    expect(refused.res.headers.get('ratelimit')).toBe('"api";r=0;t=40');
    expect(refused.res.headers.get('access-control-allow-origin')).toBe('*');
    expect(refused.body).toMatchObject({ status: 429, title: 'Too many requests', type: `${limited.url}/outils/api#probleme-limite` });
    const limitedDoc = (await get(server, '/api/v1/openapi.json')).body;
    documentChecker(limitedDoc)('/api/v1/projets', refused);
    // Each path counts against the same quota; a preflight does not.
    expect((await get(limited, '/api/v1/openapi.json')).res.status).toBe(429);
    expect((await fetch(`${limited.url}/api/v1/projets`, { method: 'OPTIONS' })).status).toBe(204);

    // Once the window has ended, the client is served again.
    now = new Date(now.getTime() + 40_000);
    const back = await get(limited, '/api/v1/projets');
    expect(back.res.status).toBe(200);
    expect(back.res.headers.get('ratelimit')).toBe('"api";r=2;t=60');
  });
});
