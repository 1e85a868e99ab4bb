/**
 * Compresses text responses (pages, CSS, scripts, CSV, JSON, Atom) with gzip or deflate when the client
 * accepts it, through hono/compress. Two things around it:
 * - a request that accepts neither encoding skips it entirely, read from Node's parsed headers: hono's
 *   compress reads the finished Response, which makes @hono/node-server build a full WHATWG Response
 *   (the cost server/middleware/security-headers.ts avoids);
 * - small responses stay as they are: hono's compress only knows a body's size from Content-Length,
 *   which a handler returning a string does not set, so the body of a compressible response is read
 *   once here and its length set.
 * - an answer built by `send()` (server/response-headers.ts) that is already compressed (a cached page,
 *   routes/page-gzip.ts) or small is left as it is without reading it back;
 * The per-request CSP nonce is already in the body when this runs (routes/register.tsx puts it back into
 * cached pages before returning), so compression never sees a page without its nonce.
 */
import { compress, COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/compress';
import { factory } from '../context';
import { header } from '../http';
import { COMPRESS_FROM, sentFinal } from '../response-headers';

export type CompressionOptions = {
  /** Bodies smaller than this many bytes are sent as they are. */
  threshold?: number;
};

const ACCEPTS = /\b(gzip|deflate)\b/i;

export function compression(options: CompressionOptions = {}) {
  const threshold = options.threshold ?? COMPRESS_FROM;
  const compressor = compress({ threshold });
  return factory.createMiddleware(async (c, next) => {
    if (c.req.method === 'HEAD' || !ACCEPTS.test(header(c, 'accept-encoding') ?? '')) return next();
    await next();
    // An answer from send() that is already gzip (a cached page) or small: never read back as a WHATWG Response.
    if (sentFinal(c)) return;
    return compressor(c, async () => {
      const res = c.res;
      if (
        !res.body ||
        res.headers.has('Content-Length') ||
        res.headers.has('Content-Encoding') ||
        !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(res.headers.get('Content-Type') ?? '')
      )
        return;
      const body = await res.arrayBuffer();
      c.res = new Response(body, res);
      c.res.headers.set('Content-Length', String(body.byteLength));
    });
  });
}
