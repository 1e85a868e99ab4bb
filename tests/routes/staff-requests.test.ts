/**
 * The back office's requests: the queue of a DPO, of the CNAM and of an administrator, its
 * filters, htmx fragment and CSV export; one request with its identity (each read audited); the
 * actions that answer the person (status, timeline, mail, tracking page), the document the person
 * downloads; and the 404 (with an audit entry) for anything outside the user's organisation; an
 * administrator reads every request but acts on none (403, audited); the header names who is signed in.
 * Through app.request against the composed app, on a fresh migrated database, with a controlled clock.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryById, insertDelivery } from '../../server/db/deliveries';
import { upsertOrganisation } from '../../server/db/register';
import { addEvent, eventsOf, insertRequest, insertToken, requestById, type RequestRecord } from '../../server/db/requests';
import { auditLog, mailOutbox, requestAttachments } from '../../server/db/schema';
import { insertSession, insertUser, type Role } from '../../server/db/staff';
import { addDays, todayIn } from '../../server/domain/deadlines';
import { createReference } from '../../server/domain/reference';
import type { Kind, Scope, Status } from '../../server/domain/rights-request';
import { encryptUserEmail } from '../../server/services/staff';
import { makeTestApp, type TestApp } from '../helpers/app';
import { signedIn as signInAs, staffUser as makeStaff, type Staff } from '../helpers/staff';
import { client } from '../helpers/client';
import { encryptDetails, encryptIdentity } from '../../server/services/identity';
import { eventMessageContext } from '../../server/crypto/contexts';

// Monday 2 March 2026, 10:00 in Paris.
let clock = new Date('2026-03-02T09:00:00Z');
let t: TestApp;

const ORG_A = 'hopital-a';
const ORG_B = 'hopital-b';
const ORG_C = 'registre-c';
const NIR = '295109912611193';

beforeAll(() => {
  t = makeTestApp({ LOG_LEVEL: 'warn' }, { now: () => clock });
  const now = clock.toISOString();
  upsertOrganisation(db(), { id: ORG_A, name: 'Hôpital A' }, now);
  upsertOrganisation(db(), { id: ORG_B, name: 'Hôpital B' }, now);
  upsertOrganisation(db(), { id: ORG_C, name: 'Registre C' }, now);
});
afterAll(() => t.close());

const db = () => t.deps.database.db;
const today = () => todayIn(clock);

/* ---------- Staff and requests, made directly ---------- */

const staffUser = (role: Role, organisationId: string | null): Staff => makeStaff(t, role, organisationId, clock);
/** A browser signed in as this user: a session row whose id only the cookie knows (hashed in the table). */
const signedIn = (user: Staff) => signInAs(t, user, clock);

type RequestOptions = {
  org: string | null;
  status?: Status;
  dueIn?: number | null;
  kind?: Kind;
  scope?: Scope;
  email?: string;
  nir?: string;
  extended?: boolean;
  lastName?: string;
};

/** A confirmed request, delivered `31 days before its due date`, due `dueIn` days from today. */
function makeRequest(o: RequestOptions): RequestRecord {
  const id = randomUUID();
  const due = o.dueIn === null || o.dueIn === undefined ? null : addDays(today(), o.dueIn);
  const identity = {
    lastName: o.lastName ?? 'Durand',
    firstNames: 'Paule',
    birthDate: '1995-10-12',
    birthPlace: 'Lyon',
    email: o.email ?? `p-${id.slice(0, 8)}@example.org`,
    ...(o.nir ? { nir: o.nir } : {}),
  };
  const at = clock.toISOString();
  insertRequest(db(), {
    id,
    reference: createReference(),
    kind: o.kind ?? 'acces',
    scope: o.scope ?? 'responsable',
    organisationId: o.org,
    onBehalf: 'self',
    lang: 'fr',
    status: o.status ?? 'transmise',
    identityEnc: encryptIdentity(t.deps, id, identity),
    detailsEnc: encryptDetails(t.deps, id, { accessScope: 'Mes séjours de 2024' }),
    emailIndex: t.deps.index.email(identity.email),
    nirIndex: o.nir ? t.deps.index.nir(o.nir) : null,
    createdAt: at,
    confirmedAt: at,
    receivedOn: due ? addDays(due, -31) : null,
    dueOn: due,
    extendedDueOn: due ? addDays(due, 61) : null,
    // An extended request holds its extension, as the status change stores it.
    extendedAt: o.extended ? at : null,
  });
  addEvent(db(), { requestId: id, kind: 'submitted', at, actor: 'person' });
  addEvent(db(), { requestId: id, kind: 'confirmed', at, actor: 'person' });
  if (o.extended) addEvent(db(), { requestId: id, kind: 'extended', at, actor: 'service' });
  return requestById(db(), id)!;
}

const audits = (action: string) => db().select().from(auditLog).where(eq(auditLog.action, action)).all();
const mails = (requestId: string, template: string) =>
  db()
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.requestId, requestId), eq(mailOutbox.template, template)))
    .all();

