/**
 * The back office's side of rights requests (DESIGN §8): the queue of a DPO, of the CNAM or of an
 * administrator, its CSV export, one request with its decrypted identity, and the actions that answer
 * the person: acknowledge, ask for a clarification, extend, answer (with a document), close.
 *
 * Who sees what: a `dpo` their organisation's requests, a `cnam` agent the CNAM's, an `admin` all of
 * them. Requests still waiting for the person's confirmation are nobody's yet (DESIGN §6).
 *
 * Actions go through the same status machine and the same code as a recipient's signed callback
 * (applyRecipientUpdate): the request changes, the timeline gets the step, the person gets the mail
 * and sees it on the tracking page. The document and the audit entry are written in the same
 * transaction.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { REFUSAL_CODES, type StatusUpdate } from '../../connectors/types';
import type { Config } from '../config';
import type { FieldCipher } from '../crypto/fields';
import type { Db } from '../db/client';
import { eventsOf, requestById, updateRequest, type RequestRecord } from '../db/requests';
import type { UserRecord } from '../db/staff';
import {
  attachmentById,
  attachmentsOf,
  deliveriesWithChannel,
  documentsOfEvent,
  exportBatch,
  insertAttachment,
  queueCount,
  queueKeys,
  queueRecords,
  type AttachmentMeta,
  type DeliveryView,
  type QueueFilter,
  type QueueRecord,
} from '../db/staff-requests';
import { addDays, daysBetween, todayIn } from '../domain/deadlines';
import { normalizeReference } from '../domain/reference';
import { hasForbiddenCharacters, normalizeMultiline } from '../domain/plain-text';
import { KINDS, OPEN_STATUSES, STATUSES, type Kind, type Status } from '../domain/rights-request';
import { ALLOWED_FROM, MAX_MESSAGE_CHARS, refusalIsLate } from '../domain/status-machine';
import { datesOf } from './request-clock';
import { applyRecipientUpdate, type UpdateOutcome } from './deliveries';
import { decryptDetails, decryptIdentity, eventMessageContext, type Details, type Identity } from './rights-requests';

export type StaffDeps = { db: Db; cipher: FieldCipher; config: Config; now: () => Date };
/** Appends to the audit log (server/auth/guard.ts auditFor), on the same database connection. */
export type Audit = (actor: string, action: string, target?: { type: string; id: string }, detail?: Record<string, string | number | boolean | null>) => unknown;

/* ---------- Who sees what ---------- */

/** `organisationId` undefined: every organisation. `null` scope: nothing (a DPO without an organisation). */
export type StaffScope = { organisationId: string | undefined } | null;

export function scopeOf(user: Pick<UserRecord, 'role' | 'organisationId'>): StaffScope {
  if (user.role === 'admin') return { organisationId: undefined };
  if (user.role === 'cnam') return { organisationId: 'cnam' };
  if (user.role === 'dpo' && user.organisationId) return { organisationId: user.organisationId };
  return null;
}

/**
 * Whether this user answers this request: a DPO their organisation's, a CNAM agent the CNAM's. An
 * administrator sees every request but acts on none: the answer is owed by the controller (GDPR art. 12),
 * or the CNAM for the SNDS, and the platform's staff must not speak in their name.
 */
export function mayAct(user: Pick<UserRecord, 'role' | 'organisationId'>, request: Pick<RequestRecord, 'organisationId'>): boolean {
  if (!request.organisationId) return false;
  if (user.role === 'dpo') return user.organisationId === request.organisationId;
  if (user.role === 'cnam') return request.organisationId === 'cnam';
  return false;
}

