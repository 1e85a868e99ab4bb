/**
 * One rights request as the back office shows it: its decrypted identity and messages, its
 * timeline, deliveries and documents, its due dates, and the actions the status machine offers now.
 */
import { eventsOf, organisationName, projectTitle, requestById, updateRequest, type RequestRecord } from '../db/requests';
import { attachmentsOf, deliveriesWithChannel, documentsOfEvent, type AttachmentMeta, type DeliveryView } from '../db/staff-requests';
import { daysBetween, todayIn } from '../domain/deadlines';
import { OPEN_STATUSES } from '../domain/rights-request';
import { refusalIsLate, staffActionAvailability, type StaffActionAvailability } from '../domain/status-machine';
import { datesOf } from './request-clock';
import { eventMessageContext } from '../crypto/contexts';
import { decryptDetails, decryptIdentity, type Details, type Identity } from './identity';
import type { StaffDeps } from './staff-scope';

const OPEN = new Set<string>(OPEN_STATUSES);

export type StaffEvent = {
  kind: string;
  at: string;
  actor: 'person' | 'service' | 'staff' | 'organisation';
  ownAction: boolean;
  message?: string;
  detail: string | null;
  documents: AttachmentMeta[];
};

export type StaffRequestView = {
  request: RequestRecord;
  /** The names the page shows, or the ids when the names are gone. */
  organisationName: string | null;
  projectTitle: string | null;
  /** Undefined once erased after the retention period (GDPR art. 5(1)(e), storage limitation). */
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
  actions: StaffActionAvailability;
};

function actorOf(actor: string): StaffEvent['actor'] {
  if (actor === 'person') return 'person';
  if (actor.startsWith('user:')) return 'staff';
  if (actor === 'service' || actor === 'system') return 'service';
  return 'organisation';
}

/**
 * The organisation's own staff opened the request: the queue's mark of what the person did since goes.
 * An administrator looking at it does not count as the organisation having seen it.
 */
export function markSeenByOrganisation(deps: Pick<StaffDeps, 'db'>, request: RequestRecord, viewer: { role: string }): void {
  if (request.personUpdate && (viewer.role === 'dpo' || viewer.role === 'cnam'))
    updateRequest(deps.db, request.id, { personUpdate: null, personUpdateAt: null });
}

/** Everything the request page shows. Decrypts identity and messages: the caller records the read. */
export function staffRequestView(deps: StaffDeps, request: RequestRecord, viewerId: string): StaffRequestView {
  const today = todayIn(deps.now());
  const rawEvents = eventsOf(deps.db, request.id);
  const documents = attachmentsOf(deps.db, request.id);
  const extended = request.extendedAt !== null;
  const events = rawEvents.map((e) => ({
    kind: e.kind,
    at: e.at,
    actor: actorOf(e.actor),
    ownAction: e.actor === `user:${viewerId}`,
    ...(e.messageEnc ? { message: deps.cipher.decrypt(e.messageEnc, eventMessageContext(request.id, e.kind, e.at)) } : {}),
    detail: e.detail ?? null,
    documents: documentsOfEvent(documents, e),
  }));
  const due = request.answerDueOn;
  return {
    request,
    organisationName: request.organisationId ? (organisationName(deps.db, request.organisationId) ?? request.organisationId) : null,
    projectTitle: request.projectId ? (projectTitle(deps.db, request.projectId)?.title ?? request.projectId) : null,
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
    actions: staffActionAvailability({ status: request.status, dueOn: request.dueOn, extended }, today),
  };
}

/** The request as it is now (after a refused action, another change may have landed). */
export const reloadRequest = (deps: Pick<StaffDeps, 'db'>, request: RequestRecord): RequestRecord => requestById(deps.db, request.id) ?? request;
