/**
 * POST /api/v1/callbacks/<organisation>: a recipient's signed status update, verified per the
 * Standard Webhooks spec with the organisation's own secrets, applied through the status machine, told
 * to the person. Requests are submitted, confirmed by their mail link and delivered by the worker to a
 * real receiver first. Every refusal is JSON with a code and a sentence, and changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret, sign } from '../../connectors/standard-webhooks';
import { upsertOrganisation } from '../../server/db/register';
import { eventsOf, requestById, type RequestRecord } from '../../server/db/requests';
import { mailOutbox, receivedUpdates } from '../../server/db/schema';
import { gdprDeadlines } from '../../server/domain/deadlines';
import { translatorFor } from '../../server/i18n';
import { addChannel } from '../../server/services/channels';
import { deliverDue, type DeliveryDeps } from '../../server/worker/deliveries';
import { confirmRequest, readDraft, submitDraft, writeDraft, type RequestDeps } from '../../server/services/rights-requests';
import { trackingView } from '../../server/services/tracking';
import { makeTestApp, type TestApp } from '../helpers/app';
import { reply, startMailServer, startReceiver, type MailServer, type Receiver } from '../helpers/receivers';
import { recipientOf } from '../helpers/mail';
import { linkIn, tokenOf } from '../helpers/smtp';

const SUBJECT = {
  confirm: 'Confirmez votre demande sur vos données de santé',
  forwarded: 'Votre demande a été transmise',
  acknowledged: 'L’organisme a bien reçu votre demande',
  extended: 'L’organisme a prolongé le délai de réponse',
  answered: 'L’organisme a répondu à votre demande',
};

let clock = new Date('2026-03-02T09:00:00Z');
const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));
const seconds = () => Math.floor(clock.getTime() / 1000);

let mail: MailServer;
let hook: Receiver;
let t: TestApp;
let deps: DeliveryDeps;
let req: RequestDeps;
let kicks = 0;
let people = 0;

/** The organisations' webhook secrets, known to the test as they are to each organisation. */
const SECRET = generateSecret();
const OTHER_SECRET = generateSecret();
const OLD_SECRET = generateSecret();
const NEW_SECRET = generateSecret();

beforeAll(async () => {
  mail = await startMailServer();
  hook = await startReceiver(reply(200));
  t = makeTestApp(
    { SMTP_URL: mail.url, WEBHOOK_ALLOW: hook.origin, LOG_LEVEL: 'warn' },
    { now: () => clock, deliveryWorker: { kick: () => void (kicks += 1) } },
  );
  const base = { db: t.deps.database.db, cipher: t.deps.cipher, config: t.deps.config, logger: t.deps.logger, now: () => clock, i18n: t.deps.i18n };
  deps = { ...base, connectors: t.deps.connectors, kickMail: t.deps.mailWorker.kick };
  req = { ...base, index: t.deps.index, mailer: t.deps.mailer, kickMail: t.deps.mailWorker.kick };
  const now = clock.toISOString();
  upsertOrganisation(deps.db, { id: 'org-cb', name: 'Hôpital des rappels' }, now);
  addChannel(deps, 'org-cb', { kind: 'webhook', url: hook.url, secrets: [SECRET] });
  upsertOrganisation(deps.db, { id: 'org-autre', name: 'Autre organisme' }, now);
  addChannel(deps, 'org-autre', { kind: 'webhook', url: hook.url, secrets: [OTHER_SECRET] });
  // A secret rotation in progress: the channel holds the old and the new secret.
  upsertOrganisation(deps.db, { id: 'org-rotation', name: 'Organisme en rotation' }, now);
  addChannel(deps, 'org-rotation', { kind: 'webhook', url: hook.url, secrets: [OLD_SECRET, NEW_SECRET] });
});
afterAll(async () => {
  t.close();
  await hook.stop();
  await mail.stop();
});

type Delivered = RequestRecord & { email: string };

