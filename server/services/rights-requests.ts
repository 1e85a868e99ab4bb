/**
 * Rights requests from the person's side: drafts, submission, address confirmation, tracking, withdrawal
 * and the deletion of unconfirmed requests. Identity and free text are encrypted before they reach the
 * database; only blind indexes of the e-mail and NIR are stored for lookups (DESIGN §9).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { i18n as I18n } from 'i18next';
import type { Mailer } from '../../connectors/mail';
import type { Config } from '../config';
import type { BlindIndex, FieldCipher } from '../crypto/fields';
import type { Db } from '../db/client';
import { channelsOf, deliveriesOf } from '../db/deliveries';
import type { GroupCommit } from '../db/group-commit';
import {
  addEvent,
  consumeToken,
  deleteRequest,
  draftById,
  eventsOf,
  insertRequest,
  organisationName,
  projectRouting,
  projectTitle,
  requestsOfGroup,
  requestById,
  requestByIdempotencyKey,
  requestByReference,
  similarRequest,
  staleUnconfirmed,
  tokenIsUsable,
  updateRequest,
  upsertDraft,
  type RequestRecord,
} from '../db/requests';
import { attachmentsOf, documentsOfEvent } from '../db/staff-requests';
import { todayIn } from '../domain/deadlines';
import { refusalIsLate } from '../domain/status-machine';
import { routeNeedsNir, routeRequest, type RouteInput, type RouteLeg } from '../domain/routing';
import { datesOf, type ClockDates } from './request-clock';
import { createReference, normalizeReference } from '../domain/reference';
import { CONFIRMATION_DAYS, DRAFT_HOURS, DUPLICATE_DAYS, FINAL_STATUSES, STEPS, TRACKING_LINK_MINUTES, type Answers } from '../domain/rights-request';
import type { Lang } from '../i18n';
import { draftAnswersContext, eventMessageContext } from '../crypto/contexts';
import { detailsOf, identityOf } from '../domain/identity';
import { decryptIdentity, encryptDetails, encryptIdentity } from './identity';
import { queueDeliveries } from './forwarding';
import { enqueueMail, renderMail } from './mail-outbox';
import { hashToken, newConfirmationLink, newTrackingLink } from './tracking-links';
import { organisationStaffEmails } from './staff-recipients';
import type { Logger } from '../logger';

export type RequestDeps = { db: Db; cipher: FieldCipher; index: BlindIndex; mailer: Mailer; config: Config; logger: Logger; now: () => Date; i18n: I18n; /** Asks the mail worker to send what was queued. */ kickMail: () => void;
  /** Shares one durable commit among concurrent submissions (server/db/group-commit.ts); without it, a transaction each. */
  groupCommit?: GroupCommit;
  /** Asks the delivery worker to forward what a confirmation queued. */
  kickDeliveries?: () => void;
};

const hash = hashToken;
const addMs = (d: Date, ms: number) => new Date(d.getTime() + ms).toISOString();
const DAY = 86_400_000;

/* ---------- Drafts ---------- */

export type Draft = { id: string; answers: Answers; requestId: string | null };

export function readDraft(deps: RequestDeps, id: string | undefined): Draft | undefined {
  if (!id || !/^[A-Za-z0-9_-]{20,64}$/.test(id)) return undefined;
  const row = draftById(deps.db, id, deps.now().toISOString());
  if (!row) return undefined;
  return { id, answers: JSON.parse(deps.cipher.decrypt(row.answersEnc, draftAnswersContext(id))) as Answers, requestId: row.requestId };
}

export function writeDraft(deps: RequestDeps, id: string | undefined, answers: Answers, requestId: string | null = null): string {
  const draftId = id ?? randomBytes(24).toString('base64url');
  const now = deps.now();
  const existing = id ? draftById(deps.db, id, now.toISOString()) : undefined;
  upsertDraft(deps.db, {
    id: draftId,
    answersEnc: deps.cipher.encrypt(JSON.stringify(answers), draftAnswersContext(draftId)),
    requestId,
    createdAt: existing?.createdAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
    expiresAt: addMs(now, DRAFT_HOURS * 3_600_000),
  });
  return draftId;
}

/* ---------- Identity ---------- */

/** Kept for server/services/staff-requests.ts until the staff refactor imports services/identity.ts and crypto/contexts.ts. */
export { decryptDetails, decryptIdentity, type Details, type Identity } from './identity';
export { eventMessageContext, extensionReasonContext } from '../crypto/contexts';

