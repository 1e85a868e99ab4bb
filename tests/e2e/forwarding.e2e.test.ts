/**
 * Forwarding end to end, in Chromium with JavaScript on: one SNDS objection and one project
 * request are walked through the form, confirmed by the link in the mail (real SMTP server), delivered by
 * the service's own worker to a local webhook receiver (the CNAM's API and the project's controller), and
 * answered by Standard-Webhooks-signed callbacks exactly as a recipient would. The person's side is then
 * checked: one mail per step with a subject free of personal data, and the tracking page reached through
 * /suivi showing the final status, the organisation's words and the way to complain, with no serious axe
 * violation.
 */
import { readFileSync } from 'node:fs';
import type { ParsedMail } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { generateSecret, verify } from '../../connectors/standard-webhooks';
import type { RequestDocument } from '../../connectors/types';
import { deliveries, projectOrganisations, projects, rightsRequests } from '../../server/db/schema';
import { translatorFor } from '../../server/i18n';
import { addChannel } from '../../server/services/channels';
import { decryptIdentity } from '../../server/services/identity';
import { launchBrowser, seriousViolations } from '../helpers/browser';
import { sendCallback, startWebhookReceiver, type ReceivedDelivery, type WebhookReceiver } from '../helpers/forwarding-receiver';
import { startTestServer, type RunningServer } from '../helpers/server';
import { linkIn, startSmtp, type TestSmtp } from '../helpers/smtp';
import { waitFor } from '../helpers/wait';

const locale = (file: string) => JSON.parse(readFileSync(new URL(`../../locales/fr/${file}`, import.meta.url), 'utf8'));
const MAIL = locale('mail.json') as Record<string, { subject: string }>;
const REQUEST = locale('request.json') as {
  statuses: Record<string, string>;
  events: Record<string, string>;
  refusalReasons: Record<string, string>;
  answers: Record<string, string> & { outcomes: Record<string, string> };
  track: Record<string, string>;
};

/** The demo project the project-scope request is about: the SNDS (pseudonymised) and the AP-HP's warehouse (identifying). */
const PROJECT = 'bacteriemies';
const CONTROLLER_MAILBOX = 'dpo-controleur@example.org';

let server: RunningServer;
let browser: Browser;
let smtp: TestSmtp;
let receiver: WebhookReceiver;
let cnamSecret: string;
let controllerSecret: string;
let controllerId: string;

beforeAll(async () => {
  smtp = await startSmtp();
  receiver = await startWebhookReceiver();
  server = await startTestServer({ SMTP_URL: smtp.url, WEBHOOK_ALLOW: receiver.origin }, { demoData: true });
  const db = server.deps.database.db;
  const controller = db
    .select({ organisationId: projectOrganisations.organisationId })
    .from(projectOrganisations)
    .where(and(eq(projectOrganisations.projectId, PROJECT), eq(projectOrganisations.role, 'responsable')))
    .get();
  expect(controller, `the demo register names the controller of ${PROJECT}`).toBeDefined();
  controllerId = controller!.organisationId;
  // The register's two records of the controller agree: routing (projects.responsable_id) and the role table.
  expect(db.select({ r: projects.responsableId }).from(projects).where(eq(projects.id, PROJECT)).get()?.r).toBe(controllerId);
  cnamSecret = generateSecret();
  controllerSecret = generateSecret();
  const d = { db, cipher: server.deps.cipher, now: server.deps.now };
  addChannel(d, 'cnam', { kind: 'cnam', mode: 'api', url: `${receiver.origin}/cnam`, secrets: [cnamSecret] });
  addChannel(d, controllerId, { kind: 'webhook', url: `${receiver.origin}/controller`, secrets: [controllerSecret] });
  addChannel(d, controllerId, { kind: 'email', to: CONTROLLER_MAILBOX });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await receiver?.stop();
  await smtp?.stop();
});