/** Submitted, confirmed by the mail link, and delivered by the worker to the organisation's receiver. */
async function deliveredRequest(organisationId: string): Promise<Delivered> {
  people += 1;
  const email = `rappel${people}@example.org`;
  const draft = writeDraft(req, undefined, {
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
  });
  const out = await submitDraft(req, readDraft(req, draft)!, { lang: 'fr' });
  if (out.outcome !== 'created') throw new Error(out.outcome);
  const confirmation = await mail.waitFor((m) => recipientOf(m) === email && m.subject === SUBJECT.confirm && (m.text ?? '').includes(out.request.reference));
  expect(confirmRequest(req, tokenOf(linkIn(confirmation, new URL('/demande/confirmer/', t.deps.config.publicUrl).href)))?.status).toBe('recue');
  expect((await deliverDue(deps, 'test-owner')).delivered).toBeGreaterThanOrEqual(1);
  const delivered = requestById(deps.db, out.request.id)!;
  expect(delivered).toMatchObject({ status: 'transmise', receivedOn: expect.any(String), dueOn: expect.any(String) });
  await mail.waitFor((m) => recipientOf(m) === email && m.subject === SUBJECT.forwarded);
  return { ...delivered, email };
}

type Signed = { id?: string; timestamp?: number; secrets?: string[]; headers?: Record<string, string> };

