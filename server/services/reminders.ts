/**
 * Reminder mails to staff: to the organisation's DPOs 10 and 3 days before a request's due
 * date and the day after it, a weekly digest of their open requests, and an escalation to the
 * administrators once a request is overdue.
 *
 * Each reminder goes once: its row in reminders_sent is written in the transaction that queues its
 * mails in the outbox, so a crash either keeps both or neither, and a restart finds the row and sends
 * nothing again; the outbox row id makes the Message-ID stable should the mail itself be retried.
 * A run catches up after downtime, but sends only the most urgent reminder still missing (never the
 * D-10 when the D-3 is already due). Mails carry no personal data of the requester:
 * reference, kind, status, dates and a link to the back office only.
 *
 * server/worker/reminders.ts runs this on a timer.
 */
import type { Db } from '../db/client';
import { awaitedRequestsDueBy, awaitedRequestsOf, claimReminder, remindersOf, type OpenRequest } from '../db/reminders';
import { organisationName } from '../db/requests';
import { activeUsersWithRole, type UserRecord } from '../db/staff';
import { addDays, daysBetween, todayIn } from '../domain/deadlines';
import { OPEN_STATUSES, type Status } from '../domain/rights-request';
import { translatorFor, type Translator } from '../i18n';
import { enqueueMail } from './mail-outbox';
import { organisationStaffEmails, staffEmail, uniqueAddresses } from './staff-recipients';
import type { RequestDeps } from './rights-requests';
import { CNAM_ID } from '../domain/routing';

export type ReminderDeps = Pick<RequestDeps, 'db' | 'cipher' | 'config' | 'logger' | 'now' | 'i18n' | 'kickMail'>;

/** Reminders sent by a run, per kind (one per request, or per user for the digest, whatever the number of recipients). */
export type ReminderCounts = { 'd-10': number; 'd-3': number; 'd+1': number; escalation: number; digest: number };

type DpoKind = 'd-10' | 'd-3' | 'd+1';

/** What the organisation still owes an answer to: neither final nor unconfirmed (an unconfirmed request was never forwarded). */
const AWAITED: readonly Status[] = OPEN_STATUSES;
const TEMPLATE: Record<DpoKind, string> = { 'd-10': 'reminder_d10', 'd-3': 'reminder_d3', 'd+1': 'reminder_overdue' };
/** From the most urgent: a run sends the first one due and never a less urgent one after it. */
const URGENCY: readonly DpoKind[] = ['d+1', 'd-3', 'd-10'];
/** Lines listed in a digest; the queue in the back office has the rest. */
const DIGEST_LINES = 50;
/** Transactions of at most this many reminders, so a catch-up never holds the write lock long. */
const BATCH = 100;

/** Mails to staff are rendered in French, the service's language (deliverDueMails): the words put in variables are too. */
const STAFF_LANG = 'fr';

/** The ISO 8601 week of a calendar date, `YYYY-Www`: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeek(date: string): string {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  const thursday = addDays(date, 3 - weekday);
  const year = thursday.slice(0, 4);
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The DPO reminder due today for a request, if any: D-10 from 10 days before, D-3 from 3 days before, D+1 once overdue. */
export function dueReminder(today: string, due: string): DpoKind | undefined {
  const left = daysBetween(today, due);
  if (left < 0) return 'd+1';
  if (left <= 3) return 'd-3';
  if (left <= 10) return 'd-10';
  return undefined;
}

type Job = {
  key: string;
  kind: string;
  supersededBefore: string | null;
  count?: keyof ReminderCounts;
  mails: { requestId: string; template: string; vars: Record<string, string | number>; recipient: string }[];
};

type Words = {
  tr: Translator;
  today: string;
  recipients: ReturnType<typeof staffRecipients>;
  requestLink: (id: string) => string;
  left: (due: string) => string;
  kindLabel: (kind: string) => string;
};