/** The references of the queue's table, in order, and each row's days-left badge class. */
function queueRows(html: string): { reference: string; band: string | undefined }[] {
  return [...html.matchAll(/<tr data-reference="([^"]+)">([\s\S]*?)<\/tr>/g)].map((m) => ({ reference: m[1]!, band: /badge--days-(\w+)/.exec(m[2]!)?.[1] }));
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const cookieOf = (c: ReturnType<typeof client>) => [...c.jar].map(([k, v]) => `${k}=${v}`).join('; ');

/** Posts a multipart form (the answer, with its document) as the browser does. */
async function postMultipart(
  c: ReturnType<typeof client>,
  requestId: string,
  fields: Record<string, string>,
  file?: { name: string; type: string; bytes: Uint8Array<ArrayBuffer> },
) {
  const page = await c.get(`/espace-pro/demandes/${requestId}`);
  const form = new FormData();
  form.set('_csrf', csrfOf(page.html));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set('document', new File([file.bytes], file.name, { type: file.type }));
  const res = await t.app.request(`/espace-pro/demandes/${requestId}/repondre`, {
    method: 'POST',
    headers: { cookie: cookieOf(c), origin: t.deps.config.publicUrl.origin },
    body: form,
  });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

/** The person's browser on their tracking page, opened through a one-time link as by mail. */
async function personTracking(requestId: string) {
  const token = randomBytes(32).toString('base64url');
  insertToken(db(), {
    tokenHash: createHash('sha256').update(token).digest('base64url'),
    purpose: 'track',
    requestId,
    expiresAt: new Date(clock.getTime() + 15 * 60_000).toISOString(),
  });
  const c = client(t);
  expect((await c.get(`/suivi/${token}`)).location).toBe('/suivi/demande');
  return c;
}

/* ---------- Who sees what ---------- */

describe('a DPO sees only their organisation', () => {
  it('answers 404 for another organisation’s request, writes access.refused, and changes nothing on a POST', async () => {
    const dpoA = staffUser('dpo', ORG_A);
    const ofB = makeRequest({ org: ORG_B, dueIn: 20, lastName: 'Secret' });
    const c = signedIn(dpoA);
    const before = audits('access.refused').length;
    const page = await c.get(`/espace-pro/demandes/${ofB.id}`);
    expect(page.status).toBe(404);
    expect(page.html).not.toContain(ofB.reference);
    expect(page.html).not.toContain('Secret');
    const refused = audits('access.refused').slice(before);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ actor: `user:${dpoA.id}`, targetType: 'request', targetId: ofB.id });
    expect(JSON.parse(refused[0]!.detail!)).toMatchObject({ role: 'dpo' });

    // The same for an action, with a valid CSRF token from a page this user may see.
    await c.get('/espace-pro/demandes');
    const post = await c.post(`/espace-pro/demandes/${ofB.id}/accuser`, {});
    expect(post.status).toBe(404);
    expect(requestById(db(), ofB.id)!.status).toBe('transmise');
    expect(audits('access.refused').length).toBe(before + 2);
    // A document of B's request is as unknown as the request.
    expect((await c.get(`/espace-pro/demandes/${ofB.id}/documents/${randomUUID()}`)).status).toBe(404);
  });

  it('answers 404 for an unknown id, a malformed id and an unconfirmed request, each audited', async () => {
    const dpoA = staffUser('dpo', ORG_A);
    const unconfirmed = makeRequest({ org: ORG_A, status: 'a_confirmer', dueIn: null });
    const c = signedIn(dpoA);
    const before = audits('access.refused').length;
    for (const id of [randomUUID(), 'not-a-uuid', unconfirmed.id]) expect((await c.get(`/espace-pro/demandes/${id}`)).status).toBe(404);
    expect(audits('access.refused').length).toBe(before + 3);
  });

  it('keeps out visitors and other roles: sign-in for the first, 404 for an editor', async () => {
    const visitor = client(t);
    const page = await visitor.get('/espace-pro/demandes');
    expect(page.status).toBe(303);
    expect(page.location).toBe('/espace-pro/connexion?retour=%2Fespace-pro%2Fdemandes');
    const editor = signedIn(staffUser('editor', null));
    expect((await editor.get('/espace-pro/demandes')).status).toBe(404);
    expect((await editor.get('/espace-pro/demandes.csv')).status).toBe(404);
  });
});

/* ---------- The queue ---------- */

