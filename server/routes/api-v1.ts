/**
 * The read-only API (DESIGN §13): every operation of server/api/openapi.ts, served from the schemas
 * that document it. Each answer, on every path:
 * - CORS for reads: any origin, GET/HEAD/OPTIONS, no credentials (nothing here is personal);
 * - a rate limit per client address, told by the RateLimit and RateLimit-Policy fields of the IETF
 *   draft (draft-ietf-httpapi-ratelimit-headers: `"api";q=120;w=60`, `"api";r=119;t=60`); beyond it a
 *   429 with Retry-After, the seconds until the window ends;
 * - the parameters checked by the operation's zod schema: any refused one, unknown or repeated, gives
 *   a 400 problem naming each (server/api/problems.ts), in the reader's language; never a 500;
 * - a weak ETag and 304 on If-None-Match: for the register from its version (nothing is read for a
 *   304), for the figures from a hash of the body;
 * - lists paged by an opaque cursor, with the next page's address in `next` and in a Link header.
 * The signed callbacks (server/routes/api.ts) are mounted before these routes and keep their own rules.
 */
import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { z } from 'zod/v4';
import { OPERATIONS, openApiDocument, type ApiOperation } from '../api/openapi';
import { issueProblems, problem, type ParameterProblem, type ProblemKind } from '../api/problems';
import type { AppDeps, AppEnv } from '../context';
import type { Lang } from '../i18n';
import { clientAddress, header } from '../http';
import { createRateLimiter, type Quota } from '../middleware/rate-limit';
import { ASSET_VERSION } from './render';
import { ifNoneMatchHolds } from './register';
import { apiHandlers, type Answer } from './api-v1-handlers';

const WINDOW_SECONDS = 60;
const EXPOSED = 'ETag, Link, RateLimit, RateLimit-Policy, Retry-After, Content-Language';

type Input = { query: Record<string, unknown>; params: Record<string, unknown> };
export type ApiContext = Context<AppEnv>;

/** Reads and checks the query: a value given twice is refused (never guessed), an empty one counts as absent. */
function readQuery(c: ApiContext, schema: z.ZodObject): { ok: true; data: Record<string, unknown> } | { ok: false; errors: ParameterProblem[] } {
  const all = c.req.queries();
  const repeated = Object.entries(all)
    .filter(([, values]) => values.length > 1)
    .map(([name]): ParameterProblem => ({ parameter: name, in: 'query', code: 'repeated' }));
  const raw = Object.fromEntries(Object.entries(all).flatMap(([name, values]) => (values[0] ? [[name, values[0]]] : [])));
  const parsed = schema.safeParse(raw);
  const errors = [...repeated, ...(parsed.success ? [] : issueProblems(parsed.error.issues, 'query'))];
  return errors.length === 0 && parsed.success ? { ok: true, data: parsed.data } : { ok: false, errors };
}

/** The Hono path of an OpenAPI template: /api/v1/projets/{id} is /api/v1/projets/:id. */
const honoPath = (template: string) => template.replace(/\{([a-z]+)\}/g, ':$1');

export function apiV1Routes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const limiter = createRateLimiter({ windowMs: WINDOW_SECONDS * 1000, max: deps.config.apiRateLimit, now: () => deps.now().getTime() });
  const handlers = apiHandlers(deps);
  const documents = new Map<Lang, string>();

  const send = sender(deps);
  const serve = (op: ApiOperation) => (c: ApiContext) => {
    readHeaders(c);
    const quota = limiter.take(clientAddress(c));
    rateHeaders(c, quota);
    if (!quota.allowed) {
      c.header('Retry-After', String(Math.max(1, Math.ceil(quota.resetMs / 1000))));
      return send.problem(c, 'limite');
    }
    const params = op.params?.safeParse(c.req.param());
    if (params && !params.success) return send.problem(c, 'introuvable');
    const query = readQuery(c, op.query);
    if (!query.ok) return send.problem(c, 'parametres', query.errors);
    const input: Input = { query: query.data, params: params?.data ?? {} };
    try {
      if (op.id === 'getOpenApi') return send.document(c, documents);
      return send.answer(c, handlers[op.id]!(c, input));
    } catch (err) {
      deps.logger.error('api error', {
        requestId: c.get('requestId'),
        name: (err as Error).name,
        message: (err as Error).message,
        stack: (err as Error).stack ?? null,
      });
      return send.problem(c, 'erreur');
    }
  };

  for (const op of OPERATIONS) app.get(honoPath(op.path), serve(op));
  // A preflight is answered for any path of the API: reads only, so a browser never sends anything else.
  app.options('/api/v1/*', (c) => {
    readHeaders(c);
    c.header('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
    c.header('Access-Control-Allow-Headers', 'Accept, Accept-Language, If-None-Match');
    c.header('Access-Control-Max-Age', '86400');
    return c.body(null, 204);
  });
  app.get('/api/v1/*', (c) => {
    readHeaders(c);
    return send.problem(c, 'introuvable');
  });
  return app;

  function rateHeaders(c: ApiContext, quota: Quota) {
    c.header('RateLimit-Policy', `"api";q=${quota.limit};w=${WINDOW_SECONDS}`);
    c.header('RateLimit', `"api";r=${quota.remaining};t=${Math.max(0, Math.ceil(quota.resetMs / 1000))}`);
  }
}

