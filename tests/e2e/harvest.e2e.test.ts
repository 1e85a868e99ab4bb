/**
 * The harvest's pages in Chromium (issue 14, done-when 4). With JavaScript off, an administrator adds a
 * source through the real form (a refused URL first), reads it now, sees the projects appear, then a file
 * with a bad row refused with its line and column. Then, in French and English, the back-office page (with
 * its errors table and its form in error) and the project pages with their origin (one withdrawn by its
 * source) pass axe with no serious or critical violation.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRows, upsertOrganisation } from '../../server/db/register';
import { insertSession, insertUser } from '../../server/db/staff';
import type { ProjectRow } from '../../server/domain/register-schema';
import { rowsToCsv } from '../../server/services/register';
import { encryptUserEmail } from '../../server/services/staff';
import { launchBrowser, seriousViolations } from '../helpers/browser';
import { startRemote, type Remote } from '../helpers/harvest-remote';
import { projectRow } from '../helpers/register';
import { startTestServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
let remote: Remote;
let adminSession: string;

const ORG = 'chu-moissonne';
const PAGE = '/espace-pro/admin/moissonnage';
const db = () => server.deps.database.db;
const row = (id: string, overrides: Partial<ProjectRow> = {}) =>
  projectRow({ id, responsable_id: ORG, responsable_nom: 'CHU moissonné', titre_clair: `Projet moissonné ${id}`, ...overrides });

beforeAll(async () => {
  remote = await startRemote();
  server = await startTestServer({ WEBHOOK_ALLOW: remote.origin });
  upsertOrganisation(db(), { id: ORG, name: 'CHU moissonné' }, new Date().toISOString());
  const id = randomUUID();
  const email = 'admin.moisson@example.org';
  const now = new Date();
  insertUser(db(), {
    id,
    handle: randomBytes(32).toString('base64url'),
    emailEnc: encryptUserEmail(server.deps, id, email),
    emailIndex: server.deps.index.email(email),
    role: 'admin',
    organisationId: null,
    createdAt: now.toISOString(),
  });
  adminSession = randomBytes(32).toString('base64url');
  insertSession(db(), {
    idHash: createHash('sha256').update(adminSession).digest('hex'),
    userId: id,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await remote?.stop();
});

async function signedIn(javaScriptEnabled: boolean, lang: 'fr' | 'en'): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled, locale: lang === 'fr' ? 'fr-FR' : 'en-GB' });
  await context.addCookies([{ name: 'session', value: adminSession, url: server.url }]);
  return context;
}

async function accessible(page: Page, where: string) {
  const violations = await seriousViolations(page);
  expect(violations.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function runNow(page: Page) {
  await page.locator(`form[action$="/lecture"] button[type=submit]`).first().click();
  await page.waitForURL(/fait=/);
}

describe('with JavaScript off', () => {
  it('adds a source, reads it, and sees a bad file refused with its line and column', { timeout: 120_000 }, async () => {
    const context = await signedIn(false, 'fr');
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${server.url}${PAGE}?lang=fr`);
    await page.selectOption('#f-organisation', ORG);
    await page.fill('#f-url', 'https://ailleurs.example.org/projets.csv');
    await page.check('#f-format');
    await page.locator(`form[action="${PAGE}"] button[type=submit]`).click();
    await page.waitForSelector('.error-summary');
    expect(await page.title()).toMatch(/^Erreur : /);
    expect(await page.locator('#f-url-error').innerText()).toContain('n’est pas autorisée');
    await page.fill('#f-url', `${remote.origin}/projets.csv`);
    await page.locator(`form[action="${PAGE}"] button[type=submit]`).click();
    await page.waitForURL(/fait=sourceCreated/);

    remote.file = { body: rowsToCsv([row('p-e2e-un'), row('p-e2e-deux')]) };
    await runNow(page);
    expect(await page.locator('main [role=status]').innerText()).toContain('Lecture terminée');
    expect(projectRows(db(), ['p-e2e-un', 'p-e2e-deux'])).toHaveLength(2);

    remote.file = { body: rowsToCsv([row('p-e2e-un')]) };
    await runNow(page);

    remote.file = { body: rowsToCsv([row('p-e2e-un', { titre_clair: 'Changé' }), row('p-e2e-trois', { date_depot: '2026-02-30' })]) };
    await runNow(page);
    expect(await page.locator('main [role=status]').innerText()).toContain('La lecture a échoué');
    const errors = await page.locator('main table tbody tr').first().innerText();
    expect(errors).toMatch(/^3\s+date_depot/);
    expect(projectRows(db(), ['p-e2e-un'])[0]!.titre_clair).toBe('Projet moissonné p-e2e-un');
    await context.close();
  });
});

describe.each(['fr', 'en'] as const)('harvest pages in %s', (lang) => {
  it('the back-office page, its form in error and the project pages with their origin pass axe', { timeout: 120_000 }, async () => {
    const context = await signedIn(true, lang);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${server.url}${PAGE}?lang=${lang}`);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    expect(await page.locator('main table').count()).toBeGreaterThan(0);
    await accessible(page, 'harvest page with errors');
    await page.locator(`form[action="${PAGE}"] button[type=submit]`).click();
    await page.waitForSelector('.error-summary');
    await accessible(page, 'harvest page, add form with errors');

    await page.goto(`${server.url}/projets/p-e2e-un`);
    expect(await page.locator('.project__origin').innerText()).toMatch(
      lang === 'fr' ? /^Publié par le CHU moissonné, lu/ : /^Published by CHU moissonné, last read/,
    );
    await accessible(page, 'project page with origin');
    await page.goto(`${server.url}/projets/p-e2e-deux`);
    expect(await page.locator('main').innerText()).toContain(lang === 'fr' ? 'n’est plus publié par sa source' : 'no longer been published by its source');
    await accessible(page, 'project page withdrawn by its source');
    await context.close();
  });
});
