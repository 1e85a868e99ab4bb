/**
 * The privacy notice lists every cookie the service sets, and no other (GDPR art. 13; loi Informatique et
 * Libertés art. 82: cookies exempt from consent must still be listed). A browser stand-in walks the whole
 * service (language choice, pages with forms, the request form to its check page and on to the receipt,
 * tracking through a one-time link, a staff enrolment and sign-in with a passkey) and every Set-Cookie of
 * every response is collected. The names must equal the terms of the cookie list on /confidentialite,
 * both ways, in French and in English. Every cookie here is set by the server itself: none is forged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app';
import { client, type Page } from '../helpers/client';
import { linkIn, startSmtp, type TestSmtp } from '../helpers/smtp';
import { ceremonyIn, softAuthenticator } from '../helpers/soft-authenticator';
import { contentUrls } from '../../server/routes/content-pages';
import { createInvitation } from '../../server/services/staff';

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.stop();
});

/** The answers a person gives; a choice the form no longer offers falls back to the first one it offers. */
const ANSWERS: Record<string, string> = {
  kind: 'opposition',
  scope: 'snds',
  onBehalf: 'self',
  lastName: 'Testeuse',
  firstNames: 'Albertine Marie',
  birthDay: '12',
  birthMonth: '10',
  birthYear: '1995',
  birthPlace: 'Testville (99)',
  // Agrees with the birth date above (the NIR encodes the birth year and month).
  nir: '2 95 10 99 126 111 93',
  insuranceScheme: 'cpam',
  email: 'cookies.testeuse@example.org',
  postalAddress: '',
  reason: 'Je ne souhaite pas que mes données servent.',
};

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/** The answers to post on a step page: ANSWERS, with each radio group and select set to a value the page offers. */
function answersFor(html: string): Record<string, string> {
  const fields = { ...ANSWERS };
  const choices = new Map<string, string[]>();
  for (const [tag] of html.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(tag, 'name');
    const value = attr(tag, 'value');
    if (name && value && attr(tag, 'type') === 'radio') choices.set(name, [...(choices.get(name) ?? []), value]);
  }
  for (const m of html.matchAll(/<select\b[^>]*\sname="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    choices.set(
      m[1]!,
      [...m[2]!.matchAll(/<option\b[^>]*\svalue="([^"]+)"/g)].map((o) => o[1]!),
    );
  }
  for (const [name, values] of choices) if (values.length > 0 && !values.includes(fields[name] ?? '')) fields[name] = values[0]!;
  return fields;
}

/** The terms of the cookie list: the `dt` of the section headed "Cookies". */
function listedCookies(html: string): string[] {
  const section = [...html.matchAll(/<section\b[^>]*>([\s\S]*?)<\/section>/g)].map((m) => m[1]!).find((s) => /<h2\b[^>]*>\s*Cookies\s*<\/h2>/.test(s));
  if (!section) throw new Error('no section headed "Cookies" on the privacy notice');
  return [...section.matchAll(/<dt>([^<]*)<\/dt>/g)].map((m) => m[1]!.trim());
}

async function mailWithLink(base: string, since: number): Promise<string> {
  return new URL(linkIn(await smtp.mail({ text: base }, { after: since }), base)).pathname;
}