/** The request if this scope may see it; undefined otherwise (the route answers 404 either way). */
export function requestInScope(db: Db, scope: StaffScope, id: string): RequestRecord | undefined {
  if (!scope || !UUID.test(id)) return undefined;
  const request = requestById(db, id);
  if (!request || request.status === 'a_confirmer') return undefined;
  if (scope.organisationId !== undefined && request.organisationId !== scope.organisationId) return undefined;
  return request;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/* ---------- The queue ---------- */

/** Delivered and not yet answered: what the organisation has to act on. */
/** What staff may see: everything once confirmed. */
export const STAFF_STATUSES: readonly Status[] = STATUSES.filter((s) => s !== 'a_confirmer');
/** `a_traiter` (to handle, the default), `toutes` (all), or one status. */
export const STATUS_FILTERS = ['a_traiter', 'toutes', ...STAFF_STATUSES] as const;
export const DUE_FILTERS = ['en_retard', 'moins_de_5_jours', 'sous_7_jours'] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

export const PAGE_SIZE = 20;
/**
 * Counting stops here: past it the page says "more than 1,000" and offers the first 50 pages. Exact
 * counts of a large organisation's backlog would cost more than the whole page may take (DESIGN §10);
 * filters and the CSV export reach the rest.
 */
export const COUNT_CAP = 1000;

export type QueueParams = {
  statut: (typeof STATUS_FILTERS)[number];
  type?: Kind;
  echeance?: DueFilter;
  /** Administrators only. */
  organisation?: string;
  /** A reference typed in the queue's search: that request, whatever its status. */
  reference?: string;
  page: number;
  /** Parameters whose value was not understood: shown as errors, then left out. */
  invalid: ('statut' | 'type' | 'echeance' | 'organisation' | 'reference' | 'page')[];
};

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional();
const PARAM_SCHEMAS = {
  statut: optionalEnum(STATUS_FILTERS as unknown as [string, ...string[]]),
  type: optionalEnum(KINDS),
  echeance: optionalEnum(DUE_FILTERS),
  organisation: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/).optional(),
  // Typed by a person: any case, with or without dashes and spaces (server/domain/reference.ts).
  reference: z.string().max(40).transform((v, ctx) => normalizeReference(v) ?? (ctx.addIssue({ code: 'custom' }), z.NEVER)).optional(),
  page: z.coerce.number().int().min(1).max(COUNT_CAP / PAGE_SIZE).optional(),
};

/** Reads the queue's query string; empty means "any"; a value not understood is reported, not used. */
export function parseQueueParams(get: (name: string) => string | undefined): QueueParams {
  const invalid: QueueParams['invalid'] = [];
  const read = <K extends keyof typeof PARAM_SCHEMAS>(name: K): z.infer<(typeof PARAM_SCHEMAS)[K]> | undefined => {
    const raw = get(name);
    if (raw === undefined || raw === '') return undefined;
    const parsed = PARAM_SCHEMAS[name].safeParse(raw);
    if (parsed.success) return parsed.data as z.infer<(typeof PARAM_SCHEMAS)[K]>;
    invalid.push(name);
    return undefined;
  };
  return {
    statut: (read('statut') as QueueParams['statut'] | undefined) ?? 'a_traiter',
    type: read('type'),
    echeance: read('echeance'),
    organisation: read('organisation'),
    reference: read('reference'),
    page: read('page') ?? 1,
    invalid,
  };
}

/** The query string of a queue address (`?statut=...`), leaving out defaults. */
export function queueSearchString(p: Omit<QueueParams, 'invalid'>, overrides: Partial<Omit<QueueParams, 'invalid'>> = {}): string {
  const q = { ...p, ...overrides };
  const s = new URLSearchParams();
  if (q.statut !== 'a_traiter') s.set('statut', q.statut);
  if (q.type) s.set('type', q.type);
  if (q.echeance) s.set('echeance', q.echeance);
  if (q.organisation) s.set('organisation', q.organisation);
  if (q.reference) s.set('reference', q.reference);
  if (q.page > 1) s.set('page', String(q.page));
  const text = s.toString();
  return text ? `?${text}` : '';
}