/** POSTs a body signed per Standard Webhooks, as a recipient's server does: no cookie, no Origin. */
function callback(organisation: string, body: unknown, o: Signed & { send?: string } = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const id = o.id ?? `msg_${randomUUID().replace(/-/g, '')}`;
  const timestamp = o.timestamp ?? seconds();
  return t.app.request(`/api/v1/callbacks/${organisation}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign(o.secrets ?? [SECRET], id, timestamp, text),
      ...o.headers,
    },
    body: o.send ?? text,
  });
}

/** What a refusal must leave untouched: the request row, its timeline, recorded ids and queued mail. */
function snapshot(r: RequestRecord) {
  return {
    request: requestById(deps.db, r.id),
    events: eventsOf(deps.db, r.id).length,
    updates: deps.db.select({ n: count() }).from(receivedUpdates).get()!.n,
    mails: deps.db.select({ n: count() }).from(mailOutbox).get()!.n,
  };
}

/** A refusal: the status, JSON with the stable code and an explanation, and nothing changed. */
async function expectRefused(res: Response, status: number, error: string, before: ReturnType<typeof snapshot>, r: RequestRecord) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/json');
  const body = (await res.json()) as { error: string; message: string; ok?: boolean };
  expect(body.error).toBe(error);
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(10);
  expect(body.ok).toBeUndefined();
  expect(snapshot(r)).toEqual(before);
  return body;
}

const mailsTo = (email: string, subject: string) => mail.messages.filter((m) => recipientOf(m) === email && m.subject === subject);

describe('POST /api/v1/callbacks/<organisation>', () => {
  it('a valid "acknowledged": 200, the request is accusee, the timeline shows it, the person is mailed', async () => {
    const r = await deliveredRequest('org-cb');
    const kicked = kicks;
    const res = await callback('org-cb', { type: 'acknowledged', request: r.reference });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ ok: true, reference: r.reference, status: 'accusee' });
    expect(requestById(deps.db, r.id)!.status).toBe('accusee');
    const view = trackingView(req, r.id)!;
    expect(view.events.map((e) => e.kind)).toEqual(['submitted', 'confirmed', 'forwarded', 'acknowledged']);
    expect(eventsOf(deps.db, r.id).at(-1)).toMatchObject({ kind: 'acknowledged', actor: 'callback:org-cb', at: clock.toISOString() });
    const m = await mail.waitFor((x) => recipientOf(x) === r.email && x.subject === SUBJECT.acknowledged);
    expect(m.text).toContain(r.reference);
    expect(m.text).toContain('Hôpital des rappels');
    expect(mailsTo(r.email, SUBJECT.acknowledged)).toHaveLength(1);
    expect(kicks).toBe(kicked + 1);
  });

  it('a tampered body: 401 bad_signature, nothing changes', async () => {
    const r = await deliveredRequest('org-cb');
    const before = snapshot(r);
    const signed = JSON.stringify({ type: 'acknowledged', request: r.reference });
    const tampered = JSON.stringify({ type: 'refused', request: r.reference, reason_code: 'other', message: 'Non.' });
    await expectRefused(await callback('org-cb', signed, { send: tampered }), 401, 'bad_signature', before, r);
    // Signed with a secret that is not this organisation's (here, another organisation's).
    await expectRefused(await callback('org-cb', { type: 'acknowledged', request: r.reference }, { secrets: [OTHER_SECRET] }), 401, 'bad_signature', before, r);
  });

  it('missing signature headers: 401 missing_headers', async () => {
    const r = await deliveredRequest('org-cb');
    const before = snapshot(r);
    const res = await t.app.request('/api/v1/callbacks/org-cb', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'acknowledged', request: r.reference }),
    });
    await expectRefused(res, 401, 'missing_headers', before, r);
  });

  it('a timestamp 6 minutes old: 401 timestamp_too_old, nothing changes', async () => {
    const r = await deliveredRequest('org-cb');
    const before = snapshot(r);
    await expectRefused(
      await callback('org-cb', { type: 'acknowledged', request: r.reference }, { timestamp: seconds() - 360 }),
      401,
      'timestamp_too_old',
      before,
      r,
    );
    // 4 minutes is within the window.
    const ok = await callback('org-cb', { type: 'acknowledged', request: r.reference }, { timestamp: seconds() - 240 });
    expect(ok.status).toBe(200);
  });

  it('the same webhook-id again, re-signed with a fresh timestamp: 409 replayed, nothing changes', async () => {
    const r = await deliveredRequest('org-cb');
    const id = `msg_${randomUUID().replace(/-/g, '')}`;
    expect((await callback('org-cb', { type: 'acknowledged', request: r.reference }, { id })).status).toBe(200);
    advance(60_000);
    const before = snapshot(r);
    await expectRefused(await callback('org-cb', { type: 'acknowledged', request: r.reference }, { id }), 409, 'replayed', before, r);
    await expectRefused(
      await callback('org-cb', { type: 'answered', request: r.id, outcome: 'granted', message: 'Voici vos données.' }, { id }),
      409,
      'replayed',
      before,
      r,
    );
    expect(requestById(deps.db, r.id)!.status).toBe('accusee');
  });

  it('an unknown organisation, or one without signed callbacks: 404', async () => {
    const r = await deliveredRequest('org-cb');
    const before = snapshot(r);
    await expectRefused(await callback('org-inconnue', { type: 'acknowledged', request: r.reference }), 404, 'unknown_organisation', before, r);
    // The CNAM exists but has no channel with a secret in this app.
    await expectRefused(await callback('cnam', { type: 'acknowledged', request: r.reference }), 404, 'unknown_organisation', before, r);
  });

  it('another organisation’s request: 404 unknown_request, neither request changes', async () => {
    const mine = await deliveredRequest('org-cb');
    const theirs = await deliveredRequest('org-autre');
    const before = snapshot(theirs);
    const mineBefore = snapshot(mine);
    await expectRefused(await callback('org-cb', { type: 'acknowledged', request: theirs.reference }), 404, 'unknown_request', before, theirs);
    await expectRefused(await callback('org-cb', { type: 'acknowledged', request: theirs.id }), 404, 'unknown_request', before, theirs);
    await expectRefused(await callback('org-cb', { type: 'acknowledged', request: 'DS-0000-0000' }), 404, 'unknown_request', before, theirs);
    expect(snapshot(mine)).toEqual(mineBefore);
    // Its own organisation, with its own secret, may.
    expect((await callback('org-autre', { type: 'acknowledged', request: theirs.reference }, { secrets: [OTHER_SECRET] })).status).toBe(200);
  });

  it('invalid JSON: 400 invalid_json; a body missing "type": 400 naming the field', async () => {
    const r = await deliveredRequest('org-cb');
    const before = snapshot(r);
    await expectRefused(await callback('org-cb', '{"type": "acknowledged", '), 400, 'invalid_json', before, r);
    const missing = await expectRefused(await callback('org-cb', { request: r.reference }), 400, 'invalid_body', before, r);
    expect(missing).toMatchObject({ field: 'type' });
    const unknownField = await expectRefused(
      await callback('org-cb', { type: 'acknowledged', request: r.reference, nir: '295109912611193' }),
      400,
      'invalid_body',
      before,
      r,
    );
    expect(unknownField.message).toBeTruthy();
  });

  it('"extended" with a reason within the first month: 200 prolongee, the person told the new date', async () => {
    const r = await deliveredRequest('org-cb');
    advance(20 * 86_400_000);
    const res = await callback('org-cb', { type: 'extended', request: r.reference, message: 'Nous devons consulter trois bases.' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, status: 'prolongee' });
    const after = requestById(deps.db, r.id)!;
    expect(after.status).toBe('prolongee');
    expect(after.extendedDueOn).toBe(gdprDeadlines(r.receivedOn!).extendedDue.due);
    expect(trackingView(req, r.id)!.events.at(-1)).toMatchObject({ kind: 'extended', message: 'Nous devons consulter trois bases.' });
    const m = await mail.waitFor((x) => recipientOf(x) === r.email && x.subject === SUBJECT.extended);
    expect(m.text).toContain(translatorFor(t.deps.i18n, 'fr').date(after.extendedDueOn!));
    expect(m.text).not.toContain('trois bases'); // the reason is on the tracking page, not in the mail
  });

  it('"extended" after the first month: 422 extension_after_first_month, the status unchanged', async () => {
    const r = await deliveredRequest('org-cb');
    expect((await callback('org-cb', { type: 'acknowledged', request: r.reference })).status).toBe(200);
    clock = new Date(`${r.dueOn}T12:00:00Z`);
    clock = new Date(clock.getTime() + 86_400_000); // the day after the due date, in Paris too
    const before = snapshot(r);
    expect(before.request!.status).toBe('accusee');
    await expectRefused(
      await callback('org-cb', { type: 'extended', request: r.reference, message: 'Trop tard.' }),
      422,
      'extension_after_first_month',
      before,
      r,
    );
  });

  it('"refused" without reason_code: 422; with it: 200 refusee', async () => {
    const r = await deliveredRequest('org-cb');
    const before = snapshot(r);
    await expectRefused(await callback('org-cb', { type: 'refused', request: r.reference, message: 'Non.' }), 422, 'reason_code_required', before, r);
    await expectRefused(await callback('org-cb', { type: 'extended', request: r.reference }), 422, 'message_required', before, r);
    await expectRefused(await callback('org-cb', { type: 'answered', request: r.reference }), 422, 'outcome_required', before, r);
    const res = await callback('org-cb', { type: 'refused', request: r.reference, reason_code: 'no_data_held', message: 'Aucune donnée vous concernant.' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'refusee' });
    // Final: nothing more is accepted.
    const closed = snapshot(r);
    await expectRefused(await callback('org-cb', { type: 'acknowledged', request: r.reference }), 422, 'final_status', closed, r);
  });

  it('"answered" with outcome partial: 200 repondue, the tracking page shows the message', async () => {
    const r = await deliveredRequest('org-cb');
    const res = await callback('org-cb', {
      type: 'answered',
      request: r.id,
      outcome: 'partial',
      message: 'Vos données de 2019 sont jointes ; celles de 2020 ne sont plus conservées.',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, reference: r.reference, status: 'repondue' });
    const after = requestById(deps.db, r.id)!;
    expect(after.status).toBe('repondue');
    expect(after.closedAt).toBe(clock.toISOString());
    expect(trackingView(req, r.id)!.events.at(-1)).toEqual({
      kind: 'answered',
      at: clock.toISOString(),
      message: 'Vos données de 2019 sont jointes ; celles de 2020 ne sont plus conservées.',
      detail: 'partial',
    });
    await mail.waitFor((x) => recipientOf(x) === r.email && x.subject === SUBJECT.answered);
  });

  it('during a secret rotation, a callback signed with only the new secret (or only the old) is accepted', async () => {
    const a = await deliveredRequest('org-rotation');
    const res = await callback('org-rotation', { type: 'acknowledged', request: a.reference }, { secrets: [NEW_SECRET] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'accusee' });
    const b = await deliveredRequest('org-rotation');
    expect((await callback('org-rotation', { type: 'acknowledged', request: b.reference }, { secrets: [OLD_SECRET] })).status).toBe(200);
    const c = await deliveredRequest('org-rotation');
    const before = snapshot(c);
    await expectRefused(
      await callback('org-rotation', { type: 'acknowledged', request: c.reference }, { secrets: [generateSecret()] }),
      401,
      'bad_signature',
      before,
      c,
    );
  });

  it('is not blocked by CSRF: no cookie, no Origin (while a form route without its token is)', async () => {
    const r = await deliveredRequest('org-cb');
    const res = await callback('org-cb', { type: 'acknowledged', request: r.reference });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    // From another site's server, with its own Origin: still the signature that decides.
    const r2 = await deliveredRequest('org-cb');
    expect((await callback('org-cb', { type: 'acknowledged', request: r2.reference }, { headers: { origin: 'https://dpo.example.net' } })).status).toBe(200);
    const form = await t.app.request('/suivi', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'reference=DS-0000-0000&email=a%40example.org',
    });
    expect(form.status).toBe(403);
    expect(requestById(deps.db, r.id)!.status).toBe('accusee');
    expect(requestById(deps.db, r2.id)!.status).toBe('accusee');
  });
});