/** What every answer of the API carries: readable from any origin, revalidated before reuse. */
function readHeaders(c: ApiContext) {
  c.header('Access-Control-Allow-Origin', '*');
  c.header('Access-Control-Expose-Headers', EXPOSED);
  c.header('Cross-Origin-Resource-Policy', 'cross-origin');
  c.header('Cache-Control', 'public, no-cache');
}

const weakTag = (...parts: string[]) => `W/"${createHash('sha256').update(parts.join('|')).digest('base64url').slice(0, 27)}"`;

/** Writes answers: problems, 304s, bodies with their tag and their next link. */
function sender(deps: AppDeps) {
  const problemOf = (c: ApiContext, kind: ProblemKind, errors: ParameterProblem[] = []) => {
    if (kind !== 'parametres' || errors.length === 0) c.header('Cache-Control', 'no-store');
    const body = problem(c.get('tr').t, deps.config.publicUrl, kind, errors);
    return c.body(JSON.stringify(body), body.status as 400, { 'Content-Type': 'application/problem+json' });
  };
  const notModified = (c: ApiContext, tag: string) => {
    c.header('ETag', tag);
    return ifNoneMatchHolds(header(c, 'if-none-match'), tag);
  };
  return {
    problem: problemOf,
    /** The OpenAPI document, built once per language. */
    document(c: ApiContext, cache: Map<Lang, string>) {
      const tr = c.get('tr');
      if (notModified(c, weakTag(ASSET_VERSION, tr.lang))) return c.body(null, 304);
      let text = cache.get(tr.lang);
      if (!text) cache.set(tr.lang, (text = JSON.stringify(openApiDocument(tr, deps.config.publicUrl))));
      return c.body(text, 200, { 'Content-Type': 'application/json' });
    },
    answer(c: ApiContext, answer: Answer) {
      const url = new URL(c.req.url);
      const versionTag = answer.version !== undefined ? weakTag(String(answer.version), ASSET_VERSION, c.get('tr').lang, url.pathname, url.search) : undefined;
      if (versionTag && notModified(c, versionTag)) return c.body(null, 304);
      const result = answer.run();
      if (result.kind === 'problem') {
        c.header('ETag', undefined);
        return problemOf(c, result.problem, result.errors);
      }
      const { body, nextCursor } = result;
      if (nextCursor) {
        const next = nextLink(deps.config.publicUrl, url, nextCursor);
        (body as { next: string | null }).next = next;
        c.header('Link', `<${next}>; rel="next"`);
      }
      const text = JSON.stringify(body);
      if (!versionTag && notModified(c, weakTag(text))) return c.body(null, 304);
      return c.body(text, 200, { 'Content-Type': 'application/json' });
    },
  };
}

/** The next page: the same address and parameters on the public URL, with the new cursor. */
function nextLink(publicUrl: URL, request: URL, cursor: string): string {
  const next = new URL(request.pathname, publicUrl);
  for (const [name, value] of request.searchParams) if (name !== 'cursor') next.searchParams.set(name, value);
  next.searchParams.set('cursor', cursor);
  return next.href;
}
