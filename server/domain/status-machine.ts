/**
 * The status machine of a rights request: which update from the recipient (the controller, the CNAM, later
 * a member of staff in the back office) may move a request from which status, and to which.
 * One place for the rules, used by signed callbacks, CNAM acknowledgement files and the back office.
 *
 * Pure, no I/O, never throws: a refused update comes back as `{ ok: false, error }` for the caller to
 * answer (HTTP 409/422, a rejected acknowledgement line). Dates are YYYY-MM-DD calendar dates and compare
 * as strings; `today` is the day in Europe/Paris (see `todayIn` in deadlines.ts).
 */

import { MAX_MESSAGE_CHARS, REFUSAL_CODES, UPDATE_TYPES, type RefusalCode, type UpdateType } from './status-updates';
import { FINAL_STATUSES, OPEN_STATUSES, PERSON_UPDATES, type Status } from './rights-request';

/** Kept here too for staff-requests.ts and the tests that read it from the machine. */
export { MAX_MESSAGE_CHARS };

/** The statuses in which the recipient is handling the request: delivered, not yet answered. */
const OPEN = OPEN_STATUSES;

/**
 * For each update type, the statuses it may be applied in. `a_confirmer` is in none (nothing reaches the
 * recipient before the person confirms their address) and neither is any final status, except that
 * `closed` moves an answered (`repondue`) or refused (`refusee`) request to `cloturee`.
 */
export const ALLOWED_FROM: Record<UpdateType, readonly Status[]> = {
  // Once only: a second acknowledgement (or one after a question, an extension) is refused.
  acknowledged: ['recue', 'transmise'],
  // A question may come at any point before the answer, also after an extension.
  clarification_requested: OPEN,
  // GDPR art. 12(3): the extension by two further months is granted once; never from `prolongee`.
  extended: ['recue', 'transmise', 'accusee', 'precision_demandee'],
  answered: OPEN,
  refused: OPEN,
  // Closing files away a request that has had its answer (or refusal): the one move out of a final status.
  closed: ['repondue', 'refusee'],
};

/** The timeline event an accepted update records. */
export const UPDATE_EVENTS = ['acknowledged', 'clarification_asked', 'extended', 'answered', 'refused', 'closed'] as const;
export type UpdateEvent = (typeof UPDATE_EVENTS)[number];

/**
 * The steps of a request's timeline: submitted and confirmed by the person, forwarded to the body that
 * answers and notified to those only told of it by the service, the recipient's updates, and what the
 * person does after (answering a question, withdrawing).
 */
export const EVENT_KINDS = ['submitted', 'confirmed', 'forwarded', 'notified', ...UPDATE_EVENTS, ...PERSON_UPDATES] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export type UpdateError =
  | 'final_status'
  | 'not_confirmed'
  | 'transition_not_allowed'
  | 'already_extended'
  | 'extension_after_first_month'
  | 'message_required'
  | 'message_too_long'
  | 'reason_code_required'
  | 'unknown_reason_code'
  | 'outcome_required';

export type UpdateResult =
  | {
      ok: true;
      status: Status;
      event: UpdateEvent;
      /** The outcome (`answered`) or the reason code (`refused`). */ detail: string | null;
      message: string | null;
    }
  | { ok: false; error: UpdateError };

export type RequestState = {
  status: Status;
  receivedOn: string | null;
  /** The end of the first month (GDPR art. 12(3)); null while the request has not reached the recipient. */
  dueOn: string | null;
  /** The end of the extended period (three months from receipt): stored from delivery on, extended or not. */
  extendedDueOn: string | null;
  /**
   * Whether the request was already extended once (from its timeline). The status alone cannot tell once
   * a question has followed the extension (`prolongee` → `precision_demandee`); omitted means no.
   */
  extended?: boolean;
};

export type Update = {
  type: UpdateType;
  message?: string;
  reason_code?: string;
  outcome?: 'granted' | 'partial';
};

const TO: Record<UpdateType, { status: Status; event: UpdateEvent }> = {
  acknowledged: { status: 'accusee', event: 'acknowledged' },
  clarification_requested: { status: 'precision_demandee', event: 'clarification_asked' },
  extended: { status: 'prolongee', event: 'extended' },
  answered: { status: 'repondue', event: 'answered' },
  refused: { status: 'refusee', event: 'refused' },
  closed: { status: 'cloturee', event: 'closed' },
};

const fail = (error: UpdateError): UpdateResult => ({ ok: false, error });

function isUpdateType(v: unknown): v is UpdateType {
  return typeof v === 'string' && (UPDATE_TYPES as readonly string[]).includes(v);
}

function isRefusalCode(v: string): v is RefusalCode {
  return (REFUSAL_CODES as readonly string[]).includes(v);
}

/** The message trimmed, null when absent or blank, or 'too_long'. Anything but a string counts as absent. */
function cleanMessage(v: unknown): string | null | 'too_long' {
  if (typeof v !== 'string') return null;
  const m = v.trim();
  if (m === '') return null;
  if ([...m].length > MAX_MESSAGE_CHARS) return 'too_long';
  return m;
}

export type AvailabilityError = Extract<
  UpdateError,
  'not_confirmed' | 'final_status' | 'transition_not_allowed' | 'already_extended' | 'extension_after_first_month'
>;

/**
 * Whether an update of this type may be applied to the request today, before its fields are known:
 * the checks of applyUpdate that depend on the request, not on the update's message or codes. Checks,
 * in order: the request was confirmed; it is not final (closing excepted); the extension is the first;
 * the update may follow the current status; the extension comes within the first month.
 */
