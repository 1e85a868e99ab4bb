/**
 * A request never lost or stuck (issue 11): a delivery that fails is told to the person and shown to staff
 * without ADMIN_EMAILS; every status mail carries its own single-use tracking link, in the request's
 * language; the tracking page leads with the state in one sentence; the person's answer to a question is
 * confirmed, shown back, and told to the DPO with a mark in the queue until opened; a withdrawal too; the
 * queue finds a request by its reference; /suivi refuses a malformed pair; an earlier similar request is
 * said only in the confirmation mail. Real SMTP and HTTP receivers, a controlled clock.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { encryptUserEmail } from '../../server/services/staff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret, sign } from '../../connectors/standard-webhooks';
import { upsertOrganisation } from '../../server/db/register';
import { insertToken, requestById } from '../../server/db/requests';
import { insertSession, insertUser, type Role } from '../../server/db/staff';
import type { Answers } from '../../server/domain/rights-request';
import { addChannel } from '../../server/services/channels';
import { deliverDue, type DeliveryDeps } from '../../server/worker/deliveries';
import { confirmRequest, readDraft, submitDraft, writeDraft, type RequestDeps } from '../../server/services/rights-requests';
import { makeTestApp, type TestApp } from '../helpers/app';
import { signedIn as signInAs, staffUser as makeStaff } from '../helpers/staff';
import { client } from '../helpers/client';
import { reply, startMailServer, startReceiver, type MailServer, type Receiver } from '../helpers/receivers';
import { recipientOf } from '../helpers/mail';
import { linkIn, tokenOf } from '../helpers/smtp';

let clock = new Date('2026-03-02T09:00:00Z');
let mail: MailServer;
let ok: Receiver;
let failing: Receiver;
let t: TestApp;
let deps: DeliveryDeps;
let req: RequestDeps;
let people = 0;
const SECRET = generateSecret();
const DPO_MAIL = 'dpo-suivi@example.org';

const SUBJECT = {
  confirm: 'Confirmez votre demande sur vos données de santé',
  confirmEn: 'Confirm your request about your health data',
  clarification: 'L’organisme vous demande une précision',
  answered: 'La personne a répondu à votre question',
  withdrew: 'Une demande a été retirée par la personne',
};

beforeAll(async () => {
  mail = await startMailServer();
  ok = await startReceiver(reply(200));
  failing = await startReceiver(reply(500));
  t = makeTestApp({ SMTP_URL: mail.url, WEBHOOK_ALLOW: `${ok.origin},${failing.origin}`, LOG_LEVEL: 'warn', DELIVERY_MAX_ATTEMPTS: '3' }, { now: () => clock });
  const base = { db: t.deps.database.db, cipher: t.deps.cipher, config: t.deps.config, logger: t.deps.logger, now: () => clock, i18n: t.deps.i18n };
  deps = { ...base, connectors: t.deps.connectors, kickMail: t.deps.mailWorker.kick };
  req = { ...base, index: t.deps.index, mailer: t.deps.mailer, kickMail: t.deps.mailWorker.kick };
  const now = clock.toISOString();
  upsertOrganisation(deps.db, { id: 'org-suivi', name: 'Hôpital du suivi' }, now);
  addChannel(deps, 'org-suivi', { kind: 'webhook', url: ok.url, secrets: [SECRET] });
  upsertOrganisation(deps.db, { id: 'org-panne', name: 'Hôpital injoignable' }, now);
  addChannel(deps, 'org-panne', { kind: 'webhook', url: failing.url, secrets: [generateSecret()] });
  staffUser('dpo', 'org-suivi', DPO_MAIL);
});
afterAll(async () => {
  t.close();
  await ok.stop();
  await failing.stop();
  await mail.stop();
});

const db = () => t.deps.database.db;

const staffUser = (role: Role, organisationId: string | null, email?: string) => makeStaff(t, role, organisationId, clock, email);
const signedIn = (user: { id: string }) => signInAs(t, user, clock);

async function submitted(organisationId: string, o: { lang?: 'fr' | 'en'; email?: string } = {}) {
  people += 1;
  const email = o.email ?? `suivi${people}@example.org`;
  const answers: Answers = {
    kind: 'acces',
    scope: 'responsable',
    organisationId,
    onBehalf: 'self',
    lastName: 'Durand',
    firstNames: 'Paule',
    birthDate: '1995-10-12',
    birthPlace: 'Lyon',
    email,
    done: ['type', 'portee', 'pour-qui', 'identite', 'contact', 'details'],
  };
  const out = await submitDraft(req, readDraft(req, writeDraft(req, undefined, answers))!, { lang: o.lang ?? 'fr' });
  if (out.outcome !== 'created') throw new Error(out.outcome);
  const confirmation = await mail.waitFor(
    (m) => recipientOf(m) === email && [SUBJECT.confirm, SUBJECT.confirmEn].includes(m.subject ?? '') && (m.text ?? '').includes(out.request.reference),
  );
  return { request: out.request, email, confirmation };
}

async function delivered(organisationId: string, o: { lang?: 'fr' | 'en' } = {}) {
  const s = await submitted(organisationId, o);
  expect(confirmRequest(req, tokenOf(linkIn(s.confirmation, new URL('/demande/confirmer/', t.deps.config.publicUrl).href)))?.status).toBe('recue');
  await deliverDue(deps, 'test-owner');
  return { ...s, request: requestById(db(), s.request.id)! };
}

function callback(organisation: string, body: Record<string, unknown>) {
  const text = JSON.stringify(body);
  const id = `msg_${randomUUID().replace(/-/g, '')}`;
  const timestamp = Math.floor(clock.getTime() / 1000);
  return t.app.request(`/api/v1/callbacks/${organisation}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign([SECRET], id, timestamp, text),
    },
    body: text,
  });
}

/** The tracking page reached through the link a mail carries, as the person does. */
async function openFromMail(link: string) {
  const c = client(t);
  const opened = await c.get(link.replace(t.deps.config.publicUrl.origin, ''));
  return { c, opened };
}

