/**
 * Every screen works on a phone (issue 11): in Debian's Chromium at 375 × 667 px, in French and English,
 * the home page, the register, a project page, every step of the request form, the tracking pages and the
 * back office's queue and request page have no horizontal scroll of the page, their h1 starts within the
 * first screen, and axe-core finds no serious or critical violation. Below 640 px the main navigation
 * folds behind a Menu button that works with JavaScript off; at 1280 px the links show and the back
 * office's table fits its column, a long project title cut to two lines with its whole text kept.
 *
 * The request is submitted through the service, confirmed by the link in its mail (real SMTP server), and
 * followed at /suivi by the link received; the staff session is put in the browser as sign-in leaves it.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectTitle, requestById, type RequestRecord } from '../../server/db/requests';
import { insertSession, insertUser, type Role } from '../../server/db/staff';
import { confirmRequest, readDraft, submitDraft, writeDraft, type RequestDeps } from '../../server/services/rights-requests';
import { encryptUserEmail } from '../../server/services/staff';
import { STEPS, type Answers } from '../../server/domain/rights-request';
import { launchBrowser, seriousViolations } from '../helpers/browser';
import { startTestServer, type RunningServer } from '../helpers/server';
import { linkIn, startSmtp, type TestSmtp } from '../helpers/smtp';

const PHONE = { width: 375, height: 667 };
const DESKTOP = { width: 1280, height: 800 };
const LANGS = ['fr', 'en'] as const;
type Lang = (typeof LANGS)[number];
const MAIL = JSON.parse(readFileSync(new URL('../../locales/fr/mail.json', import.meta.url), 'utf8')) as Record<string, { subject: string }>;
/** A demonstration project with one of the register's longest titles (86 characters). */
const LONG_TITLE_PROJECT = 'hydro';

let server: RunningServer;
let smtp: TestSmtp;
let browser: Browser;
let deps: RequestDeps;
let request: RequestRecord;
let email: string;
let staff: { id: string; role: Role; email: string };
let admin: { id: string; role: Role; email: string };

/** The answers of a request that has done every step: opposition to a project's use of one's data. */
const answers = (mail: string): Answers => ({
  kind: 'opposition',
  scope: 'projet',
  projectId: LONG_TITLE_PROJECT,
  onBehalf: 'self',
  lastName: 'Lemoine',
  firstNames: 'Agathe',
  birthDate: '1995-10-12',
  birthPlace: 'Nantes',
  nir: '295109912611193',
  insuranceScheme: 'cpam',
  email: mail,
  done: [...STEPS],
});

function staffUser(role: Role, organisationId: string | null) {
  const id = randomUUID();
  const address = `${role}-${id.slice(0, 8)}@example.org`;
  insertUser(server.deps.database.db, {
    id,
    handle: randomBytes(16).toString('base64url'),
    emailEnc: encryptUserEmail(server.deps, id, address),
    emailIndex: server.deps.index.email(address),
    role,
    organisationId,
    createdAt: new Date().toISOString(),
  });
  return { id, role, email: address };
}

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startTestServer({ SMTP_URL: smtp.url }, { demoData: true });
  const d = server.deps;
  deps = {
    db: d.database.db,
    cipher: d.cipher,
    index: d.index,
    mailer: d.mailer,
    config: d.config,
    logger: d.logger,
    now: d.now,
    i18n: d.i18n,
    kickMail: d.mailWorker.kick,
    kickDeliveries: d.deliveryWorker.kick,
  };
  email = 'agathe.lemoine@example.org';
  const out = await submitDraft(deps, readDraft(deps, writeDraft(deps, undefined, answers(email)))!, { lang: 'fr' });
  if (out.outcome !== 'created') throw new Error(out.outcome);
  const confirmation = await mailTo(email, MAIL.confirm!.subject);
  const link = linkIn(confirmation, `${server.url}/demande/confirmer/`);
  expect(confirmRequest(deps, new URL(link).pathname.split('/').at(-1)!)?.status, link).toBe('recue');
  request = requestById(d.database.db, out.request.id)!;
  expect(request.projectId).toBe(LONG_TITLE_PROJECT);
  // Whoever answers this request: the CNAM (pseudonymised sources) or the project's controller.
  staff = request.organisationId === 'cnam' ? staffUser('cnam', 'cnam') : staffUser('dpo', request.organisationId);
  admin = staffUser('admin', null);
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.stop();
});