/* ---------- Routing ---------- */

/** One body that must answer, with the names a page shows: who answers, who is told, on which sources. */
export type PlannedLeg = RouteLeg & { answererName: string; notifiedNames: string[]; sources: { id: string; name: string }[] };

/**
 * Where a request goes and with what data (server/domain/routing.ts), from the scope answered: undefined
 * when the scope is incomplete (no project or organisation chosen, or one that no longer exists).
 */
export function planRoute(deps: Pick<RequestDeps, 'db'>, a: Pick<Answers, 'scope' | 'projectId' | 'organisationId'>): PlannedLeg[] | undefined {
  let input: RouteInput;
  let sourceNames = new Map<string, string>();
  if (a.scope === 'snds') input = { scope: 'snds' };
  else if (a.scope === 'responsable' && a.organisationId && organisationName(deps.db, a.organisationId)) input = { scope: 'responsable', organisationId: a.organisationId };
  else if (a.scope === 'projet' && a.projectId) {
    const p = projectRouting(deps.db, a.projectId);
    if (!p) return undefined;
    sourceNames = new Map(p.sources.map((s) => [s.id, s.name]));
    input = { scope: 'projet', controllerId: p.controllerId, sources: p.sources };
  } else return undefined;
  const name = (id: string) => organisationName(deps.db, id) ?? id;
  return routeRequest(input).map((leg) => ({ ...leg, answererName: name(leg.answerer), notifiedNames: leg.notified.map(name), sources: leg.sourceIds.map((id) => ({ id, name: sourceNames.get(id) ?? id })) }));
}

/** Whether the form must ask for the NIR: exactly when the route goes through the CNAM. */
export function asksNir(deps: Pick<RequestDeps, 'db'>, a: Pick<Answers, 'scope' | 'projectId' | 'organisationId'>): boolean {
  const legs = planRoute(deps, a);
  return legs ? routeNeedsNir(legs) : false;
}

/** One request of a submission, as the person's pages show it: who answers, on which clock, by when. */
export type RequestPart = { id: string; reference: string; part: string; clock: string; answererName: string; status: string; dates: ClockDates; sourceNames: string[] };

/** The requests one submission made (one per body that answers), the first first. */
export function partsOf(deps: Pick<RequestDeps, 'db' | 'now'>, request: RequestRecord): RequestPart[] {
  const sources = request.projectId ? new Map(projectRouting(deps.db, request.projectId)?.sources.map((s) => [s.id, s.name]) ?? []) : new Map<string, string>();
  return requestsOfGroup(deps.db, request).map((r) => ({
    id: r.id,
    reference: r.reference,
    part: r.part,
    clock: r.clock,
    answererName: r.organisationId ? (organisationName(deps.db, r.organisationId) ?? r.organisationId) : '',
    status: r.status,
    dates: datesOf(deps, r),
    sourceNames: (r.sourceIds ?? '').split(';').filter(Boolean).map((id) => sources.get(id) ?? id),
  }));
}

/** A body that must answer, as the person's pages describe it (views/components/RoutePlan.tsx). */
export type RoutePart = { part: string; answererName: string; notifiedNames: string[]; sourceNames: string[]; clock: string; portal: boolean; reference?: string; due?: { date: string; estimated: boolean } };

const usesPortal = (deps: Pick<RequestDeps, 'db'>, organisationId: string) => channelsOf(deps.db, organisationId).some((c) => c.enabled && c.kind === 'portal');

/** Before submitting: who will receive what, and the due dates as if received today. */
export function plannedParts(deps: Pick<RequestDeps, 'db' | 'now'>, a: Pick<Answers, 'scope' | 'projectId' | 'organisationId'>): RoutePart[] {
  return (planRoute(deps, a) ?? []).map((leg) => {
    const dates = datesOf(deps, { organisationId: leg.answerer });
    return { part: leg.part, answererName: leg.answererName, notifiedNames: leg.notifiedNames, sourceNames: leg.sources.map((s) => s.name), clock: leg.clock, portal: usesPortal(deps, leg.answerer), due: { date: dates.due, estimated: true } };
  });
}

