/**
 * Passkeys in Chromium with the DevTools virtual authenticator (CDP WebAuthn domain): enrolment from
 * an invitation, sign-in and sign-out through the real pages and views/assets/passkey.js; what must be
 * refused (no user verification, a replayed form, an expired challenge, a disabled person's or a
 * revoked passkey, another origin); axe on the sign-in, invitation and passkeys pages in French and
 * English; and the page without JavaScript.
 *
 * The server is this file's own: WebAuthn refuses an IP address as relying party id, so PUBLIC_URL is
 * http://localhost:<port> (tests/helpers/server.ts serves http://127.0.0.1:<port>). A second listener
 * on another port serves the same app, so the browser can report an origin that is not PUBLIC_URL's
 * under the same RP id.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app';
import { launchBrowser, seriousViolations } from '../helpers/browser';
import { auditLog, authChallenges, credentials, sessions, users } from '../../server/db/schema';
import { createInvitation, disableUser, enableUser } from '../../server/services/staff';

type StaffServer = { test: TestApp; url: string; otherOriginUrl: string; ipUrl: string; stop: () => Promise<void> };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = serve({ fetch: () => new Response(''), port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => probe.close(() => resolve(info.port)));
  });
}

async function startStaffServer(): Promise<StaffServer> {
  const port = await freePort();
  const otherPort = await freePort();
  const test = makeTestApp({ PUBLIC_URL: `http://localhost:${port}`, LOG_LEVEL: 'warn' });
  const servers = [serve({ fetch: test.app.fetch, port, hostname: '127.0.0.1' }), serve({ fetch: test.app.fetch, port: otherPort, hostname: '127.0.0.1' })];
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => (s.listening ? resolve() : s.once('listening', () => resolve())))));
  return {
    test,
    url: `http://localhost:${port}`,
    otherOriginUrl: `http://localhost:${otherPort}`,
    ipUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              if ('closeAllConnections' in s) s.closeAllConnections();
            }),
        ),
      );
      test.close();
    },
  };
}

let server: StaffServer;
let browser: Browser;

beforeAll(async () => {
  server = await startStaffServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const db = () => server.test.deps.database.db;
const deps = () => ({ db: db(), cipher: server.test.deps.cipher, index: server.test.deps.index, config: server.test.deps.config, now: () => new Date() });

async function accessible(page: Page, where: string) {
  const violations = await seriousViolations(page);
  expect(violations.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

type Device = { context: BrowserContext; page: Page; cdp: CDPSession; authenticatorId: string };

/** A browser context whose tab has a virtual platform authenticator (passkeys, fingerprint-like user verification). */
async function device(lang: 'fr' | 'en' = 'fr', isUserVerified = true): Promise<Device> {
  const context = await browser.newContext({ locale: lang === 'fr' ? 'fr-FR' : 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified, automaticPresenceSimulation: true },
  });
  return { context, page, cdp, authenticatorId };
}

const button = (page: Page) => page.locator('#passkey-button');
const userByEmail = (email: string) =>
  db()
    .select()
    .from(users)
    .where(eq(users.emailIndex, server.test.deps.index.email(email)))
    .get();

/** Opens an invitation, names the passkey and creates it: ends on the passkeys page. */
async function enrol(d: Device, email: string, lang: 'fr' | 'en' = 'fr', checkAxe = false) {
  const { url } = createInvitation(deps(), { email, role: 'admin' });
  await d.page.goto(`${url}?lang=${lang}`);
  await button(d.page).waitFor({ state: 'visible' });
  if (checkAxe) await accessible(d.page, `invitation (${lang})`);
  await d.page.fill('#f-name', lang === 'fr' ? 'Téléphone' : 'Phone');
  await button(d.page).click();
  await d.page.waitForURL(/\/espace-pro\/cles\?message=enrolled$/);
}

async function signOut(page: Page) {
  await page.locator('form[action="/espace-pro/deconnexion"] button').click();
  await page.waitForURL(/\/espace-pro\/connexion$/);
}

/** The sign-in page's form, then the button; waits for the page that follows. */
async function signIn(page: Page, base = server.url) {
  await page.goto(`${base}/espace-pro/connexion`);
  await button(page).waitFor({ state: 'visible' });
  await Promise.all([page.waitForNavigation(), button(page).click()]);
}

const failedReasons = () =>
  db()
    .select()
    .from(auditLog)
    .all()
    .filter((e) => e.action === 'signin.failed')
    .map((e) => JSON.parse(e.detail!).reason as string);

