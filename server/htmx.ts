/**
 * htmx request headers (https://htmx.org/reference/#request_headers). htmx only enhances: every route
 * also answers a plain request with the full page.
 */
import type { Context } from 'hono';
import { header } from './http';

export const HX_REQUEST = 'hx-request';
export const HX_TARGET = 'hx-target';

export function isHtmxRequest(c: Context): boolean {
  return header(c, HX_REQUEST) === 'true';
}
