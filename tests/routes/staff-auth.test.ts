/**
 * Passkey sign-in, enrolment and staff sessions through app.request, with a software
 * authenticator answering the options the pages carry, so every response goes through the real
 * WebAuthn verification. A controlled clock drives invitation expiry and session timeouts.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app';
import { client, type Page } from '../helpers/client';
import { ceremonyIn, softAuthenticator, type CeremonyOverrides, type SoftAuthenticator } from '../helpers/soft-authenticator';
import { startAuthentication } from '../../server/auth/webauthn';
import { auditLog, authChallenges, credentials, invitations, organisations, sessions, users } from '../../server/db/schema';
import { takeChallenge } from '../../server/db/staff';
import { safeReturn, SIGN_IN_LIMIT } from '../../server/routes/staff/auth';
import { changeRole, createInvitation, disableUser, StaffInputError, userEmail, type StaffDeps } from '../../server/services/staff';

const run = promisify(execFile);

let t: TestApp | undefined;
let clock = new Date('2026-03-02T09:00:00.000Z');
const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function setup(): TestApp {
  clock = new Date('2026-03-02T09:00:00.000Z');
  t = makeTestApp({}, { now: () => clock });
  return t;
}
afterEach(() => {
  t?.close();
  t = undefined;
});

const staffDeps = (app: TestApp): StaffDeps => ({
  db: app.deps.database.db,
  cipher: app.deps.cipher,
  index: app.deps.index,
  config: app.deps.config,
  now: () => clock,
});
const authenticatorFor = (app: TestApp) => softAuthenticator({ origin: app.deps.config.webauthn.origin, rpId: app.deps.config.webauthn.rpId });
const tokenOf = (url: string) => url.split('/').pop()!;
const sessionCookie = (c: ReturnType<typeof client>) => c.jar.get('session');
const auditActions = (app: TestApp) => app.deps.database.db.select().from(auditLog).all();

/** Opens the invitation, creates a passkey with `auth`, posts the form. */
async function enrol(c: ReturnType<typeof client>, auth: SoftAuthenticator, token: string, name = 'Téléphone', o: CeremonyOverrides = {}): Promise<Page> {
  const page = await c.get(`/espace-pro/invitation/${token}`);
  expect(page.status).toBe(200);
  const { options, challengeId } = ceremonyIn(page);
  return c.post(`/espace-pro/invitation/${token}`, { name, challengeId, response: JSON.stringify(auth.register(options, o)) });
}

/**
 * Opens the sign-in page, signs the challenge with `auth`, posts the form; returns the form fields too.
 * A signed-in browser is sent on from the sign-in page: it then takes a challenge from another page.
 */
async function signIn(c: ReturnType<typeof client>, auth: SoftAuthenticator, o: Parameters<SoftAuthenticator['authenticate']>[1] = {}, retour?: string) {
  let page = await c.get('/espace-pro/connexion');
  if (page.status === 303) page = await client(t!).get('/espace-pro/connexion');
  const { options, challengeId } = ceremonyIn(page);
  const fields = { challengeId, response: JSON.stringify(auth.authenticate(options, o)), ...(retour ? { retour } : {}) };
  return { page: await c.post('/espace-pro/connexion', fields), fields };
}

/** A person enrolled from an invitation, with their browser and authenticator. */
async function person(app: TestApp, email = 'admin@example.org', role: 'admin' | 'editor' | 'dpo' | 'cnam' = 'admin', organisationId?: string) {
  const c = client(app);
  const auth = authenticatorFor(app);
  const { url } = createInvitation(staffDeps(app), { email, role, organisationId });
  const page = await enrol(c, auth, tokenOf(url));
  expect(page.status, page.html.slice(0, 3000)).toBe(303);
  const user = app.deps.database.db
    .select()
    .from(users)
    .where(eq(users.emailIndex, app.deps.index.email(email)))
    .get()!;
  return { c, auth, user };
}