/** After submitting: each request of the submission, with its reference and its due date. */
export function submittedParts(deps: Pick<RequestDeps, 'db' | 'now'>, request: RequestRecord): RoutePart[] {
  const controllerId = request.projectId ? projectRouting(deps.db, request.projectId)?.controllerId : undefined;
  return partsOf(deps, request).map((p) => {
    const r = requestById(deps.db, p.id)!;
    const notified = p.part === 'pseudonymised' && controllerId && controllerId !== r.organisationId ? [organisationName(deps.db, controllerId) ?? controllerId] : [];
    return { part: p.part, answererName: p.answererName, notifiedNames: notified, sourceNames: p.sourceNames, clock: p.clock, portal: r.organisationId ? usesPortal(deps, r.organisationId) : false, reference: p.reference, due: { date: p.dates.due, estimated: p.dates.estimated } };
  });
}

/* ---------- Submission ---------- */

export type SubmitOutcome = { outcome: 'created'; request: RequestRecord } | { outcome: 'incomplete' };

/**
 * Submits a draft the caller has just read (the route reads it once for every check it makes): one
 * request per body that must answer, each holding only the part of the identity that body needs (no NIR
 * for a controller, routing.ts). The first one carries the confirmation; the others share its group.
 */
export async function submitDraft(deps: RequestDeps, draft: Draft, opts: { lang: Lang }): Promise<SubmitOutcome> {
  if (draft.requestId) {
    const done = requestById(deps.db, draft.requestId);
    if (done) return { outcome: 'created', request: done };
  }
  const a = draft.answers;
  if (!STEPS.every((s) => a.done?.includes(s)) || !a.kind || !a.scope || !a.onBehalf || !a.email) return { outcome: 'incomplete' };
  const legs = planRoute(deps, a);
  if (!legs || legs.length === 0) return { outcome: 'incomplete' };
  // The NIR step may have been done under another route (the project's sources changed since): ask again.
  if (routeNeedsNir(legs) && !a.nir) return { outcome: 'incomplete' };

  const now = deps.now();
  const emailIndex = deps.index.email(a.email);
  const projectId = a.scope === 'projet' ? (a.projectId ?? null) : null;

  const work = (db: Db): SubmitOutcome => {
      if (a.idempotencyKey) {
        const same = requestByIdempotencyKey(db, a.idempotencyKey);
        if (same) return { outcome: 'created', request: same };
      }
      // The same person, kind and scope within 30 days: said only in the confirmation mail, which only the
      // address's owner reads, never on the page (a stranger must not learn that an address filed a request).
      const earlier = similarRequest(db, { emailIndex, kind: a.kind!, scope: a.scope!, projectId, organisationId: legs[0]!.answerer, sinceIso: addMs(now, -DUPLICATE_DAYS * DAY) });
      const ids = legs.map(() => randomUUID());
      const groupId = legs.length > 1 ? ids[0]! : null;
      const details = detailsOf(a);
      legs.forEach((leg, i) => {
        const id = ids[i]!;
        let reference = createReference();
        while (requestByReference(db, reference)) reference = createReference();
        const withNir = leg.identity === 'identity_with_nir';
        // A controller never gets the NIR (routing.ts): it is not even stored with its request.
        const identity = identityOf(a, { withNir });
        insertRequest(db, {
          id,
          reference,
          kind: a.kind!,
          scope: a.scope!,
          projectId,
          organisationId: leg.answerer,
          groupId,
          part: leg.part,
          clock: leg.clock,
          sourceIds: leg.sourceIds.length ? leg.sourceIds.join(';') : null,
          onBehalf: a.onBehalf!,
          insuranceScheme: withNir ? (a.insuranceScheme ?? null) : null,
          lang: opts.lang,
          status: 'a_confirmer',
          identityEnc: encryptIdentity(deps, id, identity),
          detailsEnc: encryptDetails(deps, id, details),
          emailIndex,
          nirIndex: withNir && a.nir ? deps.index.nir(a.nir) : null,
          idempotencyKey: i === 0 ? (a.idempotencyKey ?? null) : null,
          createdAt: now.toISOString(),
        });
        addEvent(db, { requestId: id, kind: 'submitted', at: now.toISOString(), actor: 'person' });
      });
      const first = requestById(db, ids[0]!)!;
      queueConfirmation({ ...deps, db }, first, earlier);
      // The draft keeps only the link to its request: the answers now live, encrypted, in the request.
      writeDraft({ ...deps, db }, draft.id, {}, first.id);
      return { outcome: 'created', request: first };
  };
  const result = deps.groupCommit ? await deps.groupCommit(() => work(deps.db)) : deps.db.transaction((tx) => work(tx as unknown as Db), { behavior: 'immediate' });

  deps.kickMail();
  return result;
}

