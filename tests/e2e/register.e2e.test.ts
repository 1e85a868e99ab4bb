/**
 * The register in Chromium: searching and filtering with JavaScript off (plain GET form), and with
 * JavaScript on (htmx swaps the results in place, pushes the URL and announces the count).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser';
import { startTestServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({}, { demoData: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const titles = (page: import('playwright-core').Page) => page.locator('.project-card__title a').allInnerTexts();

describe('register without JavaScript', () => {
  it('searches, filters and pages through a plain form submission', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${server.url}/projets`);
    expect(await page.locator('.results-count').innerText()).toContain('19 projets trouvés');
    await page.getByLabel('Rechercher un projet').fill('bacteriemies');
    await page.getByRole('button', { name: 'Afficher les projets' }).click();
    await page.waitForURL(/q=bacteriemies/);
    expect(await titles(page)).toHaveLength(1);
    expect((await titles(page))[0]).toMatch(/bactéri/i);

    await page.goto(`${server.url}/projets`);
    await page.getByLabel('Étape').selectOption('avis_cesrees');
    await page.getByRole('button', { name: 'Afficher les projets' }).click();
    await page.waitForURL(/statut=avis_cesrees/);
    expect(await page.locator('.results-count').innerText()).toContain('2 projets trouvés');

    await page.getByRole('link', { name: 'Effacer les critères' }).click();
    await context.close();
  });

  it('opens a project from the results and reaches its rights button', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${server.url}/projets?q=parkinson`);
    await page.locator('.project-card__title a').first().click();
    expect(new URL(page.url()).pathname).toBe('/projets/ns-park');
    expect(await page.getByRole('link', { name: 'Exercer mes droits sur ce projet' }).getAttribute('href')).toBe('/demande?projet=ns-park');
    await context.close();
  });
});

describe('register with JavaScript (htmx)', () => {
  it('updates the results in place, pushes the URL and announces the count', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/projets`);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    await page.getByLabel('Rechercher un projet').fill('parkinson');
    await page.waitForFunction(() => document.querySelector('#results-announce')?.textContent?.includes('1 projet trouvé'));
    expect(await titles(page)).toHaveLength(1);
    expect(page.url()).toContain('q=parkinson');
    // Same document: the page was not reloaded.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    await page.getByLabel('Étape').selectOption('avis_cesrees');
    await page.waitForFunction(() => document.querySelector('#results-announce')?.textContent?.includes('Aucun projet'));
    expect(page.url()).toContain('statut=avis_cesrees');
    expect(errors).toEqual([]);
    await context.close();
  });
});