describe.each(['fr', 'en'] as const)('passkeys in Chromium, %s', (lang) => {
  it('enrols from an invitation, signs out, signs in again; the pages pass axe', { timeout: 120_000 }, async () => {
    const d = await device(lang);
    const email = `enrol.${lang}@example.org`;
    await enrol(d, email, lang, true);
    const text = await d.page.locator('main').innerText();
    expect(text).toContain(lang === 'fr' ? 'Ajoutez maintenant une deuxième clé d’accès' : 'Now add a second passkey');
    expect(text).toContain(lang === 'fr' ? 'Téléphone' : 'Phone');
    await accessible(d.page, `passkeys (${lang})`);
    const user = userByEmail(email)!;
    expect(db().select().from(credentials).where(eq(credentials.userId, user.id)).all()).toHaveLength(1);
    const { credentials: onDevice } = await d.cdp.send('WebAuthn.getCredentials', { authenticatorId: d.authenticatorId });
    expect(onDevice).toHaveLength(1);
    expect(onDevice[0]!.isResidentCredential).toBe(true);
    expect(onDevice[0]!.userHandle).toBe(user.handle.replace(/-/g, '+').replace(/_/g, '/') + '=');

    // The passkeys page in its error state (no name for a new passkey).
    await d.page.locator('#f-name').fill('');
    await button(d.page).click();
    await d.page.waitForSelector('.error-summary');
    expect(await d.page.title()).toMatch(lang === 'fr' ? /^Erreur : / : /^Error: /);
    await accessible(d.page, `passkeys with error (${lang})`);
    // The same device again: the authenticator already holds a passkey for this account (excludeCredentials).
    await d.page.locator('#f-name').fill('Bis');
    await button(d.page).click();
    expect(await d.page.locator('[data-passkey-status] .error-message').innerText()).toContain(
      lang === 'fr' ? 'Cet appareil a déjà une clé d’accès' : 'This device already has a passkey',
    );
    expect(db().select().from(credentials).where(eq(credentials.userId, user.id)).all()).toHaveLength(1);

    await signOut(d.page);
    expect(db().select().from(sessions).where(eq(sessions.userId, user.id)).all()).toHaveLength(0);
    await button(d.page).waitFor({ state: 'visible' });
    expect(await d.page.locator('[data-passkey-unsupported]').isVisible()).toBe(false);
    await accessible(d.page, `sign-in (${lang})`);
    await Promise.all([d.page.waitForURL(/\/espace-pro$/), button(d.page).click()]);
    expect(await d.page.locator('h1').innerText()).toBe(lang === 'fr' ? 'Espace professionnel' : 'Back office');
    expect(db().select().from(sessions).where(eq(sessions.userId, user.id)).all()).toHaveLength(1);
    expect(db().select().from(credentials).where(eq(credentials.userId, user.id)).get()!.lastUsedAt).not.toBeNull();
    await accessible(d.page, `back office home (${lang})`);
    // The confirmation before removing a passkey, here the only one: the page explains why it cannot go.
    const only = db().select().from(credentials).where(eq(credentials.userId, user.id)).get()!;
    await d.page.goto(`${server.url}/espace-pro/cles/supprimer?cle=${encodeURIComponent(only.id)}&lang=${lang}`);
    await accessible(d.page, `remove passkey (${lang})`);
    await signOut(d.page);
    await d.context.close();
  });
});

