/**
 * The whole rights request in Chromium, in French and English, with JavaScript on and off: every step
 * and its error state pass axe; the confirmation mail arrives on a real SMTP server; its link confirms
 * the request; the tracking link by mail opens the request.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, seriousViolations } from '../helpers/browser';
import { startTestServer, type RunningServer } from '../helpers/server';
import { linkIn, startSmtp, type TestSmtp } from '../helpers/smtp';
import { rightsRequests } from '../../server/db/schema';

let server: RunningServer;
let browser: Browser;
let smtp: TestSmtp;

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startTestServer({ SMTP_URL: smtp.url }, { demoData: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.stop();
});

/** axe runs inside the page, so only where JavaScript is on; the markup is the same either way. */
async function accessible(page: Page, where: string) {
  if (!page.context().browser() || !(page as unknown as { __js?: boolean }).__js) return;
  const violations = await seriousViolations(page);
  expect(violations.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

const submit = (page: Page) => page.locator('main form button[type=submit]:not([name=_action])').first().click();

describe.each([
  ['fr', true],
  ['fr', false],
  ['en', true],
  ['en', false],
] as const)('request in %s, JavaScript %s', (lang, javaScriptEnabled) => {
  it('walks the form, confirms by mail, and tracks the request', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ javaScriptEnabled, locale: lang === 'fr' ? 'fr-FR' : 'en-GB' });
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    (page as unknown as { __js?: boolean }).__js = javaScriptEnabled;
    const email = `personne.${lang}.${javaScriptEnabled ? 'js' : 'nojs'}@example.org`;
    await page.goto(`${server.url}/demande?lang=${lang}`);
    await accessible(page, 'start');
    await submit(page);
    await page.waitForURL(/\/demande\/type$/);
    expect(await page.locator('.stepper').innerText()).toBe(lang === 'fr' ? 'Étape 1 sur 6' : 'Step 1 of 6');

    // The error state first: nothing chosen.
    await submit(page);
    await page.waitForSelector('.error-summary');
    expect(await page.title()).toMatch(lang === 'fr' ? /^Erreur : / : /^Error: /);
    await accessible(page, 'type with error');
    await page.locator('.error-summary a').first().click();
    await page.check('input[name=kind][value=opposition]');
    await submit(page);

    await page.waitForURL(/\/demande\/portee$/);
    await accessible(page, 'portee');
    await page.check('input[name=scope][value=snds]');
    await submit(page);

    await page.waitForURL(/\/demande\/pour-qui$/);
    await accessible(page, 'pour-qui');
    await page.check('input[name=onBehalf][value=self]');
    await submit(page);

    await page.waitForURL(/\/demande\/identite$/);
    await page.fill('#f-lastName', 'Testeuse');
    await page.fill('#f-firstNames', 'Marie');
    await page.fill('#f-birthDay', '12');
    await page.fill('#f-birthMonth', '10');
    await page.fill('#f-birthYear', '1995');
    await page.fill('#f-birthPlace', 'Paris');
    await page.fill('#f-nir', '2 95 10 99 126 111 94');
    await page.check('input[name=insuranceScheme][value=cpam]');
    await submit(page);
    await page.waitForSelector('.error-summary');
    await accessible(page, 'identite with error');
    await page.fill('#f-nir', '2 95 10 99 126 111 93');
    await submit(page);

    await page.waitForURL(/\/demande\/contact$/);
    await accessible(page, 'contact');
    await page.fill('#f-email', email);
    await submit(page);

    await page.waitForURL(/\/demande\/details$/);
    await accessible(page, 'details');
    await submit(page);

    await page.waitForURL(/\/demande\/verifier$/);
    await accessible(page, 'verifier');
    await submit(page);
    await page.waitForSelector('.error-summary');
    await accessible(page, 'verifier with error');
    await page.check('#f-declaration');
    const mailsBefore = smtp.messages.length;
    await submit(page);

    await page.waitForURL(/\/demande\/recu$/);
    await accessible(page, 'receipt');
    const reference = await page.locator('.panel .reference').innerText();
    expect(reference).toMatch(/^DS-[A-Z0-9]{4}-[A-Z0-9]{4}$/);

    const mail = await smtp.mail({ to: email }, { after: mailsBefore });
    expect(mail.subject).toBe(lang === 'fr' ? 'Confirmez votre demande sur vos données de santé' : 'Confirm your request about your health data');
    const link = linkIn(mail, `${server.url}/demande/confirmer/`);
    await page.goto(link);
    await accessible(page, 'confirm');
    await submit(page);
    await page.waitForSelector('.panel--success').catch(async (e) => {
      throw new Error(`${e}\n${page.url()}\n${(await page.locator('main').innerText()).slice(0, 500)}`);
    });
    const row = server.deps.database.db
      .select()
      .from(rightsRequests)
      .all()
      .find((r) => r.reference === reference)!;
    expect(row.status).toBe('recue');
    expect(row.lang).toBe(lang);

    // Tracking: reference and e-mail, a link by mail, then the tracking page.
    await page.goto(`${server.url}/suivi`);
    await accessible(page, 'suivi');
    await page.fill('#f-reference', reference);
    await page.fill('#f-email', email);
    const before = smtp.messages.length;
    await submit(page);
    await page.waitForURL(/\/suivi\/envoye$/);
    await page.goto(linkIn(await smtp.mail({ to: email, text: '/suivi/' }, { after: before }), `${server.url}/suivi/`));
    await page.waitForURL(/\/suivi\/demande$/);
    await accessible(page, 'tracking page');
    expect(await page.locator('main').innerText()).toContain(reference);

    // The states a person meets later: a clarification asked, then an overdue answer.
    const { eq } = await import('drizzle-orm');
    const db = server.deps.database.db;
    db.update(rightsRequests)
      .set({ status: 'precision_demandee', receivedOn: '2026-01-05', dueOn: '2026-02-05', extendedDueOn: '2026-04-07', answerDueOn: '2026-02-05' })
      .where(eq(rightsRequests.reference, reference))
      .run();
    await page.reload();
    await page.waitForSelector('#f-answer');
    await accessible(page, 'tracking page, clarification asked and overdue');
    await page.locator('form[action="/suivi/precision"] button').click();
    await page.waitForSelector('.error-summary');
    await accessible(page, 'tracking page, empty answer');
    await page.fill('#f-answer', lang === 'fr' ? 'De 2019 à 2021.' : 'From 2019 to 2021.');
    await page.locator('form[action="/suivi/precision"] button').click();
    await page.waitForSelector('#f-reminder');
    expect(db.select().from(rightsRequests).where(eq(rightsRequests.reference, reference)).get()!.status).toBe('accusee');
    await context.close();
  });
});

describe.each([true, false])('choosing a project, JavaScript %s', (javaScriptEnabled) => {
  it('finds the project by words and continues with it', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ javaScriptEnabled, locale: 'fr-FR' });
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    (page as unknown as { __js?: boolean }).__js = javaScriptEnabled;
    await page.goto(`${server.url}/demande`);
    await submit(page);
    await page.check('input[name=kind][value=acces]');
    await submit(page);
    await page.waitForURL(/\/demande\/portee$/);
    await page.check('input[name=scope][value=projet]');
    if (javaScriptEnabled) {
      await page.fill('#f-projectId', 'bacteri');
      await page.waitForSelector('#f-projectId-bacteriemies');
    } else {
      await page.fill('#f-projectId', 'bacteri');
      await page.getByRole('button', { name: 'Rechercher' }).click();
      await page.waitForSelector('#f-projectId-bacteriemies');
    }
    await accessible(page, 'project results');
    await page.check('#f-projectId-bacteriemies');
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.waitForURL(/\/demande\/pour-qui$/);
    await context.close();
  });
});
