/**
 * The actions that answer the person from the back office: acknowledge, ask for a
 * clarification, extend, answer (with a document), close. They go through the same status machine and
 * the same code as a recipient's signed callback (applyRecipientUpdate): the request changes, the
 * timeline gets the step, the person gets the mail and sees it on the tracking page. The document and
 * the audit entry are written in the same transaction. Refusals are returned, never thrown.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/client';
import type { RequestRecord } from '../db/requests';
import type { UserRecord } from '../db/staff';
import { todayIn } from '../domain/deadlines';
import { zodErrors, type FieldError } from '../domain/form-errors';
import { checkDocument, type UploadedDocument } from '../domain/document-types';
import { REFUSAL_CODES, type StatusUpdate } from '../domain/status-updates';
import { hasForbiddenCharacters, normalizeMultiline } from '../domain/plain-text';
import type { Status } from '../domain/rights-request';
import { MAX_MESSAGE_CHARS, STAFF_ACTIONS, staffActionAvailability, type StaffAction } from '../domain/status-machine';
import { appendAudit, auditKey } from './audit';
import { applyRecipientUpdate, type UpdateOutcome } from './status-updates';
import { storeDocument } from './staff-documents';
import { mayAct, type Audit, type StaffDeps } from './staff-scope';

type ActionName = StaffAction;

/** An error to show: the field (for the summary's link) and the i18n key of its message. */
/** A refusal as a form error: a full key under `staff-requests:errors` (server/domain/form-errors.ts). */
export type ActionError = FieldError;

const actionKey = (key: string) => `staff-requests:errors.${key}`;
/** `forbidden`: this user may see the request but not act on it (mayAct). */
export type ActionResult = { ok: true; status: Status } | { ok: false; errors: ActionError[]; forbidden?: true };

/** A message to the person: required, plain text that shows as typed (server/domain/plain-text.ts), not too long. */
const text = (key: string) =>
  z
    .string({ required_error: key, invalid_type_error: key })
    .transform(normalizeMultiline)
    .refine((v) => v.length > 0, key)
    .refine((v) => !hasForbiddenCharacters(v), key.replace(/required$/, 'control'))
    .refine((v) => [...v].length <= MAX_MESSAGE_CHARS, `${key.replace(/required$/, 'tooLong')}`);

const ACTION_SCHEMAS = {
  accuser: z.object({}),
  cloturer: z.object({}),
  precision: z.object({ question: text('question.required') }),
  prolonger: z.object({ reason: text('reason.required') }),
  repondre: z
    .object({
      outcome: z.enum(['granted', 'partial', 'refused'], { errorMap: () => ({ message: 'outcome.required' }) }),
      reasonCode: z.string().optional(),
      message: text('message.required'),
    })
    .superRefine((v, ctx) => {
      // GDPR art. 12(4): a refusal gives its reasons.
      if (v.outcome !== 'refused') return;
      if (!v.reasonCode) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['reasonCode'], message: 'reasonCode.required' });
      else if (!(REFUSAL_CODES as readonly string[]).includes(v.reasonCode))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['reasonCode'], message: 'reasonCode.unknown' });
    }),
};

const AUDIT_FOR: Record<ActionName, string> = {
  accuser: 'requests.acknowledge',
  precision: 'requests.clarify',
  prolonger: 'requests.extend',
  repondre: 'requests.answer',
  cloturer: 'requests.close',
};

/** Where each refusal of the status machine shows: the field it concerns and its message. */
function machineError(action: ActionName, error: Extract<UpdateOutcome, { ok: false }>['error'], request: RequestRecord): ActionError {
  switch (error) {
    case 'extension_after_first_month':
      return { field: 'prolonger', key: actionKey('extend.firstMonthOver'), values: { date: request.dueOn ?? '' } };
    case 'already_extended':
      return { field: 'prolonger', key: actionKey('extend.alreadyExtended') };
    case 'message_required':
      return {
        field: action === 'precision' ? 'question' : action === 'prolonger' ? 'reason' : 'message',
        key: actionKey(`${action === 'precision' ? 'question' : action === 'prolonger' ? 'reason' : 'message'}.required`),
      };
    case 'message_too_long':
      return {
        field: action === 'precision' ? 'question' : action === 'prolonger' ? 'reason' : 'message',
        key: actionKey(`${action === 'precision' ? 'question' : action === 'prolonger' ? 'reason' : 'message'}.tooLong`),
      };
    case 'reason_code_required':
      return { field: 'reasonCode', key: actionKey('reasonCode.required') };
    case 'unknown_reason_code':
      return { field: 'reasonCode', key: actionKey('reasonCode.unknown') };
    case 'outcome_required':
      return { field: 'outcome', key: actionKey('outcome.required') };
    default:
      // The request moved on since the page was shown (another member of staff, a callback, the person).
      return { field: 'actions', key: actionKey('action.notNow') };
  }
}