const mailTo = (address: string, subject: string, after = 0) => smtp.mail({ to: address, subject }, { after });

async function phone(lang: Lang, options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: PHONE, locale: lang === 'fr' ? 'fr-FR' : 'en-GB', ...options });
  context.setDefaultTimeout(20_000);
  // The language is chosen once by ?lang= and kept by its cookie.
  await context.addCookies([{ name: 'lang', value: lang, url: server.url }]);
  return context;
}

/** A browser context signed in as this member of staff: a session row and its cookie. */
async function signedIn(context: BrowserContext, user: { id: string }): Promise<void> {
  const sessionId = randomBytes(32).toString('base64url');
  const now = new Date();
  insertSession(server.deps.database.db, {
    idHash: createHash('sha256').update(sessionId).digest('hex'),
    userId: user.id,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 12 * 3_600_000).toISOString(),
  });
  await context.addCookies([{ name: 'session', value: sessionId, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
}

const withLang = (url: string, lang: Lang) => `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;

/** What the page measures: the page's horizontal overflow and where its h1 starts. */
const measure = (page: Page) =>
  page.evaluate(() => ({
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    h1Top: document.querySelector('h1')?.getBoundingClientRect().top ?? null,
  }));

/** Arrows, chevrons and crosses drawn for the eye; French quotes « » are punctuation and may be read. */
const DECORATIVE = /[›‹→←×▸▶✕➜]/;

/** What Chromium's accessibility tree would read out with a decorative character in it (names and text). */
async function decorativeReadOut(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { ignored: boolean; role?: { value: string }; name?: { value: string } }[] };
  await cdp.detach();
  return nodes.filter((n) => !n.ignored && DECORATIVE.test(String(n.name?.value ?? ''))).map((n) => `${n.role?.value}: "${n.name?.value}"`);
}

/** No horizontal scroll of the page, the h1 on the first screen (unless `h1: false`), and axe clean. */
async function fitsPhone(page: Page, where: string, options: { h1?: boolean } = {}) {
  const m = await measure(page);
  expect(m.overflow, `${where}: the page scrolls sideways by ${m.overflow} px`).toBeLessThanOrEqual(0);
  if (options.h1 !== false) {
    expect(m.h1Top, `${where}: no h1`).not.toBeNull();
    expect(m.h1Top!, `${where}: the h1 starts below the first screen`).toBeLessThan(PHONE.height);
  }
  const violations = await seriousViolations(page);
  expect(violations.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  expect(await decorativeReadOut(page), `${where}: a decorative character is read out`).toEqual([]);
}

async function open(page: Page, url: string, lang: Lang, status = 200) {
  const res = await page.goto(`${server.url}${withLang(url, lang)}`);
  expect(res?.status(), url).toBe(status);
  expect(await page.getAttribute('html', 'lang')).toBe(lang);
}

describe.each(LANGS)('at 375 px, in %s', (lang) => {
  it.each(['/', '/projets/bacteriemies', `/projets/${LONG_TITLE_PROJECT}`, '/demande', '/suivi'])(
    '%s fits the screen, its h1 on the first screen, axe clean',
    async (url) => {
      const context = await phone(lang);
      const page = await context.newPage();
      await open(page, url, lang);
      await fitsPhone(page, url);
      await context.close();
    },
  );

  it('/projets has no horizontal scroll and axe finds nothing serious', async () => {
    const context = await phone(lang);
    const page = await context.newPage();
    await open(page, '/projets', lang);
    await fitsPhone(page, '/projets', { h1: false });
    await context.close();
  });

  it('/projets shows its first result on the first screen', async () => {
    const context = await phone(lang);
    const page = await context.newPage();
    await open(page, '/projets', lang);
    const top = await page
      .locator('.project-list > li')
      .first()
      .evaluate((li) => li.getBoundingClientRect().top);
    expect(top, 'the first result starts below the first screen').toBeLessThan(PHONE.height);
    await context.close();
  });

  it('a project page offers the request near its top as well as at its end', async () => {
    const context = await phone(lang);
    const page = await context.newPage();
    await open(page, `/projets/${LONG_TITLE_PROJECT}`, lang);
    const actions = page.locator(`main a[href="/demande?projet=${LONG_TITLE_PROJECT}"]`);
    expect(await actions.count()).toBe(2);
    // Right under the title, before the table of contents; then again at the end of "Your rights".
    const first = await actions.first().evaluate((a) => ({
      top: a.getBoundingClientRect().top,
      beforeToc: !!(a.compareDocumentPosition(document.querySelector('nav.toc')!) & Node.DOCUMENT_POSITION_FOLLOWING),
    }));
    expect(first.beforeToc).toBe(true);
    expect(first.top, 'the first "exercise my rights" link starts below the first screen').toBeLessThan(PHONE.height);
    expect(await actions.last().evaluate((a) => !!a.closest('section[aria-labelledby="rights"]'))).toBe(true);
    await context.close();
  });

  it('every step of the request form, then the check page, fits the screen', { timeout: 60_000 }, async () => {
    const context = await phone(lang);
    // A draft with every step done: each step's page can be opened as the person comes back to it.
    const draftId = writeDraft(deps, undefined, answers(`phone.${lang}@example.org`));
    await context.addCookies([{ name: 'demande', value: draftId, url: `${server.url}/demande`, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    for (const step of [...STEPS, 'verifier']) {
      await open(page, `/demande/${step}`, lang);
      expect(new URL(page.url()).pathname).toBe(`/demande/${step}`);
      await fitsPhone(page, `/demande/${step}`);
    }
    // A step in error: the summary takes focus as the page loads, with no script.
    await page.goto(`${server.url}/demande/contact`);
    await page.fill('#f-email', '');
    await page.locator('main form button[type=submit]:not([name=_action])').first().click();
    await page.waitForSelector('.error-summary');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    await fitsPhone(page, '/demande/contact with an error', { h1: false });
    await context.close();
  });

  it('the tracking pages: the request asked for at /suivi, then the page the mail links to', { timeout: 60_000 }, async () => {
    const context = await phone(lang);
    const page = await context.newPage();
    await open(page, '/suivi', lang);
    const before = smtp.messages.length;
    await page.fill('#f-reference', request.reference);
    await page.fill('#f-email', email);
    await page.locator('main form button[type=submit]').click();
    await page.waitForURL(/\/suivi\/envoye$/);
    await fitsPhone(page, '/suivi/envoye');
    // The tracking link comes in the request's language (French).
    const mail = await mailTo(email, MAIL.track!.subject, before);
    await page.goto(linkIn(mail, `${server.url}/suivi/`));
    await page.waitForURL(/\/suivi\/demande$/);
    expect(await page.locator('main').innerText()).toContain(request.reference);
    await fitsPhone(page, '/suivi/demande');
    await context.close();
  });

  it('the back office: the queue and the request page, with who is signed in behind the Menu button', async () => {
    const context = await phone(lang);
    await signedIn(context, staff);
    const page = await context.newPage();
    await open(page, '/espace-pro/demandes', lang);
    await page.locator(`tr[data-reference="${request.reference}"]`).waitFor();
    await fitsPhone(page, 'queue');
    // The table scrolls in its own labelled region, which takes focus.
    const region = page.locator('.table-wrap:has(table.queue-table)');
    expect(await region.getAttribute('role')).toBe('region');
    expect(await region.getAttribute('tabindex')).toBe('0');
    const label = await region.getAttribute('aria-labelledby');
    expect((await page.locator(`#${label}`).innerText()).length).toBeGreaterThan(3);
    // Who is signed in sits with the navigation, folded with it.
    const who = page.locator('nav#navigation .main-nav__who');
    expect(await who.isVisible()).toBe(false);
    await page.locator('nav#navigation summary').click();
    expect(await who.innerText()).toContain(staff.email);
    await open(page, `/espace-pro/demandes/${request.id}`, lang);
    await fitsPhone(page, 'request page');
    await context.close();
  });
});