describe('invitations', () => {
  it('admin:invite service: a usable link, only a hash stored, the address encrypted', async () => {
    const app = setup();
    const { token, url, expiresAt } = createInvitation(staffDeps(app), { email: ' Premiere.Admin@Example.org ', role: 'admin' });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url).toBe(`${app.deps.config.publicUrl.origin}/espace-pro/invitation/${token}`);
    expect(expiresAt).toBe(new Date(clock.getTime() + 48 * HOUR).toISOString());
    const row = app.deps.database.db.select().from(invitations).get()!;
    expect(row.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.emailEnc).not.toMatch(/example/i);

    const c = client(app);
    const page = await c.get(`/espace-pro/invitation/${token}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Créer votre clé d’accès');
    expect(page.html).toContain('Nom de cette clé');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const { options } = ceremonyIn(page);
    expect(options).toMatchObject({
      rp: { id: 'localhost' },
      attestation: 'none',
      authenticatorSelection: { userVerification: 'required', residentKey: 'required' },
    });
    expect(Buffer.from(options.user.id, 'base64url')).toHaveLength(32);
    expect(options.user.name).toBe('Premiere.Admin@Example.org');
  });

  it('enrols once: creates the person and their passkey, signs them in, then the link is used up', async () => {
    const app = setup();
    const c = client(app);
    const auth = authenticatorFor(app);
    const { token } = createInvitation(staffDeps(app), { email: 'premiere.admin@example.org', role: 'admin' });
    const done = await enrol(c, auth, token, '  Téléphone   pro ');
    expect(done.status).toBe(303);
    expect(done.location).toBe('/espace-pro/cles?message=enrolled');
    const db = app.deps.database.db;
    const user = db.select().from(users).get()!;
    expect(user.role).toBe('admin');
    expect(user.handle).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(userEmail(app.deps, user)).toBe('premiere.admin@example.org');
    const passkey = db.select().from(credentials).get()!;
    expect(passkey).toMatchObject({ userId: user.id, name: 'Téléphone pro', counter: 0, transports: '["internal"]' });
    expect(db.select().from(invitations).get()!.usedAt).toBe(clock.toISOString());
    expect(db.select().from(sessions).all()).toHaveLength(1);

    const keys = await c.follow(done);
    expect(keys.status).toBe(200);
    expect(keys.html).toContain('Ajoutez maintenant une deuxième clé d’accès');
    expect(keys.html).toContain('Téléphone pro');

    // Single use: the page says so, and a second enrolment with a fresh passkey is refused.
    const again = await c.get(`/espace-pro/invitation/${token}`);
    expect(again.status).toBe(404);
    expect(again.html).toContain('Cette invitation ne peut plus servir');
    const replay = await client(app).post(`/espace-pro/invitation/${token}`, { name: 'Autre', challengeId: 'x', response: '{}' }, { token: 'x' });
    expect(replay.status).toBe(403);
    const other = client(app);
    await other.get('/espace-pro/connexion');
    const post = await other.post(`/espace-pro/invitation/${token}`, { name: 'Autre', challengeId: 'x', response: '{}' });
    expect(post.status).toBe(404);
    expect(db.select().from(users).all()).toHaveLength(1);
    expect(auditActions(app).map((e) => e.action)).toEqual(['invitation.create', 'enrol']);
  });

  it('a page opened before the link was used cannot enrol a second time', async () => {
    const app = setup();
    const auth = authenticatorFor(app);
    const { token } = createInvitation(staffDeps(app), { email: 'a@example.org', role: 'editor' });
    const first = client(app);
    const second = client(app);
    const page1 = await first.get(`/espace-pro/invitation/${token}`);
    const page2 = await second.get(`/espace-pro/invitation/${token}`);
    const c1 = ceremonyIn(page1);
    const c2 = ceremonyIn(page2);
    expect(
      (await first.post(`/espace-pro/invitation/${token}`, { name: 'Un', challengeId: c1.challengeId, response: JSON.stringify(auth.register(c1.options)) }))
        .status,
    ).toBe(303);
    expect(
      (await second.post(`/espace-pro/invitation/${token}`, { name: 'Deux', challengeId: c2.challengeId, response: JSON.stringify(auth.register(c2.options)) }))
        .status,
    ).toBe(404);
    expect(app.deps.database.db.select().from(credentials).all()).toHaveLength(1);
  });

  it('expires after 48 hours', async () => {
    const app = setup();
    const { token } = createInvitation(staffDeps(app), { email: 'late@example.org', role: 'admin' });
    const c = client(app);
    advance(48 * HOUR - MINUTE);
    expect((await c.get(`/espace-pro/invitation/${token}`)).status).toBe(200);
    advance(2 * MINUTE);
    const late = await c.get(`/espace-pro/invitation/${token}`);
    expect(late.status).toBe(404);
    expect(late.html).toContain('il a expiré');
    expect((await c.get('/espace-pro/invitation/not-a-token')).status).toBe(404);
  });

  it('asks for a name for the passkey, and refuses a response without user verification', async () => {
    const app = setup();
    const c = client(app);
    const auth = authenticatorFor(app);
    const { token } = createInvitation(staffDeps(app), { email: 'nom@example.org', role: 'admin' });
    const noName = await enrol(c, auth, token, '   ');
    expect(noName.status).toBe(422);
    expect(noName.html).toContain('Erreur : Créer votre clé d’accès');
    expect(noName.html).toMatch(/<a href="#f-name">Donnez un nom à cette clé/);
    const long = await enrol(c, auth, token, 'x'.repeat(61));
    expect(long.status).toBe(422);
    const noUv = await enrol(c, auth, token, 'Téléphone', { userVerified: false });
    expect(noUv.status).toBe(400);
    expect(noUv.html).toContain('La clé d’accès n’a pas pu être enregistrée');
    const otherOrigin = await enrol(c, auth, token, 'Téléphone', { origin: 'https://evil.example' });
    expect(otherOrigin.status).toBe(400);
    expect(app.deps.database.db.select().from(users).all()).toHaveLength(0);
    expect((await enrol(c, auth, token)).status).toBe(303);
  });

  it('refuses a bad address, a DPO without organisation, an unknown organisation and an address already enrolled', async () => {
    const app = setup();
    const d = staffDeps(app);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof StaffInputError ? e.code : String(e);
      }
      return 'accepted';
    };
    expect(code(() => createInvitation(d, { email: 'pas-une-adresse', role: 'admin' }))).toBe('email_invalid');
    expect(code(() => createInvitation(d, { email: 'dpo@example.org', role: 'dpo' }))).toBe('organisation_required');
    expect(code(() => createInvitation(d, { email: 'dpo@example.org', role: 'dpo', organisationId: 'nope' }))).toBe('organisation_unknown');
    const { user } = await person(app, 'taken@example.org');
    expect(code(() => createInvitation(d, { email: 'TAKEN@example.org', role: 'editor' }))).toBe('email_taken');
    // With the person named, the link adds a passkey to their account.
    const { token } = createInvitation(d, { email: 'taken@example.org', role: 'editor', userId: user.id });
    const c = client(app);
    const page = await c.get(`/espace-pro/invitation/${token}`);
    expect(page.html).toContain('ajoute une clé d’accès à votre compte');
    expect(ceremonyIn(page).options.excludeCredentials).toHaveLength(1);
    expect((await enrol(c, authenticatorFor(app), token, 'Ordinateur')).status).toBe(303);
    expect(app.deps.database.db.select().from(credentials).where(eq(credentials.userId, user.id)).all()).toHaveLength(2);
    expect(app.deps.database.db.select().from(users).get()!.role).toBe('admin');
  });

  it('npm run admin:invite prints a working link, and exits 2 on bad input', { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'admin-invite-'));
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      PUBLIC_URL: 'https://sante.example.gouv.fr',
    };
    const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'server/cli/admin-invite.ts', ...args], { env, cwd: process.cwd() });
    try {
      const { stdout } = await cli('--email', 'first.admin@example.org');
      const url = /https:\/\/sante\.example\.gouv\.fr\/espace-pro\/invitation\/[A-Za-z0-9_-]{43}/.exec(stdout)?.[0];
      expect(url, stdout).toBeDefined();
      for (const bad of [
        ['--email', 'not-an-address'],
        ['--mail', 'a@example.org'],
      ]) {
        const failed = await cli(...bad).then(
          () => ({ code: 0, stderr: '' }),
          (e: { code: number; stderr: string }) => e,
        );
        expect(failed.code, bad.join(' ')).toBe(2);
        expect(failed.stderr).toContain('Usage: npm run admin:invite');
      }
      const app = makeTestApp({ PUBLIC_URL: 'https://sante.example.gouv.fr' }, {}, { dataDir });
      t = app;
      const page = await client(app).get(new URL(url!).pathname);
      expect(page.status).toBe(200);
      expect(page.html).toContain('administration du service');
    } finally {
      if (!t) rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('sign-in', () => {
  it('signs in with a passkey: home page by role, audit, and RP id from config whatever the Host header', async () => {
    const app = setup();
    const { c, auth, user } = await person(app);
    await c.post('/espace-pro/deconnexion', {});
    expect((await c.get('/espace-pro')).location).toBe('/espace-pro/connexion');
    const page = await c.get('/espace-pro/connexion', { host: 'evil.example' });
    expect(page.html).toContain('Se connecter avec une clé d’accès');
    expect(page.html).toContain('Il faut un navigateur compatible avec les clés d’accès');
    expect(page.html).toMatch(/<script src="\/assets\/passkey\.js\?v=[^"]+" defer="" nonce="[^"]+">/);
    const { options } = ceremonyIn(page);
    expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'required' });
    expect(options.allowCredentials ?? []).toEqual([]);

    const { page: done } = await signIn(c, auth);
    expect(done.status).toBe(303);
    expect(done.location).toBe('/espace-pro');
    const home = await c.get('/espace-pro');
    expect(home.status).toBe(200);
    expect(home.html).toContain('administration du service');
    expect(home.html).toContain('href="/espace-pro/admin"');
    expect(home.html).toContain('Ajoutez-en une deuxième');
    const passkey = app.deps.database.db.select().from(credentials).get()!;
    expect(passkey.counter).toBe(1);
    expect(passkey.lastUsedAt).toBe(clock.toISOString());
    const signin = auditActions(app).find((e) => e.action === 'signin')!;
    expect(signin.actor).toBe(`user:${user.id}`);
    expect(signin.targetId).toBe(createHash('sha256').update(passkey.id).digest('hex').slice(0, 16));

    // An editor's home page has no requests or administration links.
    const editor = await person(app, 'editor@example.org', 'editor');
    const editorHome = await editor.c.get('/espace-pro');
    expect(editorHome.html).toContain('href="/espace-pro/registre"');
    expect(editorHome.html).not.toContain('href="/espace-pro/demandes"');
    expect(editorHome.html).not.toContain('href="/espace-pro/admin"');
  });

  it('a session cookie set before sign-in is not the one after (no fixation)', async () => {
    const app = setup();
    const { c, auth } = await person(app);
    const enrolled = sessionCookie(c)!;
    // Signing in again while holding a valid session: it is replaced, and the old id stops working.
    const { page } = await signIn(c, auth);
    expect(page.status).toBe(303);
    const fresh = sessionCookie(c)!;
    expect(fresh).not.toBe(enrolled);
    expect((await app.app.request('/espace-pro', { headers: { cookie: `session=${enrolled}` } })).headers.get('location')).toBe('/espace-pro/connexion');
    expect((await app.app.request('/espace-pro', { headers: { cookie: `session=${fresh}` } })).status).toBe(200);

    // An id planted by someone else before sign-in is never promoted.
    const planted = 'A'.repeat(43);
    const victim = client(app);
    victim.jar.set('session', planted);
    await signIn(victim, auth);
    expect(sessionCookie(victim)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessionCookie(victim)).not.toBe(planted);
    expect((await app.app.request('/espace-pro', { headers: { cookie: `session=${planted}` } })).status).toBe(303);
    const hashes = app.deps.database.db
      .select()
      .from(sessions)
      .all()
      .map((s) => s.idHash);
    expect(hashes).not.toContain(createHash('sha256').update(planted).digest('hex'));
    expect(hashes).not.toContain(createHash('sha256').update(enrolled).digest('hex'));
  });

  it('ends a session after 30 minutes without activity', async () => {
    const app = setup();
    const { c } = await person(app);
    advance(29 * MINUTE);
    expect((await c.get('/espace-pro')).status).toBe(200);
    advance(29 * MINUTE);
    expect((await c.get('/espace-pro')).status).toBe(200);
    advance(30 * MINUTE + 1000);
    const page = await c.get('/espace-pro/cles');
    expect(page.status).toBe(303);
    expect(page.location).toBe('/espace-pro/connexion?retour=%2Fespace-pro%2Fcles');
    expect(app.deps.database.db.select().from(sessions).all()).toHaveLength(0);
  });

  it('ends a session 12 hours after sign-in, however active', async () => {
    const app = setup();
    const { c } = await person(app);
    for (let elapsed = 0; elapsed < 12 * HOUR - 25 * MINUTE; elapsed += 25 * MINUTE) {
      advance(25 * MINUTE);
      expect((await c.get('/espace-pro')).status).toBe(200);
    }
    advance(25 * MINUTE);
    expect((await c.get('/espace-pro')).status).toBe(303);
    expect(app.deps.database.db.select().from(sessions).all()).toHaveLength(0);
  });

  it('disabling a person ends all their sessions and refuses their passkeys', async () => {
    const app = setup();
    const { c, auth, user } = await person(app);
    const laptop = client(app);
    expect((await signIn(laptop, auth)).page.status).toBe(303);
    const bystander = await person(app, 'other@example.org', 'editor');
    expect(app.deps.database.db.select().from(sessions).where(eq(sessions.userId, user.id)).all()).toHaveLength(2);

    expect(disableUser(staffDeps(app), { userId: user.id, actor: `user:${bystander.user.id}` })).toBe(2);
    expect(app.deps.database.db.select().from(sessions).where(eq(sessions.userId, user.id)).all()).toHaveLength(0);
    expect((await c.get('/espace-pro')).status).toBe(303);
    expect((await laptop.get('/espace-pro')).status).toBe(303);
    expect((await bystander.c.get('/espace-pro')).status).toBe(200);
    const { page } = await signIn(client(app), auth);
    expect(page.status).toBe(400);
    expect(page.html).toContain('La connexion n’a pas abouti');
    const failed = auditActions(app)
      .filter((e) => e.action === 'signin.failed')
      .at(-1)!;
    expect(JSON.parse(failed.detail!)).toEqual({ reason: 'user_disabled' });
    expect(auditActions(app).find((e) => e.action === 'user.disable')).toMatchObject({ targetId: user.id, detail: '{"sessionsEnded":2}' });
  });

  it('sign-out deletes the session row and the cookie', async () => {
    const app = setup();
    const { c, user } = await person(app);
    expect(app.deps.database.db.select().from(sessions).all()).toHaveLength(1);
    const out = await c.post('/espace-pro/deconnexion', {});
    expect(out.status).toBe(303);
    expect(out.location).toBe('/espace-pro/connexion');
    expect(out.headers.getSetCookie().some((h) => /^session=;.*Max-Age=0/i.test(h))).toBe(true);
    expect(app.deps.database.db.select().from(sessions).all()).toHaveLength(0);
    expect(auditActions(app).at(-1)).toMatchObject({ action: 'signout', actor: `user:${user.id}` });
  });

  it('refuses a cross-site POST (403) and keeps the session', async () => {
    const app = setup();
    const { c } = await person(app);
    const cookie = [...c.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const token = /name="_csrf" value="([^"]+)"/.exec((await c.get('/espace-pro')).html)![1]!;
    const post = (path: string, headers: Record<string, string>) =>
      app.app.request(path, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ _csrf: token }).toString(),
      });
    expect((await post('/espace-pro/deconnexion', { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post('/espace-pro/connexion', { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post('/espace-pro/deconnexion', { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post('/espace-pro/cles/supprimer', { origin: 'http://localhost:3000.evil.example' })).status).toBe(403);
    expect(app.deps.database.db.select().from(sessions).all()).toHaveLength(1);
    expect((await c.get('/espace-pro')).status).toBe(200);
  });

  it('a challenge cannot be taken twice: a replayed sign-in is refused', async () => {
    const app = setup();
    const db = app.deps.database.db;
    const { challengeId } = await startAuthentication({ db, config: app.deps.config, now: () => clock });
    expect(takeChallenge(db, challengeId, 'authenticate', clock.toISOString())).toBeDefined();
    expect(takeChallenge(db, challengeId, 'authenticate', clock.toISOString())).toBeUndefined();

    const { c, auth } = await person(app);
    await c.post('/espace-pro/deconnexion', {});
    const { page, fields } = await signIn(c, auth);
    expect(page.status).toBe(303);
    await c.post('/espace-pro/deconnexion', {});
    await c.get('/espace-pro/connexion');
    const replay = await c.post('/espace-pro/connexion', fields);
    expect(replay.status).toBe(400);
    expect(sessionCookie(c)).toBeUndefined();
    const failed = auditActions(app).filter((e) => e.action === 'signin.failed');
    expect(failed.map((e) => JSON.parse(e.detail!).reason)).toEqual(['challenge']);
    // The audit log never holds the browser's response.
    expect(JSON.stringify(auditActions(app))).not.toContain(JSON.parse(fields.response).response.signature);
  });

  it('refuses an expired challenge, and a challenge issued for registration', async () => {
    const app = setup();
    const { c, auth } = await person(app);
    await c.post('/espace-pro/deconnexion', {});
    const page = await c.get('/espace-pro/connexion');
    const { options, challengeId } = ceremonyIn(page);
    advance(5 * MINUTE + 1000);
    expect((await c.post('/espace-pro/connexion', { challengeId, response: JSON.stringify(auth.authenticate(options)) })).status).toBe(400);
    expect(app.deps.database.db.select().from(authChallenges).where(eq(authChallenges.id, challengeId)).all()).toHaveLength(0);

    const { c: other } = await person(app, 'second@example.org');
    const reg = ceremonyIn(await other.get('/espace-pro/cles'));
    await c.get('/espace-pro/connexion');
    const crossed = await c.post('/espace-pro/connexion', {
      challengeId: reg.challengeId,
      response: JSON.stringify(auth.authenticate({ challenge: reg.options.challenge, rpId: 'localhost' })),
    });
    expect(crossed.status).toBe(400);
  });

  it('refuses: no user verification, no user presence, another origin, another RP id, a wrong ceremony type', async () => {
    const app = setup();
    const { c, auth } = await person(app);
    await c.post('/espace-pro/deconnexion', {});
    for (const o of [
      { userVerified: false },
      { userPresent: false },
      { origin: 'http://127.0.0.1:3000' },
      { origin: 'https://evil.example' },
      { rpId: 'evil.example' },
      { type: 'webauthn.create' },
    ] as const) {
      const { page } = await signIn(c, auth, o);
      expect(page.status, JSON.stringify(o)).toBe(400);
      expect(page.html).toContain('Erreur : Se connecter à l’espace professionnel');
      expect(page.html).toContain('href="#passkey-button"');
    }
    expect(sessionCookie(c)).toBeUndefined();
    expect(app.deps.database.db.select().from(sessions).all()).toHaveLength(0);
    expect((await signIn(c, auth)).page.status).toBe(303);
  });

  it('refuses a revoked passkey, a user handle that is not the owner’s, and a counter that goes back', async () => {
    const app = setup();
    const a = await person(app, 'a@example.org');
    const b = await person(app, 'b@example.org');
    const c = client(app);
    // A's passkey presented as B (the authenticator's user handle is B's): refused.
    expect((await signIn(c, a.auth, { userHandle: b.user.handle })).page.status).toBe(400);
    // The counter moves forward only.
    expect((await signIn(c, a.auth, { counter: 5 })).page.status).toBe(303);
    expect((await signIn(c, a.auth, { counter: 3 })).page.status).toBe(400);
    expect(app.deps.database.db.select().from(credentials).where(eq(credentials.userId, a.user.id)).get()!.counter).toBe(5);
    // Revoked (deleted) passkey: unknown.
    app.deps.database.db.delete(credentials).where(eq(credentials.userId, b.user.id)).run();
    expect((await signIn(c, b.auth)).page.status).toBe(400);
    const reasons = auditActions(app)
      .filter((e) => e.action === 'signin.failed')
      .map((e) => JSON.parse(e.detail!).reason);
    expect(reasons).toEqual(['user_handle', 'verification', 'unknown_credential']);
    expect(
      auditActions(app)
        .filter((e) => e.action === 'signin.failed')
        .every((e) => /^[0-9a-f]{16}$/.test(e.targetId ?? '')),
    ).toBe(true);
  });

  it('two uses racing on one counter value: only one wins (compare-and-swap)', async () => {
    const app = setup();
    const { auth } = await person(app);
    const one = client(app);
    const two = client(app);
    const c1 = ceremonyIn(await one.get('/espace-pro/connexion'));
    const c2 = ceremonyIn(await two.get('/espace-pro/connexion'));
    const r1 = JSON.stringify(auth.authenticate(c1.options, { counter: 7 }));
    const r2 = JSON.stringify(auth.authenticate(c2.options, { counter: 7 }));
    const results = await Promise.all([
      one.post('/espace-pro/connexion', { challengeId: c1.challengeId, response: r1 }),
      two.post('/espace-pro/connexion', { challengeId: c2.challengeId, response: r2 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 400]);
  });

  it('goes back to the back-office page asked for, never to another site', async () => {
    const app = setup();
    const { c, auth } = await person(app);
    await c.post('/espace-pro/deconnexion', {});
    const page = await c.get('/espace-pro/connexion?retour=%2Fespace-pro%2Fcles');
    expect(page.html).toContain('name="retour" value="/espace-pro/cles"');
    expect((await signIn(c, auth, {}, '/espace-pro/cles')).page.location).toBe('/espace-pro/cles');
    await c.post('/espace-pro/deconnexion', {});
    expect((await signIn(c, auth, {}, '//evil.example/espace-pro')).page.location).toBe('/espace-pro');
    for (const bad of [
      'https://evil.example/espace-pro',
      '//evil.example',
      '/\\evil.example',
      '/espace-pro/../admin',
      '/espace-pro-x',
      '/espace-pro/connexion',
      ' /espace-pro',
      '/espace-pro\n/x',
      42,
    ]) {
      expect(safeReturn(bad), String(bad)).toBeUndefined();
    }
    expect(safeReturn('/espace-pro/demandes?page=2')).toBe('/espace-pro/demandes?page=2');
    expect(safeReturn('/espace-pro')).toBe('/espace-pro');
  });

  it('rate-limits sign-in attempts per address', async () => {
    const app = setup();
    const c = client(app);
    await c.get('/espace-pro/connexion');
    for (let i = 0; i < SIGN_IN_LIMIT; i += 1) expect((await c.post('/espace-pro/connexion', { challengeId: 'nope', response: '{}' })).status).toBe(400);
    expect((await c.post('/espace-pro/connexion', { challengeId: 'nope', response: '{}' })).status).toBe(429);
    advance(10 * MINUTE);
    expect((await c.post('/espace-pro/connexion', { challengeId: 'nope', response: '{}' })).status).toBe(400);
  });
});

describe('my passkeys', () => {
  it('adds a second passkey, renames one, and removes one after a confirmation; never the last one', async () => {
    const app = setup();
    const { c, user } = await person(app);
    const db = app.deps.database.db;
    const page = await c.get('/espace-pro/cles');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Vous avez 1 clé d’accès.');
    expect(page.html).toContain('Enregistrez au moins deux clés d’accès');

    // The only passkey cannot be removed: the confirmation page says why, and the POST is refused.
    const only = db.select().from(credentials).get()!;
    const refuse = await c.get(`/espace-pro/cles/supprimer?cle=${encodeURIComponent(only.id)}`);
    expect(refuse.html).toContain('Vous ne pouvez pas supprimer votre seule clé d’accès');
    expect(refuse.html).not.toContain('action="/espace-pro/cles/supprimer"');
    const refused = await c.post('/espace-pro/cles/supprimer', { credential: only.id });
    expect(refused.status).toBe(400);
    expect(db.select().from(credentials).all()).toHaveLength(1);

    // Add a second one from another device.
    const laptop = authenticatorFor(app);
    const add = ceremonyIn(await c.get('/espace-pro/cles'));
    expect(add.options.excludeCredentials.map((x: { id: string }) => x.id)).toEqual([only.id]);
    expect(Buffer.from(add.options.user.id, 'base64url').toString('base64url')).toBe(user.handle);
    const noName = await c.post('/espace-pro/cles', { name: '', challengeId: add.challengeId, response: '' });
    expect(noName.status).toBe(422);
    expect(noName.html).toContain('Donnez un nom à cette clé');
    const fresh = ceremonyIn(noName);
    const added = await c.post('/espace-pro/cles', {
      name: 'Ordinateur',
      challengeId: fresh.challengeId,
      response: JSON.stringify(laptop.register(fresh.options)),
    });
    expect(added.location).toBe('/espace-pro/cles?message=added');
    const list = await c.follow(added);
    expect(list.html).toContain('Vous avez 2 clés d’accès.');
    expect(list.html).toContain('La clé d’accès est ajoutée.');

    // Rename.
    const second = db
      .select()
      .from(credentials)
      .all()
      .find((p) => p.name === 'Ordinateur')!;
    const bad = await c.post('/espace-pro/cles/renommer', { credential: second.id, name: ' ' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('href="#f-rename-1"');
    expect((await c.post('/espace-pro/cles/renommer', { credential: second.id, name: 'Ordinateur du bureau' })).location).toBe(
      '/espace-pro/cles?message=renamed',
    );
    expect(db.select().from(credentials).where(eq(credentials.id, second.id)).get()!.name).toBe('Ordinateur du bureau');

    // Remove the first, after its confirmation page; the other sessions end, this browser keeps one.
    const other = client(app);
    await signIn(other, laptop);
    const before = sessionCookie(c);
    const confirm = await c.get(`/espace-pro/cles/supprimer?cle=${encodeURIComponent(only.id)}`);
    expect(confirm.html).toContain('Supprimer la clé « Téléphone » ?');
    expect(confirm.html).toContain('Oui, supprimer cette clé');
    const removed = await c.post('/espace-pro/cles/supprimer', { credential: only.id });
    expect(removed.location).toBe('/espace-pro/cles?message=revoked');
    expect(sessionCookie(c)).not.toBe(before);
    expect((await c.follow(removed)).html).toContain('Vous avez 1 clé d’accès.');
    expect((await other.get('/espace-pro')).status).toBe(303);
    expect(
      db
        .select()
        .from(credentials)
        .all()
        .map((p) => p.id),
    ).toEqual([second.id]);
    expect(auditActions(app).map((e) => e.action)).toEqual(expect.arrayContaining(['passkey.add', 'passkey.rename', 'passkey.revoke']));
  });

  it('someone else’s passkey is a 404, and the page needs a session', async () => {
    const app = setup();
    const a = await person(app, 'a@example.org');
    const b = await person(app, 'b@example.org');
    const theirs = app.deps.database.db.select().from(credentials).where(eq(credentials.userId, b.user.id)).get()!;
    expect((await a.c.get(`/espace-pro/cles/supprimer?cle=${encodeURIComponent(theirs.id)}`)).status).toBe(404);
    expect((await a.c.post('/espace-pro/cles/supprimer', { credential: theirs.id })).status).toBe(404);
    expect((await a.c.post('/espace-pro/cles/renommer', { credential: theirs.id, name: 'Volée' })).status).toBe(404);
    expect(app.deps.database.db.select().from(credentials).where(eq(credentials.id, theirs.id)).get()!.name).toBe('Téléphone');
    expect((await client(app).get('/espace-pro/cles')).location).toBe('/espace-pro/connexion?retour=%2Fespace-pro%2Fcles');
  });

  it('is in English too, and the browser library and passkey script are served', async () => {
    const app = setup();
    const { c } = await person(app);
    const page = await c.get('/espace-pro/cles?lang=en');
    expect(page.html).toContain('My passkeys');
    expect(page.html).toContain('You have 1 passkey.');
    expect(page.html).toContain('You need a browser that supports passkeys');
    for (const asset of ['simplewebauthn-browser.js', 'passkey.js']) {
      const res = await app.app.request(`/assets/${asset}?v=1`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/javascript');
    }
    expect(await (await app.app.request('/assets/simplewebauthn-browser.js')).text()).toContain('SimpleWebAuthnBrowser');
  });
});

describe('role changes', () => {
  it('changes a role, with the organisation a DPO needs, and logs it', async () => {
    const app = setup();
    const { c, user } = await person(app, 'x@example.org', 'editor');
    const db = app.deps.database.db;
    db.insert(organisations).values({ id: 'chu-test', name: 'CHU de Test', createdAt: clock.toISOString(), updatedAt: clock.toISOString() }).run();
    expect(() => changeRole(staffDeps(app), { userId: user.id, role: 'dpo', actor: 'system' })).toThrow(StaffInputError);
    changeRole(staffDeps(app), { userId: user.id, role: 'dpo', organisationId: 'chu-test', actor: 'system' });
    expect(db.select().from(users).where(eq(users.id, user.id)).get()).toMatchObject({ role: 'dpo', organisationId: 'chu-test' });
    expect((await c.get('/espace-pro')).html).toContain('href="/espace-pro/demandes"');
    expect(auditActions(app).at(-1)).toMatchObject({ action: 'user.role', targetId: user.id });
  });
});