/**
 * Validates and applies one action. On success the request, its timeline, the person's mail, the
 * document and the audit entry are committed together.
 */
export function performStaffAction(
  deps: StaffDeps & { audit: Audit },
  staff: { userId: string; role: UserRecord['role']; organisationId: string | null },
  request: RequestRecord,
  action: ActionName,
  body: Record<string, unknown>,
  document: UploadedDocument = null,
): ActionResult {
  // Seeing a request is not answering it: refused before anything is read, and written to the audit log.
  if (!mayAct(staff, request)) {
    deps.audit(`user:${staff.userId}`, 'access.refused', { type: 'request', id: request.id }, { role: staff.role, action });
    return { ok: false, forbidden: true, errors: [{ field: 'actions', key: actionKey('action.notYours') }] };
  }
  // First whether the action is possible at all (GDPR art. 12(3) for the extension), then its fields.
  const availability = staffActionAvailability({ status: request.status, dueOn: request.dueOn, extended: request.extendedAt !== null }, todayIn(deps.now()))[
    action
  ];
  if (!availability.ok) {
    if (availability.reason === 'first_month_over') return { ok: false, errors: [machineError(action, 'extension_after_first_month', request)] };
    if (availability.reason === 'already_extended') return { ok: false, errors: [machineError(action, 'already_extended', request)] };
    return { ok: false, errors: [machineError(action, 'transition_not_allowed', request)] };
  }
  const parsed = ACTION_SCHEMAS[action].safeParse(body);
  const errors: ActionError[] = parsed.success ? [] : zodErrors(parsed.error, { key: (_field, message) => actionKey(message), fallbackField: 'actions' });
  let checked: ReturnType<typeof checkDocument> | undefined;
  if (action === 'repondre' && document) {
    checked = checkDocument(document);
    if (!checked.ok) errors.push({ field: 'document', key: actionKey(checked.key) });
  }
  if (!parsed.success || errors.length > 0) return { ok: false, errors: dedupe(errors) };
  const data = parsed.data as { question?: string; reason?: string; message?: string; outcome?: 'granted' | 'partial' | 'refused'; reasonCode?: string };

  const type = action === 'repondre' && data.outcome === 'refused' ? 'refused' : STAFF_ACTIONS[action];
  const update: StatusUpdate = {
    id: randomUUID(),
    request: request.id,
    type,
    ...(data.question ? { message: data.question } : {}),
    ...(data.reason ? { message: data.reason } : {}),
    ...(data.message ? { message: data.message } : {}),
    ...(type === 'refused' ? { reason_code: data.reasonCode as StatusUpdate['reason_code'] } : {}),
    ...(type === 'answered' ? { outcome: data.outcome as 'granted' | 'partial' } : {}),
  };
  if (!request.organisationId) return { ok: false, errors: [{ field: 'actions', key: actionKey('action.notNow') }] };
  const organisationId = request.organisationId;

  // One instant for the step and its document; the document is linked to the step by the step's id.
  const at = deps.now();
  const fixed = { ...deps, now: () => at };
  const stored =
    document && checked?.ok ? { id: randomUUID(), bytes: document.bytes, filename: checked.filename, contentType: checked.contentType } : undefined;
  const actor = `user:${staff.userId}`;
  return deps.db.transaction(
    (db) => {
      const outcome = applyRecipientUpdate({ ...fixed, db }, organisationId, update, actor);
      if (!outcome.ok) return { ok: false, errors: [machineError(action, outcome.error, request)] };
      if (stored) {
        storeDocument({ db, cipher: deps.cipher }, { ...stored, requestId: request.id, eventId: outcome.eventId }, at.toISOString());
      }
      // Through the transaction's handle, like every write above: the entry commits or rolls back with them.
      const detail = {
        status: outcome.status,
        ...(type === 'answered' ? { outcome: data.outcome! } : {}),
        ...(type === 'refused' ? { reasonCode: data.reasonCode! } : {}),
        ...(stored ? { document: stored.id } : {}),
      };
      appendAudit(
        db,
        auditKey(deps.config.sessionSecret),
        { actor, action: AUDIT_FOR[action], targetType: 'request', targetId: request.id, detail },
        deps.now(),
      );
      return { ok: true, status: outcome.status };
    },
    { behavior: 'immediate' },
  );
}

function dedupe(errors: ActionError[]): ActionError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.field) ? false : (seen.add(e.field), true)));
}