describe('the queue', () => {
  const refs: Record<string, string> = {};
  let dpo: Staff;
  let other: RequestRecord;
  beforeAll(() => {
    dpo = staffUser('dpo', ORG_C);
    // Due in: 15 and 10 days (green), 9 and 5 (amber), 4 and 0 (red), −1 and −12 (overdue).
    for (const d of [15, 10, 9, 5, 4, 0, -1, -12])
      refs[`d${d}`] = makeRequest({ org: ORG_C, dueIn: d, kind: d === 9 ? 'opposition' : 'acces', status: d === 4 ? 'accusee' : 'transmise' }).reference;
    // Extended: the first month ended 20 days ago, the three months end in 41 days.
    refs.extended = makeRequest({ org: ORG_C, dueIn: -20, status: 'prolongee', extended: true }).reference;
    // Extended, then a question: the status no longer says so, the timeline does.
    refs.extendedAsked = makeRequest({ org: ORG_C, dueIn: -25, status: 'precision_demandee', extended: true }).reference;
    refs.answered = makeRequest({ org: ORG_C, dueIn: 3, status: 'repondue' }).reference;
    refs.unconfirmed = makeRequest({ org: ORG_C, dueIn: null, status: 'a_confirmer' }).reference;
    other = makeRequest({ org: ORG_A, dueIn: 1 });
  });

  it('lists only the organisation’s requests to handle, sorted by the date the answer is due, overdue first', async () => {
    const page = await signedIn(dpo).get('/espace-pro/demandes');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Les demandes adressées au Registre C');
    expect(queueRows(page.html).map((r) => r.reference)).toEqual([
      refs['d-12'],
      refs['d-1'],
      refs.d0,
      refs.d4,
      refs.d5,
      refs.d9,
      refs.d10,
      refs.d15,
      refs.extendedAsked,
      refs.extended,
    ]);
    expect(page.html).not.toContain(other.reference);
    expect(page.html).not.toContain(refs.answered);
    expect(page.html).not.toContain(refs.unconfirmed);
    expect(page.html).toContain('<strong>10 demandes</strong>');
  });

  it('marks days left: ≥ 10 green, 5 to 9 amber, under 5 red, overdue', async () => {
    const rows = new Map(queueRows((await signedIn(dpo).get('/espace-pro/demandes')).html).map((r) => [r.reference, r.band]));
    expect([refs.d15, refs.d10, refs.d9, refs.d5, refs.d4, refs.d0, refs['d-1'], refs['d-12']].map((r) => rows.get(r!))).toEqual([
      'ok',
      'ok',
      'soon',
      'soon',
      'urgent',
      'urgent',
      'overdue',
      'overdue',
    ]);
    // The extended requests count from their three-month date: 41 and 36 days left.
    expect(rows.get(refs.extended!)).toBe('ok');
    expect(rows.get(refs.extendedAsked!)).toBe('ok');
    const html = (await signedIn(dpo).get('/espace-pro/demandes')).html;
    expect(html).toContain('En retard de 12 jours');
    expect(html).toContain('Dernier jour');
    expect(html).toContain('41 jours');
  });

  it('moves the badges as days pass (the clock is the service’s)', async () => {
    const saved = clock;
    clock = new Date(clock.getTime() + 5 * 86_400_000);
    try {
      const rows = new Map(queueRows((await signedIn(dpo).get('/espace-pro/demandes')).html).map((r) => [r.reference, r.band]));
      expect([refs.d15, refs.d10, refs.d9, refs.d5, refs.d4].map((r) => rows.get(r!))).toEqual(['ok', 'soon', 'urgent', 'urgent', 'overdue']);
    } finally {
      clock = saved;
    }
  });

  it('filters by status, kind and due date, alone and together', async () => {
    const c = signedIn(dpo);
    const refsOf = async (qs: string) => queueRows((await c.get(`/espace-pro/demandes?${qs}`)).html).map((r) => r.reference);
    expect(await refsOf('statut=repondue')).toEqual([refs.answered]);
    expect(await refsOf('statut=accusee')).toEqual([refs.d4]);
    expect((await refsOf('statut=toutes')).sort()).toEqual(
      [refs['d-12'], refs['d-1'], refs.d0, refs.d4, refs.d5, refs.d9, refs.d10, refs.d15, refs.extendedAsked, refs.extended, refs.answered].sort(),
    );
    expect(await refsOf('type=opposition')).toEqual([refs.d9]);
    expect(await refsOf('echeance=en_retard')).toEqual([refs['d-12'], refs['d-1']]);
    expect(await refsOf('echeance=moins_de_5_jours')).toEqual([refs.d0, refs.d4]);
    expect(await refsOf('echeance=sous_7_jours')).toEqual([refs.d0, refs.d4, refs.d5]);
    expect(await refsOf('echeance=en_retard&type=opposition')).toEqual([]);
    // Late only means something while an answer is awaited: the answered request never shows as late.
    expect(await refsOf('statut=toutes&echeance=moins_de_5_jours')).toEqual([refs.d0, refs.d4]);
    // A DPO cannot look at another organisation by changing the address.
    expect(await refsOf(`organisation=${ORG_A}`)).not.toContain(other.reference);
  });

  it('keeps the filters in a real GET form with labels, enhanced by htmx', async () => {
    const html = (await signedIn(dpo).get('/espace-pro/demandes?type=acces')).html;
    expect(html).toMatch(
      /<form[^>]*method="get"[^>]*action="\/espace-pro\/demandes"[^>]*hx-get="\/espace-pro\/demandes"[^>]*hx-target="#queue-results"[^>]*hx-push-url="true"/,
    );
    expect(html).toContain('<fieldset><legend>Filtrer les demandes</legend>');
    for (const name of ['statut', 'type', 'echeance']) expect(html).toContain(`<label for="f-${name}">`);
    expect(html).toContain('<option value="acces" selected="">');
    expect(html).toContain('href="/espace-pro/demandes.csv?type=acces"');
  });

  it('answers an htmx request with the results fragment only, and a plain one with the page', async () => {
    const c = signedIn(dpo);
    const fragment = await c.get('/espace-pro/demandes?echeance=en_retard', { 'hx-request': 'true', 'hx-target': 'queue-results' });
    expect(fragment.status).toBe(200);
    expect(fragment.html).not.toContain('<html');
    expect(fragment.html).not.toContain('<form');
    expect(queueRows(fragment.html).map((r) => r.reference)).toEqual([refs['d-12'], refs['d-1']]);
    expect(fragment.html).toContain('<div id="queue-announce" hx-swap-oob="innerHTML">2 demandes</div>');
    expect(fragment.headers.get('vary')).toContain('HX-Request');
    const full = await c.get('/espace-pro/demandes?echeance=en_retard');
    expect(full.html).toMatch(/^<!doctype html>/);
    expect(full.html).toContain('<div id="queue-results">');
    expect(full.headers.get('cache-control')).toBe('no-store');
  });

  it('shows filter values it does not understand as errors, and ignores them', async () => {
    const page = await signedIn(dpo).get('/espace-pro/demandes?statut=perdue&type=acces&echeance=demain');
    expect(page.status).toBe(400);
    expect(page.html).toContain('<title>Erreur : ');
    expect(page.html).toContain('class="error-summary"');
    expect(page.html).toContain('href="#f-statut"');
    expect(page.html).toContain('href="#f-echeance"');
    expect(page.html).toContain('aria-invalid="true"');
    expect(queueRows(page.html)).toHaveLength(9);
  });

  it('pages through a long queue, twenty requests a page', async () => {
    const big = 'registre-long';
    upsertOrganisation(db(), { id: big, name: 'Registre long' }, clock.toISOString());
    const made = Array.from({ length: 45 }, (_, i) => makeRequest({ org: big, dueIn: i }).reference);
    const c = signedIn(staffUser('dpo', big));
    const first = await c.get('/espace-pro/demandes');
    expect(queueRows(first.html).map((r) => r.reference)).toEqual(made.slice(0, 20));
    expect(first.html).toContain('(page 1 sur 3)');
    expect(first.html).toContain('href="/espace-pro/demandes?page=2"');
    const third = await c.get('/espace-pro/demandes?page=3');
    expect(queueRows(third.html).map((r) => r.reference)).toEqual(made.slice(40));
    expect((await c.get('/espace-pro/demandes?page=9')).html).toContain('Cette page n’existe pas');
  });

  it('gives the CNAM the CNAM’s requests and an administrator every organisation, with an organisation filter', async () => {
    const snds = makeRequest({ org: 'cnam', scope: 'snds', kind: 'opposition', dueIn: 8, nir: NIR });
    const cnam = signedIn(staffUser('cnam', 'cnam'));
    const cnamRows = queueRows((await cnam.get('/espace-pro/demandes')).html).map((r) => r.reference);
    expect(cnamRows).toContain(snds.reference);
    expect(cnamRows).not.toContain(other.reference);
    const admin = signedIn(staffUser('admin', null));
    const all = await admin.get('/espace-pro/demandes?statut=toutes');
    expect(all.html).toContain('<label for="f-organisation">');
    expect(all.html).toContain('<th scope="col">Organisme</th>');
    const onlyA = queueRows((await admin.get(`/espace-pro/demandes?organisation=${ORG_A}`)).html).map((r) => r.reference);
    expect(onlyA).toContain(other.reference);
    expect(onlyA).not.toContain(snds.reference);
    expect(onlyA).not.toContain(refs.d0);
  });
});

