/**
 * Links built from the request path stay on this site: a path that starts with `//` (or `/\`) would make
 * the language switch and the hreflang alternates point to another host if copied as it came.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sameOriginPath } from '../../server/routes/render';
import { makeTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(() => {
  t = makeTestApp();
});
afterAll(() => t.close());

/** Every address a page links to or loads: href, src, action, formaction. */
const addresses = (html: string) => [...html.matchAll(/\s(?:href|src|action|formaction)="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

const PATHS = [
  '//evil.example/x',
  '//evil.example/projets?lang=en',
  '///evil.example',
  '//evil.example',
  '/\\evil.example/x',
  '/\\/evil.example/',
  '//evil.example/espace-pro',
  '//evil.example/suivi',
  '/%2F%2Fevil.example/x',
];

describe('links built from the request path', () => {
  it.each(PATHS)('are all same-origin on %s', async (path) => {
    const origin = t.deps.config.publicUrl.origin;
    const res = await t.app.request(`${origin}${path}`);
    const html = await res.text();
    expect(res.status).toBeLessThan(500);
    const found = addresses(html);
    expect(found.length).toBeGreaterThan(5);
    // The language switch and both alternates are there, each pointing to this site.
    expect(html).toMatch(/<link rel="alternate" hreflang="en" href="\/[^/\\]/);
    for (const href of found) expect(new URL(href, `${origin}/some/page`).origin, href).toBe(origin);
    const location = res.headers.get('location');
    if (location) expect(new URL(location, origin).origin).toBe(origin);
  });

  it('keeps a path of this site as it is, and makes any other one a path of this site', () => {
    expect(sameOriginPath('/projets/ns-park')).toBe('/projets/ns-park');
    expect(sameOriginPath('/')).toBe('/');
    expect(sameOriginPath('//evil.example/x')).toBe('/evil.example/x');
    expect(sameOriginPath('/\\\\evil.example')).toBe('/evil.example');
    expect(sameOriginPath('')).toBe('/');
  });
});
