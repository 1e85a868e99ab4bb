/**
 * Reports of an error on a project's record: the public form's checks and the report it stores (what the
 * person wrote and their optional address, both encrypted), then the editors' queue: the reports by status,
 * one report, and a change of status, audited in the same transaction as the change. When a report ends
 * (handled or rejected) and the person left an address, the mail that tells them is queued in that
 * transaction too (the mail outbox), in their language, and the address is erased from the report
 * (server/domain/record-reports.ts: GDPR art. 5(1)(c) and (e)).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recordReportEmailContext, recordReportMessageContext } from '../crypto/contexts';
import type { FieldCipher } from '../crypto/fields';
import type { Db } from '../db/client';
import { projectRows } from '../db/register';
import {
  insertRecordReport,
  recordReportById,
  recordReportCounts,
  recordReportPage,
  updateRecordReportStatus,
  type RecordReportRecord,
} from '../db/record-reports';
import { zodErrors, type FieldError } from '../domain/form-errors';
import { hasForbiddenCharacters, normalizeLine, normalizeMultiline } from '../domain/plain-text';
import {
  FINAL_REPORT_STATUSES,
  OPEN_REPORT_STATUSES,
  REPORT_EMAIL_MAX,
  REPORT_MESSAGE_MAX,
  RECORD_REPORT_STATUSES,
  statusChange,
  type RecordReportStatus,
} from '../domain/record-reports';
import type { Lang } from '../i18n';
import { inTransaction, type AdminDeps, type Outcome } from './admin-outcome';
import { enqueueMail } from './mail-outbox';

export type RecordReportDeps = { db: Db; cipher: FieldCipher; now: () => Date };

/** The same check of an address as the request form's (server/services/request-form.ts). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const key = (k: string) => `record-reports:errors.${k}`;

/** The public form: what is wrong (required, plain text, bounded) and, optionally, an address. */
export const reportSchema = z.object({
  message: z.preprocess(
    (v) => (typeof v === 'string' ? normalizeMultiline(v) : ''),
    z
      .string()
      .min(1, 'message.required')
      .max(REPORT_MESSAGE_MAX, 'message.tooLong')
      .refine((v) => !hasForbiddenCharacters(v), 'message.invisible'),
  ),
  email: z.preprocess(
    (v) => (typeof v === 'string' && normalizeLine(v) !== '' ? normalizeLine(v) : undefined),
    z
      .string()
      .max(REPORT_EMAIL_MAX, 'email.tooLong')
      .refine((v) => !hasForbiddenCharacters(v) && EMAIL.test(v), 'email.invalid')
      .optional(),
  ),
});
export type ReportInput = z.infer<typeof reportSchema>;

/** Checks the form; the errors name their field with a full locale key (a text too long says by how much). */
export function checkReport(body: Record<string, unknown>): { ok: true; input: ReportInput } | { ok: false; errors: FieldError[] } {
  const parsed = reportSchema.safeParse(body);
  if (parsed.success) return { ok: true, input: parsed.data };
  return { ok: false, errors: zodErrors(parsed.error, { key: (_field, message) => key(message), body }) };
}

/** The project a report is about, as the form shows it; undefined when there is none. */
export function reportedProject(db: Db, projectId: string): { id: string; title: string } | undefined {
  const row = projectRows(db, [projectId])[0];
  return row ? { id: row.id!, title: row.titre_clair! } : undefined;
}

/** Stores a report, new in the editors' queue; what the person wrote and their address encrypted. */
export function submitRecordReport(deps: RecordReportDeps, projectId: string, input: ReportInput, lang: Lang): string {
  const id = randomUUID();
  const nowIso = deps.now().toISOString();
  insertRecordReport(deps.db, {
    id,
    projectId,
    messageEnc: deps.cipher.encrypt(input.message, recordReportMessageContext(id)),
    emailEnc: input.email ? deps.cipher.encrypt(input.email, recordReportEmailContext(id)) : null,
    lang,
    status: 'nouveau',
    createdAt: nowIso,
    updatedAt: nowIso,
  });
  return id;
}

