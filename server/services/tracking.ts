/**
 * Tracking a request from the person's side (/suivi): the one-time link asked with the reference and the
 * e-mail address, the tracking page's view of the request, the person's answer to a question, and the
 * withdrawal; the organisation's staff are told of what the person did.
 */
import type { Db } from '../db/client';
import { deliveriesOf } from '../db/deliveries';
import { attachmentsOf, documentsOfEvent } from '../db/staff-requests';
import {
  addEvent,
  consumeToken,
  eventsOf,
  organisationName,
  projectTitle,
  requestById,
  requestByReference,
  requestsOfGroup,
  updateRequest,
  type RequestRecord,
} from '../db/requests';
import { eventMessageContext } from '../crypto/contexts';
import { todayIn } from '../domain/deadlines';
import { normalizeReference } from '../domain/reference';
import { FINAL_STATUSES, TRACKING_LINK_MINUTES } from '../domain/rights-request';
import { refusalIsLate, type EventKind } from '../domain/status-machine';
import { enqueueMail } from './mail-outbox';
import { datesOf, type ClockDates } from './request-clock';
import type { RequestDeps } from './rights-requests';
import { partsOf, type RequestPart } from './route-plan';
import { organisationStaffEmails } from './staff-recipients';
import { hashToken, newTrackingLink } from './tracking-links';

/** Sends a tracking link when reference and e-mail match; the caller answers the same either way. */
export async function requestTrackingLink(deps: RequestDeps, referenceInput: string, email: string): Promise<void> {
  const reference = normalizeReference(referenceInput);
  if (!reference) return;
  const request = requestByReference(deps.db, reference);
  if (!request || !request.emailIndex || request.erasedAt) return;
  let emailIndex: string;
  try {
    emailIndex = deps.index.email(email);
  } catch {
    return;
  }
  if (emailIndex !== request.emailIndex) return;
  deps.db.transaction((tx) => queueTrackingMail({ ...deps, db: tx }, request), { behavior: 'immediate' });
  deps.kickMail();
}

function queueTrackingMail(deps: RequestDeps, request: RequestRecord): void {
  const link = newTrackingLink(deps, request, TRACKING_LINK_MINUTES);
  enqueueMail(deps.db, deps.cipher, {
    requestId: request.id,
    template: 'track',
    vars: { link, reference: request.reference, minutes: TRACKING_LINK_MINUTES },
    now: deps.now(),
  });
}

export function openTrackingLink(deps: RequestDeps, token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{40,64}$/.test(token)) return undefined;
  return deps.db.transaction((tx) => consumeToken(tx, hashToken(token), 'track', deps.now().toISOString()), { behavior: 'immediate' });
}

export type TrackingView = {
  request: RequestRecord;
  recipientName: string | undefined;
  projectTitle: string | undefined;
  /** `message`: the organisation's words to the person; `detail`: the outcome of an answer or the code of a refusal. */
  events: TrackingEvent[];
  dates: ClockDates;
  overdue: boolean;
  canWithdraw: boolean;
  /** Every request of the submission (one per body that answers), this one included. */
  parts: RequestPart[];
  /** Controllers told of the request without the person's identity. */
  notified: string[];
  /** Whether the request could be delivered to the body that answers: told to the person in words. */
  delivery: 'delivered' | 'waiting' | 'retrying' | 'dead';
};

export type TrackingEvent = {
  kind: string;
  at: string;
  message?: string;
  detail?: string | null;
  /** A refusal told after the first month (GDPR art. 12(4)). */ late?: boolean;
  /** Documents that came with an answer: downloaded at /suivi/document/<id>. */ documents?: {
    id: string;
    filename: string;
    contentType: string;
    size: number;
  }[];
};

/** The events whose message is shown on the tracking page: the organisation's words, and the person's own answers. */
const MESSAGES_FOR_PERSON = new Set(['clarification_asked', 'clarification_answered', 'extended', 'answered', 'refused']);

export function trackingView(deps: RequestDeps, requestId: string): TrackingView | undefined {
  const request = requestById(deps.db, requestId);
  if (!request) return undefined;
  const dates = datesOf(deps, request);
  const final = FINAL_STATUSES.includes(request.status);
  const events = eventsOf(deps.db, requestId);
  const documents = attachmentsOf(deps.db, requestId);
  return {
    request,
    recipientName: request.organisationId ? organisationName(deps.db, request.organisationId) : undefined,
    projectTitle: request.projectId ? projectTitle(deps.db, request.projectId)?.title : undefined,
    events: events.map((e) => ({
      kind: e.kind,
      at: e.at,
      ...(MESSAGES_FOR_PERSON.has(e.kind) && e.messageEnc ? { message: deps.cipher.decrypt(e.messageEnc, eventMessageContext(requestId, e.kind, e.at)) } : {}),
      detail: e.kind === 'notified' ? null : (e.detail ?? null),
      ...(e.kind === 'refused' && refusalIsLate(request.dueOn, todayIn(new Date(e.at))) ? { late: true } : {}),
      ...(documents.length > 0
        ? { documents: documentsOfEvent(documents, e).map((d) => ({ id: d.id, filename: d.filename, contentType: d.contentType, size: d.size })) }
        : {}),
    })),
    dates,
    // The date that applies, stored on the request (GDPR art. 12(3); deadlines.ts applicableDueDate).
    overdue: !final && !dates.estimated && todayIn(deps.now()) > dates.due,
    canWithdraw: !final,
    parts: partsOf(deps, request),
    notified: [...new Set(events.filter((e) => e.kind === 'notified' && e.detail).map((e) => organisationName(deps.db, e.detail!) ?? e.detail!))],
    delivery: deliveryState(deliveriesOf(deps.db, requestId).filter((d) => d.role === 'answer')),
  };
}