describe('a request never dies in silence', () => {
  it('a delivery that fails is told to the person in words, and the back office home says so without ADMIN_EMAILS', async () => {
    const { request } = await delivered('org-panne');
    const row = requestById(db(), request.id)!;
    expect(row.status).toBe('recue');
    const track = await client(t);
    const token = randomBytes(32).toString('base64url');
    insertToken(db(), {
      tokenHash: createHash('sha256').update(token).digest('base64url'),
      purpose: 'track',
      requestId: request.id,
      expiresAt: new Date(clock.getTime() + 60_000).toISOString(),
    });
    await track.get(`/suivi/${token}`);
    let page = await track.get('/suivi/demande');
    expect(page.html).toContain('Nous n’arrivons pas encore à joindre l’Hôpital injoignable. Nous réessayons automatiquement.');
    // An administrator sees it on the back office home, with no ADMIN_EMAILS set.
    expect(t.deps.config.adminEmails).toEqual([]);
    const admin = signedIn(staffUser('admin', null));
    const home = await admin.get('/espace-pro');
    expect(home.html).toContain('envoi a échoué et sera réessayé automatiquement');
    // After the last attempt: dead, and the page says the team was told.
    for (let i = 0; i < 5; i += 1) {
      clock = new Date(clock.getTime() + 3_600_000);
      await deliverDue(deps, 'test-owner');
    }
    // The tracking session has run out meanwhile: the person opens a new link.
    const again = randomBytes(32).toString('base64url');
    insertToken(db(), {
      tokenHash: createHash('sha256').update(again).digest('base64url'),
      purpose: 'track',
      requestId: request.id,
      expiresAt: new Date(clock.getTime() + 60_000).toISOString(),
    });
    await track.get(`/suivi/${again}`);
    page = await track.get('/suivi/demande');
    expect(page.html).toContain('Nous n’avons pas pu joindre l’Hôpital injoignable. Notre équipe est prévenue');
    const admin2 = signedIn(staffUser('admin', null));
    expect((await admin2.get('/espace-pro')).html).toContain('href="/espace-pro/admin/livraisons"');
    // "After several attempts" only when there were several.
    const dead = await admin2.get('/espace-pro/admin/livraisons');
    expect(dead.html).not.toContain('plusieurs essais');
  });
});

