/**
 * The public register: /projets with search and filters, project pages, organisation and
 * source pages, and the open-data exports (CSV, JSON, Atom, Table Schema), which allow cross-origin reads.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from '../context';
import { approvalTimeline, timelineAsOf } from '../domain/approval-timeline';
import { todayIn } from '../domain/deadlines';
import { PAGE_SIZE, parseRegisterParams, registerSearchString, type RegisterParams } from '../domain/register-query';
import { resultsOverdue } from '../domain/register-rows';
import type { ProjectRow } from '../domain/register-schema';
import { HX_TARGET, isHtmxRequest } from '../htmx';
import { header } from '../http';
import { registerTableSchema, rowsToCsv } from '../services/register';
import { projectHarvestOrigin } from '../services/harvest';
import { registerAtom, registerJson, rowsToSpreadsheetCsv, rowToJson } from '../services/register-feeds';
import { queryOfParams, registerReads, type ProjectHistory } from '../services/register-reads';
import { createRenderCache } from '../services/render-cache';
import { organisationFigures, parseFilters } from '../services/statistics';
import { EntityPage, organisationFacts, sourceFacts } from '../../views/pages/register/EntityPage';
import { ProjectPage } from '../../views/pages/register/ProjectPage';
import { RegisterPage, RegisterSearchFragment, type RegisterResults } from '../../views/pages/register/RegisterPage';
import { ASSET_VERSION, pageContext } from './render';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Stands for the visitor's CSRF token in a cached page that holds a form (the project page's "report an
 * error"): replaced in every response by that visitor's own token, so no cached page carries anyone's.
 * Random per process, so no text of the register can hold it.
 */
const CSRF_SLOT = `csrf-slot-${randomBytes(18).toString('base64url')}`;

/** Open data may be read from any origin (read-only, no credentials). */
function openDataHeaders(c: Context<AppEnv>) {
  c.header('Access-Control-Allow-Origin', '*');
  c.header('Cross-Origin-Resource-Policy', 'cross-origin');
  c.header('Cache-Control', 'public, max-age=300');
}

/** Whether an If-None-Match header holds this entity tag, or "*" (weak comparison, RFC 9110 §13.1.2). */
export function ifNoneMatchHolds(ifNoneMatch: string | undefined, tag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = tag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => {
    const candidate = t.trim();
    return candidate === '*' || candidate.replace(/^W\//, '') === opaque;
  });
}

type RegisterDeps = Pick<AppDeps, 'database' | 'now' | 'config'>;

export function registerRoutes(deps: RegisterDeps) {
  const app = new Hono<AppEnv>();
  const kit = registerKit(deps);
  listRoutes(app, kit, deps);
  projectRoutes(app, kit, deps);
  entityRoutes(app, kit, deps);
  return app;
}

type RegisterKit = ReturnType<typeof registerKit>;

/** What the register's routes share: its reads, the search, the open-data tag and the page cache. */
function registerKit(deps: RegisterDeps) {
  const register = registerReads(deps.database.db);
  const search = (params: RegisterParams): RegisterResults => {
    const { total, rows } = register.search(queryOfParams(params, PAGE_SIZE));
    return { params, total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), rows };
  };
  const allRows = (c: Context<AppEnv>): ProjectRow[] => {
    const params = parseRegisterParams((n) => c.req.query(n));
    return register.search(queryOfParams(params, null)).rows;
  };

  /**
   * Open-data headers and an entity tag; true when the client already holds this answer (then 304).
   * The tag is weak and made from what the answer is built from: the register's version, the address
   * with its filters, the language and the running code (ASSET_VERSION changes at each start). So a
   * client's copy is checked without reading or building anything, which hono/etag cannot do (it hashes
   * the finished body, and /projets.json carries the time it was generated).
   */
  const openData = (c: Context<AppEnv>): boolean => {
    openDataHeaders(c);
    const url = new URL(c.req.url);
    const key = createHash('sha256')
      .update(`${c.get('tr').lang}|${url.pathname}|${url.search}`)
      .digest('base64url')
      .slice(0, 22);
    const tag = `W/"${register.version().toString(36)}.${ASSET_VERSION}.${key}"`;
    c.header('ETag', tag);
    return ifNoneMatchHolds(header(c, 'if-none-match'), tag);
  };

  const pages = createRenderCache<string[]>(200);

  /**
   * Serves a page of the register from the render cache: the page is rendered once per register version,
   * language and address, with the per-request CSP nonce put back in on every response.
   */
  const cachedPage = (c: Context<AppEnv>, render: () => unknown, extraKey = '', opts: { csrf?: boolean } = {}) => {
    const nonce = c.get('secureHeadersNonce') ?? '';
    const key = `${c.get('tr').lang}|${c.req.path}|${new URL(c.req.url).search}|${extraKey}`;
    // Kept as the pieces around the nonce, so each response only joins them with its own nonce.
    const parts = pages.get(register.version(), key, () => {
      const out = String(render());
      return nonce ? out.split(nonce) : [out];
    });
    const html = parts.join(nonce);
    // A page with a form was rendered with CSRF_SLOT for the token: each visitor gets their own.
    return c.html(opts.csrf ? html.replaceAll(CSRF_SLOT, c.get('csrfToken')()) : html);
  };

  return { register, search, allRows, openData, cachedPage };
}