/** Delivered once is enough; otherwise dead when every row is dead, retrying once one has failed. */
function deliveryState(rows: { status: string; attempts: number }[]): TrackingView['delivery'] {
  if (rows.length === 0 || rows.some((d) => d.status === 'delivered')) return rows.length === 0 ? 'waiting' : 'delivered';
  if (rows.every((d) => d.status === 'dead')) return 'dead';
  return rows.some((d) => d.attempts > 0 || d.status === 'dead') ? 'retrying' : 'waiting';
}

/** The controller's latest question, when it asked for a clarification (decrypted for the person). */
export function latestClarificationQuestion(deps: RequestDeps, requestId: string): string | undefined {
  const asked = eventsOf(deps.db, requestId)
    .filter((e) => e.kind === 'clarification_asked' && e.messageEnc)
    .at(-1);
  return asked ? deps.cipher.decrypt(asked.messageEnc!, eventMessageContext(requestId, asked.kind, asked.at)) : undefined;
}

/** Records a message on a request's timeline, encrypted. */
export function addMessageEvent(deps: RequestDeps, requestId: string, kind: EventKind, actor: string, message: string): void {
  const at = deps.now().toISOString();
  addEvent(deps.db, { requestId, kind, at, actor, messageEnc: deps.cipher.encrypt(message, eventMessageContext(requestId, kind, at)) });
}

/** The person answers a clarification the controller asked for; the request goes back to the controller. */
export function answerClarification(deps: RequestDeps, requestId: string, answer: string): boolean {
  const done = deps.db.transaction(
    (db) => {
      const request = requestById(db, requestId);
      if (!request || request.status !== 'precision_demandee') return false;
      addMessageEvent({ ...deps, db }, requestId, 'clarification_answered', 'person', answer);
      // Back to the organisation, keeping an extension it already gave (GDPR art. 12(3)).
      updateRequest(db, requestId, { status: request.extendedAt ? 'prolongee' : 'accusee' });
      tellOrganisation({ ...deps, db }, request, 'clarification_answered');
      return true;
    },
    { behavior: 'immediate' },
  );
  // The organisation's staff are told by mail, sent after the commit.
  if (done) deps.kickMail();
  return done;
}

/**
 * The person acted on a request (answered a question, withdrew it): the request is marked in the DPO
 * queue until the organisation opens it, and its staff get a mail with no personal data, in the
 * caller's transaction.
 */
function tellOrganisation(deps: RequestDeps, request: RequestRecord, kind: 'clarification_answered' | 'withdrawn'): void {
  const now = deps.now();
  updateRequest(deps.db, request.id, { personUpdate: kind, personUpdateAt: now.toISOString() });
  if (!request.organisationId) return;
  const link = new URL(`/espace-pro/demandes/${request.id}`, deps.config.publicUrl).href;
  for (const to of organisationStaffEmails(deps, request.organisationId)) {
    enqueueMail(deps.db, deps.cipher, {
      requestId: request.id,
      template: kind === 'withdrawn' ? 'person_withdrew' : 'person_answered',
      vars: { reference: request.reference, link },
      now,
      recipient: to,
    });
  }
}

/** The person withdraws their request: every part of the submission that is still open. */
export function withdrawRequest(deps: RequestDeps, requestId: string): boolean {
  const now = deps.now().toISOString();
  const done = deps.db.transaction(
    (db) => {
      const request = requestById(db, requestId);
      if (!request || FINAL_STATUSES.includes(request.status)) return false;
      for (const part of requestsOfGroup(db, request)) {
        if (FINAL_STATUSES.includes(part.status)) continue;
        updateRequest(db, part.id, { status: 'retiree', closedAt: now });
        addEvent(db, { requestId: part.id, kind: 'withdrawn', at: now, actor: 'person' });
        // Only a request the organisation has received: one still waiting for its delivery dies unsent.
        if (part.receivedOn) tellOrganisation({ ...deps, db }, part, 'withdrawn');
      }
      return true;
    },
    { behavior: 'immediate' },
  );
  if (done) deps.kickMail();
  return done;
}
