/**
 * Every public page in Debian's Chromium: axe-core finds no serious or critical violation in French
 * or English; with JavaScript off every page still renders its content and navigation; the skip link
 * moves focus to the content; no Content-Security-Policy violation is reported; the page fits 320 px.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentUrls } from '../../server/routes/content-pages';
import { launchBrowser, seriousViolations } from '../helpers/browser';
import { startTestServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
let withJs: BrowserContext;
let withoutJs: BrowserContext;

beforeAll(async () => {
  server = await startTestServer({}, { demoData: true });
  browser = await launchBrowser();
  withJs = await browser.newContext({ locale: 'fr-FR' });
  withoutJs = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const REGISTER_PAGES = [
  '/projets',
  '/projets?q=parkinson',
  '/projets?q=xylophone',
  '/projets?page=99',
  '/projets/bacteriemies',
  '/projets/hugo-share',
  '/organisations/ap-hp',
  '/sources/snds',
];
const TOOL_PAGES = [
  '/outils/delai',
  '/outils/delai?recu=2026-04-30&mois=1&calendrier=FR-57',
  '/outils/delai?recu=2026-13-45',
  '/demande',
  '/demande?projet=bacteriemies',
  '/suivi',
  '/suivi/envoye',
];
const pages = [...contentUrls(), ...REGISTER_PAGES, ...TOOL_PAGES, '/une-page-qui-n-existe-pas'];
const withLang = (url: string, lang: string) => `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  it('the checker itself reports a known violation (so a clean result means something)', async () => {
    const page = await withJs.newPage();
    await page.setContent('<html><body><main><img src="x.png"><a href="/x"></a></main></body></html>');
    const ids = (await seriousViolations(page)).map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['image-alt', 'link-name', 'html-has-lang']));
    await page.close();
  });

  // Pages are checked four at a time: each has its own tab, and the browser works while Node waits.
  it.concurrent.each(
    pages.flatMap(
      (u) =>
        [
          [u, 'fr'],
          [u, 'en'],
        ] as const,
    ),
  )('%s in %s has no serious or critical violation', async (url, lang) => {
    const page = await withJs.newPage();
    const cspErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) cspErrors.push(msg.text());
    });
    const res = await page.goto(`${server.url}${withLang(url, lang)}`);
    expect(res?.status()).toBe(url.startsWith('/une-page') ? 404 : url.includes('2026-13-45') ? 422 : 200);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    const violations = await seriousViolations(page);
    expect(violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    expect(cspErrors).toEqual([]);
    await page.close();
  });
});

describe('without JavaScript', () => {
  it.each(pages)('%s renders its heading, navigation and footer', async (url) => {
    const page = await withoutJs.newPage();
    await page.goto(`${server.url}${url}`);
    expect((await page.locator('h1').first().innerText()).length).toBeGreaterThan(3);
    expect(await page.locator('nav#navigation a').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('footer a[href="/accessibilite"]').count()).toBe(1);
    await page.close();
  });

  it('switches language by the link and keeps it while browsing', async () => {
    const page = await withoutJs.newPage();
    await page.goto(`${server.url}/comprendre/vos-droits`);
    await page.getByRole('link', { name: /English/ }).click();
    // click() does not wait for the page it opens: wait until it has loaded, then read it.
    await page.waitForURL(/\/comprendre\/vos-droits\?lang=en$/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.locator('nav#navigation').getByRole('link', { name: 'Understand' }).click();
    await page.waitForURL(/\/comprendre$/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('h1').innerText()).toBe('Understand');
    await page.close();
  });
});

describe('keyboard and small screens', () => {
  it('the first Tab reaches the skip link, which moves focus to the main content', async () => {
    const page = await withJs.newPage();
    await page.goto(`${server.url}/comprendre`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#contenu');
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).position)).not.toBe('absolute');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('contenu');
    await page.close();
  });

  it.each(['/', '/comprendre/glossaire', '/facile-a-lire/m-opposer'])('%s has no horizontal scroll at 320 px', async (url) => {
    const page = await withJs.newPage();
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(`${server.url}${url}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});
