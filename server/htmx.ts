/**
 * htmx request headers (https://htmx.org/reference/#request_headers). htmx only enhances: every route
 * also answers a plain request with the full page.
 */
import type { Context } from 'hono';

export const HX_REQUEST = 'HX-Request';
export const HX_TARGET = 'HX-Target';

export function isHtmxRequest(c: Context): boolean {
  return c.req.header(HX_REQUEST) === 'true';
}
