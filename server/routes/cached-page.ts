/**
 * A public page served from a render cache (services/render-cache.ts), as the register serves its own
 * (routes/register.tsx): rendered once per version, language, address and `extraKey`, kept as the
 * pieces around the CSP nonce so each response joins them with its own. Only for pages that hold
 * nothing of the visitor (no form token, no name): a signed-in member of staff always gets a fresh one.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../context';
import { createRenderCache, type RenderCache } from '../services/render-cache';

export type PageCache = RenderCache<string[]>;

export function createPageCache(maxEntries = 200): PageCache {
  return createRenderCache<string[]>(maxEntries);
}

export function cachedHtml(c: Context<AppEnv>, cache: PageCache, version: string | number, extraKey: string, render: () => unknown): string {
  if (c.get('staff')) return String(render());
  const nonce = c.get('secureHeadersNonce') ?? '';
  const key = `${c.get('tr').lang}|${c.req.path}|${new URL(c.req.url).search}|${extraKey}`;
  const parts = cache.get(version, key, () => {
    const out = String(render());
    return nonce ? out.split(nonce) : [out];
  });
  return parts.join(nonce);
}
