/**
 * Reports of an error on a project's record ("Signaler une erreur sur cette fiche"): what a report may
 * hold, its statuses in the editors' queue, and what a change of status entails.
 *
 * Data minimisation and storage limitation (GDPR art. 5(1)(c) and (e)): the e-mail address is optional,
 * only kept to say the report was handled, and erased as soon as it is handled or rejected; the mail
 * that says so keeps it only until it is sent (server/services/mail-outbox.ts).
 */

export const RECORD_REPORT_STATUSES = ['nouveau', 'en_cours', 'traite', 'rejete'] as const;
export type RecordReportStatus = (typeof RECORD_REPORT_STATUSES)[number];

/** The statuses that end a report: the person is told, the address erased. */
export const FINAL_REPORT_STATUSES: readonly RecordReportStatus[] = ['traite', 'rejete'];
/** The editors' queue by default: what is still to do. */
export const OPEN_REPORT_STATUSES: readonly RecordReportStatus[] = ['nouveau', 'en_cours'];

/** The longest description of the error a person may send (characters, as shown). */
export const REPORT_MESSAGE_MAX = 2000;
/** RFC 5321 §4.5.3.1.3: a path (the address) is at most 256 octets, so an address at most 254 characters. */
export const REPORT_EMAIL_MAX = 254;

export const isRecordReportStatus = (v: unknown): v is RecordReportStatus => typeof v === 'string' && (RECORD_REPORT_STATUSES as readonly string[]).includes(v);

export type StatusChange = {
  /** The mail template that tells the person, when they left an address and the report just ended. */
  mail: 'record_report_handled' | 'record_report_rejected' | null;
  /** Whether the address is erased now (the report ended: GDPR art. 5(1)(e)). */
  eraseAddress: boolean;
  /** Whether this change ends the report (its handled date is set). */
  ends: boolean;
};

/**
 * What moving a report from `from` to `to` entails. Any status may follow any other (an editor may reopen
 * a report); the person is told once, when the report first ends while an address is still held.
 */
export function statusChange(from: RecordReportStatus, to: RecordReportStatus, hasAddress: boolean): StatusChange {
  const ends = FINAL_REPORT_STATUSES.includes(to) && !FINAL_REPORT_STATUSES.includes(from);
  const mail = ends && hasAddress ? (to === 'traite' ? 'record_report_handled' : 'record_report_rejected') : null;
  return { mail, eraseAddress: FINAL_REPORT_STATUSES.includes(to) && hasAddress, ends };
}