async function accessible(page: Page, where: string) {
  const violations = await seriousViolations(page);
  expect(violations.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

const submit = (page: Page) => page.locator('main form button[type=submit]:not([name=_action])').first().click();
const mailsTo = (email: string) => smtp.to(email);
const mailTo = (email: string, subject: string) => smtp.mail({ to: email, subject });

type Person = { lastName: string; firstNames: string; birth: [string, string, string]; birthPlace: string; email: string; nir?: string };

/** From the check-your-answers page: declares, submits, reads the reference, confirms by the mailed link. */
async function submitAndConfirm(page: Page, person: Person): Promise<string> {
  await page.waitForURL(/\/demande\/verifier$/);
  await page.check('#f-declaration');
  await submit(page);
  await page.waitForURL(/\/demande\/recu$/);
  const reference = (await page.locator('.panel .reference').innerText()).trim();
  expect(reference).toMatch(/^DS-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  const confirm = await mailTo(person.email, MAIL.confirm!.subject);
  await page.goto(linkIn(confirm, `${server.url}/demande/confirmer/`));
  await submit(page);
  await page.waitForSelector('.panel--success');
  return reference;
}

async function fillIdentity(page: Page, person: Person) {
  await page.waitForURL(/\/demande\/identite$/);
  await page.fill('#f-lastName', person.lastName);
  await page.fill('#f-firstNames', person.firstNames);
  await page.fill('#f-birthDay', person.birth[0]);
  await page.fill('#f-birthMonth', person.birth[1]);
  await page.fill('#f-birthYear', person.birth[2]);
  await page.fill('#f-birthPlace', person.birthPlace);
  if (person.nir) {
    await page.fill('#f-nir', person.nir);
    await page.check('input[name=insuranceScheme][value=cpam]');
  }
  await submit(page);
  await page.waitForURL(/\/demande\/contact$/);
  await page.fill('#f-email', person.email);
  await submit(page);
  await page.waitForURL(/\/demande\/details$/);
}

/** The delivery the receiver got for this reference, checked as a recipient would: signature first. */
async function receivedDocument(path: string, reference: string, secret: string): Promise<ReceivedDelivery> {
  const got = await receiver.waitFor((d) => d.path === path && d.document.reference === reference);
  const h = got.headers;
  const check = verify(
    [secret],
    { id: h['webhook-id'] as string, timestamp: h['webhook-timestamp'] as string, signature: h['webhook-signature'] as string },
    got.body,
    Math.floor(Date.now() / 1000),
  );
  expect(check).toMatchObject({ ok: true });
  // Signed with the other channel's secret, it would not verify: each endpoint has its own.
  expect(
    verify(
      [secret === cnamSecret ? controllerSecret : cnamSecret],
      { id: h['webhook-id'] as string, timestamp: h['webhook-timestamp'] as string, signature: h['webhook-signature'] as string },
      got.body,
      Math.floor(Date.now() / 1000),
    ),
  ).toEqual({ ok: false, error: 'bad_signature' });
  expect(h['content-type']).toBe('application/json');
  // The webhook-id is the outbox row's id: stable across retries, the receiver's idempotency key.
  const row = server.deps.database.db
    .select()
    .from(deliveries)
    .where(eq(deliveries.id, h['webhook-id'] as string))
    .get();
  expect(row?.requestId).toBe(got.document.id);
  return got;
}

/** Opens the tracking page the way the person does: reference and e-mail, then the one-time link by mail. */
async function openTracking(page: Page, reference: string, email: string) {
  const before = mailsTo(email).length;
  await page.goto(`${server.url}/suivi`);
  await page.fill('#f-reference', reference);
  await page.fill('#f-email', email);
  await submit(page);
  await page.waitForURL(/\/suivi\/envoye$/);
  const mail = await waitFor(
    () =>
      mailsTo(email)
        .slice(before)
        .find((m) => m.subject === MAIL.track!.subject),
    { what: 'the tracking link mail' },
  );
  await page.goto(linkIn(mail, `${server.url}/suivi/`));
  await page.waitForURL(/\/suivi\/demande$/);
}

async function waitForMails(address: string, count: number): Promise<ParsedMail[]> {
  await waitFor(() => mailsTo(address).length >= count, { what: `${count} mail(s) to ${address}`, detail: () => `got ${mailsTo(address).length}` });
  expect(mailsTo(address).length, `mails to ${address}`).toBe(count);
  return mailsTo(address);
}

/** No subject names the person, their NIR or their address; no mail to the person carries the NIR. */
function expectNoPersonalDataInMails(person: Person) {
  const nir = person.nir?.replace(/\s/g, '');
  for (const m of mailsTo(person.email)) {
    const subject = m.subject ?? '';
    for (const secret of [person.lastName, person.firstNames, person.email, person.email.split('@')[0]!, ...(nir ? [nir, person.nir!] : [])]) {
      expect(subject.toLowerCase(), `subject "${subject}"`).not.toContain(secret.toLowerCase());
    }
    if (nir) expect((m.text ?? '').replace(/\s/g, ''), `body of "${subject}"`).not.toContain(nir);
  }
}

const fr = () => translatorFor(server.deps.i18n, 'fr');
const requestRow = (reference: string) => server.deps.database.db.select().from(rightsRequests).where(eq(rightsRequests.reference, reference)).get()!;

describe('forwarding, from the form to an answer by callback', () => {
  it('an SNDS objection reaches the CNAM by its API, is acknowledged then answered', { timeout: 120_000 }, async () => {
    const person: Person = {
      lastName: 'Testeuse',
      firstNames: 'Marie',
      birth: ['12', '10', '1995'],
      birthPlace: 'Paris',
      email: 'marie.snds@example.org',
      nir: '2 95 10 99 126 111 93',
    };
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);

    await page.goto(`${server.url}/demande`);
    await submit(page);
    await page.waitForURL(/\/demande\/type$/);
    await page.check('input[name=kind][value=opposition]');
    await submit(page);
    await page.waitForURL(/\/demande\/portee$/);
    await page.check('input[name=scope][value=snds]');
    await submit(page);
    await page.waitForURL(/\/demande\/pour-qui$/);
    await page.check('input[name=onBehalf][value=self]');
    await submit(page);
    await fillIdentity(page, person);
    await page.fill('#f-reason', 'Je ne souhaite pas que mes données soient réutilisées.');
    await submit(page);
    const reference = await submitAndConfirm(page, person);

    // The worker, kicked by the confirmation, posts the request document to the CNAM's API.
    const got = await receivedDocument('/cnam', reference, cnamSecret);
    const doc: RequestDocument = got.document;
    expect(doc).toMatchObject({
      version: 2,
      role: 'answer',
      part: 'snds',
      identity_step: 'cnam',
      reference,
      kind: 'opposition',
      scope: 'snds',
      project: null,
      organisation: { id: 'cnam' },
      on_behalf: 'self',
      insurance_scheme: 'cpam',
      language: 'fr',
    });
    expect(doc.identity).toMatchObject({
      last_name: person.lastName,
      first_names: person.firstNames,
      birth_date: '1995-10-12',
      birth_place: 'Paris',
      email: person.email,
    });
    expect(doc.identity!.nir?.replace(/\s/g, '')).toBe('295109912611193');
    expect(doc.details!.reason).toBe('Je ne souhaite pas que mes données soient réutilisées.');
    expect(doc.callback_url).toBe(`${server.url}/api/v1/callbacks/cnam`);
    expect(doc.due_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // The person is told it was forwarded, with the due date the delivery set.
    const forwarded = await mailTo(person.email, MAIL.forwarded!.subject);
    const row = requestRow(reference);
    expect(row.status).toBe('transmise');
    expect(row.dueOn).toBe(doc.due_on);
    expect(forwarded.text).toContain(reference);
    expect(forwarded.text).toContain(doc.organisation.name);
    expect(forwarded.text).toContain(fr().date(doc.due_on));
    expect(forwarded.text).not.toContain('{{');

    // The CNAM answers by signed callbacks: acknowledged, then answered.
    const ack = await sendCallback(doc.callback_url!, cnamSecret, { type: 'acknowledged', request: doc.id });
    expect(ack.status, JSON.stringify(ack.json)).toBe(200);
    expect(ack.json).toEqual({ ok: true, reference, status: 'accusee' });
    await mailTo(person.email, MAIL.acknowledged!.subject);
    const answerText = 'Votre opposition est enregistrée : vos données ne seront plus utilisées pour de nouveaux projets.';
    const answer = await sendCallback(doc.callback_url!, cnamSecret, { type: 'answered', request: reference, outcome: 'granted', message: answerText });
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect(answer.json).toEqual({ ok: true, reference, status: 'repondue' });
    const answered = await mailTo(person.email, MAIL.answered!.subject);
    expect(answered.text).toContain(reference);
    expect(answered.text).toContain('https://www.cnil.fr/fr/plaintes');
    // The same update again (same webhook-id): refused as a replay, nothing changes.
    const replay = await sendCallback(
      doc.callback_url!,
      cnamSecret,
      { type: 'answered', request: reference, outcome: 'granted', message: answerText },
      { webhookId: answer.webhookId },
    );
    expect(replay.status).toBe(409);
    expect(replay.json.error).toBe('replayed');
    expect(requestRow(reference).status).toBe('repondue');

    const subjects = mailsTo(person.email).map((m) => m.subject);
    expect(subjects).toEqual([MAIL.confirm!.subject, MAIL.forwarded!.subject, MAIL.acknowledged!.subject, MAIL.answered!.subject]);

    // The tracking page: final status, the answer, the organisation's words.
    await openTracking(page, reference, person.email);
    const main = await page.locator('main').innerText();
    expect(main).toContain(reference);
    expect(main).toContain(REQUEST.statuses.repondue);
    expect(main).toContain(REQUEST.events.forwarded);
    expect(main).toContain(REQUEST.events.acknowledged);
    expect(main).toContain(REQUEST.events.answered);
    expect(main).toContain(REQUEST.answers.outcomes.granted);
    expect(main).toContain(REQUEST.answers.answer);
    expect(main).toContain(answerText);
    expect(main).not.toContain('295109912611193');
    await accessible(page, 'tracking page, answered');
    expectNoPersonalDataInMails(person);
    await context.close();
  });

  it(
    'a project request with a pseudonymised and an identifying source: the CNAM gets the NIR, the controller a notice with no identity and its own part without the NIR; then it extends and refuses',
    { timeout: 120_000 },
    async () => {
      const person: Person = {
        lastName: 'Durandal',
        firstNames: 'Paulin',
        birth: ['3', '4', '1961'],
        birthPlace: 'Lyon',
        email: 'paulin.projet@example.org',
        nir: '1 61 04 69 123 456 37',
      };
      const nir = person.nir!.replace(/\s/g, '');
      const context = await browser.newContext({ locale: 'fr-FR' });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);

      // Started from the project's "exercise my rights" link: the scope is already chosen.
      await page.goto(`${server.url}/demande?projet=${PROJECT}`);
      await submit(page);
      await page.waitForURL(/\/demande\/type$/);
      await page.check('input[name=kind][value=acces]');
      await submit(page);
      await page.waitForURL(/\/demande\/portee$/);
      expect(await page.isChecked('input[name=scope][value=projet]')).toBe(true);
      expect(await page.isChecked(`#f-projectId-${PROJECT}`)).toBe(true);
      await submit(page);
      await page.waitForURL(/\/demande\/pour-qui$/);
      await page.check('input[name=onBehalf][value=self]');
      await submit(page);
      // The project uses the SNDS: the route goes through the CNAM, so the NIR is asked.
      expect(await page.locator('#f-nir').count()).toBe(1);
      await fillIdentity(page, person);
      await page.fill('#f-accessScope', 'Les données me concernant utilisées par ce projet.');
      await submit(page);
      // Before sending, the page says who receives what.
      await page.waitForURL(/\/demande\/verifier$/);
      const plan = await page.locator('.route-plan').innerText();
      expect(plan).toContain('Caisse nationale de l’assurance maladie (CNAM) reçoit votre identité et votre numéro de sécurité sociale');
      expect(plan).toContain('sans votre nom ni votre numéro');
      expect(plan).toContain('sans votre numéro de sécurité sociale');
      await accessible(page, 'check page, two recipients');
      const reference = await submitAndConfirm(page, person);
      const cnamPart = requestRow(reference);
      expect(cnamPart).toMatchObject({ organisationId: 'cnam', part: 'pseudonymised', clock: 'confirmation' });
      const controllerPart = server.deps.database.db
        .select()
        .from(rightsRequests)
        .where(eq(rightsRequests.groupId, cnamPart.groupId!))
        .all()
        .find((r) => r.id !== cnamPart.id)!;
      expect(controllerPart).toMatchObject({ organisationId: controllerId, part: 'identifying', clock: 'delivery', nirIndex: null });
      // The controller's request does not even hold the NIR at rest.
      expect(decryptIdentity(server.deps, controllerPart)).not.toHaveProperty('nir', expect.anything());
      expect(decryptIdentity(server.deps, cnamPart)?.nir).toBe(nir);
      const project = server.deps.database.db.select({ title: projects.titreClair }).from(projects).where(eq(projects.id, PROJECT)).get()!;

      // The CNAM: the identity and the NIR, for the project's pseudonymised source.
      const toCnam = (await receivedDocument('/cnam', reference, cnamSecret)).document;
      expect(toCnam).toMatchObject({
        version: 2,
        role: 'answer',
        part: 'pseudonymised',
        identity_step: 'cnam',
        organisation: { id: 'cnam' },
        answered_by: { id: 'cnam' },
        sources: [{ id: 'snds', identifying: false }],
      });
      expect(toCnam.identity).toMatchObject({ last_name: person.lastName, first_names: person.firstNames, birth_date: '1961-04-03', nir });
      expect(toCnam.due_on).toBe(cnamPart.dueOn);
      // The controller's notice for that source: nothing about the person.
      const notice = (await receivedDocument('/controller', reference, controllerSecret)).document;
      expect(notice).toMatchObject({
        version: 2,
        role: 'notice',
        part: 'pseudonymised',
        identity_step: 'cnam',
        organisation: { id: controllerId },
        answered_by: { id: 'cnam' },
        identity: null,
        details: null,
        callback_url: null,
        insurance_scheme: null,
      });
      // The controller's own part, for its identifying source: the identity without the NIR.
      const got = await receivedDocument('/controller', controllerPart.reference, controllerSecret);
      const doc: RequestDocument = got.document;
      expect(doc).toMatchObject({
        version: 2,
        role: 'answer',
        part: 'identifying',
        identity_step: 'controller',
        reference: controllerPart.reference,
        kind: 'acces',
        scope: 'projet',
        project: { id: PROJECT, title: project.title },
        organisation: { id: controllerId },
        sources: [{ id: 'edsaphp', identifying: true }],
        insurance_scheme: null,
      });
      expect(doc.identity).toMatchObject({
        last_name: person.lastName,
        first_names: person.firstNames,
        birth_date: '1961-04-03',
        birth_place: 'Lyon',
        email: person.email,
        nir: null,
      });
      expect(doc.details!.access_scope).toBe('Les données me concernant utilisées par ce projet.');
      expect(doc.callback_url).toBe(`${server.url}/api/v1/callbacks/${controllerId}`);
      // Every document and mail a recipient got, read whole: the NIR only at the CNAM, no identity in the notice.
      await receiver.waitFor((d) => d.path === '/controller' && d.document.reference === reference && d.document.role === 'notice');
      for (const d of receiver.received.filter((x) => x.document.reference === reference || x.document.reference === controllerPart.reference)) {
        const body = d.body;
        if (d.path === '/cnam') expect(body).toContain(nir);
        else expect(body, `${d.path} ${d.document.role}`).not.toContain(nir);
        if (d.document.role === 'notice')
          for (const secret of [person.lastName, person.firstNames, person.email, 'Lyon', '1961-04-03']) expect(body).not.toContain(secret);
      }
      const dpoMails = await waitForMails(CONTROLLER_MAILBOX, 2);
      const noticeMail = dpoMails.find((m) => m.subject?.includes(reference))!;
      const requestMail = dpoMails.find((m) => m.subject?.includes(controllerPart.reference))!;
      expect(noticeMail, 'the notice mail').toBeDefined();
      expect(requestMail, 'the request mail').toBeDefined();
      const whole = (m: ParsedMail) => `${m.subject}\n${m.text}\n${m.html}\n${m.attachments.map((a) => a.content.toString('utf8')).join('\n')}`;
      for (const secret of [person.lastName, person.firstNames, person.email, nir, 'Lyon', '1961-04-03']) expect(whole(noticeMail)).not.toContain(secret);
      expect(requestMail.text).toContain(person.lastName);
      expect(whole(requestMail).replace(/\s/g, '')).not.toContain(nir);
      for (const m of dpoMails) expect(m.subject).not.toContain(person.lastName);

      const forwarded = await mailTo(person.email, MAIL.forwarded!.subject);
      expect(forwarded.text).toMatch(new RegExp(`${doc.organisation.name}|Caisse nationale`));

      // The controller extends the period, with its reason, then refuses.
      const reasonText = 'Nous devons interroger trois établissements partenaires : la recherche prendra plus d’un mois.';
      const ext = await sendCallback(doc.callback_url!, controllerSecret, { type: 'extended', request: doc.id, message: reasonText });
      expect(ext.status, JSON.stringify(ext.json)).toBe(200);
      expect(ext.json).toEqual({ ok: true, reference: controllerPart.reference, status: 'prolongee' });
      const extended = await mailTo(person.email, MAIL.extended!.subject);
      const row = requestRow(controllerPart.reference);
      expect(row.extendedDueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(extended.text).toContain(fr().date(row.extendedDueOn!));
      expect(extended.text).not.toContain('{{');
      // A callback signed with the CNAM's secret is not the controller's; the controller cannot answer the CNAM's part.
      const forged = await sendCallback(doc.callback_url!, cnamSecret, { type: 'refused', request: doc.id, reason_code: 'other', message: 'x' });
      expect(forged.status).toBe(401);
      expect(forged.json.error).toBe('bad_signature');
      const notTheirs = await sendCallback(doc.callback_url!, controllerSecret, { type: 'acknowledged', request: reference });
      expect(notTheirs.status).toBe(404);
      const refusalText = 'Après vérification, ce projet n’a utilisé aucune donnée vous concernant.';
      const refused = await sendCallback(doc.callback_url!, controllerSecret, {
        type: 'refused',
        request: controllerPart.reference,
        reason_code: 'no_data_held',
        message: refusalText,
      });
      expect(refused.status, JSON.stringify(refused.json)).toBe(200);
      expect(refused.json).toEqual({ ok: true, reference: controllerPart.reference, status: 'refusee' });
      const refusedMail = await mailTo(person.email, MAIL.refused!.subject);
      expect(refusedMail.text).toContain('https://www.cnil.fr/fr/plaintes');
      expect(requestRow(controllerPart.reference).status).toBe('refusee');
      expect(requestRow(controllerPart.reference).closedAt).not.toBeNull();
      expect(requestRow(reference).status).toBe('transmise');

      const subjects = mailsTo(person.email).map((m) => m.subject);
      expect(subjects).toEqual([MAIL.confirm!.subject, MAIL.forwarded!.subject, MAIL.forwarded!.subject, MAIL.extended!.subject, MAIL.refused!.subject]);

      // The tracking page of the controller's part names both bodies, and that the controller was only told of the CNAM's part.
      await openTracking(page, controllerPart.reference, person.email);
      const main = await page.locator('main').innerText();
      expect(main).toContain(controllerPart.reference);
      expect(main).toContain(reference);
      expect(main).toContain('Caisse nationale de l’assurance maladie');
      expect(main).toContain(REQUEST.track.parts);
      expect(main).toContain(REQUEST.statuses.refusee);
      expect(main).toContain(project.title);
      expect(main).toContain(REQUEST.events.extended);
      expect(main).toContain(REQUEST.answers.extendedReason);
      expect(main).toContain(reasonText);
      expect(main).toContain(REQUEST.events.refused);
      expect(main).toContain(REQUEST.answers.refusalReason);
      expect(main).toContain(REQUEST.refusalReasons.no_data_held);
      expect(main).toContain(REQUEST.answers.refusalMessage);
      expect(main).toContain(refusalText);
      expect(main).toContain(REQUEST.answers.complaint);
      const cnil = page.locator('main a', { hasText: REQUEST.track.cnil! });
      expect(await cnil.count()).toBeGreaterThan(0);
      expect(await cnil.first().getAttribute('href')).toBe(REQUEST.answers.cnilUrl);
      // A refused request can no longer be withdrawn.
      expect(await page.locator('a[href="/suivi/retirer"]').count()).toBe(0);
      await accessible(page, 'tracking page, extended then refused');
      expectNoPersonalDataInMails(person);
      await context.close();
    },
  );
});
