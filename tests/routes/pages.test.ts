import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentUrls } from '../../server/routes/content-pages';
import { cookiesFrom, makeTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(() => {
  t = makeTestApp();
});
afterAll(() => t.close());

const htmlLang = (html: string) => /<html lang="([a-z]+)"/.exec(html)?.[1];
const h1 = (html: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1];

describe('language', () => {
  it('serves French by default', async () => {
    const res = await t.app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(htmlLang(html)).toBe('fr');
    expect(html).toContain('Que voulez-vous faire ?');
  });

  it('switches to English with ?lang=en and remembers it in a cookie', async () => {
    const res = await t.app.request('/?lang=en');
    const html = await res.text();
    expect(htmlLang(html)).toBe('en');
    expect(html).toContain('What do you want to do?');
    const cookie = cookiesFrom(res);
    expect(cookie).toBe('lang=en');
    const next = await t.app.request('/comprendre', { headers: { cookie } });
    const nextHtml = await next.text();
    expect(htmlLang(nextHtml)).toBe('en');
    expect(h1(nextHtml)).toBe('Understand');
  });

  it('follows Accept-Language when nothing else says', async () => {
    const res = await t.app.request('/comprendre', { headers: { 'accept-language': 'de-DE, en-GB;q=0.8, fr;q=0.5' } });
    expect(htmlLang(await res.text())).toBe('en');
    const fr = await t.app.request('/comprendre', { headers: { 'accept-language': 'fr-CA, en;q=0.5' } });
    expect(htmlLang(await fr.text())).toBe('fr');
  });

  it('prefers ?lang over the cookie, and the cookie over Accept-Language', async () => {
    const a = await t.app.request('/?lang=fr', { headers: { cookie: 'lang=en', 'accept-language': 'en' } });
    expect(htmlLang(await a.text())).toBe('fr');
    const b = await t.app.request('/', { headers: { cookie: 'lang=fr', 'accept-language': 'en' } });
    expect(htmlLang(await b.text())).toBe('fr');
  });

  it('ignores an unknown language instead of failing', async () => {
    const res = await t.app.request('/?lang=xx%3Cscript%3E');
    expect(res.status).toBe(200);
    expect(htmlLang(await res.text())).toBe('fr');
  });

  it('offers a switch that keeps the reader on the same page and its query', async () => {
    const html = await (await t.app.request('/comprendre/vos-droits?lang=fr&x=1')).text();
    expect(html).toContain('href="/comprendre/vos-droits?lang=en&amp;x=1"');
  });
});

describe('every page', () => {
  const urls = contentUrls();
  it.each(
    urls.flatMap(
      (u) =>
        [
          [u, 'fr'],
          [u, 'en'],
        ] as const,
    ),
  )('%s answers 200 in %s with its own h1 and title', async (url, lang) => {
    const res = await t.app.request(`${url}?lang=${lang}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(htmlLang(html)).toBe(lang);
    expect(h1(html)?.trim().length).toBeGreaterThan(3);
    expect(html).toMatch(/<title>[^<]+ – [^<]+<\/title>/);
    expect(html).toContain('href="#contenu"');
    expect(html).toContain('<main id="contenu"');
  });

  it('is reachable by links from the navigation, the footer or the section pages', async () => {
    const linked = new Set<string>();
    for (const url of urls) {
      const html = await (await t.app.request(url)).text();
      for (const m of html.matchAll(/href="(\/[^"?#]*)/g)) linked.add(m[1]!);
    }
    for (const url of urls) expect(linked, url).toContain(url);
  });

  it('answers an unknown address with the localized 404 page', async () => {
    const fr = await t.app.request('/nulle-part');
    expect(fr.status).toBe(404);
    const frHtml = await fr.text();
    expect(h1(frHtml)).toBe('Page introuvable');
    expect(htmlLang(frHtml)).toBe('fr');
    const en = await t.app.request('/comprendre/nowhere?lang=en');
    expect(en.status).toBe(404);
    expect(h1(await en.text())).toBe('Page not found');
  });
});

describe('assets', () => {
  it('serves the stylesheet and htmx from the package, never from a CDN', async () => {
    const css = await t.app.request('/assets/app.css?v=1');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
    const js = await t.app.request('/assets/htmx.min.js?v=1');
    expect(js.status).toBe(200);
    expect(await js.text()).toMatch(/htmx/);
    const html = await (await t.app.request('/')).text();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\/(?!localhost)/);
  });
});