/**
 * A new confirmation link (7 days, single use) and the mail that carries it, queued in the caller's
 * transaction; no personal data in the subject.
 */
export function queueConfirmation(deps: RequestDeps, request: Pick<RequestRecord, 'id' | 'reference' | 'lang' | 'receivedOn' | 'dueOn' | 'extendedDueOn' | 'organisationId'>, earlier?: Pick<RequestRecord, 'reference' | 'createdAt'>): void {
  const link = newConfirmationLink(deps, request, CONFIRMATION_DAYS);
  const vars = { link, reference: request.reference, days: CONFIRMATION_DAYS, due: dueDates(deps, request).due, ...(earlier ? { earlierReference: earlier.reference, earlierDate: earlier.createdAt.slice(0, 10) } : {}) };
  enqueueMail(deps.db, deps.cipher, { requestId: request.id, template: earlier ? 'confirm_again' : 'confirm', vars, now: deps.now() });
}

/** Sends a mail at once, outside the outbox: only for a request about to be deleted. */
async function mailNow(deps: RequestDeps, request: RequestRecord, template: string, vars: Record<string, string | number>): Promise<void> {
  const identity = decryptIdentity(deps, request);
  if (!identity?.email) return;
  try {
    await deps.mailer.send({ to: identity.email, ...renderMail(deps.i18n, request.lang, template, vars), messageId: `<${template}.${request.id}@${deps.config.publicUrl.hostname}>` });
  } catch (err) {
    deps.logger.error('mail not sent', { template, requestId: request.id, error: (err as Error).name });
  }
}

/* ---------- Confirmation ---------- */

/** Whether a confirmation link still works, to show the confirm button or an explanation. */
export function confirmationIsUsable(deps: RequestDeps, token: string): boolean {
  return /^[A-Za-z0-9_-]{40,64}$/.test(token) && tokenIsUsable(deps.db, hash(token), 'confirm', deps.now().toISOString());
}

export function confirmRequest(deps: RequestDeps, token: string): RequestRecord | undefined {
  if (!/^[A-Za-z0-9_-]{40,64}$/.test(token)) return undefined;
  const now = deps.now().toISOString();
  const confirmed = deps.db.transaction(
    (tx) => {
      const db = tx as unknown as Db;
      const requestId = consumeToken(db, hash(token), 'confirm', now);
      if (!requestId) return undefined;
      const request = requestById(db, requestId);
      if (!request || request.status !== 'a_confirmer') return request;
      // One confirmation for the whole submission: every body that must answer gets its request.
      for (const part of requestsOfGroup(db, request)) {
        if (part.status !== 'a_confirmer') continue;
        updateRequest(db, part.id, { status: 'recue', confirmedAt: now });
        addEvent(db, { requestId: part.id, kind: 'confirmed', at: now, actor: 'person' });
        // Only confirmed requests are forwarded (DESIGN §6): the outbox rows are written with the confirmation.
        queueDeliveries({ ...deps, db }, requestById(db, part.id)!);
      }
      return requestById(db, requestId);
    },
    { behavior: 'immediate' },
  );
  if (confirmed?.status === 'recue') deps.kickDeliveries?.();
  return confirmed;
}

/**
 * The legal due dates (server/services/request-clock.ts): until the request is received, the dates it
 * would have if received today.
 */
export function dueDates(deps: Pick<RequestDeps, 'db' | 'now'>, request: Partial<Pick<RequestRecord, 'receivedOn' | 'dueOn' | 'extendedDueOn' | 'organisationId'>>): ClockDates {
  return datesOf(deps, request);
}

/* ---------- Tracking ---------- */

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
  deps.db.transaction((tx) => queueTrackingMail({ ...deps, db: tx as unknown as Db }, request), { behavior: 'immediate' });
  deps.kickMail();
}

function queueTrackingMail(deps: RequestDeps, request: RequestRecord): void {
  const link = newTrackingLink(deps, request, TRACKING_LINK_MINUTES);
  enqueueMail(deps.db, deps.cipher, { requestId: request.id, template: 'track', vars: { link, reference: request.reference, minutes: TRACKING_LINK_MINUTES }, now: deps.now() });
}

