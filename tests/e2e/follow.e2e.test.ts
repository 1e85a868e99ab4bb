/**
 * Following the register by e-mail (issue 14) in Chromium with JavaScript off, at 375 px, in French and
 * in English: from a project page's Follow link, the form (sent empty first, then filled), the page that
 * says to check one's mail, the confirmation link read on a real SMTP server and its button, the page
 * after it, the used link; the management form, its link from the mail and its button, one's follows with
 * a rhythm changed; the unsubscribe link's page and its button; one's follows, empty. On each page: no
 * horizontal scroll, and axe finds nothing serious or critical.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { follows } from '../../server/db/schema';
import { newFollowLink } from '../../server/services/follows';
import { launchBrowser, seriousViolations } from '../helpers/browser';
import { startTestServer, type RunningServer } from '../helpers/server';
import { linkIn, startSmtp, type TestSmtp } from '../helpers/smtp';

const PROJECT = 'bacteriemies';
const PHONE = { width: 375, height: 667 };
const LANGS = ['fr', 'en'] as const;
type Lang = (typeof LANGS)[number];

let server: RunningServer;
let smtp: TestSmtp;
let browser: Browser;

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startTestServer({ SMTP_URL: smtp.url }, { demoData: true });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.stop();
});

async function context(lang: Lang, javaScriptEnabled: boolean): Promise<BrowserContext> {
  const ctx = await browser.newContext({ javaScriptEnabled, locale: lang === 'fr' ? 'fr-FR' : 'en-GB', viewport: PHONE });
  ctx.setDefaultTimeout(15_000);
  await ctx.addCookies([{ name: 'lang', value: lang, url: server.url }]);
  return ctx;
}

/** No horizontal scroll of the page, and axe clean (axe runs in the page: only with JavaScript on). */
async function axeChecked(page: Page, where: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${where}: the page scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
  const violations = await seriousViolations(page);
  expect(violations.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

const submit = (page: Page) => page.locator('main form button[type=submit]').first().click();

/**
 * The whole walk: with JavaScript off it shows every page works without it; with JavaScript on (the same
 * server-rendered pages, no script of ours on them) each page is measured and axe-checked on the way.
 */
async function walk(lang: Lang, javaScriptEnabled: boolean) {
  const email = `suivi-e2e-${lang}-${javaScriptEnabled ? 'js' : 'nojs'}@example.org`;
  const ctx = await context(lang, javaScriptEnabled);
  const page = await ctx.newPage();
  const checked = (p: Page, where: string) => (javaScriptEnabled ? axeChecked(p, where) : Promise.resolve());
  const mine = () =>
    server.deps.database.db
      .select()
      .from(follows)
      .all()
      .filter((f) => f.emailIndex === server.deps.index.email(email));
  // A register search's Follow link carries its filters to the form.
  await page.goto(`${server.url}/projets?q=sang&tri=recent`);
  await checked(page, `${lang} register search with its Follow link`);
  await page.locator('#follow-search a').click();
  await page.waitForURL(/\/suivre\/recherche\?q=sang$/);
  await checked(page, `${lang} follow a search`);
  await page.goto(`${server.url}/projets/${PROJECT}`);
  await page.locator(`a[href="/suivre/projet/${PROJECT}"]`).click();
  await page.waitForURL(/\/suivre\/projet\//);
  await checked(page, `${lang} follow form`);

  await submit(page);
  await page.waitForSelector('.error-summary');
  expect(await page.locator('#f-email-error').innerText()).toContain(lang === 'fr' ? 'Indiquez votre adresse e-mail' : 'Enter your e-mail address');
  await checked(page, `${lang} follow form with errors`);
  await page.fill('#f-email', email);
  await page.check('input[name=frequency][value=daily]');
  await submit(page);
  await page.waitForURL(/\/suivre\/envoye$/);
  await checked(page, `${lang} sent`);

  const confirmLink = linkIn(await smtp.mail({ to: email }), `${server.url}/suivre/confirmer/`);
  await page.goto(confirmLink);
  await checked(page, `${lang} confirm button`);
  expect(
    server.deps.database.db
      .select()
      .from(follows)
      .all()
      .filter((f) => f.lang === lang)[0]?.confirmedAt,
  ).toBeNull();
  await submit(page);
  await page.waitForURL(/\/fait$/);
  expect(await page.locator('h1').innerText()).toBe(lang === 'fr' ? 'Votre suivi est confirmé' : 'Your follow is confirmed');
  await checked(page, `${lang} confirmed`);
  await page.goto(confirmLink);
  await checked(page, `${lang} link used`);

  const before = smtp.messages.length;
  await page.goto(`${server.url}/suivre/gerer`);
  await checked(page, `${lang} manage form`);
  await page.fill('#f-email', email);
  await submit(page);
  await page.waitForURL(/\/suivre\/gerer\/envoye$/);
  await checked(page, `${lang} manage link sent`);
  await page.goto(linkIn(await smtp.mail({ to: email }, { after: before }), `${server.url}/suivre/gerer/`));
  await checked(page, `${lang} open my follows`);
  await submit(page);
  await page.waitForURL(/\/suivre\/mes-suivis$/);
  await checked(page, `${lang} my follows`);
  await page.selectOption('main select', 'weekly');
  await submit(page);
  await page.waitForURL(/fait=frequency$/);
  await checked(page, `${lang} my follows, rhythm changed`);

  // The List-Unsubscribe link a digest carries, made as the digests make it.
  const follow = server.deps.database.db
    .select()
    .from(follows)
    .all()
    .find((f) => f.lang === lang)!;
  expect(follow.frequency).toBe('weekly');
  const unsubscribe = newFollowLink(
    { db: server.deps.database.db, config: server.deps.config, now: () => new Date() },
    'unsubscribe',
    { followId: follow.id },
    86_400_000,
    lang,
  );
  await page.goto(unsubscribe);
  await checked(page, `${lang} unsubscribe button`);
  await submit(page);
  await page.waitForLoadState();
  expect(await page.locator('h1').innerText()).toBe(lang === 'fr' ? 'Votre suivi est arrêté' : 'Your follow is stopped');
  await checked(page, `${lang} unsubscribed`);
  expect(
    server.deps.database.db
      .select()
      .from(follows)
      .all()
      .filter((f) => f.id === follow.id),
  ).toEqual([]);
  await page.goto(`${server.url}/suivre/mes-suivis`);
  await checked(page, `${lang} my follows, none`);
  await ctx.close();
}

describe('following the register by e-mail, at 375 px', () => {
  for (const lang of LANGS) {
    it(`in ${lang}, JavaScript off: follow a project, confirm, manage, unsubscribe`, { timeout: 120_000 }, () => walk(lang, false));
    it(`in ${lang}, axe and width on every page of the walk`, { timeout: 180_000 }, () => walk(lang, true));
  }
});