/** Queues every reminder due at `now`; returns how many of each kind were sent. */
export async function runReminders(deps: ReminderDeps, now: Date = deps.now()): Promise<ReminderCounts> {
  const today = todayIn(now);
  const tr = translatorFor(deps.i18n, STAFF_LANG);
  const words: Words = {
    tr,
    today,
    recipients: staffRecipients(deps),
    requestLink: (id) => new URL(`/espace-pro/demandes/${encodeURIComponent(id)}`, deps.config.publicUrl).href,
    left: (due) => daysLeft(tr, daysBetween(today, due)),
    kindLabel: (kind) => tr.t(`connectors:kinds.${kind}`),
  };
  const jobs = [...requestReminderJobs(deps, words), ...digestJobs(deps, words)];
  const counts = await claimAndQueue(deps, jobs, now);
  if (jobs.some((j) => j.mails.length > 0)) deps.kickMail();
  return counts;
}

/** Reminders about one request: the DPOs' countdown, and the administrators once it is overdue. */
function requestReminderJobs(deps: ReminderDeps, { tr, today, recipients, requestLink, left, kindLabel }: Words): Job[] {
  const jobs: Job[] = [];
  const candidates = awaitedRequestsDueBy(deps.db, AWAITED, addDays(today, 10));
  const sent = remindersOf(
    deps.db,
    candidates.map((r) => r.id),
  );
  for (const request of candidates) {
    const kinds = sent.get(request.id);
    // A reminder sent before the extension counted down to the old due date: it no longer counts.
    const current = (kind: string) => {
      const at = kinds?.get(kind);
      return at !== undefined && (request.extendedAt === null || at >= request.extendedAt);
    };
    const kind = dueReminder(today, request.due);
    if (!kind) continue;
    const dpos = recipients.dpos(request.organisationId);
    if (!URGENCY.slice(0, URGENCY.indexOf(kind) + 1).some(current) && dpos.length > 0) {
      // The date that applies, and which period it closes (GDPR art. 12(3)): the first month, or the extension.
      const period = tr.t(request.extendedAt ? 'mail:reminder_words.periodExtended' : 'mail:reminder_words.periodFirst');
      const vars = {
        reference: request.reference,
        kind: kindLabel(request.kind),
        due: request.due,
        left: left(request.due),
        link: requestLink(request.id),
        period,
      };
      jobs.push({
        key: request.id,
        kind,
        supersededBefore: request.extendedAt,
        count: kind,
        mails: dpos.map((to) => ({ requestId: request.id, template: TEMPLATE[kind], vars, recipient: to })),
      });
    }
    const admins = recipients.admins();
    if (kind === 'd+1' && !current('escalation') && admins.length > 0) {
      const vars = {
        reference: request.reference,
        kind: kindLabel(request.kind),
        organisation: recipients.organisationName(request.organisationId),
        due: request.due,
        link: requestLink(request.id),
        // An organisation without a DPO account gets no reminder by this path (its channel had the request): the administrators are told.
        dpo: tr.t(dpos.length > 0 ? 'mail:reminder_words.dpoReminded' : 'mail:reminder_words.noDpo'),
      };
      jobs.push({
        key: request.id,
        kind: 'escalation',
        supersededBefore: request.extendedAt,
        count: 'escalation',
        mails: admins.map((to) => ({ requestId: request.id, template: 'escalation_overdue', vars, recipient: to })),
      });
    }
  }
  return jobs;
}

