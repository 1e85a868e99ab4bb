/**
 * Reminder mails to staff, against a real SMTP server and a controlled clock: the DPO's
 * reminders 10 and 3 days before the due date and the day after, the escalation to administrators, the
 * weekly digest; each sent once, even when the reminders run several times a day or after a restart
 * on the same database; the extended due date once a request was extended; nothing for final,
 * withdrawn or unconfirmed requests; no personal data of the requester in any of these mails.
 *
 * One story, in order: each step moves the clock and runs the reminders as the worker would.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { encryptUserEmail } from '../../server/services/staff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrganisation } from '../../server/db/register';
import { remindersSent } from '../../server/db/schema';
import { addEvent, requestById, updateRequest, type RequestRecord } from '../../server/db/requests';
import { insertUser, type Role } from '../../server/db/staff';
import type { Answers } from '../../server/domain/rights-request';
import { confirmRequest, readDraft, submitDraft, writeDraft, type RequestDeps } from '../../server/services/rights-requests';
import { withdrawRequest } from '../../server/services/tracking';
import { isoWeek, runReminders, type ReminderCounts } from '../../server/services/reminders';
import { makeTestApp, type TestApp } from '../helpers/app';
import { flushMail, recipientOf } from '../helpers/mail';
import { linkIn, startSmtp, type TestSmtp, tokenOf } from '../helpers/smtp';

const NIR = '295109912611193';
const DPO_A = 'dpo@organisme-a.example';
const FORMER_DPO_A = 'ancien-dpo@organisme-a.example';
const EDITOR = 'editeur@hdh.example';
const CNAM = 'dpo@cnam.example';
const ADMIN_USER = 'admin@hdh.example';
const ADMIN_CONFIG = 'alertes@hdh.example';
const SUBJECT = {
  confirm: 'Confirmez votre demande sur vos données de santé',
  d10: 'Rappel : une demande attend une réponse au plus tard dans 10 jours',
  d3: 'Rappel : une demande attend une réponse au plus tard dans 3 jours',
  overdue: 'Une demande n’a pas reçu de réponse dans le délai',
  escalation: 'Demande en retard : l’organisme n’a pas répondu dans le délai',
  digest: 'Les demandes en cours de votre organisme cette semaine',
};
const NONE: ReminderCounts = { 'd-10': 0, 'd-3': 0, 'd+1': 0, escalation: 0, digest: 0 };

let smtp: TestSmtp;
let t: TestApp;
let clock = new Date('2026-03-20T10:00:00Z');
const env = () => ({ SMTP_URL: smtp.url, ADMIN_EMAILS: ADMIN_CONFIG });
let people = 0;
/** Every person's e-mail address: none may appear in a mail to staff. */
const personEmails: string[] = [];

const requestDeps = (): RequestDeps => ({
  db: t.deps.database.db,
  cipher: t.deps.cipher,
  index: t.deps.index,
  mailer: t.deps.mailer,
  config: t.deps.config,
  logger: t.deps.logger,
  now: () => clock,
  i18n: t.deps.i18n,
  kickMail: t.deps.mailWorker.kick,
});
const db = () => t.deps.database.db;
const to = recipientOf;

/** Runs the reminders on a day (10:00 UTC: noon in Paris) and returns the counts and the mails that arrived. */
async function runOn(day: string): Promise<{ counts: ReminderCounts; mails: ParsedMail[] }> {
  clock = new Date(`${day}T10:00:00Z`);
  const before = smtp.messages.length;
  const counts = await runReminders(requestDeps(), clock);
  await flushMail(t.deps);
  return { counts, mails: smtp.messages.slice(before) };
}

function staffUser(email: string, role: Role, organisationId: string | null, disabled = false) {
  const id = randomUUID();
  insertUser(db(), {
    id,
    handle: randomBytes(16).toString('base64url'),
    emailEnc: encryptUserEmail(t.deps, id, email),
    emailIndex: t.deps.index.email(email),
    role,
    organisationId,
    createdAt: clock.toISOString(),
    disabledAt: disabled ? clock.toISOString() : null,
  });
  return id;
}