/* ---------- CSV ---------- */

describe('the CSV export', () => {
  it('has the queue’s filters, the workload columns, and neither NIR nor name nor e-mail; it is audited', async () => {
    const cnamUser = staffUser('cnam', 'cnam');
    const a = makeRequest({ org: 'cnam', scope: 'snds', kind: 'opposition', dueIn: 12, nir: NIR, lastName: 'Zanzibar', email: 'zanzibar@example.org' });
    const b = makeRequest({ org: 'cnam', scope: 'snds', kind: 'acces', dueIn: 2, nir: NIR, lastName: 'Zanzibar', email: 'zanzibar@example.org' });
    const c = signedIn(cnamUser);
    const before = audits('requests.export').length;
    const res = await t.app.request('/espace-pro/demandes.csv?type=opposition', { headers: { cookie: cookieOf(c) } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="demandes-2026-03-02.csv"');
    const csv = await res.text();
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('reference,kind,scope,project_id,organisation,status,received_on,due_on,extended_due_on,days_left');
    const row = lines.find((l) => l.startsWith(a.reference));
    expect(row).toBe(`${a.reference},opposition,snds,,cnam,transmise,${a.receivedOn},${a.dueOn},${a.extendedDueOn},12`);
    expect(csv).not.toContain(b.reference);
    for (const secret of [NIR, NIR.slice(0, 13), '2 95 10', 'Zanzibar', 'zanzibar@example.org', 'Paule', 'Lyon', '1995-10-12'])
      expect(csv).not.toContain(secret);
    const entry = audits('requests.export').slice(before);
    expect(entry).toHaveLength(1);
    expect(entry[0]).toMatchObject({ actor: `user:${cnamUser.id}`, targetId: 'cnam' });
    expect(JSON.parse(entry[0]!.detail!)).toMatchObject({ type: 'opposition' });
  });

  it('exports every request of the filters, past the queue’s pages, in due-date order', async () => {
    const org = 'registre-export';
    upsertOrganisation(db(), { id: org, name: 'Registre export' }, clock.toISOString());
    const made = Array.from({ length: 30 }, (_, i) => makeRequest({ org, dueIn: 30 - i }));
    makeRequest({ org, dueIn: null, status: 'recue' });
    const c = signedIn(staffUser('dpo', org));
    const res = await t.app.request('/espace-pro/demandes.csv', { headers: { cookie: cookieOf(c) } });
    const lines = (await res.text()).trimEnd().split('\r\n').slice(1);
    expect(lines).toHaveLength(31);
    // Not delivered yet (no due date) first, then by due date.
    expect(lines[0]).toMatch(/,recue,,,,$/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(made.map((r) => r.reference).reverse());
  });
});

/* ---------- One request ---------- */

describe('a request’s page', () => {
  it('shows the decrypted identity, and writes identity.read at each view', async () => {
    const dpo = staffUser('dpo', ORG_A);
    const r = makeRequest({ org: ORG_A, dueIn: 11, lastName: 'Martin-Lefèvre', email: 'martin@example.org' });
    const c = signedIn(dpo);
    const before = audits('identity.read').length;
    const page = await c.get(`/espace-pro/demandes/${r.id}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.html).toContain('Martin-Lefèvre');
    expect(page.html).toContain('martin@example.org');
    expect(page.html).toContain('Mes séjours de 2024');
    expect(page.html).toContain('badge--days-ok');
    await c.get(`/espace-pro/demandes/${r.id}`);
    const reads = audits('identity.read').slice(before);
    expect(reads).toHaveLength(2);
    for (const e of reads) expect(e).toMatchObject({ actor: `user:${dpo.id}`, targetType: 'request', targetId: r.id });
    // No personal data in the audit log.
    expect(JSON.stringify(reads)).not.toContain('Martin');
  });

  it('shows the NIR whole to the CNAM, who needs it, and masked to an administrator', async () => {
    const r = makeRequest({ org: 'cnam', scope: 'snds', kind: 'opposition', dueIn: 20, nir: NIR });
    expect((await signedIn(staffUser('cnam', 'cnam')).get(`/espace-pro/demandes/${r.id}`)).html).toContain('2 95 10 99 126 111 93');
    const asAdmin = (await signedIn(staffUser('admin', null)).get(`/espace-pro/demandes/${r.id}`)).html;
    expect(asAdmin).not.toContain('126 111');
    expect(asAdmin).toContain('93');
  });

  it('shows each delivery’s error in plain words, in the reader’s language, and keeps the stored error', async () => {
    const r = makeRequest({ org: ORG_A, dueIn: 15 });
    const at = clock.toISOString();
    const rows: [error: string, fr: string, en: string][] = [
      ['HTTP 500', 'Le serveur de l’organisme a rencontré une erreur (code HTTP 500).', 'The organisation’s server had an error (HTTP code 500).'],
      ['timeout', 'Le serveur de l’organisme n’a pas répondu à temps.', 'The organisation’s server did not answer in time.'],
      ['destination not allowed', 'L’adresse du webhook n’est pas autorisée sur ce service', 'The webhook address is not allowed on this service'],
      ['no channel for this organisation', 'L’organisme n’a aucun canal pour recevoir les demandes.', 'The organisation has no channel to receive requests.'],
      ['channel disabled', 'Le canal de l’organisme est désactivé.', 'The organisation’s channel is disabled.'],
      ['request not deliverable', 'La demande ne peut pas être transmise', 'The request cannot be forwarded'],
      ['SMTP error', 'Le serveur de messagerie a signalé une erreur.', 'The mail server reported an error.'],
      [
        'HTTP 307 redirect refused',
        'Le serveur de l’organisme a renvoyé vers une autre adresse (code HTTP 307).',
        'The organisation’s server redirected to another address (HTTP code 307).',
      ],
      [
        'HTTP 503 (gave up after 10 attempts)',
        'Le serveur de l’organisme a rencontré une erreur (code HTTP 503). Envoi abandonné après 10 tentatives.',
        'The organisation’s server had an error (HTTP code 503). Sending stopped after 10 attempts.',
      ],
    ];
    const ids = [...rows.map(([error]) => error), 'EUNHEARDOF'].map((lastError, i) => {
      const id = randomUUID();
      insertDelivery(db(), {
        id,
        requestId: r.id,
        organisationId: ORG_A,
        channelId: null,
        status: i % 2 ? 'dead' : 'pending',
        attempts: 1,
        nextAttemptAt: at,
        lastError,
        createdAt: at,
        deadAt: i % 2 ? at : null,
      });
      return id;
    });
    const c = signedIn(staffUser('dpo', ORG_A));
    const fr = (await c.get(`/espace-pro/demandes/${r.id}`)).html;
    const en = (await c.get(`/espace-pro/demandes/${r.id}?lang=en`)).html;
    for (const [error, inFrench, inEnglish] of rows) {
      expect(fr, error).toContain(inFrench);
      expect(en, error).toContain(inEnglish);
      expect(fr, error).not.toContain(`<td>${error}</td>`);
    }
    // An error the service does not know is shown as stored.
    expect(fr).toContain('<td><code>EUNHEARDOF</code></td>');
    expect(ids.map((id) => deliveryById(db(), id)?.lastError)).toEqual([...rows.map(([error]) => error), 'EUNHEARDOF']);
  });
});

/* ---------- Actions ---------- */

describe('actions', () => {
  let dpo: Staff;
  beforeAll(() => {
    dpo = staffUser('dpo', ORG_A);
  });

  it('acknowledges: status, timeline, the person’s mail, audit, and a banner after post/redirect/get', async () => {
    const r = makeRequest({ org: ORG_A, dueIn: 25 });
    const c = signedIn(dpo);
    await c.get(`/espace-pro/demandes/${r.id}`);
    const done = await c.post(`/espace-pro/demandes/${r.id}/accuser`, {});
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/espace-pro/demandes/${r.id}?fait=accuser`);
    expect(requestById(db(), r.id)!.status).toBe('accusee');
    expect(eventsOf(db(), r.id).at(-1)).toMatchObject({ kind: 'acknowledged', actor: `user:${dpo.id}` });
    expect(mails(r.id, 'acknowledged')).toHaveLength(1);
    expect(audits('requests.acknowledge').filter((a) => a.targetId === r.id)).toHaveLength(1);
    const page = await c.follow(done);
    expect(page.html).toContain('role="status"');
    expect(page.html).toContain('Réception accusée. La personne est prévenue par e-mail.');
    expect(page.html).toContain('par vous');
    // Acknowledging twice is not offered, and refused if posted.
    expect(page.html).not.toContain(`/espace-pro/demandes/${r.id}/accuser`);
    const again = await c.post(`/espace-pro/demandes/${r.id}/accuser`, {});
    expect(again.status).toBe(422);
    expect(again.html).toContain('Cette action n’est plus possible');
    expect(mails(r.id, 'acknowledged')).toHaveLength(1);
  });

  it('asks for a clarification: the question is required; then the person reads it on the tracking page', async () => {
    const r = makeRequest({ org: ORG_A, dueIn: 25, status: 'accusee' });
    const c = signedIn(dpo);
    await c.get(`/espace-pro/demandes/${r.id}`);
    const empty = await c.post(`/espace-pro/demandes/${r.id}/precision`, { question: '   ' });
    expect(empty.status).toBe(422);
    expect(empty.html).toContain('<title>Erreur : ');
    expect(empty.html).toContain('<a href="#f-question">Écrivez votre question</a>');
    expect(requestById(db(), r.id)!.status).toBe('accusee');
    const asked = await c.post(`/espace-pro/demandes/${r.id}/precision`, { question: 'Quelles années vous intéressent ?' });
    expect(asked.status).toBe(303);
    expect(requestById(db(), r.id)!.status).toBe('precision_demandee');
    expect(mails(r.id, 'clarification')).toHaveLength(1);
    const person = await personTracking(r.id);
    const tracking = await person.get('/suivi/demande');
    expect(tracking.html).toContain('Quelles années vous intéressent ?');
  });

  it('extends within the first month with a reason, and refuses after it with a clear message', async () => {
    const inTime = makeRequest({ org: ORG_A, dueIn: 3, status: 'accusee' });
    const late = makeRequest({ org: ORG_A, dueIn: -1, status: 'accusee' });
    const c = signedIn(dpo);
    await c.get(`/espace-pro/demandes/${inTime.id}`);
    const noReason = await c.post(`/espace-pro/demandes/${inTime.id}/prolonger`, { reason: '' });
    expect(noReason.status).toBe(422);
    expect(noReason.html).toContain('href="#f-reason"');
    const extended = await c.post(`/espace-pro/demandes/${inTime.id}/prolonger`, { reason: 'Nous devons interroger trois services.' });
    expect(extended.status).toBe(303);
    expect(requestById(db(), inTime.id)!.status).toBe('prolongee');
    expect(mails(inTime.id, 'extended')).toHaveLength(1);
    // The queue now counts from the three-month date.
    const row = queueRows((await c.get('/espace-pro/demandes')).html).find((x) => x.reference === inTime.reference);
    expect(row?.band).toBe('ok');

    const latePage = await c.get(`/espace-pro/demandes/${late.id}`);
    expect(latePage.html).not.toContain(`/espace-pro/demandes/${late.id}/prolonger`);
    expect(latePage.html).toContain('Le délai ne peut plus être prolongé');
    const refused = await c.post(`/espace-pro/demandes/${late.id}/prolonger`, { reason: 'Trop de demandes.' });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('<a href="#prolonger">Le délai ne peut plus être prolongé : le premier mois s’est terminé le 1 mars 2026.');
    expect(refused.html).toContain('article 12, paragraphe 3');
    expect(requestById(db(), late.id)!.status).toBe('accusee');
    expect(eventsOf(db(), late.id).some((e) => e.kind === 'extended')).toBe(false);
    expect(mails(late.id, 'extended')).toHaveLength(0);
  });

  it('refuses an answer without outcome, a refusal without reason code, and an answer without message', async () => {
    const r = makeRequest({ org: ORG_A, dueIn: 10, status: 'accusee' });
    const c = signedIn(dpo);
    const none = await postMultipart(c, r.id, { message: 'Voici.' });
    expect(none.status).toBe(422);
    expect(none.html).toContain('href="#f-outcome"');
    const noCode = await postMultipart(c, r.id, { outcome: 'refused', message: 'Nous ne pouvons pas.' });
    expect(noCode.status).toBe(422);
    expect(noCode.html).toContain('<a href="#f-reasonCode">Choisissez le motif du refus</a>');
    // What was typed stays.
    expect(noCode.html).toContain('Nous ne pouvons pas.');
    expect(noCode.html).toMatch(/id="f-outcome-refused" name="outcome" value="refused" checked=""/);
    const badCode = await postMultipart(c, r.id, { outcome: 'refused', reasonCode: 'because', message: 'Non.' });
    expect(badCode.html).toContain('Choisissez un motif du refus dans la liste');
    const noMessage = await postMultipart(c, r.id, { outcome: 'granted', message: '' });
    expect(noMessage.html).toContain('href="#f-message"');
    expect(requestById(db(), r.id)!.status).toBe('accusee');
    expect(mails(r.id, 'answered')).toHaveLength(0);
  });

  it('refuses with a reason code: status, mail, and the person sees the reason and the way to complain', async () => {
    const r = makeRequest({ org: ORG_A, dueIn: 10, status: 'accusee' });
    const c = signedIn(dpo);
    const done = await postMultipart(c, r.id, { outcome: 'refused', reasonCode: 'no_data_held', message: 'Nous ne détenons aucune donnée vous concernant.' });
    expect(done.status).toBe(303);
    expect(requestById(db(), r.id)!.status).toBe('refusee');
    expect(eventsOf(db(), r.id).at(-1)).toMatchObject({ kind: 'refused', detail: 'no_data_held' });
    expect(mails(r.id, 'refused')).toHaveLength(1);
    const audit = audits('requests.answer').find((a) => a.targetId === r.id)!;
    expect(JSON.parse(audit.detail!)).toMatchObject({ status: 'refusee', reasonCode: 'no_data_held' });
    const tracking = await (await personTracking(r.id)).get('/suivi/demande');
    expect(tracking.html).toContain('Nous ne détenons aucune donnée vous concernant.');
    expect(tracking.html).toContain('L’organisme dit n’avoir aucune donnée sur vous.');
    expect(tracking.html).toContain('https://www.cnil.fr/fr/plaintes');
  });

  it('a refusal after the first month, even once extended: the DPO is warned before, the person sees it as late (GDPR art. 12(4))', async () => {
    const r = makeRequest({ org: ORG_A, dueIn: -5, status: 'prolongee', extended: true });
    const c = signedIn(dpo);
    const page = await c.get(`/espace-pro/demandes/${r.id}`);
    expect(page.html).toContain('Un refus doit être dit dans le mois qui suit la réception');
    const done = await postMultipart(c, r.id, { outcome: 'refused', reasonCode: 'excessive', message: 'Votre demande est excessive.' });
    expect(done.status).toBe(303);
    expect(requestById(db(), r.id)!.status).toBe('refusee');
    const tracking = await (await personTracking(r.id)).get('/suivi/demande');
    expect(tracking.html).toContain('Ce refus vous a été dit après le premier mois.');
    // Within the first month, neither warning.
    const onTime = makeRequest({ org: ORG_A, dueIn: 10, status: 'accusee' });
    expect((await c.get(`/espace-pro/demandes/${onTime.id}`)).html).not.toContain('Un refus doit être dit dans le mois qui suit la réception');
    await postMultipart(c, onTime.id, { outcome: 'refused', reasonCode: 'excessive', message: 'Votre demande est excessive.' });
    expect((await (await personTracking(onTime.id)).get('/suivi/demande')).html).not.toContain('Ce refus vous a été dit après le premier mois.');
  });

  it('answers with a document the person downloads from their tracking page, and nobody else can', async () => {
    const r = makeRequest({ org: ORG_A, dueIn: 10, status: 'accusee' });
    const stranger = makeRequest({ org: ORG_A, dueIn: 10, status: 'accusee' });
    const c = signedIn(dpo);
    const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const done = await postMultipart(
      c,
      r.id,
      { outcome: 'granted', message: 'Vous trouverez vos données en pièce jointe.' },
      { name: 'C:\\Users\\dpo\\copie données.pdf', type: 'application/pdf', bytes: pdf },
    );
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/espace-pro/demandes/${r.id}?fait=repondre`);
    expect(requestById(db(), r.id)!.status).toBe('repondue');
    expect(mails(r.id, 'answered')).toHaveLength(1);
    const [stored] = db().select().from(requestAttachments).where(eq(requestAttachments.requestId, r.id)).all();
    expect(stored).toMatchObject({ filename: 'copie données.pdf', contentType: 'application/pdf', size: pdf.length });
    // Encrypted at rest.
    expect(stored!.contentEnc).not.toContain(Buffer.from(pdf).toString('base64').slice(0, 12));

    const person = await personTracking(r.id);
    const tracking = await person.get('/suivi/demande');
    expect(tracking.html).toContain('Votre demande est satisfaite.');
    expect(tracking.html).toContain('Vous trouverez vos données en pièce jointe.');
    expect(tracking.html).toContain(`href="/suivi/document/${stored!.id}"`);
    expect(tracking.html).toContain('copie données.pdf');
    const download = await t.app.request(`/suivi/document/${stored!.id}`, { headers: { cookie: cookieOf(person) } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="copie donn_es.pdf"; filename*=UTF-8''${encodeURIComponent('copie données.pdf')}`,
    );
    expect(download.headers.get('cache-control')).toBe('no-store');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(pdf);

    // Another person's tracking session, no session, a forged cookie: 404.
    const other = await personTracking(stranger.id);
    expect((await t.app.request(`/suivi/document/${stored!.id}`, { headers: { cookie: cookieOf(other) } })).status).toBe(404);
    expect((await t.app.request(`/suivi/document/${stored!.id}`)).status).toBe(404);
    const forged = cookieOf(person).replace(/suivi=[^.]+/, `suivi=${stranger.id}`);
    expect((await t.app.request(`/suivi/document/${stored!.id}`, { headers: { cookie: forged } })).status).toBe(404);

    // Staff of the organisation download it too (audited); another organisation's DPO does not.
    const staffDownload = await t.app.request(`/espace-pro/demandes/${r.id}/documents/${stored!.id}`, { headers: { cookie: cookieOf(c) } });
    expect(staffDownload.status).toBe(200);
    expect(audits('document.read').some((a) => a.targetId === r.id)).toBe(true);
    const dpoB = signedIn(staffUser('dpo', ORG_B));
    expect((await t.app.request(`/espace-pro/demandes/${r.id}/documents/${stored!.id}`, { headers: { cookie: cookieOf(dpoB) } })).status).toBe(404);
  });

  it('shows a document under the answer it came with, even beside another answer step of the same instant', async () => {
    const r = makeRequest({ org: ORG_A, dueIn: 10, status: 'accusee' });
    // Another answer step at the very instant the DPO answers: the instants cannot tell them apart.
    addEvent(db(), {
      requestId: r.id,
      kind: 'answered',
      at: clock.toISOString(),
      actor: `callback:${ORG_A}`,
      messageEnc: t.deps.cipher.encrypt('Réponse du portail.', eventMessageContext(r.id, 'answered', clock.toISOString())),
    });
    const c = signedIn(dpo);
    const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const done = await postMultipart(
      c,
      r.id,
      { outcome: 'granted', message: 'Vos données sont jointes.' },
      { name: 'donnees.pdf', type: 'application/pdf', bytes: pdf },
    );
    expect(done.status).toBe(303);
    const [stored] = db().select().from(requestAttachments).where(eq(requestAttachments.requestId, r.id)).all();
    const answers = eventsOf(db(), r.id).filter((e) => e.kind === 'answered');
    expect(answers.map((e) => e.at)).toEqual([answers[0]!.at, answers[0]!.at]);

    const tracking = (await (await personTracking(r.id)).get('/suivi/demande')).html;
    const steps = tracking.split('<li class="timeline__step"').slice(1);
    const withDocument = steps.filter((step) => step.includes(`href="/suivi/document/${stored!.id}"`));
    expect(withDocument).toHaveLength(1);
    expect(withDocument[0]).toContain('Vos données sont jointes.');
    expect(withDocument[0]).not.toContain('Réponse du portail.');

    const staffPage = (await c.get(`/espace-pro/demandes/${r.id}`)).html;
    const staffLink = `href="/espace-pro/demandes/${r.id}/documents/${stored!.id}"`;
    const timeline = staffPage.slice(0, staffPage.indexOf('id="documents-title"'));
    expect(timeline.split(staffLink)).toHaveLength(2);
  });

  it('accepts only PDF, PNG, JPEG and text documents of 5 MB at most, judged by their content', async () => {
    const r = makeRequest({ org: ORG_A, dueIn: 10, status: 'accusee' });
    const c = signedIn(dpo);
    const answer = { outcome: 'granted', message: 'Voici.' };
    const exe = await postMultipart(c, r.id, answer, { name: 'outil.exe', type: 'application/octet-stream', bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0]) });
    expect(exe.status).toBe(422);
    expect(exe.html).toContain('<a href="#f-document">Le document doit être un PDF');
    const disguised = await postMultipart(c, r.id, answer, { name: 'lettre.pdf', type: 'application/pdf', bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0]) });
    expect(disguised.html).toContain('ne correspond pas à son extension');
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set([0x25, 0x50, 0x44, 0x46, 0x2d]);
    const tooBig = await postMultipart(c, r.id, answer, { name: 'gros.pdf', type: 'application/pdf', bytes: big });
    expect(tooBig.status).toBe(422);
    expect(tooBig.html).toContain('Le document doit faire 5 Mo au plus');
    expect(requestById(db(), r.id)!.status).toBe('accusee');
    expect(db().select().from(requestAttachments).where(eq(requestAttachments.requestId, r.id)).all()).toHaveLength(0);
    const text = await postMultipart(c, r.id, answer, { name: 'reponse.txt', type: 'text/plain', bytes: new TextEncoder().encode('Réponse détaillée.\n') });
    expect(text.status).toBe(303);
    expect(db().select().from(requestAttachments).where(eq(requestAttachments.requestId, r.id)).get()?.contentType).toBe('text/plain; charset=utf-8');
  });

  it('closes an answered request: status, mail, and the tracking page shows it', async () => {
    const r = makeRequest({ org: ORG_A, dueIn: 10, status: 'accusee' });
    const c = signedIn(dpo);
    expect((await postMultipart(c, r.id, { outcome: 'partial', message: 'Une partie seulement.' })).status).toBe(303);
    const page = await c.get(`/espace-pro/demandes/${r.id}`);
    expect(page.html).toContain(`/espace-pro/demandes/${r.id}/cloturer`);
    const closed = await c.post(`/espace-pro/demandes/${r.id}/cloturer`, {});
    expect(closed.status).toBe(303);
    expect(requestById(db(), r.id)!.status).toBe('cloturee');
    expect(mails(r.id, 'closed')).toHaveLength(1);
    expect(audits('requests.close').some((a) => a.targetId === r.id)).toBe(true);
    const tracking = await (await personTracking(r.id)).get('/suivi/demande');
    expect(tracking.html).toContain('Demande clôturée');
    expect(tracking.html).toContain('Votre demande est satisfaite en partie.');
    // Nothing more to do.
    expect((await c.get(`/espace-pro/demandes/${r.id}`)).html).toContain('Aucune action possible');
  });

  it('refuses an unknown action with a 404', async () => {
    const r = makeRequest({ org: ORG_A, dueIn: 10 });
    const c = signedIn(dpo);
    await c.get(`/espace-pro/demandes/${r.id}`);
    expect((await c.post(`/espace-pro/demandes/${r.id}/supprimer`, {})).status).toBe(404);
  });
});

