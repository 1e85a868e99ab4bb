/**
 * The administrators' area (/espace-pro/admin) through HTTP, on a fresh migrated database: who gets in,
 * channels with secrets shown once and rotated with an overlap (checked by a real receiver verifying the
 * Standard Webhooks signatures), users invited, re-roled and disabled, dead deliveries retried, the
 * audit log page. Staff are created directly in the database with a session row, as sign-in would.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../connectors/standard-webhooks';
import type { ChannelConfig, RequestDocument } from '../../connectors/types';
import { allowList, createWebhookConnector } from '../../connectors/webhook';
import { channelById, channelsOf, deliveryById, insertDelivery } from '../../server/db/deliveries';
import { upsertOrganisation } from '../../server/db/register';
import { insertRequest } from '../../server/db/requests';
import { auditLog, invitations, organisationChannels, sessions } from '../../server/db/schema';
import { insertSession, insertUser, userById, type Role } from '../../server/db/staff';
import { auditFor } from '../../server/auth/guard';
import { addChannel, channelConfig } from '../../server/services/channels';
import { encryptUserEmail } from '../../server/services/staff';
import { makeTestApp, type TestApp } from '../helpers/app';
import { csrfTokenFor } from '../helpers/csrf';
import { reply, startReceiver, type Receiver } from '../helpers/receivers';

let t: TestApp;
let receiver: Receiver;
let kicks = 0;
let csrf: { cookie: string; token: string };

beforeAll(async () => {
  receiver = await startReceiver(reply(204));
  t = makeTestApp({ WEBHOOK_ALLOW: receiver.origin, LOG_LEVEL: 'warn' }, { deliveryWorker: { kick: () => (kicks += 1) } });
  csrf = await csrfTokenFor(t);
});
afterAll(async () => {
  t?.close();
  await receiver?.stop();
});

const db = () => t.deps.database.db;
const channelDeps = () => ({ db: db(), cipher: t.deps.cipher, now: t.deps.now });
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
let people = 0;

type Staff = { id: string; email: string; cookie: string; sessionId: string };

/** A member of staff and a fresh session, written as sign-in writes them. */
function staff(role: Role, organisationId: string | null = null): Staff {
  people += 1;
  const id = randomUUID();
  const email = `${role}${people}@example.org`;
  const now = new Date();
  insertUser(db(), {
    id,
    handle: randomBytes(32).toString('base64url'),
    emailEnc: encryptUserEmail(t.deps, id, email),
    emailIndex: t.deps.index.email(email),
    role,
    organisationId,
    createdAt: now.toISOString(),
  });
  const sessionId = newSession(id);
  return { id, email, sessionId, cookie: `session=${sessionId}` };
}

function newSession(userId: string): string {
  const sessionId = randomBytes(32).toString('base64url');
  const now = new Date();
  insertSession(db(), {
    idHash: sha256(sessionId),
    userId,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
  });
  return sessionId;
}