describe('decorative characters', () => {
  it('the check reads what Chromium reads: an arrow drawn by CSS is in a link’s name, unless its alternative is empty', async () => {
    const context = await phone('fr');
    const page = await context.newPage();
    await page.setContent(
      '<html lang="fr"><style>.a::after { content: " →"; } .b::after { content: " →" / ""; }</style><a class="a" href="#x">Suivant</a> <a class="b" href="#y">Précédent</a></html>',
    );
    expect(await decorativeReadOut(page)).toEqual(expect.arrayContaining(['link: "Suivant →"']));
    expect((await decorativeReadOut(page)).some((n) => n.includes('Précédent'))).toBe(false);
    await context.close();
  });
});

describe('the main navigation', () => {
  it('below 640 px, with JavaScript off, folds behind a Menu button that opens and closes it', async () => {
    const context = await phone('fr', { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/comprendre`);
    const nav = page.locator('nav#navigation');
    const link = nav.getByRole('link', { name: 'Registre des projets' });
    const button = nav.locator('summary');
    expect(await button.innerText()).toBe('Menu');
    expect(await link.isVisible()).toBe(false);
    await button.click();
    expect(await link.isVisible()).toBe(true);
    await link.click();
    await page.waitForURL(/\/projets$/);
    expect(await page.locator('nav#navigation').getByRole('link', { name: 'Registre des projets' }).isVisible()).toBe(false);
    await page.locator('nav#navigation summary').click();
    await page.locator('nav#navigation summary').click();
    expect(await page.locator('nav#navigation').getByRole('link', { name: 'Comprendre' }).isVisible()).toBe(false);
    await context.close();
  });

  it('names the button and tells its state to assistive technologies', async () => {
    const context = await phone('en');
    const page = await context.newPage();
    await page.goto(`${server.url}/?lang=en`);
    const summary = page.locator('nav#navigation summary');
    const state = async () => (await summary.ariaSnapshot()).trim();
    expect(await state()).toMatch(/Menu/);
    await summary.click();
    expect(await page.locator('nav#navigation').getByRole('link', { name: 'Understand' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.querySelector('nav#navigation details')?.hasAttribute('open'))).toBe(true);
    await context.close();
  });

  it('from 640 px shows its links and no Menu button', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    expect(await page.locator('nav#navigation summary').isVisible()).toBe(false);
    expect(await page.locator('nav#navigation').getByRole('link', { name: 'Registre des projets' }).isVisible()).toBe(true);
    await context.close();
  });
});

describe('the back office at 1280 px', () => {
  it('the queue fits its column, the long project title cut to two lines with its whole text kept; the header says who is signed in', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'fr-FR' });
    await signedIn(context, staff);
    const page = await context.newPage();
    await page.goto(`${server.url}/espace-pro/demandes`);
    const fit = await page
      .locator('.table-wrap:has(table.queue-table)')
      .evaluate((wrap) => ({ table: wrap.querySelector('table')!.scrollWidth, box: wrap.clientWidth }));
    expect(fit.table, 'the queue table is wider than its column').toBeLessThanOrEqual(fit.box);
    const title = projectTitle(server.deps.database.db, LONG_TITLE_PROJECT)!.title;
    const cut = page.locator(`tr[data-reference="${request.reference}"] .clamp`);
    expect(await cut.getAttribute('title')).toBe(title);
    expect(await cut.textContent()).toBe(title);
    const lines = await cut.evaluate((el) => Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)));
    expect(lines).toBeLessThanOrEqual(2);
    expect(await cut.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    // The row's link in focus: the whole title shows.
    await page.locator(`tr[data-reference="${request.reference}"] a`).focus();
    expect(await cut.evaluate((el) => getComputedStyle(el).display)).toBe('inline');
    const who = await page.locator('nav#navigation .main-nav__who').innerText();
    expect(who).toContain(staff.email);
    expect(who).toMatch(staff.role === 'cnam' ? /CNAM/ : /DPO/);
    await context.close();
  });

  it('an administrator reads a request without its action forms, told why', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'fr-FR' });
    await signedIn(context, admin);
    const page = await context.newPage();
    await page.goto(`${server.url}/espace-pro/demandes/${request.id}`);
    expect(await page.locator('#actions form').count()).toBe(0);
    expect(await page.locator('#actions').innerText()).toContain('Seul le DPO de l’organisme qui la reçoit y répond');
    expect(await page.locator('nav#navigation .main-nav__who').innerText()).toContain(`${admin.email} (administration)`);
    const violations = await seriousViolations(page);
    expect(violations.map((v) => v.id)).toEqual([]);
    await context.close();
  });
});
