/**
 * The site's icon: an SVG served by the service itself (no CDN) and linked from every page.
 */
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(() => {
  t = makeTestApp();
});
afterAll(() => t.close());

describe('/favicon.svg', () => {
  it('is a well-formed SVG, served with its type and cached', async () => {
    const res = await t.app.request('/favicon.svg');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    const svg = await res.text();
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).not.toMatch(/<script|href=|url\(/i);
  });

  it('is linked from the pages, in both languages', async () => {
    for (const url of ['/', '/projets', '/projets?lang=en', '/adresse-inconnue']) {
      expect(await (await t.app.request(url)).text(), url).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>');
    }
  });
});