/** Walks the service as a person and as a member of staff; returns the name of every cookie any response set. */
async function walk(t: TestApp): Promise<Set<string>> {
  const names = new Set<string>();
  const recording = {
    ...t,
    app: {
      request: async (...args: Parameters<TestApp['app']['request']>) => {
        const res = await t.app.request(...args);
        for (const c of res.headers.getSetCookie()) names.add(c.slice(0, c.indexOf('=')).trim());
        return res;
      },
    },
  } as unknown as TestApp;
  const origin = t.deps.config.publicUrl.origin;
  const expectRedirect = (p: Page, where: string) => expect(p.status, `${where}: ${p.html.slice(0, 1500)}`).toBe(303);

  // A person: chooses English, reads every page, then back to French.
  const person = client(recording);
  expect((await person.get('/?lang=en')).status).toBe(200);
  for (const url of [...contentUrls(), '/projets', '/outils/delai', '/suivi']) expect((await person.get(url)).status, url).toBe(200);
  await person.get('/?lang=fr');

  // The request form, step by step, to its check page and the receipt.
  expect((await person.get('/demande')).status).toBe(200);
  let p = await person.post('/demande', {});
  expectRedirect(p, 'start');
  for (let i = 0; i < 12 && p.location !== '/demande/verifier'; i += 1) {
    const step = p.location!;
    expect(step, 'the form stays on its steps').toMatch(/^\/demande\/[a-z-]+$/);
    const page = await person.get(step);
    expect(page.status, step).toBe(200);
    p = await person.post(step, answersFor(page.html));
    expectRedirect(p, step);
  }
  const check = await person.get('/demande/verifier');
  expect(check.status).toBe(200);
  const idempotencyKey = /name="idempotencyKey" value="([^"]+)"/.exec(check.html)?.[1] ?? '';
  const sent = await person.post('/demande/verifier', { declaration: 'oui', idempotencyKey, website: '' });
  expect(sent.location).toBe('/demande/recu');
  const receipt = await person.get('/demande/recu');
  const reference = /class="reference">([A-Z0-9-]+)</.exec(receipt.html)?.[1];
  expect(reference, receipt.html.slice(0, 1500)).toBeTruthy();

  // Tracking: the one-time link from the mail opens the tracking page.
  const before = smtp.messages.length;
  expect((await person.get('/suivi')).status).toBe(200);
  expect((await person.post('/suivi', { reference: reference!, email: ANSWERS.email! })).location).toBe('/suivi/envoye');
  const opened = await person.get(await mailWithLink(`${origin}/suivi/`, before));
  expect(opened.location).toBe('/suivi/demande');
  expect((await person.get('/suivi/demande')).status).toBe(200);

  // Following the register: a follow, then one's follows through the management link and its button.
  expect((await person.get('/suivre/recherche')).status).toBe(200);
  expect((await person.post('/suivre/recherche', { email: ANSWERS.email!, frequency: 'weekly' })).location).toBe('/suivre/envoye');
  const beforeManage = smtp.messages.length;
  expect((await person.get('/suivre/gerer')).status).toBe(200);
  expect((await person.post('/suivre/gerer', { email: ANSWERS.email! })).location).toBe('/suivre/gerer/envoye');
  const manage = await mailWithLink(`${origin}/suivre/gerer/`, beforeManage);
  expect((await person.get(manage)).status).toBe(200);
  expect((await person.post(manage, {})).location).toBe('/suivre/mes-suivis');
  expect((await person.get('/suivre/mes-suivis')).status).toBe(200);

  // Staff: enrols from an invitation (the server signs them in), then signs in again from a new browser.
  const auth = softAuthenticator({ origin: t.deps.config.webauthn.origin, rpId: t.deps.config.webauthn.rpId });
  const staffDeps = { db: t.deps.database.db, cipher: t.deps.cipher, index: t.deps.index, config: t.deps.config, now: t.deps.now };
  const { url } = createInvitation(staffDeps, { email: 'admin.cookies@example.org', role: 'admin' });
  const invitation = new URL(url).pathname;
  const enrolling = client(recording);
  const enrolPage = await enrolling.get(invitation);
  expect(enrolPage.status).toBe(200);
  const enrolment = ceremonyIn(enrolPage);
  expectRedirect(
    await enrolling.post(invitation, { name: 'Téléphone', challengeId: enrolment.challengeId, response: JSON.stringify(auth.register(enrolment.options)) }),
    'enrolment',
  );
  const staff = client(recording);
  const signIn = ceremonyIn(await staff.get('/espace-pro/connexion'));
  expectRedirect(
    await staff.post('/espace-pro/connexion', { challengeId: signIn.challengeId, response: JSON.stringify(auth.authenticate(signIn.options)) }),
    'sign-in',
  );
  const home = await staff.follow(await staff.get('/espace-pro'));
  expect(home.status).toBe(200);
  expect(staff.jar.size, 'the staff browser holds a session').toBeGreaterThan(0);

  return names;
}

describe('the cookies listed in the privacy notice', () => {
  it.each(['fr', 'en'])('over https: exactly the cookies the service sets (%s)', async (lang) => {
    const t = makeTestApp({ PUBLIC_URL: 'https://droits.example', SMTP_URL: smtp.url });
    try {
      const set = await walk(t);
      const listed = listedCookies(await (await t.app.request(`/confidentialite?lang=${lang}`)).text());
      expect(new Set(listed).size, 'each cookie listed once').toBe(listed.length);
      expect([...set].sort()).toEqual([...listed].sort());
      // The walk did reach every kind of cookie: language, CSRF, draft, tracking, staff session.
      expect(set.size).toBeGreaterThanOrEqual(5);
    } finally {
      t.close();
    }
  });

  it('without an encrypted connection: the same cookies, without the __Host- prefix the page explains', async () => {
    const t = makeTestApp({ SMTP_URL: smtp.url });
    try {
      const set = await walk(t);
      const html = await (await t.app.request('/confidentialite')).text();
      const listed = listedCookies(html).map((name) => name.replace(/^__Host-/, ''));
      expect([...set].sort()).toEqual([...listed].sort());
      for (const name of listedCookies(html).filter((n) => n.startsWith('__Host-'))) expect(html).toContain(name.replace(/^__Host-/, ''));
    } finally {
      t.close();
    }
  });
});