describe('answers one click away, in the person’s language', () => {
  it('every status mail carries its own single-use link to the tracking page, in the request’s language', async () => {
    const { request, email } = await delivered('org-suivi', { lang: 'en' });
    expect((await callback('org-suivi', { type: 'acknowledged', request: request.id })).status).toBe(200);
    const ack = await mail.waitFor((m) => recipientOf(m) === email && /^The (organisation|body) has received your request$/.test(m.subject ?? ''));
    const link = linkIn(ack, `${t.deps.config.publicUrl.origin}/suivi/`);
    expect(new URL(link).searchParams.get('lang')).toBe('en');
    const { c, opened } = await openFromMail(link);
    expect(opened.location).toBe('/suivi/demande');
    const page = await c.get('/suivi/demande');
    expect(page.html).toContain('<html lang="en"');
    expect(page.html).toContain(request.reference);
    // Once only.
    expect((await client(t).get(link.replace(t.deps.config.publicUrl.origin, ''))).status).toBe(404);
    // The forwarded mail carried its own, distinct link.
    const forwarded = await mail.waitFor((m) => recipientOf(m) === email && /^Your request has been (sent|forwarded)$/.test(m.subject ?? ''));
    expect(linkIn(forwarded, `${t.deps.config.publicUrl.origin}/suivi/`)).not.toBe(link);
  });

  it('leads with the state in one sentence; an answered request shows no countdown', async () => {
    const { request, email } = await delivered('org-suivi');
    expect((await callback('org-suivi', { type: 'acknowledged', request: request.id })).status).toBe(200);
    const ack = await mail.waitFor((m) => recipientOf(m) === email && m.subject === 'L’organisme a bien reçu votre demande');
    let { c } = await openFromMail(linkIn(ack, `${t.deps.config.publicUrl.origin}/suivi/`));
    let page = await c.get('/suivi/demande');
    expect(page.html).toMatch(
      /<p class="lead track__state">En attente de la réponse de l’Hôpital du suivi, au plus tard le 2 avril 2026 : encore 31 jours\.<\/p>/,
    );
    expect((await callback('org-suivi', { type: 'answered', request: request.id, outcome: 'partial', message: 'Voici une partie.' })).status).toBe(200);
    const answered = await mail.waitFor((m) => recipientOf(m) === email && m.subject === 'L’organisme a répondu à votre demande');
    ({ c } = await openFromMail(linkIn(answered, `${t.deps.config.publicUrl.origin}/suivi/`)));
    page = await c.get('/suivi/demande');
    expect(page.html).toContain('Répondue le 2 mars 2026 : demande satisfaite en partie.');
    expect(page.html).not.toMatch(/encore \d+ jours?/);
  });

  it('a reply is refused with its length when too long, kept as typed, then confirmed and shown back; the DPO is told and the queue marks it until opened', async () => {
    const { request, email } = await delivered('org-suivi');
    expect((await callback('org-suivi', { type: 'clarification_requested', request: request.id, message: 'Quel hôpital ?' })).status).toBe(200);
    const question = await mail.waitFor((m) => recipientOf(m) === email && m.subject === SUBJECT.clarification);
    const { c } = await openFromMail(linkIn(question, `${t.deps.config.publicUrl.origin}/suivi/`));
    const page = await c.get('/suivi/demande');
    expect(page.html).toMatch(/5[\s\u202f\u00a0]000 caractères au plus\./);
    const long = 'x'.repeat(5003);
    const refused = await c.post('/suivi/precision', { answer: long });
    expect(refused.status).toBe(422);
    expect(refused.html).toMatch(/Votre réponse fait 5[\s\u202f\u00a0]003 caractères : 5[\s\u202f\u00a0]000 au plus\./);
    expect(refused.html).toContain('href="#f-answer"');
    expect(refused.html).toContain(long);
    expect(requestById(db(), request.id)!.status).toBe('precision_demandee');
    const sent = await c.post('/suivi/precision', { answer: 'À l’hôpital Nord, en 2024.' });
    expect(sent.location).toBe('/suivi/demande?fait=precision');
    const after = await c.get(sent.location!);
    expect(after.html).toContain('Votre réponse est envoyée à l’Hôpital du suivi.');
    expect(after.html).toContain('Votre réponse :');
    expect(after.html).toContain('À l’hôpital Nord, en 2024.');
    // The DPO: a mail with no personal data, and a mark in the queue until they open the request.
    const notice = await mail.waitFor((m) => recipientOf(m) === DPO_MAIL && m.subject === SUBJECT.answered && (m.text ?? '').includes(request.reference));
    for (const secret of ['Durand', 'Paule', email, 'hôpital Nord']) expect(`${notice.subject}\n${notice.text}`).not.toContain(secret);
    const dpo = signedIn(staffUser('dpo', 'org-suivi'));
    const queue = await dpo.get(`/espace-pro/demandes?reference=${request.reference.toLowerCase().replace(/-/g, '')}`);
    expect(queue.html).toContain(`data-reference="${request.reference}"`);
    expect(queue.html.match(/data-reference="/g)).toHaveLength(1);
    expect(queue.html).toContain('La personne a répondu');
    await dpo.get(`/espace-pro/demandes/${request.id}`);
    expect((await dpo.get(`/espace-pro/demandes?reference=${request.reference}`)).html).not.toContain('La personne a répondu');
    // A malformed reference in the queue's search is an error, not an empty list.
    const bad = await dpo.get('/espace-pro/demandes?reference=DS-ZZ');
    expect(bad.html).toContain('href="#f-reference"');
  });

  it('a withdrawal is told to the DPO', async () => {
    const { request, email } = await delivered('org-suivi');
    expect((await callback('org-suivi', { type: 'acknowledged', request: request.id })).status).toBe(200);
    const ack = await mail.waitFor((m) => recipientOf(m) === email && m.subject === 'L’organisme a bien reçu votre demande');
    const { c } = await openFromMail(linkIn(ack, `${t.deps.config.publicUrl.origin}/suivi/`));
    await c.get('/suivi/retirer');
    expect((await c.post('/suivi/retirer', {})).location).toBe('/suivi/demande');
    expect(requestById(db(), request.id)).toMatchObject({ status: 'retiree', personUpdate: 'withdrawn' });
    await mail.waitFor((m) => recipientOf(m) === DPO_MAIL && m.subject === SUBJECT.withdrew && (m.text ?? '').includes(request.reference));
  });

  it('/suivi refuses an empty or malformed pair with the error summary, and answers the same for any well-formed pair', async () => {
    const c = client(t);
    await c.get('/suivi');
    const empty = await c.post('/suivi', { reference: '', email: '' });
    expect(empty.status).toBe(422);
    expect(empty.html).toContain('href="#f-reference"');
    expect(empty.html).toContain('href="#f-email"');
    const malformed = await c.post('/suivi', { reference: 'DS-1234', email: 'pas-une-adresse' });
    expect(malformed.status).toBe(422);
    expect(malformed.html).toContain('La référence doit ressembler à DS-7K3M-Q9XA');
    expect(malformed.html).toContain('value="DS-1234"');
    const { request, email } = await submitted('org-suivi');
    const known = await c.post('/suivi', { reference: request.reference, email });
    const unknown = await c.post('/suivi', { reference: request.reference, email: 'quelquun@example.org' });
    expect(known.location).toBe('/suivi/envoye');
    expect(unknown.location).toBe('/suivi/envoye');
  });

  it('an earlier similar request is said in the confirmation mail only, never on the page', async () => {
    const email = `double${randomUUID().slice(0, 6)}@example.org`;
    const first = await submitted('org-suivi', { email });
    expect(first.confirmation.text).not.toContain('Vous avez déjà fait une demande semblable');
    const second = await submitted('org-suivi', { email });
    expect(second.request.id).not.toBe(first.request.id);
    expect(second.confirmation.text).toContain(`Vous avez déjà fait une demande semblable le 2 mars 2026 (référence ${first.request.reference})`);
  });
});

describe('the form’s project search', () => {
  it('keeps the results of a search typed and not chosen, and never falls back to the project the person came from', async () => {
    const { importRows, projectRow } = await import('../helpers/register');
    importRows(t, [
      projectRow({ id: 'etude-alpha', titre_clair: 'Étude alpha sur le sommeil' }),
      projectRow({ id: 'etude-beta', titre_clair: 'Étude bêta sur le cœur' }),
    ]);
    const c = client(t);
    await c.get('/demande?projet=etude-alpha');
    await c.post('/demande', { projet: 'etude-alpha' });
    await c.post('/demande/type', { kind: 'acces' });
    await c.get('/demande/portee');
    const res = await c.post('/demande/portee', { scope: 'projet', projectQuery: 'cœur' });
    expect(res.status).toBe(422);
    expect(res.html).toContain('id="f-projectId-etude-beta"');
    expect(res.html).not.toContain('id="f-projectId-etude-alpha"');
  });
});
