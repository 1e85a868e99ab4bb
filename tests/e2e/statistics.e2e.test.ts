/**
 * The public figures' pages in Debian's Chromium (issue 13), over the demonstration history: axe-core
 * finds no serious or critical violation in French or English (bad filters included); with JavaScript
 * off the charts, tables, sorting links and filter form work; no Content-Security-Policy violation; on a
 * 375 px phone the page itself never scrolls sideways (charts and tables scroll in their own region).
 * Screenshots at 1280 and 375 px go to /tmp/shots-stats/ for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStatisticsDemo } from '../../server/services/statistics-demo';
import { launchBrowser, seriousViolations } from '../helpers/browser';
import { startTestServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
let withJs: BrowserContext;
let withoutJs: BrowserContext;
const SHOTS = '/tmp/shots-stats';

beforeAll(async () => {
  server = await startTestServer({}, { demoData: true });
  seedStatisticsDemo({ db: server.deps.database.db, now: server.deps.now });
  browser = await launchBrowser();
  withJs = await browser.newContext({ locale: 'fr-FR' });
  withoutJs = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const PAGES: [string, number][] = [
  ['/statistiques', 200],
  ['/statistiques?type=acces&tri=taux&ordre=desc', 200],
  ['/statistiques?du=2026-13&type=x', 400],
  ['/statistiques?periode=2099-T1', 400],
  ['/statistiques/methode', 200],
  ['/statistiques/organisations/cnam', 200],
  ['/statistiques/organisations/ap-hp', 200],
  ['/organisations/ap-hp', 200],
];
const withLang = (url: string, lang: string) => `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  it.concurrent.each(
    PAGES.flatMap(
      ([u, s]) =>
        [
          [u, s, 'fr'],
          [u, s, 'en'],
        ] as const,
    ),
  )('%s (%i) in %s has no serious or critical violation', async (url, status, lang) => {
    const page = await withJs.newPage();
    const cspErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) cspErrors.push(msg.text());
    });
    const res = await page.goto(`${server.url}${withLang(url, lang)}`);
    expect(res?.status()).toBe(status);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    const violations = await seriousViolations(page);
    expect(violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    expect(cspErrors).toEqual([]);
    await page.close();
  });
});

describe('without JavaScript', () => {
  it('shows the charts and their tables, sorts by a header link and filters by the form', async () => {
    const page = await withoutJs.newPage();
    await page.goto(`${server.url}/statistiques`);
    expect(await page.locator('svg.chart[role="img"]').count()).toBe(2);
    expect(await page.locator('#monthly-requests-caption').isVisible()).toBe(true);

    await page.locator('th a.sort-link', { hasText: 'Demandes reçues' }).click();
    await page.waitForURL(/tri=recues&ordre=desc/);
    expect(await page.locator('th[aria-sort="descending"]').innerText()).toContain('Demandes reçues');

    const quarter = await page.locator('#f-periode option').nth(1).getAttribute('value');
    await page.selectOption('#f-periode', quarter!);
    await page.selectOption('#f-type', 'opposition');
    await page.getByRole('button', { name: 'Afficher les chiffres' }).click();
    await page.waitForURL(new RegExp(`periode=${quarter}&type=opposition`));
    expect(await page.locator('table:has(#monthly-requests-caption) tbody tr').count()).toBe(12);

    await page.goto(`${server.url}/statistiques?du=2026-02&au=2026-03`);
    expect(await page.locator('.error-summary').innerText()).toContain('publiés par trimestre entier');
    await page.close();
  });
});

describe('small screens and screenshots', () => {
  it.each(['/statistiques', '/statistiques/methode', '/statistiques/organisations/cnam'])(
    '%s never scrolls sideways at 375 px; screenshots at 1280 and 375 px',
    async (url) => {
      const name = url.replace(/^\//, '').replace(/\//g, '-');
      for (const width of [1280, 375]) {
        const page = await withJs.newPage();
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${server.url}${url}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
        await page.close();
      }
    },
  );
});
