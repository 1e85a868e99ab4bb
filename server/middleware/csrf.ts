/**
 * Cross-site request forgery protection for every unsafe method.
 *
 * Three checks, any one of which refuses with 403: the browser's Fetch Metadata says the request came
 * from another site; the Origin header names another origin; the form (field `_csrf`) or htmx
 * (header `x-csrf-token`) token does not match this visitor's CSRF cookie. The token is an HMAC of the
 * random cookie value, so a page from another site can neither read nor forge it. Machine endpoints that
 * authenticate each request by signature (signed callbacks) are listed in `exempt`. The form is read with
 * the routes' own reader (server/http.ts readForm): a body that does not parse is a 400 here too.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { cookie, header, readForm } from '../http';
import { setCookieHeader } from '../response-headers';
import { HTTPException } from 'hono/http-exception';
import { factory } from '../context';

export type CsrfOptions = {
  secret: Buffer;
  /** Origins allowed to post (the public URL's origin). */
  allowedOrigins: string[];
  secureCookies: boolean;
  /** Path prefixes whose requests are authenticated otherwise (signatures). */
  exempt?: string[];
};

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export class CsrfError extends HTTPException {
  constructor(reason: string) {
    super(403, { message: `CSRF check failed: ${reason}` });
  }
}

export function csrf({ secret, allowedOrigins, secureCookies, exempt = [] }: CsrfOptions) {
  const cookieName = secureCookies ? '__Host-csrf' : 'csrf';
  const tokenFor = (cookieValue: string) => createHmac('sha256', secret).update(`csrf:${cookieValue}`).digest('base64url');

  return factory.createMiddleware(async (c, next) => {
    let cookieValue = cookie(c, cookieName);
    c.set('csrfToken', () => {
      if (!cookieValue) {
        cookieValue = randomBytes(32).toString('base64url');
        setCookieHeader(c, cookieName, cookieValue, { path: '/', httpOnly: true, secure: secureCookies, sameSite: 'Lax' });
      }
      return tokenFor(cookieValue);
    });

    if (SAFE.has(c.req.method) || exempt.some((prefix) => c.req.path.startsWith(prefix))) return next();

    const site = header(c, 'sec-fetch-site');
    if (site && site !== 'same-origin' && site !== 'none') throw new CsrfError('cross-site fetch metadata');
    const origin = header(c, 'origin');
    const ownOrigin = new URL(c.req.url).origin;
    if (origin && origin !== ownOrigin && !allowedOrigins.includes(origin)) throw new CsrfError('foreign origin');

    let sent = header(c, CSRF_HEADER);
    if (!sent) {
      const type = header(c, 'content-type') ?? '';
      if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
        const body = await readForm(c);
        const field = body[CSRF_FIELD];
        sent = typeof field === 'string' ? field : undefined;
      }
    }
    if (!cookieValue || !sent) throw new CsrfError('missing token');
    const expected = Buffer.from(tokenFor(cookieValue));
    const given = Buffer.from(sent);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new CsrfError('token mismatch');
    return next();
  });
}
