/**
 * Static assets: our stylesheet and scripts, read once from disk; htmx and the SimpleWebAuthn browser
 * library come from their npm packages: nothing is loaded from a CDN. URLs carry a version, so they
 * can be cached for a year.
 */
import { Hono } from 'hono';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppEnv } from '../context';

const require = createRequire(import.meta.url);

type Asset = { body: string; type: string };

export function loadAssets(): Record<string, Asset> {
  return {
    'app.css': { body: readFileSync(fileURLToPath(new URL('../../views/assets/app.css', import.meta.url)), 'utf8'), type: 'text/css; charset=utf-8' },
    'htmx.min.js': { body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js'), 'utf8'), type: 'text/javascript; charset=utf-8' },
    // The package exports only its modules; its UMD bundle (window.SimpleWebAuthnBrowser) sits beside them.
    'simplewebauthn-browser.js': {
      body: readFileSync(join(dirname(require.resolve('@simplewebauthn/browser')), '../dist/bundle/index.umd.min.js'), 'utf8'),
      type: 'text/javascript; charset=utf-8',
    },
    'passkey.js': {
      body: readFileSync(fileURLToPath(new URL('../../views/assets/passkey.js', import.meta.url)), 'utf8'),
      type: 'text/javascript; charset=utf-8',
    },
  };
}

/** The site's icon, the brand mark of the header (linked from the layout). */
const FAVICON = readFileSync(fileURLToPath(new URL('../../views/assets/favicon.svg', import.meta.url)), 'utf8');

export function assetRoutes(assets: Record<string, Asset> = loadAssets()) {
  const app = new Hono<AppEnv>();
  app.get('/favicon.svg', (c) => {
    c.header('Content-Type', 'image/svg+xml');
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(FAVICON);
  });
  // A Map, not the object: `assets['__proto__']` or `assets.toString` would find what every object inherits.
  const byName = new Map(Object.entries(assets));
  app.get('/assets/:name', (c) => {
    const asset = byName.get(c.req.param('name'));
    if (!asset) return c.notFound();
    c.header('Content-Type', asset.type);
    c.header('Cache-Control', c.req.query('v') ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    return c.body(asset.body);
  });
  return app;
}