describe('what passkey sign-in refuses, in Chromium', () => {
  let d: Device;
  const email = 'refusals@example.org';

  beforeAll(async () => {
    d = await device('fr');
    await enrol(d, email);
    await signOut(d.page);
  }, 60_000);
  afterAll(async () => {
    await d?.context.close();
  });

  it('a replayed form: the same posted body a second time is refused', { timeout: 60_000 }, async () => {
    let body: string | null = null;
    const capture = (req: { method: () => string; url: () => string; postData: () => string | null }) => {
      if (req.method() === 'POST' && req.url().endsWith('/espace-pro/connexion')) body = req.postData();
    };
    d.page.on('request', capture);
    await signIn(d.page);
    d.page.off('request', capture);
    expect(d.page.url()).toBe(`${server.url}/espace-pro`);
    expect(body).toContain('response=');
    await signOut(d.page);
    const before = failedReasons().length;
    const replay = await d.page.request.post(`${server.url}/espace-pro/connexion`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      data: body!,
      maxRedirects: 0,
    });
    expect(replay.status()).toBe(400);
    expect(await replay.text()).toContain('La connexion n’a pas abouti');
    expect(failedReasons().slice(before)).toEqual(['challenge']);
  });

  it('an expired challenge', { timeout: 60_000 }, async () => {
    await d.page.goto(`${server.url}/espace-pro/connexion`);
    await button(d.page).waitFor({ state: 'visible' });
    const challengeId = await d.page.locator('input[name=challengeId]').inputValue();
    db()
      .update(authChallenges)
      .set({ expiresAt: new Date(Date.now() - 1000).toISOString() })
      .where(eq(authChallenges.id, challengeId))
      .run();
    const before = failedReasons().length;
    await Promise.all([d.page.waitForNavigation(), button(d.page).click()]);
    await d.page.waitForSelector('.error-summary');
    expect(await d.page.title()).toMatch(/^Erreur : /);
    expect(failedReasons().slice(before)).toEqual(['challenge']);
    await accessible(d.page, 'sign-in with error');
  });

  it('no user verification: the browser refuses with the options given, the server refuses if they are weakened', { timeout: 60_000 }, async () => {
    await d.cdp.send('WebAuthn.setUserVerified', { authenticatorId: d.authenticatorId, isUserVerified: false });
    try {
      await d.page.goto(`${server.url}/espace-pro/connexion`);
      await button(d.page).click();
      await d.page.locator('[data-passkey-status] .error-message').waitFor();
      expect(d.page.url()).toBe(`${server.url}/espace-pro/connexion`);

      // A client that asks the authenticator for less (options rewritten on the way): the server still refuses.
      await d.page.route(`${server.url}/espace-pro/connexion`, async (route) => {
        if (route.request().method() !== 'GET') return route.continue();
        const response = await route.fetch();
        const html = (await response.text()).replace(
          '&quot;userVerification&quot;:&quot;required&quot;',
          '&quot;userVerification&quot;:&quot;discouraged&quot;',
        );
        return route.fulfill({ response, body: html });
      });
      const before = failedReasons().length;
      await signIn(d.page);
      expect(await d.page.locator('.error-summary').innerText()).toContain('La connexion n’a pas abouti');
      expect(failedReasons().slice(before)).toEqual(['verification']);
    } finally {
      await d.page.unrouteAll();
      await d.cdp.send('WebAuthn.setUserVerified', { authenticatorId: d.authenticatorId, isUserVerified: true });
    }
  });

  it('another origin: a page served under another origin than PUBLIC_URL gets its assertion refused', { timeout: 60_000 }, async () => {
    const before = failedReasons().length;
    await signIn(d.page, server.otherOriginUrl);
    expect(d.page.url()).toBe(`${server.otherOriginUrl}/espace-pro/connexion`);
    await d.page.waitForSelector('.error-summary');
    expect(failedReasons().slice(before)).toEqual(['verification']);
    expect(
      db()
        .select()
        .from(sessions)
        .where(eq(sessions.userId, userByEmail(email)!.id))
        .all(),
    ).toHaveLength(0);

    // Opened by IP address, the RP id (localhost) does not match the page: the browser itself refuses.
    await d.page.goto(`${server.ipUrl}/espace-pro/connexion`);
    await button(d.page).click();
    await d.page.locator('[data-passkey-status] .error-message').waitFor();
    expect(d.page.url()).toBe(`${server.ipUrl}/espace-pro/connexion`);
    expect(failedReasons().length).toBe(before + 1);
  });

  it('a disabled person’s passkey, then a revoked one', { timeout: 60_000 }, async () => {
    const other = await device('fr');
    try {
      const otherEmail = 'disabled@example.org';
      await enrol(other, otherEmail);
      const user = userByEmail(otherEmail)!;
      disableUser(deps(), { userId: user.id, actor: 'system' });
      let before = failedReasons().length;
      await signIn(other.page);
      await other.page.waitForSelector('.error-summary');
      expect(failedReasons().slice(before)).toEqual(['user_disabled']);

      enableUser(deps(), { userId: user.id, actor: 'system' });
      db().delete(credentials).where(eq(credentials.userId, user.id)).run();
      before = failedReasons().length;
      await signIn(other.page);
      await other.page.waitForSelector('.error-summary');
      expect(failedReasons().slice(before)).toEqual(['unknown_credential']);
      expect(db().select().from(sessions).where(eq(sessions.userId, user.id)).all()).toHaveLength(0);
    } finally {
      await other.context.close();
    }
  });
});

describe('without JavaScript', () => {
  it.each(['fr', 'en'] as const)('the sign-in page says, in plain words, what a passkey needs (%s)', async (lang) => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: lang === 'fr' ? 'fr-FR' : 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${server.url}/espace-pro/connexion?lang=${lang}`);
    expect(await page.locator('[data-passkey-unsupported]').innerText()).toContain(
      lang === 'fr' ? 'Une clé d’accès ne fonctionne qu’avec JavaScript activé' : 'A passkey only works with JavaScript turned on',
    );
    expect(await button(page).isVisible()).toBe(false);
    await context.close();
  });
});