/** A request submitted and confirmed through the service layer, as a person does, then dated. */
async function request(recipient: string, dates: { dueOn: string; extendedDueOn?: string }, opts: { confirm?: boolean } = {}): Promise<RequestRecord> {
  people += 1;
  const email = `personne${people}@example.org`;
  personEmails.push(email);
  const answers: Answers = {
    kind: recipient === 'cnam' ? 'opposition' : 'acces',
    ...(recipient === 'cnam'
      ? { scope: 'snds' as const, nir: '295109912611193', insuranceScheme: 'cpam' as const }
      : { scope: 'responsable' as const, organisationId: recipient }),
    onBehalf: 'self',
    lastName: 'Durand',
    firstNames: 'Paule',
    birthDate: '1995-10-12',
    birthPlace: 'Lyon',
    nir: NIR,
    email,
    done: ['type', 'portee', 'pour-qui', 'identite', 'contact', 'details'],
  };
  const deps = requestDeps();
  const out = await submitDraft(deps, readDraft(deps, writeDraft(deps, undefined, answers))!, { lang: 'fr' });
  if (out.outcome !== 'created') throw new Error(out.outcome);
  const id = out.request.id;
  if (opts.confirm !== false) {
    await flushMail(t.deps);
    const confirmation = smtp.messages.find((m) => to(m) === email && m.subject === SUBJECT.confirm);
    if (!confirmation) throw new Error('no confirmation mail');
    expect(confirmRequest(deps, tokenOf(linkIn(confirmation, new URL('/demande/confirmer/', t.deps.config.publicUrl).href)))?.status).toBe('recue');
  }
  // The dates as the service stores them, the one that applies included (deadlines.ts applicableDueDate).
  updateRequest(db(), id, { receivedOn: '2026-03-20', dueOn: dates.dueOn, extendedDueOn: dates.extendedDueOn ?? '2026-06-22', answerDueOn: dates.dueOn });
  return requestById(db(), id)!;
}

function extend(r: RequestRecord, at: string) {
  addEvent(db(), { requestId: r.id, kind: 'extended', at, actor: 'organisation' });
  // As the status change applies it: the extension stored on the request, with the date it gives.
  updateRequest(db(), r.id, { status: 'prolongee', extendedAt: at, answerDueOn: requestById(db(), r.id)!.extendedDueOn });
}

const sentRows = (key: string) =>
  db()
    .select()
    .from(remindersSent)
    .all()
    .filter((r) => r.key === key)
    .map((r) => r.kind)
    .sort();
const about = (mails: ParsedMail[], r: RequestRecord) => mails.filter((m) => (m.text ?? '').includes(r.reference));
const staffLink = (r: RequestRecord) => new URL(`/espace-pro/demandes/${r.id}`, t.deps.config.publicUrl).href;

let a1: RequestRecord; // organisation A, due 20 April
let a2: RequestRecord; // organisation A, extended from the start: due 22 June
let a3: RequestRecord; // organisation A, extended on 18 April, after its D-10 and D-3
let withdrawn: RequestRecord;
let answered: RequestRecord;
let unconfirmed: RequestRecord;
let b1: RequestRecord; // organisation B: no DPO account
let c1: RequestRecord; // the CNAM (SNDS objection): its `cnam` users are its DPOs
let late: RequestRecord; // first seen 2 days before its due date
let dpoA: string;

beforeAll(async () => {
  smtp = await startSmtp();
  t = makeTestApp(env(), { now: () => clock });
  const now = clock.toISOString();
  upsertOrganisation(db(), { id: 'organisme-a', name: 'Organisme A' }, now);
  upsertOrganisation(db(), { id: 'organisme-b', name: 'Organisme B' }, now);
  upsertOrganisation(db(), { id: 'cnam', name: 'Caisse nationale de l’Assurance maladie' }, now);
  dpoA = staffUser(DPO_A, 'dpo', 'organisme-a');
  staffUser(FORMER_DPO_A, 'dpo', 'organisme-a', true);
  staffUser(CNAM, 'cnam', 'cnam');
  staffUser(EDITOR, 'editor', null);
  staffUser(ADMIN_USER, 'admin', null);

  a1 = await request('organisme-a', { dueOn: '2026-04-20' });
  a2 = await request('organisme-a', { dueOn: '2026-04-20', extendedDueOn: '2026-06-22' });
  extend(a2, '2026-03-25T10:00:00.000Z');
  a3 = await request('organisme-a', { dueOn: '2026-04-20', extendedDueOn: '2026-06-22' });
  withdrawn = await request('organisme-a', { dueOn: '2026-04-20' });
  expect(withdrawRequest(requestDeps(), withdrawn.id)).toBe(true);
  answered = await request('organisme-a', { dueOn: '2026-04-20' });
  updateRequest(db(), answered.id, { status: 'repondue' });
  unconfirmed = await request('organisme-a', { dueOn: '2026-04-20' }, { confirm: false });
  b1 = await request('organisme-b', { dueOn: '2026-04-20' });
  c1 = await request('cnam', { dueOn: '2026-04-20' });
  await flushMail(t.deps);
});