/** The register's list: the search page and its open-data files (CSV, spreadsheet CSV, JSON, Atom, schema). */
function listRoutes(app: Hono<AppEnv>, { register, search, allRows, openData, cachedPage }: RegisterKit, deps: RegisterDeps) {
  app.get('/projets', (c) => {
    const params = parseRegisterParams((n) => c.req.query(n));
    c.header('Vary', 'HX-Request', { append: true });
    if (isHtmxRequest(c) && header(c, HX_TARGET) === 'results') {
      return cachedPage(c, () => <RegisterSearchFragment tr={c.get('tr')} results={search(params)} />, 'htmx');
    }
    return cachedPage(c, () => (
      <RegisterPage
        ctx={pageContext(c)}
        results={search(params)}
        organisations={register.organisationsWithProjects()}
        sources={register.dataSourcesWithProjects()}
      />
    ));
  });

  app.get('/projets.csv', (c) => {
    if (openData(c)) return c.body(null, 304);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="registre-projets.csv"');
    c.header('Link', '</projets/schema.json>; rel="describedby"; type="application/json"');
    return c.body(rowsToCsv(allRows(c)));
  });

  // The same table for Excel in French (services/register-feeds.ts says how it differs); machines read /projets.csv.
  app.get('/projets-tableur.csv', (c) => {
    if (openData(c)) return c.body(null, 304);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="registre-projets-tableur.csv"');
    return c.body(rowsToSpreadsheetCsv(allRows(c)));
  });

  app.get('/projets.json', (c) => {
    if (openData(c)) return c.body(null, 304);
    return c.json(registerJson(allRows(c), deps.config.publicUrl, deps.now()));
  });

  app.get('/projets.atom', (c) => {
    if (openData(c)) return c.body(null, 304);
    const params = parseRegisterParams((n) => c.req.query(n));
    const { rows } = register.search({ ...queryOfParams(params, 50), sort: 'recent', page: 1 });
    c.header('Content-Type', 'application/atom+xml; charset=utf-8');
    return c.body(registerAtom(c.get('tr'), rows, deps.config.publicUrl, `/projets.atom${registerSearchString({ ...params, tri: undefined, page: 1 })}`));
  });

  app.get('/projets/schema.json', (c) => {
    if (openData(c)) return c.body(null, 304);
    return c.json(registerTableSchema(c.get('tr'), deps.config.publicUrl));
  });
}

