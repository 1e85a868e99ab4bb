/**
 * Helpers shared by routes that render full pages.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../context';
import { LANGUAGES, type Lang } from '../i18n';
import type { PageContext } from '../../views/page-context';

/** Changes with each start, so browsers fetch new assets after a deployment. */
export const ASSET_VERSION = Date.now().toString(36);

/**
 * A path of this site, whatever the request path was: `//host/x` or `/\host/x` in an href is another
 * site for a browser, so leading slashes and backslashes become one slash.
 */
export function sameOriginPath(path: string): string {
  return `/${path.replace(/^[/\\]+/, '')}`;
}

/** The current page's address in `lang`, keeping its other query parameters. */
export function pageIn(c: Context<AppEnv>, lang: Lang): string {
  const url = new URL(c.req.url);
  url.searchParams.set('lang', lang);
  return `${sameOriginPath(url.pathname)}?${url.searchParams.toString()}`;
}

export function pageContext(c: Context<AppEnv>): PageContext {
  return {
    tr: c.get('tr'),
    nonce: c.get('secureHeadersNonce'),
    path: sameOriginPath(c.req.path),
    alternates: Object.fromEntries(LANGUAGES.map((l) => [l, pageIn(c, l)])) as Record<Lang, string>,
    csrfToken: c.get('csrfToken'),
    assetVersion: ASSET_VERSION,
    staff: c.get('staff') ? { role: c.get('staff')!.user.role, organisationId: c.get('staff')!.user.organisationId, ...c.get('staffWho') } : undefined,
  };
}
