/**
 * The API's human page (/outils/api) in Debian's Chromium (issue 14): axe-core finds no serious or
 * critical violation in French or English at 375 and 1280 px; the page never scrolls sideways on a phone
 * (the curl commands wrap); with JavaScript off it is reached from the footer, its link to the OpenAPI
 * document opens the document, and a problem's `type` lands on its explanation on the page.
 * Screenshots go to /tmp/shots-api/ for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, seriousViolations } from '../helpers/browser';
import { startTestServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
let withJs: BrowserContext;
let withoutJs: BrowserContext;
const SHOTS = '/tmp/shots-api';

beforeAll(async () => {
  server = await startTestServer({}, { demoData: true });
  browser = await launchBrowser();
  withJs = await browser.newContext({ locale: 'fr-FR' });
  withoutJs = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('/outils/api', () => {
  it.concurrent.each([
    ['fr', 375],
    ['fr', 1280],
    ['en', 375],
    ['en', 1280],
  ] as const)('in %s at %i px: no serious or critical axe violation, no sideways scroll, no CSP error', async (lang, width) => {
    const page = await withJs.newPage();
    const cspErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) cspErrors.push(msg.text());
    });
    await page.setViewportSize({ width, height: 900 });
    const res = await page.goto(`${server.url}/outils/api?lang=${lang}`);
    expect(res?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    expect(await page.locator('h1').innerText()).toBe(lang === 'fr' ? 'API du registre et des chiffres publics' : 'API of the register and the public figures');
    const violations = await seriousViolations(page);
    expect(violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(cspErrors).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/outils-api-${lang}-${width}.png`, fullPage: true });
    await page.close();
  });

  it('without JavaScript: reached from the footer, its examples on the service’s address, the OpenAPI document one link away', async () => {
    const page = await withoutJs.newPage();
    await page.goto(`${server.url}/`);
    await page.locator('footer a[href="/outils/api"]').click();
    await page.waitForURL(`${server.url}/outils/api`);
    expect(await page.locator('pre.command').first().innerText()).toBe(`curl '${server.url}/api/v1/projets?statut=autorise&limit=5'`);
    // Every documented path is listed.
    const listed = await page.locator('#api-endpoints ~ dl dt code, section[aria-labelledby="api-endpoints"] dt code').allInnerTexts();
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect([...new Set(listed)].sort()).toEqual(Object.keys(doc.paths).sort());
    // A problem's type is the address of its explanation here.
    const problem = (await (await fetch(`${server.url}/api/v1/projets?limit=0`)).json()) as { type: string };
    const anchor = new URL(problem.type).hash;
    expect(await page.locator(anchor).innerText()).toContain('Paramètres refusés');
    const [doc2] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/openapi.json')),
      page.getByRole('link', { name: 'le document OpenAPI (JSON)' }).click(),
    ]);
    expect(doc2.status()).toBe(200);
    expect(doc2.headers()['content-type']).toContain('application/json');
    await page.close();
  });
});
