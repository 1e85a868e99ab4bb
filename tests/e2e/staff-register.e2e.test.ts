/**
 * Editing the register in Chromium, signed in as an editor (a session made in the database, its cookie
 * put in the browser): axe-core finds no serious or critical violation on the register's back-office
 * home, the project form (empty, with errors, with a preview), an organisation form and a source form,
 * in French and English; an edit made with JavaScript off reaches the public page and its history; every
 * demonstration record saved untouched through its form changes nothing; with JavaScript on, htmx swaps
 * the preview in place.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { encryptUserEmail } from '../../server/services/staff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectHistory } from '../../server/db/register';
import { insertSession, insertUser } from '../../server/db/staff';
import { launchBrowser, seriousViolations } from '../helpers/browser';
import { startTestServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
let sessionId: string;

/** An editor with a live session, made directly in the database; returns the session id (the cookie's value). */
function editorSession(): string {
  const db = server.deps.database.db;
  const userId = randomUUID();
  const email = `${userId}@example.org`;
  const now = new Date().toISOString();
  insertUser(db, {
    id: userId,
    handle: randomBytes(16).toString('base64url'),
    emailEnc: encryptUserEmail(server.deps, userId, email),
    emailIndex: server.deps.index.email(email),
    role: 'editor',
    createdAt: now,
  });
  const id = randomBytes(32).toString('base64url');
  insertSession(db, {
    idHash: createHash('sha256').update(id).digest('hex'),
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  return id;
}

async function signedInContext(options: { javaScriptEnabled?: boolean; locale?: string } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'fr-FR', ...options });
  await context.addCookies([{ name: 'session', value: sessionId, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
  return context;
}

beforeAll(async () => {
  server = await startTestServer({}, { demoData: true });
  browser = await launchBrowser();
  sessionId = editorSession();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Names of the serious and critical violations, with where they are, for a readable failure. */
async function violations(page: Page): Promise<string[]> {
  return (await seriousViolations(page)).map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

const TEXT = {
  fr: {
    save: 'Enregistrer',
    preview: 'Prévisualiser la page publique',
    previewHeading: 'Aperçu de la page publique',
    summary: 'Il y a un problème',
    plainTitle: 'Titre en clair (obligatoire)',
  },
  en: {
    save: 'Save',
    preview: 'Preview the public page',
    previewHeading: 'Preview of the public page',
    summary: 'There is a problem',
    plainTitle: 'Plain title (required)',
  },
} as const;

describe('accessibility of the register forms (axe-core, WCAG 2.1 AA)', () => {
  for (const lang of ['fr', 'en'] as const) {
    it(`has no serious violation on the home, the organisation and source forms (${lang})`, { timeout: 120_000 }, async () => {
      const context = await signedInContext();
      const page = await context.newPage();
      for (const url of [
        '/espace-pro/registre',
        '/espace-pro/registre?q=parkinson',
        '/espace-pro/registre/organisations/ap-hp',
        '/espace-pro/registre/organisations/nouveau',
        '/espace-pro/registre/sources/snds',
        '/espace-pro/registre/sources/nouveau',
      ]) {
        const res = await page.goto(`${server.url}${url}${url.includes('?') ? '&' : '?'}lang=${lang}`);
        expect(res?.status(), url).toBe(200);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        expect(await violations(page), `${url} (${lang})`).toEqual([]);
      }
      await context.close();
    });

    it(`has no serious violation on the project form: empty, with errors, with a preview (${lang})`, { timeout: 120_000 }, async () => {
      const context = await signedInContext();
      const page = await context.newPage();
      await page.goto(`${server.url}/espace-pro/registre/projets/nouveau?lang=${lang}`);
      expect(await violations(page), `empty form (${lang})`).toEqual([]);

      const res = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: TEXT[lang].save }).click()]);
      expect(res[0]?.status()).toBe(422);
      await expect(page.locator('.error-summary').innerText()).resolves.toContain(TEXT[lang].summary);
      expect(await violations(page), `form with errors (${lang})`).toEqual([]);
      // Each link of the summary goes to its field.
      await page.locator('.error-summary a[href="#f-titre_clair"]').click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-titre_clair');

      await page.goto(`${server.url}/espace-pro/registre/projets/bacteriemies?lang=${lang}`);
      expect(await violations(page), `edit form (${lang})`).toEqual([]);
      await page.getByLabel(TEXT[lang].plainTitle).fill('Un titre pour l’aperçu');
      await page.getByRole('button', { name: TEXT[lang].preview }).click();
      await page.waitForSelector('#apercu h2');
      expect(await page.locator('#apercu h2').innerText()).toBe(TEXT[lang].previewHeading);
      expect(await page.locator('#apercu h3').first().innerText()).toBe('Un titre pour l’aperçu');
      expect(await violations(page), `form with preview (${lang})`).toEqual([]);
      await context.close();
    });
  }
});

describe('editing without JavaScript', () => {
  it('edits a project through the plain form, previews it, saves it, and the public page shows the change', { timeout: 120_000 }, async () => {
    const context = await signedInContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/espace-pro/registre`);
    await page.getByLabel('Chercher un projet').fill('parkinson');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.waitForURL(/q=parkinson/);
    await page.locator('td a[href^="/espace-pro/registre/projets/"]').first().click();
    // click() does not wait for the page it opens: wait until it has loaded, then read it.
    await page.waitForURL(/\/espace-pro\/registre\/projets\/[^/?]+$/);
    const editPath = new URL(page.url()).pathname;
    const id = editPath.split('/').pop()!;

    await page.getByLabel('Titre en clair (obligatoire)').fill('Parkinson : un titre modifié sans JavaScript');
    await page.getByRole('button', { name: 'Prévisualiser la page publique' }).click();
    await page.waitForSelector('#apercu h3');
    expect(await page.locator('#apercu h3').first().innerText()).toBe('Parkinson : un titre modifié sans JavaScript');

    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/enregistre=updated/);
    expect(new URL(page.url()).pathname).toBe(editPath);
    expect(await page.locator('[role="status"]').first().innerText()).toContain('Vos modifications sont enregistrées');

    await page.getByRole('link', { name: 'Voir la page publique', exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/projets/${id}`);
    expect(await page.locator('h1').innerText()).toBe('Parkinson : un titre modifié sans JavaScript');
    const history = await page.locator('#history + * table, #history ~ .table-wrap table').first().innerText();
    expect(history).toContain('Titre en clair');
    expect(history).toContain('Parkinson : un titre modifié sans JavaScript');
    // The form gave every other field back as it was: the title is the one change recorded.
    const edits = projectHistory(server.deps.database.db, id).filter((h) => h.origin.startsWith('editor:'));
    expect(edits.map((h) => h.field)).toEqual(['titre_clair']);
    await context.close();
  });
});

describe('the form gives every record back as it is', () => {
  it('saving each demonstration project, organisation and source untouched changes nothing', { timeout: 180_000 }, async () => {
    const context = await signedInContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/espace-pro/registre`);
    const forms = await page.locator('td a[href^="/espace-pro/registre/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    expect(forms.length).toBeGreaterThan(19 + 20);
    for (const form of forms) {
      await page.goto(`${server.url}${form}`);
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      // waitForLoadState() would return at once, on the form page still shown: wait for the answer's page.
      await page.waitForURL(/[?&]enregistre=/);
      expect(new URL(page.url()).search, form).toBe('?enregistre=unchanged');
    }
    await context.close();
  });
});

describe('the preview with JavaScript (htmx)', () => {
  it('swaps the preview in place, without reloading the page or saving', { timeout: 60_000 }, async () => {
    const context = await signedInContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/espace-pro/registre/organisations/ap-hp`);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    await page.getByLabel('Nom (obligatoire)').fill('AP-HP, nom en aperçu');
    await page.getByRole('button', { name: 'Prévisualiser la page publique' }).click();
    await page.waitForSelector('#apercu h3');
    expect(await page.locator('#apercu h3').innerText()).toBe('AP-HP, nom en aperçu');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/espace-pro/registre/organisations/ap-hp');

    await page.getByLabel('SIREN').fill('123456789');
    await page.getByRole('button', { name: 'Prévisualiser la page publique' }).click();
    await page.waitForSelector('#apercu .error-summary');
    expect(await page.locator('#apercu .error-summary a').getAttribute('href')).toBe('#f-siren');
    expect(errors).toEqual([]);

    const publicPage = await page.goto(`${server.url}/organisations/ap-hp`);
    expect(publicPage?.status()).toBe(200);
    expect(await page.locator('h1').innerText()).not.toContain('aperçu');
    await context.close();
  });
});
