/**
 * The headers every response carries (security headers, request id, language, Vary, no-store, cookies),
 * kept per request as a plain object instead of hono's `c.header()`.
 *
 * Why: `c.header()` writes into a WHATWG Headers object, which @hono/node-server then copies back into
 * a plain object for Node, sorting it; measured here, a new Headers with the service's 17 headers and
 * that copy cost about as much CPU as the whole framework floor's answer (DESIGN §10, issue 15). A page
 * answered with `send()` goes to Node with one plain object, built by one spread.
 *
 * The rule that keeps both paths right: middleware records its headers here (`setHeader`,
 * `appendVary`, `setCookieHeader`); a route either answers with `send()`, which takes them all, or
 * answers as before (`c.html`, `c.json`, `c.header`...), and then `finishHeaders()` (the first
 * middleware) adds the recorded headers the route did not set itself, so a route still overrides one
 * (open data sets Cross-Origin-Resource-Policy: cross-origin). A route answering with `send()` must
 * set its own headers through this module too, never with `c.header()`.
 */
import type { Context } from 'hono';
import { serialize, type CookieOptions } from 'hono/utils/cookie';
import { factory, type AppEnv, type PendingHeaders as Pending } from './context';

const KEY = 'responseHeaders' as const;

/** Bodies under this size are not worth compressing (server/middleware/compression.ts); characters or bytes, near enough. */
export const COMPRESS_FROM = 1024;

/** Whether the answer was built by `send()` with a body final as it is (compressed, or small): compression leaves it. */
export function sentFinal(c: Context<AppEnv>): boolean {
  const p = c.get(KEY);
  return p !== undefined && p.taken && p.final === true;
}

function pending(c: Context<AppEnv>): Pending {
  let p = c.get(KEY);
  if (!p) {
    p = { headers: {}, cookies: [], vary: '', taken: false };
    c.set(KEY, p);
  }
  return p;
}

/** Sets (or replaces) one header of this response. `name` in lower case. */
export function setHeader(c: Context<AppEnv>, name: string, value: string): void {
  pending(c).headers[name] = value;
}

/** Sets several headers at once, from a record built once at start-up. */
export function setHeaders(c: Context<AppEnv>, values: Readonly<Record<string, string>>): void {
  Object.assign(pending(c).headers, values);
}

/** Adds to the response's Vary header. */
export function appendVary(c: Context<AppEnv>, value: string): void {
  const p = pending(c);
  p.vary = p.vary ? `${p.vary}, ${value}` : value;
}

/** Adds a Set-Cookie header (same serialisation as hono/cookie's setCookie). */
export function setCookieHeader(c: Context<AppEnv>, name: string, value: string, options: CookieOptions): void {
  pending(c).cookies.push(serialize(name, value, { path: '/', ...options }));
}

/**
 * The answer with every recorded header, as one plain object (the fast path of @hono/node-server).
 * `contentType` defaults to an HTML page.
 */
export function send(c: Context<AppEnv>, body: string | Uint8Array<ArrayBuffer> | null, status = 200, contentType = 'text/html; charset=UTF-8'): Response {
  const p = pending(c);
  p.taken = true;
  const headers: Record<string, string> = { ...p.headers, 'content-type': contentType };
  if (p.vary) headers.vary = p.vary;
  p.final = headers['content-encoding'] !== undefined || body === null || body.length < COMPRESS_FROM;
  if (p.cookies.length === 0) return new Response(body, { status, headers });
  // One cookie (a first visit's CSRF token) still fits a record, the fast path.
  if (p.cookies.length === 1) return new Response(body, { status, headers: { ...headers, 'set-cookie': p.cookies[0]! } });
  // A record cannot hold two Set-Cookie headers: pairs then (rare: a language chosen on a first visit).
  const pairs: [string, string][] = [...Object.entries(headers), ...p.cookies.map((v): [string, string] => ['set-cookie', v])];
  return new Response(body, { status, headers: pairs });
}

/** Adds the recorded headers to a response built by hono (missing names only; Vary and cookies added to). */
function addTo(res: Response, p: Pending): void {
  const h = res.headers;
  for (const name in p.headers) if (!h.has(name)) h.set(name, p.headers[name]!);
  if (p.vary) h.set('vary', h.has('vary') ? `${p.vary}, ${h.get('vary')}` : p.vary);
  for (const cookie of p.cookies) h.append('set-cookie', cookie);
}

/** The first middleware: after everything else, puts the recorded headers on an answer `send()` did not build. */
export function finishHeaders() {
  return factory.createMiddleware(async (c, next) => {
    await next();
    const p = c.get(KEY);
    if (p && !p.taken) addTo(c.res, p);
  });
}