/** The database filter for a scope and parameters; undefined when nothing can match. */
function filterFor(scope: StaffScope, p: QueueParams, today: string): QueueFilter | undefined {
  if (!scope) return undefined;
  // A reference names one request: found whatever its status.
  let statuses: readonly string[] = p.reference ? STAFF_STATUSES : p.statut === 'a_traiter' ? OPEN_STATUSES : p.statut === 'toutes' ? STAFF_STATUSES : [p.statut];
  let due: QueueFilter['due'];
  if (p.echeance) {
    // Being late only means something while an answer is awaited.
    statuses = statuses.filter((s) => (OPEN_STATUSES as readonly string[]).includes(s));
    due = p.echeance === 'en_retard' ? { to: addDays(today, -1) } : p.echeance === 'moins_de_5_jours' ? { from: today, to: addDays(today, 4) } : { from: today, to: addDays(today, 6) };
  }
  if (statuses.length === 0) return undefined;
  return { organisationId: scope.organisationId ?? p.organisation, statuses, kind: p.type, due, reference: p.reference };
}

export type QueueItem = QueueRecord & {
  /** The date the answer is due now: the extended one once extended. */
  due: string | null;
  /** Before receipt: the due date if it were received today. */
  estimatedDue: string | null;
  extended: boolean;
  /** Days until `due` (negative: overdue); null once answered or before the request is delivered. */
  daysLeft: number | null;
};

export type Queue = { params: QueueParams; items: QueueItem[]; total: number; capped: boolean; pages: number; today: string };

const OPEN = new Set<string>(OPEN_STATUSES);

export function staffQueue(deps: Pick<StaffDeps, 'db' | 'now'>, scope: StaffScope, params: QueueParams): Queue {
  const today = todayIn(deps.now());
  const filter = filterFor(scope, params, today);
  if (!filter) return { params, items: [], total: 0, capped: false, pages: 1, today };
  const counted = queueCount(deps.db, filter, COUNT_CAP);
  const total = Math.min(counted, COUNT_CAP);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const offset = (params.page - 1) * PAGE_SIZE;
  const keys = offset < total ? queueKeys(deps.db, filter, offset + PAGE_SIZE).slice(offset) : [];
  const records = queueRecords(
    deps.db,
    keys.map((k) => k.rid),
  );
  const items = records.map((r) => {
    const due = r.answerDueOn;
    // Not received yet: the date it would have if received today, marked as an estimate (request-clock.ts).
    const estimatedDue = due ? null : datesOf(deps, { organisationId: r.organisationId ?? null }).due;
    return { ...r, due, estimatedDue, extended: r.extendedAt !== null, daysLeft: due && OPEN.has(r.status) ? daysBetween(today, due) : null };
  });
  return { params, items, total, capped: counted > COUNT_CAP, pages, today };
}

/* ---------- CSV export ---------- */

/** No NIR, no name, no address: what a spreadsheet of the workload needs, nothing that identifies. */
export const CSV_COLUMNS = ['reference', 'kind', 'scope', 'project_id', 'organisation', 'status', 'received_on', 'due_on', 'extended_due_on', 'days_left'] as const;

/**
 * Every request of the queue's filters, all pages, in batches (so a long export never holds the whole
 * list), sorted by the date the answer is due now; the first-month and extended dates have their columns.
 */
export function* exportRows(deps: Pick<StaffDeps, 'db' | 'now'>, scope: StaffScope, params: QueueParams, batch = 2000): Generator<string[]> {
  const today = todayIn(deps.now());
  const filter = filterFor(scope, params, today);
  if (!filter) return;
  let after: { dueOn: string | null; rid: number } | null = null;
  for (;;) {
    const rows = exportBatch(deps.db, filter, after, batch);
    for (const r of rows) {
      const due = r.answerDueOn;
      yield [r.reference, r.kind, r.scope, r.projectId ?? '', r.organisationId ?? '', r.status, r.receivedOn ?? '', r.dueOn ?? '', r.extendedDueOn ?? '', due && OPEN.has(r.status) ? String(daysBetween(today, due)) : ''];
    }
    if (rows.length < batch) return;
    const last = rows.at(-1)!;
    after = { dueOn: last.answerDueOn, rid: last.rid };
  }
}

/* ---------- One request ---------- */

export type StaffEvent = { kind: string; at: string; actor: 'person' | 'service' | 'staff' | 'organisation'; ownAction: boolean; message?: string; detail: string | null; documents: AttachmentMeta[] };