export function updateAvailability(
  request: Pick<RequestState, 'status' | 'dueOn' | 'extended'>,
  type: UpdateType,
  today: string,
): { ok: true } | { ok: false; error: AvailabilityError } {
  const status = request.status;
  // Only confirmed requests are forwarded, so nothing can come back before confirmation.
  if (status === 'a_confirmer') return { ok: false, error: 'not_confirmed' };
  if (FINAL_STATUSES.includes(status) && !(type === 'closed' && ALLOWED_FROM.closed.includes(status))) return { ok: false, error: 'final_status' };
  // GDPR art. 12(3): "may be extended by two further months": one extension, not a second one.
  if (type === 'extended' && (status === 'prolongee' || request.extended === true)) return { ok: false, error: 'already_extended' };
  if (!ALLOWED_FROM[type].includes(status)) return { ok: false, error: 'transition_not_allowed' };
  // GDPR art. 12(3): the person is told of the extension, with the reasons, within one month of receipt:
  // the first period ends at the end of dueOn. Without a due date yet there is nothing to be late for.
  if (type === 'extended' && request.dueOn !== null && today > request.dueOn) return { ok: false, error: 'extension_after_first_month' };
  return { ok: true };
}

/** The actions a member of staff is offered on a request page, and the update each one sends. */
export const STAFF_ACTIONS = {
  accuser: 'acknowledged',
  precision: 'clarification_requested',
  prolonger: 'extended',
  repondre: 'answered',
  cloturer: 'closed',
} as const satisfies Record<string, UpdateType>;
export type StaffAction = keyof typeof STAFF_ACTIONS;
/** Why an action is not offered (an i18n key suffix): its status, or the one extension (GDPR art. 12(3)). */
export type StaffActionRefusal = 'status' | 'already_extended' | 'first_month_over';
export type StaffActionAvailability = Record<StaffAction, { ok: true } | { ok: false; reason: StaffActionRefusal }>;

const REFUSAL_OF: Record<AvailabilityError, StaffActionRefusal> = {
  not_confirmed: 'status',
  final_status: 'status',
  transition_not_allowed: 'status',
  already_extended: 'already_extended',
  extension_after_first_month: 'first_month_over',
};

/**
 * For each staff action: offered, or why not; derived from updateAvailability, so the page offers
 * exactly what the machine would accept. Answering is offered as `answered` (a refusal is allowed from
 * the same statuses).
 */
export function staffActionAvailability(request: Pick<RequestState, 'status' | 'dueOn' | 'extended'>, today: string): StaffActionAvailability {
  const entries = (Object.keys(STAFF_ACTIONS) as StaffAction[]).map((action) => {
    const available = updateAvailability(request, STAFF_ACTIONS[action], today);
    return [action, available.ok ? ({ ok: true } as const) : ({ ok: false, reason: REFUSAL_OF[available.error] } as const)] as const;
  });
  return Object.fromEntries(entries) as StaffActionAvailability;
}

/**
 * Applies one update from the recipient to a request. Checks, in order: the request was confirmed; it is
 * not final; the update may follow the current status; the extension is the first and comes within the
 * first month; then the update's own fields (message, reason code, outcome).
 */
export function applyUpdate(request: RequestState, update: Update, today: string): UpdateResult {
  const status = request.status;
  // Only confirmed requests are forwarded, so nothing can come back before confirmation.
  if (status === 'a_confirmer') return fail('not_confirmed');
  const type: unknown = update?.type;
  const closing = type === 'closed' && ALLOWED_FROM.closed.includes(status);
  if (FINAL_STATUSES.includes(status) && !closing) return fail('final_status');

  if (!isUpdateType(type)) return fail('transition_not_allowed');
  const available = updateAvailability(request, type, today);
  if (!available.ok) return fail(available.error);

  const message = cleanMessage(update.message);
  if (message === 'too_long') return fail('message_too_long');
  const to = TO[type];

  switch (type) {
    case 'acknowledged':
      return { ok: true, ...to, detail: null, message };
    case 'clarification_requested':
      // The question itself: the person must be able to read and answer it.
      if (message === null) return fail('message_required');
      return { ok: true, ...to, detail: null, message };
    case 'extended':
      // GDPR art. 12(3): the extension is told "together with the reasons for the delay".
      if (message === null) return fail('message_required');
      return { ok: true, ...to, detail: null, message };
    case 'answered': {
      const outcome: unknown = update.outcome;
      if (outcome !== 'granted' && outcome !== 'partial') return fail('outcome_required');
      return { ok: true, ...to, detail: outcome, message };
    }
    case 'refused': {
      // GDPR art. 12(4): a refusal gives the reasons for not taking action (a reason code and the words),
      // and the person is told of the right to complain to a supervisory authority (the CNIL) and to seek a
      // judicial remedy: the tracking page and the mail add that, from the `refusee` status.
      const code: unknown = update.reason_code;
      if (code === undefined || code === null || code === '') return fail('reason_code_required');
      if (typeof code !== 'string' || !isRefusalCode(code)) return fail('unknown_reason_code');
      if (message === null) return fail('message_required');
      return { ok: true, ...to, detail: code, message };
    }
    case 'closed':
      return { ok: true, ...to, detail: null, message };
  }
}

/**
 * GDPR art. 12(4): a controller that does not act on a request tells the person so, with its reasons,
 * "without delay and at the latest within one month of receipt". An extension under 12(3) covers the
 * answer, not the refusal: a refusal told after the first month is late, whatever the extension.
 */
export function refusalIsLate(dueOn: string | null, toldOn: string): boolean {
  return dueOn !== null && toldOn > dueOn;
}
