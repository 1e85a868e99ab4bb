/**
 * Personal and form pages are kept by no browser and no proxy (`Cache-Control: no-store`): every answer
 * under the form, tracking and back-office paths, redirects and error pages included, whatever the route
 * does. Set before the handler, as server/middleware/security-headers.ts does its headers, so the
 * response is built once.
 */
import { factory } from '../context';

/**
 * /demande…, /suivi…, /suivre…, /espace-pro…: the request form, the tracking pages, the follows of the
 * register (an address typed, one's follows) and the back office; and
 * /projets/<id>/signaler…, the form to report an error on a record (it may show back an address typed).
 */
export const PERSONAL_PATHS = /^\/(demande|suivi|suivre|espace-pro)(\/|$)|^\/projets\/[^/]+\/signaler(\/|$)/;

export type NoStoreOptions = { paths?: RegExp };

export function noStore({ paths = PERSONAL_PATHS }: NoStoreOptions = {}) {
  return factory.createMiddleware(async (c, next) => {
    if (paths.test(c.req.path)) c.header('Cache-Control', 'no-store');
    await next();
  });
}