/** A report as the editors read it: what was written, never the address (only whether there is one). */
export type RecordReportView = {
  id: string;
  projectId: string;
  projectTitle: string;
  message: string;
  hasAddress: boolean;
  status: RecordReportStatus;
  createdAt: string;
  updatedAt: string;
  handledAt: string | null;
};

function reportView(deps: Pick<RecordReportDeps, 'cipher'>, r: { report: RecordReportRecord; projectTitle: string }): RecordReportView {
  const { report } = r;
  return {
    id: report.id,
    projectId: report.projectId,
    projectTitle: r.projectTitle,
    message: deps.cipher.decrypt(report.messageEnc, recordReportMessageContext(report.id)),
    hasAddress: report.emailEnc !== null,
    status: report.status,
    createdAt: report.createdAt,
    updatedAt: report.updatedAt,
    handledAt: report.handledAt,
  };
}

/** Which reports the queue lists: `ouverts` (new and in progress, the default), one status, or `tous`. */
export const QUEUE_FILTERS = ['ouverts', ...RECORD_REPORT_STATUSES, 'tous'] as const;
export type QueueFilter = (typeof QUEUE_FILTERS)[number];
export const QUEUE_PAGE_SIZE = 50;

const statusesOf = (filter: QueueFilter): readonly RecordReportStatus[] =>
  filter === 'ouverts' ? OPEN_REPORT_STATUSES : filter === 'tous' ? RECORD_REPORT_STATUSES : [filter];

/** One page of the editors' queue, with the count of every status. */
export function recordReportQueue(deps: RecordReportDeps, filter: QueueFilter, page: number) {
  const { total, rows } = recordReportPage(deps.db, statusesOf(filter), QUEUE_PAGE_SIZE, (page - 1) * QUEUE_PAGE_SIZE);
  return { total, pages: Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE)), reports: rows.map((r) => reportView(deps, r)), counts: recordReportCounts(deps.db) };
}

export function recordReport(deps: RecordReportDeps, id: string): RecordReportView | undefined {
  const found = recordReportById(deps.db, id);
  return found ? reportView(deps, found) : undefined;
}

const fail = <T>(k: string): Outcome<T> => ({ ok: false, errors: [{ field: 'status', key: key(k) }] });

/**
 * Moves a report to `to`, in one transaction with its audit entry (the statuses and whether a mail was
 * queued: never the address nor the text) and, when it ends with an address held, the mail to the person
 * and the erasure of the address. `kickMail` after the commit.
 */
export function changeRecordReportStatus(
  deps: AdminDeps,
  actor: string,
  id: string,
  to: RecordReportStatus,
): Outcome<{ mailed: boolean; status: RecordReportStatus }> {
  return inTransaction(deps, (tx) => {
    const found = recordReportById(tx.db, id);
    if (!found) return fail('report.missing');
    const { report } = found;
    if (report.status === to) return fail('status.same');
    const change = statusChange(report.status, to, report.emailEnc !== null);
    const now = tx.now();
    const nowIso = now.toISOString();
    // A report reopened loses its handled date; one going from handled to rejected (or back) keeps it.
    const handledAt = change.ends ? nowIso : FINAL_REPORT_STATUSES.includes(to) ? report.handledAt : null;
    if (!updateRecordReportStatus(tx.db, id, report.status, { status: to, updatedAt: nowIso, handledAt, eraseEmail: change.eraseAddress }))
      return fail('status.moved');
    if (change.mail) {
      enqueueMail(tx.db, tx.cipher, {
        template: change.mail,
        vars: { projectTitle: found.projectTitle, projectUrl: new URL(`/projets/${report.projectId}`, deps.config.publicUrl).href },
        now,
        recipient: tx.cipher.decrypt(report.emailEnc!, recordReportEmailContext(id)),
        lang: report.lang,
      });
    }
    tx.audit(
      actor,
      'record_report.status',
      { type: 'record_report', id },
      { project: report.projectId, from: report.status, to, mailed: change.mail !== null },
    );
    return { ok: true, value: { mailed: change.mail !== null, status: to } };
  });
}