/** One project: its page, and its record as JSON. */
function projectRoutes(app: Hono<AppEnv>, { register, openData, cachedPage }: RegisterKit, deps: RegisterDeps) {
  app.get('/projets/:id', (c) => {
    const param = c.req.param('id');
    const asJson = param.endsWith('.json');
    const id = asJson ? param.slice(0, -5) : param;
    if (!SLUG.test(id) || id.length > 80) throw new HTTPException(404);
    const today = todayIn(deps.now());
    const load = () => {
      const project = register.project(id);
      if (!project) throw new HTTPException(404);
      return project;
    };
    if (asJson) {
      const { row, history } = load();
      if (openData(c)) return c.body(null, 304);
      return c.json({
        url: new URL(`/projets/${id}`, deps.config.publicUrl).href,
        ...rowToJson(row),
        historique: history.map((h) => ({ champ: h.field, ancienne_valeur: h.oldValue, nouvelle_valeur: h.newValue, date: h.changedAt })),
      });
    }
    // The page depends on today's date (overdue results, delays still running): part of the cache key.
    return cachedPage(
      c,
      () => {
        const { row, history } = load();
        return projectPage(c, row, history, today);
      },
      today,
      { csrf: true },
    );
  });

  const projectPage = (c: Context<AppEnv>, row: ProjectRow, history: ProjectHistory, today: string) => {
    const url = new URL(`/projets/${row.id}`, deps.config.publicUrl).href;
    const jsonLd = {
      '@context': 'https://schema.org',
      '@type': 'ResearchProject',
      '@id': url,
      url,
      name: row.titre_officiel,
      alternateName: row.titre_clair,
      description: row.resume,
      identifier: row.numero_hdh || row.id,
      inLanguage: 'fr',
      dateCreated: row.cree_le,
      dateModified: row.mis_a_jour,
      sponsor: { '@type': 'Organization', name: row.responsable_nom, ...(row.responsable_siren ? { identifier: `SIREN ${row.responsable_siren}` } : {}) },
      member: (row.partenaires_noms ?? '')
        .split(';')
        .filter(Boolean)
        .map((name) => ({ '@type': 'Organization', name })),
      funder: (row.financeurs ?? '')
        .split(';')
        .filter(Boolean)
        .map((name) => ({ '@type': 'Organization', name })),
      ...(row.date_debut ? { foundingDate: row.date_debut } : {}),
    };
    return (
      <ProjectPage
        ctx={{ ...pageContext(c), csrfToken: () => CSRF_SLOT }}
        view={{
          row,
          timeline: approvalTimeline(row, today),
          resultsOverdue: resultsOverdue(row, today),
          history,
          jsonLd,
          asOf: timelineAsOf(row, today),
          origin: projectHarvestOrigin(deps.database.db, row.id!),
        }}
      />
    );
  };
}

/** An organisation's or a data source's page, with the projects that name it. */
function entityRoutes(app: Hono<AppEnv>, { register, search, cachedPage }: RegisterKit, deps: RegisterDeps) {
  const entityPage = (kind: 'organisation' | 'source') => (c: Context<AppEnv>) => {
    const id = c.req.param('id') ?? '';
    if (!SLUG.test(id) || id.length > 80) throw new HTTPException(404);
    // An organisation's page shows its answer figures (issue 13), which change with requests, not with the
    // register: cached at most until the hour changes.
    return cachedPage(c, () => entityView(c, kind, id), kind === 'organisation' ? deps.now().toISOString().slice(0, 13) : '');
  };
  const entityView = (c: Context<AppEnv>, kind: 'organisation' | 'source', id: string) => {
    const entity = kind === 'organisation' ? register.organisationById(id) : register.dataSourceById(id);
    if (!entity) throw new HTTPException(404);
    const params = { ...parseRegisterParams((n) => (n === 'page' || n === 'tri' ? c.req.query(n) : undefined)), [kind]: id };
    const results = search(params);
    const facts = 'siren' in entity ? organisationFacts(c.get('tr'), entity) : sourceFacts(c.get('tr'), entity);
    const basePath = `/${kind === 'organisation' ? 'organisations' : 'sources'}/${id}`;
    const defaults = parseFilters({}, todayIn(deps.now()));
    const figures = kind === 'organisation' && defaults.ok ? organisationFigures({ db: deps.database.db, now: deps.now }, id, defaults.filters) : null;
    return (
      <EntityPage
        ctx={pageContext(c)}
        kind={kind}
        id={id}
        name={entity.name}
        description={entity.description}
        facts={facts}
        results={{ ...results, params: { ...results.params, [kind]: undefined } }}
        basePath={basePath}
        searchHref={`/projets?${kind}=${id}`}
        figures={figures && defaults.ok ? { organisation: figures, period: defaults.filters.period } : undefined}
      />
    );
  };
  app.get('/organisations/:id', entityPage('organisation'));
  app.get('/sources/:id', entityPage('source'));
}