/** The weekly digest: the first run of each ISO week (Monday, or later after downtime), once per user. */
function digestJobs(deps: ReminderDeps, { tr, today, recipients, left, kindLabel }: Words): Job[] {
  const jobs: Job[] = [];
  const week = `digest:${isoWeek(today)}`;
  const staff = recipients.organisationStaff();
  const weekSent = remindersOf(
    deps.db,
    staff.map((s) => s.user.id),
  );
  const lists = new Map<string, { total: number; requests: OpenRequest[] }>();
  for (const { user, organisationId, email } of staff) {
    if (weekSent.get(user.id)?.has(week)) continue;
    let list = lists.get(organisationId);
    if (!list) lists.set(organisationId, (list = awaitedRequestsOf(deps.db, AWAITED, organisationId, DIGEST_LINES)));
    // Nothing open: the week is recorded without a mail (an empty digest tells nothing).
    const first = list.requests[0];
    if (!first) {
      jobs.push({ key: user.id, kind: week, supersededBefore: null, mails: [] });
      continue;
    }
    const lines = list.requests.map((r) =>
      tr.t('mail:reminder_words.line', {
        reference: r.reference,
        kind: kindLabel(r.kind),
        status: tr.t(`mail:reminder_words.statuses.${r.status}`),
        date: tr.date(r.due),
        left: left(r.due),
      }),
    );
    if (list.total > list.requests.length) lines.push(tr.t('mail:reminder_words.more', { count: list.total - list.requests.length }));
    // An outbox row belongs to a request: the digest is filed under the most urgent one it lists.
    const vars = { total: list.total, lines: lines.join('\n'), link: new URL('/espace-pro/demandes', deps.config.publicUrl).href };
    jobs.push({
      key: user.id,
      kind: week,
      supersededBefore: null,
      count: 'digest',
      mails: [{ requestId: first.id, template: 'weekly_digest', vars, recipient: email }],
    });
  }
  return jobs;
}

/** Claims each job and queues its mails, in batches of immediate transactions (yielding between them). */
async function claimAndQueue(deps: ReminderDeps, jobs: Job[], now: Date): Promise<ReminderCounts> {
  const counts: ReminderCounts = { 'd-10': 0, 'd-3': 0, 'd+1': 0, escalation: 0, digest: 0 };
  const nowIso = now.toISOString();
  for (let i = 0; i < jobs.length; i += BATCH) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    deps.db.transaction(
      (tx) => {
        const db: Db = tx;
        for (const job of jobs.slice(i, i + BATCH)) {
          // Another run (a second process) may have sent it in between: the claim decides.
          if (!claimReminder(db, job.key, job.kind, nowIso, job.supersededBefore)) continue;
          for (const mail of job.mails) enqueueMail(db, deps.cipher, { ...mail, now });
          if (job.count) counts[job.count] += 1;
        }
      },
      { behavior: 'immediate' },
    );
  }
  return counts;
}

function daysLeft(tr: Translator, left: number): string {
  if (left > 0) return tr.t('mail:reminder_words.daysLeft', { count: left });
  if (left === 0) return tr.t('mail:reminder_words.dueToday');
  return tr.t('mail:reminder_words.overdue', { count: -left });
}

/**
 * Who gets the reminders, read once per run: the active DPOs of each organisation (the active `cnam`
 * users for the CNAM), and the administrators (active `admin` users and ADMIN_EMAILS).
 */
function staffRecipients(deps: ReminderDeps) {
  const emailOf = (user: UserRecord) => staffEmail(deps, user);
  // One mail per address, even when an administrator's address is also in ADMIN_EMAILS.
  const unique = uniqueAddresses;
  const dpos = new Map<string, string[]>();
  const names = new Map<string, string>();
  let admins: string[] | undefined;
  return {
    dpos(organisationId: string): string[] {
      let list = dpos.get(organisationId);
      if (!list) dpos.set(organisationId, (list = organisationStaffEmails(deps, organisationId)));
      return list;
    },
    admins(): string[] {
      admins ??= unique([...activeUsersWithRole(deps.db, 'admin').map(emailOf), ...deps.config.adminEmails]);
      return admins;
    },
    organisationName(id: string): string {
      let name = names.get(id);
      if (name === undefined) names.set(id, (name = organisationName(deps.db, id) ?? id));
      return name;
    },
    /** Every active DPO and CNAM user with their organisation and address. */
    organisationStaff(): { user: UserRecord; organisationId: string; email: string }[] {
      return [...activeUsersWithRole(deps.db, 'dpo'), ...activeUsersWithRole(deps.db, 'cnam')].flatMap((user) => {
        const organisationId = user.role === 'cnam' ? CNAM_ID : user.organisationId;
        const email = organisationId ? emailOf(user) : undefined;
        return organisationId && email ? [{ user, organisationId, email }] : [];
      });
    },
  };
}