export type StaffRequestView = {
  request: RequestRecord;
  /** Undefined once erased after the retention period (DESIGN §9). */
  identity: Identity | undefined;
  details: Details | undefined;
  events: StaffEvent[];
  deliveries: DeliveryView[];
  documents: AttachmentMeta[];
  today: string;
  extended: boolean;
  due: string | null;
  /** Before receipt: the due date if it were received today. */
  estimatedDue: string | null;
  daysLeft: number | null;
  /** A refusal told now comes after the first month (GDPR art. 12(4)): the DPO is warned, the person sees it as late. */
  refusalLate: boolean;
  actions: ActionAvailability;
};

export type ActionName = 'accuser' | 'precision' | 'prolonger' | 'repondre' | 'cloturer';
/** For each action: available, or why not (an i18n key suffix). */
export type ActionAvailability = Record<ActionName, { ok: true } | { ok: false; reason: 'status' | 'already_extended' | 'first_month_over' }>;

function actorOf(actor: string): StaffEvent['actor'] {
  if (actor === 'person') return 'person';
  if (actor.startsWith('user:')) return 'staff';
  if (actor === 'service' || actor === 'system') return 'service';
  return 'organisation';
}

export function availableActions(request: Pick<RequestRecord, 'status' | 'dueOn'>, extended: boolean, today: string): ActionAvailability {
  const status = request.status as Status;
  const allowed = (type: keyof typeof ALLOWED_FROM) => (ALLOWED_FROM[type].includes(status) ? ({ ok: true } as const) : ({ ok: false, reason: 'status' } as const));
  let extend: ActionAvailability['prolonger'] = allowed('extended');
  // GDPR art. 12(3): one extension, told within the first month.
  if (status === 'prolongee' || (extend.ok && extended)) extend = { ok: false, reason: 'already_extended' };
  else if (extend.ok && request.dueOn && today > request.dueOn) extend = { ok: false, reason: 'first_month_over' };
  return { accuser: allowed('acknowledged'), precision: allowed('clarification_requested'), prolonger: extend, repondre: allowed('answered'), cloturer: allowed('closed') };
}

/**
 * The organisation's own staff opened the request: the queue's mark of what the person did since goes.
 * An administrator looking at it does not count as the organisation having seen it.
 */
export function markSeenByOrganisation(deps: Pick<StaffDeps, 'db'>, request: RequestRecord, viewer: { role: string }): void {
  if (request.personUpdate && (viewer.role === 'dpo' || viewer.role === 'cnam')) updateRequest(deps.db, request.id, { personUpdate: null, personUpdateAt: null });
}

/** Everything the request page shows. Decrypts identity and messages: the caller records the read. */
export function staffRequestView(deps: StaffDeps, request: RequestRecord, viewerId: string): StaffRequestView {
  const today = todayIn(deps.now());
  const rawEvents = eventsOf(deps.db, request.id);
  const documents = attachmentsOf(deps.db, request.id);
  const extended = request.extendedAt !== null;
  const answers = rawEvents.filter((e) => e.kind === 'answered' || e.kind === 'refused');
  const events = rawEvents.map((e) => ({
    kind: e.kind,
    at: e.at,
    actor: actorOf(e.actor),
    ownAction: e.actor === `user:${viewerId}`,
    ...(e.messageEnc ? { message: deps.cipher.decrypt(e.messageEnc, eventMessageContext(request.id, e.kind, e.at)) } : {}),
    detail: e.detail ?? null,
    documents: documentsOfEvent(documents, e, answers),
  }));
  const due = request.answerDueOn;
  return {
    request,
    identity: decryptIdentity(deps, request),
    details: decryptDetails(deps, request),
    events,
    deliveries: deliveriesWithChannel(deps.db, request.id),
    documents,
    today,
    extended,
    due,
    estimatedDue: due ? null : datesOf(deps, request).due,
    daysLeft: due && OPEN.has(request.status) ? daysBetween(today, due) : null,
    refusalLate: OPEN.has(request.status) && refusalIsLate(request.dueOn, today),
    actions: availableActions(request, extended, today),
  };
}

/* ---------- Actions ---------- */

