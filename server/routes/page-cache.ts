/**
 * Public pages rendered once and served from memory (DESIGN §10, issue 15): a page is rendered once per
 * running release, language, address (path and query) and, for pages that show the register, register
 * version; each response only puts back what differs per visitor: the CSP nonce and, in a page with a
 * form, that visitor's CSRF token (whose cookie is set on first use, as when the page is rendered).
 *
 * The page is rendered with two random markers in place of the nonce and the token, cut into pieces
 * around them once, and each response joins the pieces with its own values. Nothing personal is ever in
 * such a page: routes use it only for pages that are the same for everyone (never a draft, a tracking
 * page, the back office or anything read from a session), and personal paths stay `no-store`.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import type { AppEnv } from '../context';
import { appendVary, send, setHeader } from '../response-headers';
import { createRenderCache } from '../services/render-cache';
import type { PageContext } from '../../views/page-context';
import { compressPieces, gzipPage, wantsGzip } from './page-gzip';
import { pageContext } from './render';

/** Random per process, so no text of a page (or of the register) can hold them. */
const NONCE_SLOT = `nonce-slot-${randomBytes(18).toString('base64url')}`;
export const CSRF_SLOT = `csrf-slot-${randomBytes(18).toString('base64url')}`;
const SLOTS = new RegExp(`(${NONCE_SLOT}|${CSRF_SLOT})`);

/**
 * A page cut around its markers: text, marker, text, marker, ..., text (`pieces`); its fixed text as
 * bytes, encoded once (`fixed`: a string body would be measured and encoded again per response); and
 * gzipped on first use.
 */
type Pieces = readonly string[];
type Entry = { pieces: Pieces; fixed: Buffer[]; gzip?: Buffer[] };

export type CachedPageOptions = {
  /** The register's version, for a page that shows the register: a new version renders again. */
  version?: number | string;
  /** What else the page depends on (today's date, an htmx fragment...). */
  extraKey?: string;
  status?: number;
};

/** This response's value for each marker of the page: its nonce, and the visitor's token if there is a form. */
function slotValues(c: Context<AppEnv>, pieces: Pieces): Buffer[] {
  const values: Buffer[] = [];
  let token: string | undefined;
  for (let i = 1; i < pieces.length; i += 2) {
    values.push(Buffer.from(pieces[i] === NONCE_SLOT ? (c.get('secureHeadersNonce') ?? '') : (token ??= c.get('csrfToken')()), 'utf8'));
  }
  return values;
}

/** The page with this response's values put back: as bytes, or as gzip when the client takes it. */
function assemble(c: Context<AppEnv>, entry: Entry): Buffer<ArrayBuffer> {
  const { fixed } = entry;
  const values = slotValues(c, entry.pieces);
  if (wantsGzip(c)) {
    setHeader(c, 'content-encoding', 'gzip');
    appendVary(c, 'Accept-Encoding');
    return gzipPage(fixed, (entry.gzip ??= compressPieces(fixed)), values);
  }
  const parts: Buffer[] = [fixed[0]!];
  for (let i = 1; i < fixed.length; i += 1) parts.push(values[i - 1]!, fixed[i]!);
  // Buffer.concat allocates its own (never shared) memory.
  return Buffer.concat(parts) as Buffer<ArrayBuffer>;
}

/** The page context a cached page is rendered with: the markers instead of the nonce and the token. */
export function cacheableContext(c: Context<AppEnv>): PageContext {
  return { ...pageContext(c), nonce: NONCE_SLOT, csrfToken: () => CSRF_SLOT };
}

/** Serves a page from the cache; `renders()` counts the pages rendered so far (the tests' regression guard). */
export type PageCache = ((c: Context<AppEnv>, render: (ctx: PageContext) => unknown, options?: CachedPageOptions) => Response) & {
  renders: () => number;
};

/** A cache of whole pages, bounded (least recently used pages go first). */
export function createPageCache(maxEntries = 300): PageCache {
  const cache = createRenderCache<Entry>(maxEntries);
  const serve = (c: Context<AppEnv>, render: (ctx: PageContext) => unknown, { version = 0, extraKey = '', status = 200 }: CachedPageOptions = {}) => {
    // A signed-in member of staff may see more than the public (their header): never cached, never served from cache.
    if (c.get('staff')) return send(c, String(render(pageContext(c))), status);
    const url = c.req.url;
    const q = url.indexOf('?');
    const key = `${c.get('tr').lang}|${c.req.path}|${q < 0 ? '' : url.slice(q)}|${extraKey}`;
    const entry = cache.get(version, key, () => {
      // A view given pageContext(c) instead of the context passed holds this response's own nonce: marked too.
      const nonce = c.get('secureHeadersNonce');
      const html = String(render(cacheableContext(c)));
      const pieces = (nonce ? html.split(nonce).join(NONCE_SLOT) : html).split(SLOTS);
      return { pieces, fixed: pieces.filter((_, i) => i % 2 === 0).map((p) => Buffer.from(p, 'utf8')) };
    });
    return send(c, assemble(c, entry), status);
  };
  return Object.assign(serve, { renders: cache.renders });
}
