/**
 * The new pages of issue 14's last parts in Chromium. With JavaScript off: a visitor reports an error
 * through the form at the end of a project page (a bad report first, then a good one with an address); an
 * editor finds it in the queue and marks it handled, and the person's mail arrives on a real SMTP server;
 * a citizen answers the three questions of "Which projects may use my data?" and follows a project's
 * objection button to the request form; an administrator edits a harvest source and turns it off. Then,
 * in French and English and at 375 px, each of these pages (with its errors where it has some) has no
 * horizontal scroll and axe finds nothing serious or critical.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertHarvestSource } from '../../server/db/harvest';
import { recordReports } from '../../server/db/schema';
import { insertSession, insertUser, type Role } from '../../server/db/staff';
import { encryptUserEmail } from '../../server/services/staff';
import { launchBrowser, seriousViolations } from '../helpers/browser';
import { startTestServer, type RunningServer } from '../helpers/server';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

const PROJECT = 'bacteriemies';
const MY_DATA = '/comprendre/mes-donnees-dans-les-projets';
const HARVEST = '/espace-pro/admin/moissonnage';
const PHONE = { width: 375, height: 667 };
const LANGS = ['fr', 'en'] as const;
type Lang = (typeof LANGS)[number];

let server: RunningServer;
let smtp: TestSmtp;
let browser: Browser;
let sourceId: string;
const sessions: Partial<Record<Role, string>> = {};

function staffSession(role: Role): string {
  const db = server.deps.database.db;
  const id = randomUUID();
  const address = `${role}-${id.slice(0, 8)}@example.org`;
  const now = new Date();
  insertUser(db, {
    id,
    handle: randomBytes(16).toString('base64url'),
    emailEnc: encryptUserEmail(server.deps, id, address),
    emailIndex: server.deps.index.email(address),
    role,
    organisationId: null,
    createdAt: now.toISOString(),
  });
  const session = randomBytes(32).toString('base64url');
  insertSession(db, {
    idHash: createHash('sha256').update(session).digest('hex'),
    userId: id,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 6 * 3_600_000).toISOString(),
  });
  return session;
}

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startTestServer({ SMTP_URL: smtp.url, WEBHOOK_ALLOW: 'https://entrepot.example.org' }, { demoData: true });
  sessions.editor = staffSession('editor');
  sessions.admin = staffSession('admin');
  sourceId = randomUUID();
  const nowIso = new Date().toISOString();
  insertHarvestSource(server.deps.database.db, {
    id: sourceId,
    organisationId: 'ap-hp',
    url: 'https://entrepot.example.org/projets.csv',
    format: 'csv',
    schedule: 'weekly',
    // Not due for a week: the worker does not try to read it during the test.
    nextRunAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    createdAt: nowIso,
    updatedAt: nowIso,
  });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.stop();
});

async function context(lang: Lang, options: { javaScriptEnabled?: boolean; phone?: boolean; as?: Role } = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    locale: lang === 'fr' ? 'fr-FR' : 'en-GB',
    ...(options.phone ? { viewport: PHONE } : {}),
  });
  ctx.setDefaultTimeout(15_000);
  await ctx.addCookies([{ name: 'lang', value: lang, url: server.url }]);
  if (options.as) await ctx.addCookies([{ name: 'session', value: sessions[options.as]!, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
  return ctx;
}

/** No horizontal scroll of the page, and axe clean. */
async function checked(page: Page, where: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${where}: the page scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
  const violations = await seriousViolations(page);
  expect(violations.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

describe('with JavaScript off', () => {
  it('a visitor reports an error; an editor handles it; the person is told by mail', { timeout: 120_000 }, async () => {
    const visitor = await context('fr', { javaScriptEnabled: false });
    const page = await visitor.newPage();
    await page.goto(`${server.url}/projets/${PROJECT}`);
    const form = page.locator(`form[action="/projets/${PROJECT}/signaler"]`);
    await form.locator('button[type=submit]').click();
    await page.waitForSelector('.error-summary');
    expect(await page.title()).toMatch(/^Erreur : /);
    expect(await page.locator('#f-message-error').innerText()).toContain('Décrivez ce qui est faux');
    await page.fill('#f-message', 'La date de l’avis du comité est fausse.');
    await page.fill('#f-email', 'camille.e2e@example.org');
    await page.locator(`form[action="/projets/${PROJECT}/signaler"] button[type=submit]`).click();
    await page.waitForURL(/\/signaler\/merci$/);
    expect(await page.locator('h1').innerText()).toBe('Signalement envoyé');
    await visitor.close();

    const editor = await context('fr', { javaScriptEnabled: false, as: 'editor' });
    const queue = await editor.newPage();
    await queue.goto(`${server.url}/espace-pro`);
    await queue.getByRole('link', { name: 'Traiter les erreurs signalées sur les fiches' }).click();
    await queue.waitForURL(/\/espace-pro\/signalements$/);
    expect(await queue.locator('main table').innerText()).toContain('La date de l’avis du comité est fausse.');
    await queue.locator('main table tbody tr').first().locator('a').click();
    await queue.waitForURL(/\/espace-pro\/signalements\/[0-9a-f-]{36}$/);
    await queue.check('#f-status-traite');
    await queue.locator('form[action$="/etat"] button[type=submit]').click();
    await queue.waitForURL(/fait=mailed/);
    expect(await queue.locator('main [role=status]').innerText()).toContain('La personne va recevoir un e-mail');
    await editor.close();

    const mail = await smtp.mail({ to: 'camille.e2e@example.org' });
    expect(mail.subject).toBe('Votre signalement sur le registre a été traité');
    expect(mail.text).toContain(`${server.url}/projets/${PROJECT}`);
    expect(
      server.deps.database.db
        .select()
        .from(recordReports)
        .all()
        .every((r) => r.emailEnc === null),
    ).toBe(true);
  });

  it('a citizen answers the three questions and follows an objection button', { timeout: 60_000 }, async () => {
    const ctx = await context('fr', { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Quels projets peuvent utiliser mes données ?' }).click();
    await page.waitForURL(new RegExp(`${MY_DATA}$`));
    await page.check('#f-assure');
    await page.check('#f-hopital');
    await page.getByRole('button', { name: 'Voir les projets' }).click();
    await page.waitForURL(/reponses=1/);
    expect(page.url()).not.toMatch(/nom|nir/);
    expect(await page.locator('#resultats ~ .results-count, .results-count').first().innerText()).toMatch(/projets? du registre/);
    const first = page.locator('.project-list a.button').first();
    await first.click();
    await page.waitForURL(/\/demande/);
    await ctx.close();
  });

  it('an administrator edits a harvest source and turns it off', { timeout: 60_000 }, async () => {
    const ctx = await context('fr', { javaScriptEnabled: false, as: 'admin' });
    const page = await ctx.newPage();
    await page.goto(`${server.url}${HARVEST}`);
    await page.locator(`a[href="${HARVEST}/${sourceId}"]`).click();
    await page.fill('#f-url', 'https://ailleurs.example.org/x.csv');
    await page.locator(`form[action="${HARVEST}/${sourceId}"] button[type=submit]`).click();
    await page.waitForSelector('.error-summary');
    expect(await page.title()).toMatch(/^Erreur : /);
    await page.fill('#f-url', 'https://entrepot.example.org/v2/projets.csv');
    await page.check('#f-schedule-daily');
    await page.locator(`form[action="${HARVEST}/${sourceId}"] button[type=submit]`).click();
    await page.waitForURL(/fait=updated/);
    expect(await page.locator('main').innerText()).toContain('https://entrepot.example.org/v2/projets.csv');
    await page.locator(`form[action="${HARVEST}/${sourceId}/desactiver"] button[type=submit]`).click();
    await page.waitForURL(/fait=disabled/);
    expect(await page.locator(`form[action="${HARVEST}/${sourceId}/reactiver"]`).count()).toBe(1);
    await ctx.close();
  });
});

describe.each(LANGS)('in %s, at 375 px', (lang) => {
  it('the report form, its errors and its sent page; the questions and their results', { timeout: 120_000 }, async () => {
    const ctx = await context(lang, { phone: true });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/projets/${PROJECT}`);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    await checked(page, 'project page with the report form');
    await page.goto(`${server.url}/projets/${PROJECT}/signaler`);
    await page.locator('main form button[type=submit]').click();
    await page.waitForSelector('.error-summary');
    await checked(page, 'report form with errors');
    await page.goto(`${server.url}/projets/${PROJECT}/signaler/merci`);
    await checked(page, 'report sent');
    await page.goto(`${server.url}${MY_DATA}`);
    await checked(page, 'my data: questions');
    await page.goto(`${server.url}${MY_DATA}?reponses=1&assure=oui&hopital=edsaphp&cohorte=ns-park`);
    expect(await page.locator('.project-list > li').count()).toBeGreaterThan(0);
    await checked(page, 'my data: results');
    await page.goto(`${server.url}${MY_DATA}?reponses=1&assure=non`);
    await checked(page, 'my data: no source');
    await ctx.close();
  });

  it('the editors’ queue and a report; the harvest source’s edit page', { timeout: 120_000 }, async () => {
    const visitor = await context(lang);
    const form = await visitor.newPage();
    await form.goto(`${server.url}/projets/${PROJECT}/signaler`);
    await form.fill('#f-message', `A long word ${'x'.repeat(120)} and a line\nbreak.`);
    await form.locator('main form button[type=submit]').click();
    await form.waitForURL(/merci$/);
    await visitor.close();

    const ctx = await context(lang, { phone: true, as: 'admin' });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/espace-pro/signalements?statut=tous`);
    await checked(page, 'queue');
    await page.locator('main table tbody tr').last().locator('a').click();
    await page.waitForURL(/\/espace-pro\/signalements\/[0-9a-f-]{36}$/);
    expect(await page.locator('.report__message').innerText()).toContain('x'.repeat(120));
    await checked(page, 'report');
    await page.goto(`${server.url}${HARVEST}`);
    await checked(page, 'harvest sources with a disabled one');
    await page.goto(`${server.url}${HARVEST}/${sourceId}`);
    await page.fill('#f-url', 'nope');
    await page.locator(`form[action="${HARVEST}/${sourceId}"] button[type=submit]`).click();
    await page.waitForSelector('.error-summary');
    await checked(page, 'harvest source edit with errors');
    await ctx.close();
  });
});