/** An error to show: the field (for the summary's link) and the i18n key of its message. */
export type ActionError = { field: string; key: string; values?: Record<string, string> };
/** `forbidden`: this user may see the request but not act on it (mayAct). */
export type ActionResult = { ok: true; status: Status } | { ok: false; errors: ActionError[]; forbidden?: true };

/** 5 MB: documents go by mail-sized means, and the answer page stays quick to load. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

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
      else if (!(REFUSAL_CODES as readonly string[]).includes(v.reasonCode)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['reasonCode'], message: 'reasonCode.unknown' });
    }),
};

/** A document as received in the form; `null` when no file was chosen. */
export type UploadedDocument = { name: string; type: string; bytes: Uint8Array } | null;

const DOCUMENT_TYPES = [
  { type: 'application/pdf', extensions: ['pdf'], magic: (b: Uint8Array) => startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d]) },
  { type: 'image/png', extensions: ['png'], magic: (b: Uint8Array) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: 'image/jpeg', extensions: ['jpg', 'jpeg'], magic: (b: Uint8Array) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { type: 'text/plain; charset=utf-8', extensions: ['txt'], magic: isUtf8Text },
] as const;

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((v, i) => bytes[i] === v);
}

function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The name the person will see: no path, no control characters, at most 100 characters. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).at(-1) ?? '';
  const clean = base.normalize('NFC').replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').trim();
  if (clean.length <= 100) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 ? clean.slice(dot) : '';
  return clean.slice(0, 100 - ext.length) + ext;
}

/**
 * The document's type, judged by its first bytes and its name, never by what the browser says: only
 * PDF, PNG, JPEG and plain text, whose extension agrees with their content.
 */
export function checkDocument(doc: NonNullable<UploadedDocument>): { ok: true; filename: string; contentType: string } | { ok: false; key: string } {
  if (doc.bytes.length > MAX_DOCUMENT_BYTES) return { ok: false, key: 'document.tooLarge' };
  if (doc.bytes.length === 0) return { ok: false, key: 'document.empty' };
  const filename = cleanFilename(doc.name);
  const extension = /\.([A-Za-z0-9]{1,5})$/.exec(filename)?.[1]?.toLowerCase() ?? '';
  const kind = DOCUMENT_TYPES.find((t) => (t.extensions as readonly string[]).includes(extension));
  if (!kind || !filename) return { ok: false, key: 'document.type' };
  if (!kind.magic(doc.bytes)) return { ok: false, key: 'document.content' };
  return { ok: true, filename, contentType: kind.type };
}

const UPDATE_FOR: Record<ActionName, StatusUpdate['type']> = { accuser: 'acknowledged', precision: 'clarification_requested', prolonger: 'extended', repondre: 'answered', cloturer: 'closed' };

const AUDIT_FOR: Record<ActionName, string> = { accuser: 'requests.acknowledge', precision: 'requests.clarify', prolonger: 'requests.extend', repondre: 'requests.answer', cloturer: 'requests.close' };

