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
    expect(await page.locator('.results-count').innerText()).toContain('20 projets trouvés');
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
    // click() does not wait for the page it opens: wait until it has loaded, then read it.
    await page.waitForURL(/\/projets\/ns-park$/);
    // The button may stand both under the title and at the end of the rights section: each leads to the form.
    const rights = await page.getByRole('link', { name: 'Exercer mes droits sur ce projet' }).evaluateAll((links) => links.map((l) => l.getAttribute('href')));
    expect(rights.length).toBeGreaterThan(0);
    expect(new Set(rights)).toEqual(new Set(['/demande?projet=ns-park']));
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

  it('keeps the download links on the filters as they change', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${server.url}/projets`);
    const hrefs = () => page.locator('#open-data-links a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(await hrefs()).toEqual(['/projets.csv', '/projets-tableur.csv', '/projets.json', '/projets.atom', '/projets/schema.json']);
    await page.getByLabel('Étape').selectOption('depose');
    await page.waitForFunction(() => document.querySelector('#open-data-links a')?.getAttribute('href')?.includes('statut=depose'));
    await page.getByLabel('Rechercher un projet').fill('parkinson');
    await page.waitForFunction(() => document.querySelector('#open-data-links a')?.getAttribute('href')?.includes('q=parkinson'));
    expect(await hrefs()).toEqual([
      '/projets.csv?q=parkinson&statut=depose',
      '/projets-tableur.csv?q=parkinson&statut=depose',
      '/projets.json?q=parkinson&statut=depose',
      '/projets.atom?q=parkinson&statut=depose',
      '/projets/schema.json',
    ]);
    expect(await page.locator('.register__summary').innerText()).toContain('2 critères choisis');
    // What the links give is what the page shows.
    const csv = await (await fetch(`${server.url}${(await hrefs())[0]}`)).text();
    expect(csv.trim().split('\r\n')).toHaveLength(2);
    expect(csv).toContain('ns-park');
    await context.close();
  });
});

describe('register on a phone', () => {
  it('shows the first result on the first screen, the search folded behind a summary that opens it', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 375, height: 667 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/projets`);
    const top = await page
      .locator('.project-card')
      .first()
      .evaluate((e) => e.getBoundingClientRect().top);
    expect(top).toBeLessThan(667);
    expect(await page.getByLabel('Rechercher un projet').isVisible()).toBe(false);
    await page.getByText('Rechercher et filtrer').click();
    await page.getByLabel('Rechercher un projet').fill('parkinson');
    await page.waitForFunction(() => document.querySelector('#results-announce')?.textContent?.includes('1 projet trouvé'));
    expect(await titles(page)).toHaveLength(1);
    await context.close();
  });

  it('shows the search form unfolded on a wide screen, beside the results', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/projets`);
    expect(await page.getByLabel('Rechercher un projet').isVisible()).toBe(true);
    expect(await page.locator('.register__summary').isVisible()).toBe(false);
    const form = await page.locator('.register__filters').boundingBox();
    const first = await page.locator('.project-card').first().boundingBox();
    expect(first!.x).toBeGreaterThan(form!.x + form!.width);
    expect(first!.y).toBeLessThan(800);
    await context.close();
  });
});