/* ---------- Who acts ---------- */

describe('who acts on a request', () => {
  const ACTIONS = ['accuser', 'precision', 'prolonger', 'repondre', 'cloturer'] as const;
  const FIELDS: Record<(typeof ACTIONS)[number], Record<string, string>> = {
    accuser: {},
    precision: { question: 'Quel séjour ?' },
    prolonger: { reason: 'Archives à consulter.' },
    repondre: { outcome: 'granted', message: 'Voici vos données.' },
    cloturer: {},
  };

  it('shows an administrator the request without any action form, and says why', async () => {
    const r = makeRequest({ org: ORG_A, dueIn: 20 });
    const page = await signedIn(staffUser('admin', null)).get(`/espace-pro/demandes/${r.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(r.reference);
    expect(page.html).not.toMatch(new RegExp(`<form method="post" action="/espace-pro/demandes/${r.id}/`));
    expect(page.html).toContain('Vous consultez cette demande sans pouvoir agir. Seul le DPO de l’organisme qui la reçoit y répond');
    // The organisation's DPO, on the same request, has the forms.
    expect((await signedIn(staffUser('dpo', ORG_A)).get(`/espace-pro/demandes/${r.id}`)).html).toContain(`action="/espace-pro/demandes/${r.id}/accuser"`);
  });

  it.each(ACTIONS)('refuses an administrator’s POST to %s with a 403, changes nothing, and audits the attempt', async (action) => {
    const status = action === 'cloturer' ? 'repondue' : action === 'repondre' || action === 'precision' || action === 'prolonger' ? 'accusee' : 'transmise';
    const r = makeRequest({ org: ORG_A, dueIn: 20, status });
    const c = signedIn(staffUser('admin', null));
    await c.get(`/espace-pro/demandes/${r.id}`);
    const eventsBefore = eventsOf(db(), r.id).length;
    const refusedBefore = audits('access.refused').length;
    const res = action === 'repondre' ? await postMultipart(c, r.id, FIELDS.repondre) : await c.post(`/espace-pro/demandes/${r.id}/${action}`, FIELDS[action]);
    expect(res.status).toBe(403);
    expect(res.html).toContain('Vous ne pouvez pas agir sur cette demande');
    expect(res.html).not.toMatch(new RegExp(`<form method="post" action="/espace-pro/demandes/${r.id}/`));
    expect(requestById(db(), r.id)!.status).toBe(status);
    expect(eventsOf(db(), r.id)).toHaveLength(eventsBefore);
    expect(db().select().from(mailOutbox).where(eq(mailOutbox.requestId, r.id)).all()).toHaveLength(0);
    const refused = audits('access.refused').slice(refusedBefore);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ targetType: 'request', targetId: r.id });
    expect(JSON.parse(refused[0]!.detail!)).toMatchObject({ role: 'admin', action });
  });

  it('lets the CNAM’s agents act on the CNAM’s requests, and on no one else’s', async () => {
    const cnam = signedIn(staffUser('cnam', 'cnam'));
    const ofCnam = makeRequest({ org: 'cnam', scope: 'snds', kind: 'opposition', dueIn: 20, nir: NIR });
    await cnam.get(`/espace-pro/demandes/${ofCnam.id}`);
    expect((await cnam.post(`/espace-pro/demandes/${ofCnam.id}/accuser`, {})).status).toBe(303);
    expect(requestById(db(), ofCnam.id)!.status).toBe('accusee');
    const ofA = makeRequest({ org: ORG_A, dueIn: 20 });
    expect((await cnam.post(`/espace-pro/demandes/${ofA.id}/accuser`, {})).status).toBe(404);
    expect(requestById(db(), ofA.id)!.status).toBe('transmise');
  });

  it('lists the errors in the order of the fields and gives the summary focus as the page loads', async () => {
    const r = makeRequest({ org: ORG_A, dueIn: 10, status: 'accusee' });
    const c = signedIn(staffUser('dpo', ORG_A));
    // The message's error comes first from the form's parsing; on the page the reason code is above it.
    const res = await postMultipart(c, r.id, { outcome: 'refused', message: '' });
    expect(res.status).toBe(422);
    const summary = /<div class="error-summary"[^>]*>([\s\S]*?)<\/div>/.exec(res.html)!;
    expect(summary[0]).toMatch(/^<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus="">/);
    expect([...summary[1]!.matchAll(/<a href="#([^"]+)">/g)].map((m) => m[1])).toEqual(['f-reasonCode', 'f-message']);
    const onPage = ['f-reasonCode', 'f-message'].map((id) => res.html.indexOf(`id="${id}"`));
    expect(onPage[0]).toBeLessThan(onPage[1]!);
  });
});