/** Where each refusal of the status machine shows: the field it concerns and its message. */
function machineError(action: ActionName, error: Extract<UpdateOutcome, { ok: false }>['error'], request: RequestRecord): ActionError {
  switch (error) {
    case 'extension_after_first_month':
      return { field: 'prolonger', key: 'extend.firstMonthOver', values: { date: request.dueOn ?? '' } };
    case 'already_extended':
      return { field: 'prolonger', key: 'extend.alreadyExtended' };
    case 'message_required':
      return { field: action === 'precision' ? 'question' : action === 'prolonger' ? 'reason' : 'message', key: `${action === 'precision' ? 'question' : action === 'prolonger' ? 'reason' : 'message'}.required` };
    case 'message_too_long':
      return { field: action === 'precision' ? 'question' : action === 'prolonger' ? 'reason' : 'message', key: `${action === 'precision' ? 'question' : action === 'prolonger' ? 'reason' : 'message'}.tooLong` };
    case 'reason_code_required':
      return { field: 'reasonCode', key: 'reasonCode.required' };
    case 'unknown_reason_code':
      return { field: 'reasonCode', key: 'reasonCode.unknown' };
    case 'outcome_required':
      return { field: 'outcome', key: 'outcome.required' };
    default:
      // The request moved on since the page was shown (another member of staff, a callback, the person).
      return { field: 'actions', key: 'action.notNow' };
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
    return { ok: false, forbidden: true, errors: [{ field: 'actions', key: 'action.notYours' }] };
  }
  // First whether the action is possible at all (GDPR art. 12(3) for the extension), then its fields.
  const availability = availableActions(request, request.extendedAt !== null, todayIn(deps.now()))[action];
  if (!availability.ok) {
    if (availability.reason === 'first_month_over') return { ok: false, errors: [machineError(action, 'extension_after_first_month', request)] };
    if (availability.reason === 'already_extended') return { ok: false, errors: [machineError(action, 'already_extended', request)] };
    return { ok: false, errors: [machineError(action, 'transition_not_allowed', request)] };
  }
  const parsed = ACTION_SCHEMAS[action].safeParse(body);
  const errors: ActionError[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'actions'), key: i.message }));
  let checked: ReturnType<typeof checkDocument> | undefined;
  if (action === 'repondre' && document) {
    checked = checkDocument(document);
    if (!checked.ok) errors.push({ field: 'document', key: checked.key });
  }
  if (!parsed.success || errors.length > 0) return { ok: false, errors: dedupe(errors) };
  const data = parsed.data as { question?: string; reason?: string; message?: string; outcome?: 'granted' | 'partial' | 'refused'; reasonCode?: string };

  const type = action === 'repondre' && data.outcome === 'refused' ? 'refused' : UPDATE_FOR[action];
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
  if (!request.organisationId) return { ok: false, errors: [{ field: 'actions', key: 'action.notNow' }] };
  const organisationId = request.organisationId;

  // One instant for the step and its document: the tracking page puts the document under its answer.
  const at = deps.now();
  const fixed = { ...deps, now: () => at };
  const stored = document && checked?.ok ? { id: randomUUID(), bytes: document.bytes, filename: checked.filename, contentType: checked.contentType } : undefined;
  const actor = `user:${staff.userId}`;
  return deps.db.transaction(
    (tx) => {
      const db = tx as unknown as Db;
      const outcome = applyRecipientUpdate({ ...fixed, db }, organisationId, update, actor);
      if (!outcome.ok) return { ok: false, errors: [machineError(action, outcome.error, request)] };
      if (stored) {
        insertAttachment(db, {
          id: stored.id,
          requestId: request.id,
          filename: stored.filename,
          contentType: stored.contentType,
          size: stored.bytes.length,
          contentEnc: deps.cipher.encrypt(Buffer.from(stored.bytes).toString('base64'), attachmentContext(stored.id)),
          createdAt: at.toISOString(),
        });
      }
      deps.audit(actor, AUDIT_FOR[action], { type: 'request', id: request.id }, { status: outcome.status, ...(type === 'answered' ? { outcome: data.outcome! } : {}), ...(type === 'refused' ? { reasonCode: data.reasonCode! } : {}), ...(stored ? { document: stored.id } : {}) });
      return { ok: true, status: outcome.status };
    },
    { behavior: 'immediate' },
  );
}

function dedupe(errors: ActionError[]): ActionError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.field) ? false : (seen.add(e.field), true)));
}

/* ---------- Documents ---------- */

const attachmentContext = (id: string) => ({ table: 'request_attachments', column: 'content_enc', rowId: id });

/** A document of this request, decrypted; undefined when it is not this request's. */
export function readDocument(deps: Pick<StaffDeps, 'db' | 'cipher'>, requestId: string, documentId: string): { filename: string; contentType: string; bytes: Buffer } | undefined {
  if (!UUID.test(documentId)) return undefined;
  const row = attachmentById(deps.db, documentId);
  if (!row || row.requestId !== requestId) return undefined;
  return { filename: row.filename, contentType: row.contentType, bytes: Buffer.from(deps.cipher.decrypt(row.contentEnc, attachmentContext(row.id)), 'base64') };
}
