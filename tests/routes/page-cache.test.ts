/**
 * The regression guard of issue 15 (not timed): every public page that should come from the page cache
 * is rendered once per language and address, whatever the number of requests. Renders are counted at the
 * one place every full page goes through, the layout, so a route that stops using the cache (or a cache
 * key that changes per request) fails here. The same pages still carry a fresh CSP nonce in each response
 * and each visitor's own CSRF token; personal pages are rendered each time and stay no-store.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app';
import { importRows, projectRow } from '../helpers/register';
import { contentUrls } from '../../server/routes/content-pages';
import { MY_DATA_PATH } from '../../views/pages/content/MyDataPage';

const renders = vi.hoisted(() => ({ count: 0 }));

vi.mock('../../views/layouts/Layout', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../views/layouts/Layout')>();
  return {
    ...real,
    Layout: (props: Parameters<typeof real.Layout>[0]) => {
      renders.count += 1;
      return real.Layout(props);
    },
  };
});

let t: TestApp;
beforeAll(() => {
  t = makeTestApp();
  importRows(t, [projectRow({ id: 'cache-projet', titre_clair: 'Projet du cache' })]);
});
afterAll(() => t.close());

/**
 * Pages the same for everyone: served from the cache. Not "Which projects may use my data?": its answers
 * (in its address) may say something about a person's health, so they are not kept in memory.
 */
const CACHED = [
  ...contentUrls().filter((u) => u !== MY_DATA_PATH),
  '/outils/delai',
  '/outils/delai?recu=2026-04-30&mois=1&calendrier=FR',
  '/outils/delai?recu=pas-une-date&mois=1&calendrier=FR',
  '/demande',
  '/demande?projet=cache-projet',
  '/projets',
  '/projets?q=parcours',
  '/projets/cache-projet',
];

const get = (path: string, headers: Record<string, string> = {}) => t.app.request(`${t.deps.config.publicUrl.origin}${path}`, { headers });
const nonceOf = (res: Response) => /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1];

describe('the page cache', () => {
  it('finds every cached address among the site’s pages', () => {
    expect(contentUrls()).toContain('/');
    expect(CACHED.length).toBeGreaterThan(20);
  });

  it.each(['fr', 'en'])('renders each public page once in %s, however many times it is asked for', async (lang) => {
    for (const path of CACHED) {
      const url = `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
      const first = await get(url);
      expect(first.status, url).toBeLessThan(500);
      const before = renders.count;
      const again = [await get(url), await get(url), await get(url)];
      expect(renders.count - before, `${url} was rendered again`).toBe(0);
      for (const res of again) expect(res.status, url).toBe(first.status);
    }
  });

  it('puts a fresh nonce in every response, the same in the header and in the page', async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i += 1) {
      const res = await get('/');
      const nonce = nonceOf(res)!;
      const html = await res.text();
      expect(html).toContain(`nonce="${nonce}"`);
      expect(html).not.toMatch(/nonce-slot-|csrf-slot-/);
      nonces.add(nonce);
    }
    expect(nonces.size).toBe(3);
  });

  it('gives each visitor of a cached form their own CSRF token, with its cookie', async () => {
    const tokenIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    const a = await get('/demande');
    const b = await get('/demande');
    const [htmlA, htmlB] = [await a.text(), await b.text()];
    expect(tokenIn(htmlA)).toBeTruthy();
    expect(tokenIn(htmlA)).not.toBe(tokenIn(htmlB));
    expect(htmlA).not.toContain('csrf-slot-');
    expect(a.headers.get('set-cookie')).toMatch(/csrf=/);
    expect(a.headers.get('cache-control')).toBe('no-store');
    // A returning visitor keeps their cookie and gets the token made from it.
    const cookie = a.headers.get('set-cookie')!.split(';')[0]!;
    const again = await get('/demande', { cookie });
    expect(tokenIn(await again.text())).toBe(tokenIn(htmlA));
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it('sends a cached page as gzip compressed once, with this response’s nonce and token inside', async () => {
    const plain = await get('/demande');
    const cookie = plain.headers.get('set-cookie')!.split(';')[0]!;
    const plainHtml = await plain.text();
    for (let i = 0; i < 2; i += 1) {
      const res = await get('/demande', { cookie, 'accept-encoding': 'gzip, deflate, br' });
      expect(res.headers.get('content-encoding')).toBe('gzip');
      expect(res.headers.get('vary')).toMatch(/Accept-Encoding/);
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.length).toBeLessThan(plainHtml.length / 2);
      const html = gunzipSync(body).toString('utf8');
      // The same page as sent uncompressed, but for the nonce, which is this response's own.
      expect(html).toContain(`nonce="${nonceOf(res)}"`);
      expect(html.replaceAll(nonceOf(res)!, 'N')).toBe(plainHtml.replaceAll(nonceOf(plain)!, 'N'));
    }
  });

  it('renders personal pages on every request, never from the cache', async () => {
    const before = renders.count;
    for (let i = 0; i < 3; i += 1) {
      const res = await get('/suivi');
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect(renders.count - before).toBe(3);
  });

  it('keeps every security header on a cached page', async () => {
    const res = await get('/comprendre/vos-droits');
    for (const name of [
      'content-security-policy',
      'strict-transport-security',
      'x-content-type-options',
      'x-frame-options',
      'x-request-id',
      'content-language',
    ])
      expect(res.headers.get(name), name).toBeTruthy();
    expect(res.headers.get('vary')).toContain('Accept-Language');
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