describe('the back office header', () => {
  it('says who is signed in, address and role, beside the navigation', async () => {
    const id = randomUUID();
    const email = 'claire.dpo@hopital-a.example';
    insertUser(db(), {
      id,
      handle: randomBytes(16).toString('base64url'),
      emailEnc: encryptUserEmail(t.deps, id, email),
      emailIndex: t.deps.index.email(email),
      role: 'dpo',
      organisationId: ORG_A,
      createdAt: clock.toISOString(),
    });
    const html = (await signedIn({ id, role: 'dpo' }).get('/espace-pro/demandes')).html;
    const nav = /<nav id="navigation"[\s\S]*?<\/nav>/.exec(html)![0];
    expect(nav).toContain('Connecté ou connectée : claire.dpo@hopital-a.example (DPO de l’Hôpital A)');
    expect(nav).toContain('action="/espace-pro/deconnexion"');
    const adminId = randomUUID();
    // An address that cannot be read (here: written under another encryption context) leaves the role.
    insertUser(db(), {
      id: adminId,
      handle: randomBytes(16).toString('base64url'),
      emailEnc: t.deps.cipher.encrypt('admin@example.org', { table: 'users', column: 'other', rowId: adminId }),
      emailIndex: t.deps.index.email('admin@example.org'),
      role: 'admin',
      organisationId: null,
      createdAt: clock.toISOString(),
    });
    const admin = (await signedIn({ id: adminId, role: 'admin' }).get('/espace-pro/demandes?lang=en')).html;
    expect(/<nav id="navigation"[\s\S]*?<\/nav>/.exec(admin)![0]).toContain('Signed in: administrator');
  });
});