const get = (who: Staff, path: string) => t.app.request(path, { headers: { cookie: who.cookie } });
const post = (who: Staff, path: string, fields: Record<string, string> = {}) =>
  t.app.request(path, {
    method: 'POST',
    headers: { cookie: `${who.cookie}; ${csrf.cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf.token, ...fields }).toString(),
  });

const auditActions = () => db().select().from(auditLog).all();
const lastAudit = () => auditActions().at(-1)!;
const SECRET = /whsec_[A-Za-z0-9+/=]{20,}/g;

function organisation(id: string, name: string) {
  upsertOrganisation(db(), { id, name }, new Date().toISOString());
}

const fakeDocument = { id: 'doc', reference: 'DS-TEST' } as unknown as RequestDocument;

describe('access', () => {
  it('sends a visitor who is not signed in to the sign-in page', async () => {
    const res = await t.app.request('/espace-pro/admin/utilisateurs');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/espace-pro\/connexion/);
  });

  it('answers 404 to staff without the admin role, and logs the attempt', async () => {
    for (const role of ['editor', 'dpo', 'cnam'] as const) {
      const who = staff(role, role === 'dpo' ? 'cnam' : null);
      for (const path of ['/espace-pro/admin', '/espace-pro/admin/organisations', '/espace-pro/admin/journal']) {
        const res = await get(who, path);
        expect(res.status, `${role} ${path}`).toBe(404);
        expect(await res.text()).not.toContain('whsec_');
        const entry = lastAudit();
        expect(entry).toMatchObject({ actor: `user:${who.id}`, action: 'access.refused', targetId: path });
      }
      const res = await post(who, '/espace-pro/admin/utilisateurs', { email: 'x@example.org', role: 'admin' });
      expect(res.status).toBe(404);
      expect(db().select().from(invitations).all()).toHaveLength(0);
    }
  });

  it('shows admins the overview with delivery counts and the four areas', async () => {
    const admin = staff('admin');
    const res = await get(admin, '/espace-pro/admin');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    for (const href of ['/espace-pro/admin/organisations', '/espace-pro/admin/utilisateurs', '/espace-pro/admin/livraisons', '/espace-pro/admin/journal'])
      expect(html).toContain(`href="${href}"`);
    expect(html).toContain('Transmissions des demandes');
  });
});

describe('organisations and channels', () => {
  it('creates an organisation, and re-renders the form with errors for a bad one', async () => {
    const admin = staff('admin');
    const bad = await post(admin, '/espace-pro/admin/organisations', { name: '', siren: '12' });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('<title>Erreur : ');
    expect(html).toContain('href="#f-name"');
    expect(html).toContain('Le SIREN doit compter 9 chiffres.');
    expect(html).toContain('value="12"');

    const ok = await post(admin, '/espace-pro/admin/organisations', { name: 'Hôpital Saint-Éloi', siren: '123 456 789' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/espace-pro/admin/organisations/hopital-saint-eloi?fait=organisationCreated');
    const page = await (await get(admin, ok.headers.get('location')!)).text();
    expect(page).toContain('Hôpital Saint-Éloi');
    expect(page).toContain('L’organisation a été ajoutée.');
    expect(lastAudit()).toMatchObject({ action: 'organisation.create', targetId: 'hopital-saint-eloi', actor: `user:${admin.id}` });

    const again = await post(admin, '/espace-pro/admin/organisations', { name: 'Autre', id: 'hopital-saint-eloi' });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain('est déjà utilisé');
  });

  it('adds a webhook channel and shows its secret once, to the session that created it only', async () => {
    organisation('org-hook', 'Organisme à webhook');
    const admin = staff('admin');
    const other = staff('admin');
    const res = await post(admin, '/espace-pro/admin/organisations/org-hook/canaux', { kind: 'webhook', url: `${receiver.origin}/hooks`, lang: 'fr' });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/espace-pro\/admin\/organisations\/org-hook\/canaux\/[0-9a-f-]{36}\/secret$/);
    expect(location).not.toContain('whsec_');

    const [channel] = channelsOf(db(), 'org-hook');
    const config = channelConfig(t.deps, channel!) as Extract<ChannelConfig, { kind: 'webhook' }>;
    expect(config.url).toBe(`${receiver.origin}/hooks`);
    expect(config.secrets).toHaveLength(1);
    const secret = config.secrets[0]!;

    // Another administrator's session does not get it.
    const elsewhere = await (await get(other, location)).text();
    expect(elsewhere).not.toContain(secret);

    const first = await get(admin, location);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const firstHtml = await first.text();
    expect(firstHtml).toContain(secret);
    expect(firstHtml).toContain('Il ne sera plus jamais affiché');

    const second = await (await get(admin, location)).text();
    expect(second).not.toContain(secret);
    expect(second.match(SECRET)).toBeNull();
    expect(second).toContain('Secret déjà affiché');

    const orgPage = await (await get(admin, '/espace-pro/admin/organisations/org-hook')).text();
    expect(orgPage).not.toContain(secret);
    expect(orgPage.match(SECRET)).toBeNull();
    expect(orgPage).toContain('whsec_…');
    expect(orgPage).toContain(`${receiver.origin}/hooks`);

    expect(lastAudit()).toMatchObject({ action: 'channel.create', targetType: 'channel', targetId: channel!.id });
    expect(lastAudit().detail).not.toContain('whsec_');
    expect(t.logLines.join('\n')).not.toContain(secret);
  });

  it('refuses a webhook URL outside the allow-list with a clear message, and adds nothing', async () => {
    organisation('org-refused', 'Organisme refusé');
    const admin = staff('admin');
    const res = await post(admin, '/espace-pro/admin/organisations/org-refused/canaux', { kind: 'webhook', url: 'https://evil.example.com/hook' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<title>Erreur : ');
    expect(html).toContain('href="#f-url"');
    expect(html).toContain(`Cette adresse n’est pas autorisée. Les adresses autorisées sont : ${receiver.origin}.`);
    expect(html).toContain('value="https://evil.example.com/hook"');
    expect(channelsOf(db(), 'org-refused')).toHaveLength(0);

    const empty = await post(admin, '/espace-pro/admin/organisations/org-refused/canaux', {});
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('Choisissez le type de canal.');

    const mailbox = await post(admin, '/espace-pro/admin/organisations/org-refused/canaux', { kind: 'email', address: 'pas-une-adresse' });
    expect(mailbox.status).toBe(422);
    expect(await mailbox.text()).toContain('Saisissez une adresse électronique valide');

    const cnam = await post(admin, '/espace-pro/admin/organisations/org-refused/canaux', { kind: 'cnam', mode: 'batch' });
    expect(cnam.status).toBe(422);
    expect(await cnam.text()).toContain('Un canal CNAM n’est possible que pour la CNAM.');
    expect(channelsOf(db(), 'org-refused')).toHaveLength(0);

    const ok = await post(admin, '/espace-pro/admin/organisations/org-refused/canaux', { kind: 'email', address: 'dpo@example.org', lang: 'en' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toMatch(/\?fait=channelCreated#canal-/);
    const [channel] = channelsOf(db(), 'org-refused');
    expect(channel!.lang).toBe('en');
    expect(channelConfig(t.deps, channel!)).toEqual({ kind: 'email', to: 'dpo@example.org' });
  });

  it('rotates a secret with an overlap (two signatures), then ends the overlap (one)', async () => {
    organisation('org-rotate', 'Organisme qui change de secret');
    const admin = staff('admin');
    const created = await post(admin, '/espace-pro/admin/organisations/org-rotate/canaux', { kind: 'webhook', url: `${receiver.origin}/rotate` });
    const oldSecret = (await (await get(admin, created.headers.get('location')!)).text()).match(SECRET)![0];
    const channelId = channelsOf(db(), 'org-rotate')[0]!.id;
    const base = `/espace-pro/admin/organisations/org-rotate/canaux/${channelId}`;

    const rotated = await post(admin, `${base}/rotation`);
    expect(rotated.status).toBe(303);
    expect(rotated.headers.get('location')).toBe(`${base}/secret`);
    const shown = await (await get(admin, `${base}/secret`)).text();
    const newSecret = shown.match(SECRET)![0];
    expect(newSecret).not.toBe(oldSecret);
    expect(shown).toContain('Nouveau secret créé');
    expect((await (await get(admin, `${base}/secret`)).text()).match(SECRET)).toBeNull();

    const config = () => channelConfig(t.deps, channelById(db(), channelId)!) as Extract<ChannelConfig, { kind: 'webhook' }>;
    expect(config().secrets).toEqual([oldSecret, newSecret]);
    const orgPage = await (await get(admin, '/espace-pro/admin/organisations/org-rotate')).text();
    expect(orgPage.match(SECRET)).toBeNull();
    expect(orgPage.match(/whsec_…/g)).toHaveLength(2);
    expect(orgPage).toContain('Mettre fin au chevauchement');
    expect(lastAudit()).toMatchObject({ action: 'channel.secret_rotate', targetId: channelId });

    // A second rotation during the overlap is refused.
    const twice = await post(admin, `${base}/rotation`);
    expect(twice.status).toBe(422);
    expect(await twice.text()).toContain('mettez d’abord fin au chevauchement');
    expect(config().secrets).toHaveLength(2);

    const connector = createWebhookConnector({ allow: allowList([receiver.origin]) });
    const deliver = async (id: string) => {
      const before = receiver.hits.length;
      const result = await connector.deliver({ id, attempt: 1, document: fakeDocument, lang: 'fr' }, config());
      expect(result.outcome).toBe('delivered');
      const hit = receiver.hits[before]!;
      const headers = {
        id: hit.headers['webhook-id'] as string,
        timestamp: hit.headers['webhook-timestamp'] as string,
        signature: hit.headers['webhook-signature'] as string,
      };
      return { hit, headers, check: (secret: string) => verify([secret], headers, hit.body, Math.floor(Date.now() / 1000)).ok };
    };

    const during = await deliver('delivery-overlap');
    expect(during.hit.path).toBe('/rotate');
    expect(during.headers.signature.split(' ').filter((s) => s.startsWith('v1,'))).toHaveLength(2);
    expect(during.check(oldSecret)).toBe(true);
    expect(during.check(newSecret)).toBe(true);

    const ended = await post(admin, `${base}/fin-chevauchement`);
    expect(ended.status).toBe(303);
    expect(ended.headers.get('location')).toContain('?fait=overlapEnded');
    expect(config().secrets).toEqual([newSecret]);
    expect(lastAudit()).toMatchObject({ action: 'channel.secret_overlap_end', targetId: channelId });

    const after = await deliver('delivery-after');
    expect(after.headers.signature.split(' ')).toHaveLength(1);
    expect(after.check(newSecret)).toBe(true);
    expect(after.check(oldSecret)).toBe(false);

    const noOverlap = await post(admin, `${base}/fin-chevauchement`);
    expect(noOverlap.status).toBe(422);
  });

  it('disables and enables a channel again', async () => {
    organisation('org-toggle', 'Organisme à basculer');
    const id = addChannel(channelDeps(), 'org-toggle', { kind: 'portal', to: 'dpo@toggle.example.org' });
    const admin = staff('admin');
    const base = `/espace-pro/admin/organisations/org-toggle/canaux/${id}/activation`;
    expect((await post(admin, base, { enabled: 'non' })).status).toBe(303);
    expect(channelById(db(), id)).toMatchObject({ enabled: false });
    expect(lastAudit()).toMatchObject({ action: 'channel.disable', targetId: id });
    expect((await post(admin, base, { enabled: 'oui' })).status).toBe(303);
    expect(channelById(db(), id)).toMatchObject({ enabled: true, disabledReason: null });
    expect((await post(admin, base, { enabled: 'peut-etre' })).status).toBe(422);
    // A channel of another organisation is not found under this one.
    organisation('org-other', 'Autre organisme');
    expect((await post(admin, `/espace-pro/admin/organisations/org-other/canaux/${id}/activation`, { enabled: 'non' })).status).toBe(404);
    expect(channelById(db(), id)).toMatchObject({ enabled: true });
  });
});

describe('users', () => {
  it('invites someone and shows the enrolment link once', async () => {
    const admin = staff('admin');
    const res = await post(admin, '/espace-pro/admin/utilisateurs', { email: ' Nouvelle.Personne@example.org ', role: 'editor' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/espace-pro/admin/utilisateurs/invitation');
    const html = await (await get(admin, '/espace-pro/admin/utilisateurs/invitation')).text();
    const url = new RegExp(`${t.deps.config.publicUrl.origin}/espace-pro/invitation/([A-Za-z0-9_-]{43})`).exec(html);
    expect(url, 'the link is on the page').not.toBeNull();
    const row = db()
      .select()
      .from(invitations)
      .where(eq(invitations.tokenHash, sha256(url![1]!)))
      .get();
    expect(row).toMatchObject({ role: 'editor', organisationId: null, createdBy: admin.id, usedAt: null });
    expect((await (await get(admin, '/espace-pro/admin/utilisateurs/invitation')).text()).includes(url![1]!)).toBe(false);
    expect(lastAudit()).toMatchObject({ actor: `user:${admin.id}`, action: 'invitation.create' });
    expect(lastAudit().detail ?? '').not.toContain('example.org');
  });

  it('re-renders the invitation form with errors: a DPO needs an organisation, an address is not invited twice', async () => {
    const admin = staff('admin');
    const dpo = await post(admin, '/espace-pro/admin/utilisateurs', { email: 'dpo@example.org', role: 'dpo', organisationId: '' });
    expect(dpo.status).toBe(422);
    const html = await dpo.text();
    expect(html).toContain('href="#f-organisationId"');
    expect(html).toContain('Choisissez l’organisation de ce DPO.');
    expect(html).toContain('value="dpo@example.org"');

    const bad = await post(admin, '/espace-pro/admin/utilisateurs', { email: 'not-an-address', role: 'chef' });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain('href="#f-email"');
    expect(badHtml).toContain('href="#f-role"');

    const taken = await post(admin, '/espace-pro/admin/utilisateurs', { email: admin.email.toUpperCase(), role: 'editor' });
    expect(taken.status).toBe(422);
    expect(await taken.text()).toContain('Cette adresse est déjà celle d’un compte de l’équipe.');
    expect(db().select().from(invitations).where(eq(invitations.role, 'dpo')).all()).toHaveLength(0);
  });

  it('lists staff with their decrypted addresses', async () => {
    const admin = staff('admin');
    const editor = staff('editor');
    const html = await (await get(admin, '/espace-pro/admin/utilisateurs')).text();
    expect(html).toContain(admin.email);
    expect(html).toContain(editor.email);
    expect(html).toContain(`/espace-pro/admin/utilisateurs/${editor.id}`);
  });

  it('changes a role, with the organisation a DPO needs', async () => {
    organisation('org-dpo', 'Organisme du DPO');
    const admin = staff('admin');
    const editor = staff('editor');
    const path = `/espace-pro/admin/utilisateurs/${editor.id}/role`;
    const missing = await post(admin, path, { role: 'dpo' });
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('Choisissez l’organisation de ce DPO.');
    expect(userById(db(), editor.id)?.role).toBe('editor');

    const ok = await post(admin, path, { role: 'dpo', organisationId: 'org-dpo' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/espace-pro/admin/utilisateurs/${editor.id}?fait=roleChanged`);
    expect(userById(db(), editor.id)).toMatchObject({ role: 'dpo', organisationId: 'org-dpo' });
    expect(lastAudit()).toMatchObject({ actor: `user:${admin.id}`, targetId: editor.id });

    const self = await post(admin, `/espace-pro/admin/utilisateurs/${admin.id}/role`, { role: 'editor' });
    expect(self.status).toBe(422);
    expect(userById(db(), admin.id)?.role).toBe('admin');
  });

  it('disables a user: every session they have ends at once', async () => {
    const admin = staff('admin');
    const target = staff('admin');
    newSession(target.id);
    const sessionsOf = (id: string) => db().select().from(sessions).where(eq(sessions.userId, id)).all();
    expect(sessionsOf(target.id)).toHaveLength(2);
    expect((await get(target, '/espace-pro/admin')).status).toBe(200);

    const res = await post(admin, `/espace-pro/admin/utilisateurs/${target.id}/desactivation`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/espace-pro/admin/utilisateurs/${target.id}?fait=userDisabled`);
    expect(sessionsOf(target.id)).toHaveLength(0);
    expect(userById(db(), target.id)?.disabledAt).not.toBeNull();
    expect(lastAudit()).toMatchObject({ actor: `user:${admin.id}`, action: 'user.disable', targetId: target.id });
    const back = await get(target, '/espace-pro/admin');
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toMatch(/^\/espace-pro\/connexion/);

    const page = await (await get(admin, `/espace-pro/admin/utilisateurs/${target.id}?fait=userDisabled`)).text();
    expect(page).toContain('Le compte a été désactivé');

    const self = await post(admin, `/espace-pro/admin/utilisateurs/${admin.id}/desactivation`);
    expect(self.status).toBe(422);
    expect(await self.text()).toContain('Vous ne pouvez pas désactiver votre propre compte.');
    expect(sessionsOf(admin.id)).toHaveLength(1);
  });
});

describe('dead letters', () => {
  it('lists dead deliveries and puts one back in the queue', async () => {
    organisation('org-dead', 'Organisme injoignable');
    const channelId = addChannel(channelDeps(), 'org-dead', {
      kind: 'webhook',
      url: `${receiver.origin}/dead`,
      secrets: ['whsec_' + randomBytes(24).toString('base64')],
    });
    const requestId = randomUUID();
    const now = new Date().toISOString();
    insertRequest(db(), {
      id: requestId,
      reference: 'DS-DEAD-0001',
      kind: 'acces',
      scope: 'responsable',
      organisationId: 'org-dead',
      onBehalf: 'self',
      lang: 'fr',
      status: 'recue',
      createdAt: now,
    });
    const deliveryId = randomUUID();
    insertDelivery(db(), {
      id: deliveryId,
      requestId,
      organisationId: 'org-dead',
      channelId,
      status: 'dead',
      attempts: 10,
      nextAttemptAt: now,
      lastError: 'HTTP 503 (gave up after 10 attempts)',
      createdAt: now,
      deadAt: now,
    });

    const admin = staff('admin');
    const overview = await (await get(admin, '/espace-pro/admin')).text();
    expect(overview).toContain('href="/espace-pro/admin/livraisons"');
    const list = await (await get(admin, '/espace-pro/admin/livraisons')).text();
    expect(list).toContain('DS-DEAD-0001');
    expect(list).toContain('Organisme injoignable');
    // The error in plain words, and the stored code beside it for whoever reads the logs.
    expect(list).toContain('Le serveur de l’organisme a rencontré une erreur (code HTTP 503). Envoi abandonné après 10 tentatives.');
    expect(list).toContain('<code class="muted">HTTP 503 (gave up after 10 attempts)</code>');
    expect(await (await get(admin, '/espace-pro/admin/livraisons?lang=en')).text()).toContain(
      'The organisation’s server had an error (HTTP code 503). Sending stopped after 10 attempts.',
    );
    expect(deliveryById(db(), deliveryId)?.lastError).toBe('HTTP 503 (gave up after 10 attempts)');
    expect(list).toContain(`action="/espace-pro/admin/livraisons/${deliveryId}/relance"`);

    const before = kicks;
    const res = await post(admin, `/espace-pro/admin/livraisons/${deliveryId}/relance`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/espace-pro/admin/livraisons?fait=deliveryRetried');
    expect(deliveryById(db(), deliveryId)).toMatchObject({ status: 'pending', attempts: 0, deadAt: null });
    expect(kicks).toBe(before + 1);
    expect(lastAudit()).toMatchObject({ actor: `user:${admin.id}`, action: 'delivery.retry', targetId: deliveryId });
    const after = await (await get(admin, '/espace-pro/admin/livraisons?fait=deliveryRetried')).text();
    expect(after).not.toContain('DS-DEAD-0001');
    expect(after).toContain('remise en file d’attente');

    const again = await post(admin, `/espace-pro/admin/livraisons/${deliveryId}/relance`);
    expect(again.status).toBe(422);
    expect(await again.text()).toContain('n’est plus en échec');
  });
});

describe('connectors’ errors in the reader’s language', () => {
  it('shows each dead delivery’s error in plain words, an unknown one as stored, and stores them unchanged', async () => {
    organisation('org-errors', 'Centre des erreurs');
    const channelId = addChannel(channelDeps(), 'org-errors', {
      kind: 'webhook',
      url: `${receiver.origin}/errors`,
      secrets: ['whsec_' + randomBytes(24).toString('base64')],
    });
    const now = new Date().toISOString();
    const stored: [error: string, fr: string, en: string][] = [
      ['destination not allowed', 'L’adresse du webhook n’est pas autorisée sur ce service', 'The webhook address is not allowed on this service'],
      [
        'timeout (gave up after 10 attempts)',
        'Le serveur de l’organisme n’a pas répondu à temps. Envoi abandonné après 10 tentatives.',
        'The organisation’s server did not answer in time. Sending stopped after 10 attempts.',
      ],
      ['no channel for this organisation', 'L’organisme n’a aucun canal pour recevoir les demandes.', 'The organisation has no channel to receive requests.'],
      ['channel disabled', 'Le canal de l’organisme est désactivé.', 'The organisation’s channel is disabled.'],
      ['request not deliverable', 'La demande ne peut pas être transmise', 'The request cannot be forwarded'],
      [
        'SMTP error (gave up after 3 attempts)',
        'Le serveur de messagerie a signalé une erreur. Envoi abandonné après 3 tentatives.',
        'The mail server reported an error. Sending stopped after 3 attempts.',
      ],
      [
        'HTTP 301 redirect refused',
        'Le serveur de l’organisme a renvoyé vers une autre adresse (code HTTP 301).',
        'The organisation’s server redirected to another address (HTTP code 301).',
      ],
    ];
    const ids = stored.map(([error], i) => {
      const requestId = randomUUID();
      insertRequest(db(), {
        id: requestId,
        reference: `DS-ERR-000${i}`,
        kind: 'acces',
        scope: 'responsable',
        organisationId: 'org-errors',
        onBehalf: 'self',
        lang: 'fr',
        status: 'recue',
        createdAt: now,
      });
      const id = randomUUID();
      insertDelivery(db(), {
        id,
        requestId,
        organisationId: 'org-errors',
        channelId,
        status: 'dead',
        attempts: 10,
        nextAttemptAt: now,
        lastError: error,
        createdAt: now,
        deadAt: now,
      });
      return id;
    });
    const unknownRequest = randomUUID();
    insertRequest(db(), {
      id: unknownRequest,
      reference: 'DS-ERR-0099',
      kind: 'acces',
      scope: 'responsable',
      organisationId: 'org-errors',
      onBehalf: 'self',
      lang: 'fr',
      status: 'recue',
      createdAt: now,
    });
    insertDelivery(db(), {
      id: randomUUID(),
      requestId: unknownRequest,
      organisationId: 'org-errors',
      channelId,
      status: 'dead',
      attempts: 1,
      nextAttemptAt: now,
      lastError: 'EUNHEARDOF',
      createdAt: now,
      deadAt: now,
    });

    const admin = staff('admin');
    const fr = await (await get(admin, '/espace-pro/admin/livraisons')).text();
    const en = await (await get(admin, '/espace-pro/admin/livraisons?lang=en')).text();
    for (const [error, inFrench, inEnglish] of stored) {
      expect(fr, error).toContain(inFrench);
      expect(en, error).toContain(inEnglish);
      expect(fr).toContain(`<code class="muted">${error}</code>`);
    }
    expect(fr).toContain('<td><code>EUNHEARDOF</code></td>');
    expect(en).toContain('<td><code>EUNHEARDOF</code></td>');
    expect(ids.map((id) => deliveryById(db(), id)?.lastError)).toEqual(stored.map(([error]) => error));
  });

  it('says why the service disabled a channel, in plain words', async () => {
    organisation('org-gone', 'Institut disparu');
    const channelId = addChannel(channelDeps(), 'org-gone', {
      kind: 'webhook',
      url: `${receiver.origin}/gone`,
      secrets: ['whsec_' + randomBytes(24).toString('base64')],
    });
    db().update(organisationChannels).set({ enabled: false, disabledReason: 'HTTP 410 gone' }).where(eq(organisationChannels.id, channelId)).run();
    const admin = staff('admin');
    const fr = await (await get(admin, '/espace-pro/admin/organisations/org-gone')).text();
    expect(fr).toContain('Le serveur de l’organisme indique que cette adresse n’existe plus (code HTTP 410) : le service a désactivé le canal.');
    expect(fr).toContain('<code class="muted">HTTP 410 gone</code>');
    const en = await (await get(admin, '/espace-pro/admin/organisations/org-gone?lang=en')).text();
    expect(en).toContain('The organisation’s server says this address no longer exists (HTTP code 410): the service has disabled the channel.');
    expect(channelById(db(), channelId)?.disabledReason).toBe('HTTP 410 gone');
  });
});

describe('audit log page', () => {
  it('shows the latest entries, paginated, and that the chain verifies', async () => {
    const admin = staff('admin');
    const audit = auditFor(t.deps);
    for (let i = 0; i < 60; i += 1) audit('system', 'test.entry', { type: 'test', id: String(i) }, { i });
    const res = await get(admin, '/espace-pro/admin/journal');
    expect(res.status).toBe(200);
    const html = await res.text();
    const total = auditActions().length;
    expect(total).toBeGreaterThan(50);
    expect(html).toContain(`Journal intact : ${total}`);
    expect(html).toContain('test.entry');
    expect(html).toContain('href="/espace-pro/admin/journal?page=2"');
    const page2 = await (await get(admin, '/espace-pro/admin/journal?page=2')).text();
    expect(page2).toContain(`<th scope="row">${total - 50}</th>`);
    expect(page2).not.toContain(`<th scope="row">${total - 49}</th>`);
    expect(page2).toContain('access.refused');
  });

  it('serves the pages in English too', async () => {
    const admin = staff('admin');
    for (const path of [
      '/espace-pro/admin',
      '/espace-pro/admin/organisations',
      '/espace-pro/admin/utilisateurs',
      '/espace-pro/admin/livraisons',
      '/espace-pro/admin/journal',
    ]) {
      const res = await get(admin, `${path}?lang=en`);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html).toContain('<html lang="en"');
      expect(html, path).not.toMatch(/staff-admin:|[a-z]+\.[a-z]+\.[a-z]+<\/|>\s*overview\./);
    }
  });
});