afterAll(async () => {
  t.close();
  await smtp.stop();
});

describe('ISO weeks', () => {
  it.each([
    ['2026-04-06', '2026-W15'],
    ['2026-04-12', '2026-W15'],
    ['2026-04-13', '2026-W16'],
    ['2026-01-01', '2026-W01'],
    ['2027-01-01', '2026-W53'],
    ['2024-12-30', '2025-W01'],
  ])('%s is in %s', (day, week) => {
    expect(isoWeek(day)).toBe(week);
  });
});

describe('reminders', () => {
  it('sends the weekly digest on Monday, listing the open requests of each organisation, once a week', async () => {
    const monday = await runOn('2026-04-06');
    expect(monday.counts).toEqual({ ...NONE, digest: 2 });
    expect(monday.mails.map(to).sort()).toEqual([DPO_A, CNAM].sort());
    const digest = monday.mails.find((m) => to(m) === DPO_A)!;
    expect(digest.subject).toBe(SUBJECT.digest);
    const text = digest.text ?? '';
    // Most urgent first; the extended request under its extended date; nothing final, withdrawn or unconfirmed.
    expect(text.indexOf(a1.reference)).toBeLessThan(text.indexOf(a2.reference));
    expect(text).toContain(`${a1.reference} – accès – reçue – réponse au plus tard le 20 avril 2026 (encore 14 jours)`);
    expect(text).toContain(`${a2.reference} – accès – délai prolongé – réponse au plus tard le 22 juin 2026 (encore 77 jours)`);
    expect(text).toContain(a3.reference);
    expect(text).toContain('Il y en a 3 en tout.');
    for (const r of [withdrawn, answered, unconfirmed, b1, c1]) expect(text).not.toContain(r.reference);
    expect(text).toContain(new URL('/espace-pro/demandes', t.deps.config.publicUrl).href);
    // One line per request in the HTML too.
    expect(digest.html).toContain(`<br>\n${a2.reference}`);
    expect(
      about(
        monday.mails.filter((m) => to(m) === CNAM),
        c1,
      ),
    ).toHaveLength(1);

    expect((await runOn('2026-04-06')).counts).toEqual(NONE);
    const thursday = await runOn('2026-04-09');
    expect(thursday.counts).toEqual(NONE);
    expect(thursday.mails).toEqual([]);
    expect(sentRows(dpoA)).toEqual(['digest:2026-W15']);
  });

  it('reminds the DPOs 10 days before the due date, once, and not on other days', async () => {
    const day = await runOn('2026-04-10');
    expect(day.counts).toEqual({ ...NONE, 'd-10': 3 });
    expect(day.mails.map((m) => [to(m), m.subject]).sort()).toEqual(
      [
        [DPO_A, SUBJECT.d10],
        [DPO_A, SUBJECT.d10],
        [CNAM, SUBJECT.d10],
      ].sort(),
    );
    const mail = about(day.mails, a1)[0]!;
    expect(to(mail)).toBe(DPO_A);
    expect(mail.text).toContain(
      `La demande ${a1.reference} (accès) adressée à votre organisme doit recevoir une réponse au plus tard le 20 avril 2026 (encore 10 jours).`,
    );
    expect(mail.text).toContain(staffLink(a1));
    expect(mail.html).toContain(`<a href="${staffLink(a1)}">`);
    expect(mail.messageId).toMatch(/^<reminder_d10\.[0-9a-f-]{36}@localhost>$/);
    expect(about(day.mails, a3)).toHaveLength(1);
    expect(about(day.mails, c1).map(to)).toEqual([CNAM]);

    expect((await runOn('2026-04-10')).counts).toEqual(NONE);
    for (const d of ['2026-04-11', '2026-04-12']) expect((await runOn(d)).mails).toEqual([]);
  });

  it('sends the digest again on the next Monday only', async () => {
    const monday = await runOn('2026-04-13');
    expect(monday.counts).toEqual({ ...NONE, digest: 2 });
    expect(monday.mails.every((m) => m.subject === SUBJECT.digest)).toBe(true);
    expect(about(monday.mails, a1)[0]!.text).toContain('(encore 7 jours)');
    expect((await runOn('2026-04-13')).counts).toEqual(NONE);
    for (const d of ['2026-04-14', '2026-04-15', '2026-04-16']) expect((await runOn(d)).mails).toEqual([]);
  });

  it('reminds the DPOs 3 days before, once, and nothing is sent twice after a restart on the same data', async () => {
    const day = await runOn('2026-04-17');
    expect(day.counts).toEqual({ ...NONE, 'd-3': 3 });
    expect(day.mails.every((m) => m.subject === SUBJECT.d3)).toBe(true);
    expect(about(day.mails, a1)[0]!.text).toContain('au plus tard le 20 avril 2026 (encore 3 jours)');
    expect((await runOn('2026-04-17')).counts).toEqual(NONE);

    // A restart: the process ends, a new one opens the same data directory.
    const dataDir = t.dataDir;
    await t.deliveryWorker.stop();
    t.deps.mailWorker.stop();
    t.deps.mailer.close();
    t.deps.database.close();
    t = makeTestApp(env(), { now: () => clock }, { dataDir });
    const after = await runOn('2026-04-17');
    expect(after.counts).toEqual(NONE);
    expect(after.mails).toEqual([]);
    // Nor does an earlier day bring back the D-10 once the D-3 went.
    expect((await runOn('2026-04-10')).counts).toEqual(NONE);
  });

  it('counts down to the extended due date once the request is extended', async () => {
    extend(a3, '2026-04-18T09:00:00.000Z');
    expect((await runOn('2026-04-18')).counts).toEqual(NONE);
    expect((await runOn('2026-04-19')).counts).toEqual(NONE);
  });

  it('sends nothing on the due date itself but the Monday digest', async () => {
    const due = await runOn('2026-04-20');
    expect(due.counts).toEqual({ ...NONE, digest: 2 });
    expect(about(due.mails, a1)[0]!.text).toContain('(c’est aujourd’hui le dernier jour)');
  });

  it('the day after: the DPOs are told it is overdue and the administrators get the escalation, once', async () => {
    const day = await runOn('2026-04-21');
    expect(day.counts).toEqual({ ...NONE, 'd+1': 2, escalation: 3 });
    const overdue = day.mails.filter((m) => m.subject === SUBJECT.overdue);
    expect(overdue.map((m) => [to(m), about([m], a1).length + about([m], c1).length]).sort()).toEqual([
      [CNAM, 1],
      [DPO_A, 1],
    ]);
    expect(about(overdue, a1)[0]!.text).toContain(`Le délai pour répondre à la demande ${a1.reference} (accès) a expiré le 20 avril 2026.`);

    const escalations = day.mails.filter((m) => m.subject === SUBJECT.escalation);
    // The active administrators and the addresses of ADMIN_EMAILS, for each overdue request.
    expect(escalations.map(to).sort()).toEqual([ADMIN_CONFIG, ADMIN_CONFIG, ADMIN_CONFIG, ADMIN_USER, ADMIN_USER, ADMIN_USER].sort());
    const forA1 = about(escalations, a1)[0]!.text ?? '';
    expect(forA1).toContain(`La demande ${a1.reference} (accès) adressée à l’Organisme A n’a pas reçu de réponse : le délai a expiré le 20 avril 2026.`);
    expect(forA1).toContain('ont reçu un rappel');
    expect(forA1).toContain(staffLink(a1));
    // Organisation B has no DPO account: it got nothing by this path, and the administrators are told.
    expect(about(escalations, b1)[0]!.text).toContain('L’organisme n’a aucun compte actif de délégué à la protection des données');
    expect(smtp.messages.filter((m) => about([m], b1).length > 0 && m.subject !== SUBJECT.escalation && m.subject !== SUBJECT.confirm)).toEqual([]);
    expect(about(escalations, c1)[0]!.text).toContain('(opposition) adressée à la Caisse nationale de l’Assurance maladie');

    expect((await runOn('2026-04-21')).counts).toEqual(NONE);
    expect((await runOn('2026-04-22')).counts).toEqual(NONE);
    expect(sentRows(a1.id)).toEqual(['d+1', 'd-10', 'd-3', 'escalation']);
    expect(sentRows(b1.id)).toEqual(['escalation']);
  });

  it('after downtime, catches up with the most urgent reminder only', async () => {
    clock = new Date('2026-04-22T10:00:00Z');
    late = await request('organisme-a', { dueOn: '2026-04-24' });
    const day = await runOn('2026-04-22');
    expect(day.counts).toEqual({ ...NONE, 'd-3': 1 });
    expect(about(day.mails, late).map((m) => m.subject)).toEqual([SUBJECT.d3]);
    expect(about(day.mails, late)[0]!.text).toContain('(encore 2 jours)');
    // Down on the 25th: the 26th sends the day-after reminder and the escalation.
    const back = await runOn('2026-04-26');
    expect(back.counts).toEqual({ ...NONE, 'd+1': 1, escalation: 1 });
    expect(about(back.mails, late)[0]!.text).toContain(`a expiré le 24 avril 2026`);
    expect(sentRows(late.id)).toEqual(['d+1', 'd-3', 'escalation']);
  });

  it('reminds extended requests before their extended due date, including one extended after its first reminders', async () => {
    expect((await runOn('2026-06-11')).counts).toEqual({ ...NONE, digest: 2 });
    const d10 = await runOn('2026-06-12');
    expect(d10.counts).toEqual({ ...NONE, 'd-10': 2 });
    for (const r of [a2, a3]) {
      const mail = about(d10.mails, r)[0]!;
      expect(mail.subject).toBe(SUBJECT.d10);
      expect(mail.text).toContain('au plus tard le 22 juin 2026 (encore 10 jours)');
    }
    expect((await runOn('2026-06-12')).counts).toEqual(NONE);
    expect((await runOn('2026-06-19')).counts).toEqual({ ...NONE, 'd-3': 2, digest: 2 });
    expect((await runOn('2026-06-22')).counts).toEqual({ ...NONE, digest: 2 });
    const overdue = await runOn('2026-06-23');
    expect(overdue.counts).toEqual({ ...NONE, 'd+1': 2, escalation: 2 });
    expect(
      about(overdue.mails, a2)
        .map((m) => m.subject)
        .sort(),
    ).toEqual([SUBJECT.overdue, SUBJECT.escalation, SUBJECT.escalation].sort());
    expect((await runOn('2026-06-23')).counts).toEqual(NONE);
    expect(sentRows(a3.id)).toEqual(['d+1', 'd-10', 'd-3', 'escalation']);
  });

  it('sends nothing about final, withdrawn or unconfirmed requests, and nothing to disabled or other staff', () => {
    for (const r of [withdrawn, answered, unconfirmed]) {
      expect(sentRows(r.id)).toEqual([]);
      // The confirmation, and the DPO's notice that the person withdrew (issue 11), are not reminders.
      expect(
        smtp.messages.filter((m) => about([m], r).length > 0 && m.subject !== SUBJECT.confirm && m.subject !== 'Une demande a été retirée par la personne'),
      ).toEqual([]);
    }
    expect(smtp.messages.filter((m) => [FORMER_DPO_A, EDITOR].includes(to(m)))).toEqual([]);
  });

  it('puts no personal data of the requester in any mail to staff', () => {
    const staff = smtp.messages.filter((m) => [DPO_A, CNAM, ADMIN_USER, ADMIN_CONFIG].includes(to(m)));
    expect(staff.length).toBeGreaterThan(30);
    for (const m of staff) {
      const all = `${m.subject}\n${m.text}\n${typeof m.html === 'string' ? m.html : ''}`;
      for (const secret of ['Durand', 'Paule', 'Lyon', '1995', NIR, ...personEmails]) expect(all).not.toContain(secret);
    }
  });
});
