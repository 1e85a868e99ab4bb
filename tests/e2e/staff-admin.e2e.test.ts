/**
 * The administrators' area in Chromium: every page, in French and English, with its error
 * states and its show-once pages, passes axe with no serious or critical violation; and with JavaScript
 * off, an administrator adds a webhook channel through the real forms (a refused URL first), sees the
 * secret once and then only its masked form. The session is a row written as sign-in writes it, its
 * cookie injected into the browser context.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelsOf, insertDelivery } from '../../server/db/deliveries';
import { upsertOrganisation } from '../../server/db/register';
import { insertRequest } from '../../server/db/requests';
import { insertSession, insertUser, type Role } from '../../server/db/staff';
import { addChannel } from '../../server/services/channels';
import { encryptUserEmail } from '../../server/services/staff';
import { generateSecret } from '../../connectors/standard-webhooks';
import { launchBrowser, seriousViolations } from '../helpers/browser';
import { reply, startReceiver, type Receiver } from '../helpers/receivers';
import { startTestServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
let receiver: Receiver;
let adminSession: string;
let editorId: string;

const db = () => server.deps.database.db;
const SECRET = /whsec_[A-Za-z0-9+/=]{20,}/;

function staff(role: Role, email: string): { id: string; session: string } {
  const id = randomUUID();
  const now = new Date();
  insertUser(db(), {
    id,
    handle: randomBytes(32).toString('base64url'),
    emailEnc: encryptUserEmail(server.deps, id, email),
    emailIndex: server.deps.index.email(email),
    role,
    organisationId: null,
    createdAt: now.toISOString(),
  });
  const session = randomBytes(32).toString('base64url');
  insertSession(db(), {
    idHash: createHash('sha256').update(session).digest('hex'),
    userId: id,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
  });
  return { id, session };
}

beforeAll(async () => {
  receiver = await startReceiver(reply(204));
  server = await startTestServer({ WEBHOOK_ALLOW: receiver.origin });
  const now = new Date().toISOString();
  upsertOrganisation(db(), { id: 'org-e2e', name: 'Centre hospitalier de démonstration', siren: '123456789' }, now);
  const channels = { db: db(), cipher: server.deps.cipher, now: server.deps.now };
  const hook = addChannel(channels, 'org-e2e', { kind: 'webhook', url: `${receiver.origin}/hooks`, secrets: [generateSecret(), generateSecret()] });
  addChannel(channels, 'org-e2e', { kind: 'email', to: 'dpo@chd.example.org' });
  const requestId = randomUUID();
  insertRequest(db(), {
    id: requestId,
    reference: 'DS-E2E0-0001',
    kind: 'opposition',
    scope: 'responsable',
    organisationId: 'org-e2e',
    onBehalf: 'self',
    lang: 'fr',
    status: 'recue',
    createdAt: now,
  });
  insertDelivery(db(), {
    id: randomUUID(),
    requestId,
    organisationId: 'org-e2e',
    channelId: hook,
    status: 'dead',
    attempts: 10,
    nextAttemptAt: now,
    lastError: 'HTTP 503 (gave up after 10 attempts)',
    createdAt: now,
    deadAt: now,
  });
  adminSession = staff('admin', 'admin.e2e@example.org').session;
  editorId = staff('editor', 'editeur.e2e@example.org').id;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await receiver?.stop();
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

async function visit(page: Page, path: string, where: string) {
  const res = await page.goto(`${server.url}${path}`);
  expect(res?.status(), where).toBe(200);
  expect(new URL(page.url()).pathname, `${where}: not sent to sign-in`).toBe(path.split('?')[0]);
  await accessible(page, where);
}

describe.each(['fr', 'en'] as const)('administration pages in %s', (lang) => {
  it('every page and error state passes axe', { timeout: 180_000 }, async () => {
    const context = await signedIn(true, lang);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errorTitle = lang === 'fr' ? /^Erreur : / : /^Error: /;

    await visit(page, `/espace-pro/admin?lang=${lang}`, 'overview');
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    await visit(page, '/espace-pro/admin/organisations', 'organisations');
    await visit(page, '/espace-pro/admin/organisations/org-e2e', 'organisation');
    expect(await page.locator('main').innerText()).not.toMatch(SECRET);

    // Error state: a webhook URL outside the allow-list.
    await page.check('#f-kind-webhook');
    await page.fill('#f-url', 'https://not-allowed.example.com/hook');
    await page.locator('form[action$="/canaux"] button[type=submit]').click();
    await page.waitForSelector('.error-summary');
    expect(await page.title()).toMatch(errorTitle);
    expect(await page.locator('.error-summary').innerText()).toContain(receiver.origin);
    await accessible(page, 'organisation, add channel with error');

    // Then a good one: the secret, shown once.
    await page.fill('#f-url', `${receiver.origin}/hooks-${lang}`);
    await page.locator('form[action$="/canaux"] button[type=submit]').click();
    await page.waitForURL(/\/secret$/);
    expect(await page.inputValue('#secret')).toMatch(SECRET);
    await accessible(page, 'secret shown once');
    await page.reload();
    expect(await page.content()).not.toMatch(SECRET);
    await accessible(page, 'secret already shown');

    await visit(page, '/espace-pro/admin/utilisateurs', 'users');
    await page.locator('form[action="/espace-pro/admin/utilisateurs"] button[type=submit]').click();
    await page.waitForSelector('.error-summary');
    expect(await page.title()).toMatch(errorTitle);
    await accessible(page, 'users, invitation with errors');
    await page.fill('#f-email', `invite.${lang}@example.org`);
    await page.selectOption('#f-role', 'dpo');
    await page.selectOption('#f-organisationId', 'org-e2e');
    await page.locator('form[action="/espace-pro/admin/utilisateurs"] button[type=submit]').click();
    await page.waitForURL(/\/utilisateurs\/invitation$/);
    expect(await page.inputValue('#invitation')).toMatch(/\/espace-pro\/invitation\/[A-Za-z0-9_-]{43}$/);
    await accessible(page, 'invitation shown once');

    await visit(page, `/espace-pro/admin/utilisateurs/${editorId}`, 'user');
    await page.selectOption('#f-role', 'dpo');
    await page.selectOption('#f-organisationId', '');
    await page.locator('form[action$="/role"] button[type=submit]').click();
    await page.waitForSelector('.error-summary');
    await accessible(page, 'user, role with error');

    await visit(page, '/espace-pro/admin/livraisons', 'dead letters');
    expect(await page.locator('main table').innerText()).toContain('DS-E2E0-0001');
    await visit(page, '/espace-pro/admin/journal', 'audit log');
    expect(await page.locator('main [role=status]').innerText()).toMatch(lang === 'fr' ? /Journal intact/ : /Log intact/);
    await context.close();
  });
});

describe('with JavaScript off', () => {
  it('adds a webhook channel through the real forms and sees its secret once', { timeout: 120_000 }, async () => {
    const context = await signedIn(false, 'fr');
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const before = channelsOf(db(), 'org-e2e').length;
    await page.goto(`${server.url}/espace-pro/admin/organisations/org-e2e?lang=fr`);
    await page.check('#f-kind-webhook');
    await page.fill('#f-url', 'http://127.0.0.1:1/ailleurs');
    await page.locator('form[action$="/canaux"] button[type=submit]').click();
    await page.waitForSelector('.error-summary');
    expect(await page.title()).toMatch(/^Erreur : /);
    expect(await page.locator('#f-url-error').innerText()).toContain('n’est pas autorisée');
    // The page came back with what was typed: only the URL needs fixing.
    expect(await page.isChecked('#f-kind-webhook')).toBe(true);
    await page.fill('#f-url', `${receiver.origin}/sans-javascript`);
    await page.locator('form[action$="/canaux"] button[type=submit]').click();
    await page.waitForURL(/\/secret$/);
    const secret = await page.inputValue('#secret');
    expect(secret).toMatch(SECRET);
    expect(channelsOf(db(), 'org-e2e')).toHaveLength(before + 1);

    await page.locator('main a[href="/espace-pro/admin/organisations/org-e2e"]').click();
    await page.waitForURL(/\/organisations\/org-e2e$/);
    const text = await page.locator('main').innerText();
    expect(text).toContain(`${receiver.origin}/sans-javascript`);
    expect(text).not.toContain(secret);
    expect(text).toContain('whsec_…');
    await context.close();
  });
});