export function openTrackingLink(deps: RequestDeps, token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{40,64}$/.test(token)) return undefined;
  return deps.db.transaction((tx) => consumeToken(tx as unknown as Db, hash(token), 'track', deps.now().toISOString()), { behavior: 'immediate' });
}

export type TrackingView = {
  request: RequestRecord;
  recipientName: string | undefined;
  projectTitle: string | undefined;
  /** `message`: the organisation's words to the person; `detail`: the outcome of an answer or the code of a refusal. */
  events: TrackingEvent[];
  dates: ReturnType<typeof dueDates>;
  overdue: boolean;
  canWithdraw: boolean;
  /** Every request of the submission (one per body that answers), this one included. */
  parts: RequestPart[];
  /** Controllers told of the request without the person's identity. */
  notified: string[];
  /** Whether the request could be delivered to the body that answers: told to the person in words. */
  delivery: 'delivered' | 'waiting' | 'retrying' | 'dead';
};

export type TrackingEvent = { kind: string; at: string; message?: string; detail?: string | null; /** A refusal told after the first month (GDPR art. 12(4)). */ late?: boolean; /** Documents that came with an answer: downloaded at /suivi/document/<id>. */ documents?: { id: string; filename: string; contentType: string; size: number }[] };

/** The events whose message is shown on the tracking page: the organisation's words, and the person's own answers. */
const MESSAGES_FOR_PERSON = new Set(['clarification_asked', 'clarification_answered', 'extended', 'answered', 'refused']);

export function trackingView(deps: RequestDeps, requestId: string): TrackingView | undefined {
  const request = requestById(deps.db, requestId);
  if (!request) return undefined;
  const dates = dueDates(deps, request);
  const final = (FINAL_STATUSES as readonly string[]).includes(request.status);
  const events = eventsOf(deps.db, requestId);
  const documents = attachmentsOf(deps.db, requestId);
  const answers = events.filter((e) => e.kind === 'answered' || e.kind === 'refused');
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
      ...(documents.length > 0 ? { documents: documentsOfEvent(documents, e, answers).map((d) => ({ id: d.id, filename: d.filename, contentType: d.contentType, size: d.size })) } : {}),
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
  const asked = eventsOf(deps.db, requestId).filter((e) => e.kind === 'clarification_asked' && e.messageEnc).at(-1);
  return asked ? deps.cipher.decrypt(asked.messageEnc!, eventMessageContext(requestId, asked.kind, asked.at)) : undefined;
}

/** Records a message on a request's timeline, encrypted. */
export function addMessageEvent(deps: RequestDeps, requestId: string, kind: string, actor: string, message: string): void {
  const at = deps.now().toISOString();
  addEvent(deps.db, { requestId, kind, at, actor, messageEnc: deps.cipher.encrypt(message, eventMessageContext(requestId, kind, at)) });
}

/** The person answers a clarification the controller asked for; the request goes back to the controller. */
export function answerClarification(deps: RequestDeps, requestId: string, answer: string): boolean {
  const done = deps.db.transaction(
    (tx) => {
      const db = tx as unknown as Db;
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
    enqueueMail(deps.db, deps.cipher, { requestId: request.id, template: kind === 'withdrawn' ? 'person_withdrew' : 'person_answered', vars: { reference: request.reference, link }, now, recipient: to });
  }
}

/** The person withdraws their request: every part of the submission that is still open. */
export function withdrawRequest(deps: RequestDeps, requestId: string): boolean {
  const now = deps.now().toISOString();
  const done = deps.db.transaction(
    (tx) => {
      const db = tx as unknown as Db;
      const request = requestById(db, requestId);
      if (!request || (FINAL_STATUSES as readonly string[]).includes(request.status)) return false;
      for (const part of requestsOfGroup(db, request)) {
        if ((FINAL_STATUSES as readonly string[]).includes(part.status)) continue;
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

/* ---------- Housekeeping ---------- */

/** Deletes requests left unconfirmed for 7 days, telling each person first (DESIGN §6). */
export async function purgeUnconfirmed(deps: RequestDeps): Promise<number> {
  const stale = staleUnconfirmed(deps.db, addMs(deps.now(), -CONFIRMATION_DAYS * DAY));
  for (const request of stale) {
    await mailNow(deps, request, 'deleted', { reference: request.reference, days: CONFIRMATION_DAYS });
    deleteRequest(deps.db, request.id);
  }
  return stale.length;
}
