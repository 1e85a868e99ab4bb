/**
 * Rights requests from the person's side: drafts, submission, address confirmation and the deletion of
 * unconfirmed requests (tracking and withdrawal: services/tracking.ts; where a request goes:
 * services/route-plan.ts). Identity and free text are encrypted before they reach the database
 * (services/identity.ts); only blind indexes of the e-mail and NIR are stored for lookups.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { i18n as I18n } from 'i18next';
import type { Mailer } from '../../connectors/mail';
import type { Config } from '../config';
import type { BlindIndex, FieldCipher } from '../crypto/fields';
import type { Db } from '../db/client';
import type { GroupCommit } from '../db/group-commit';
import {
  addEvent,
  consumeToken,
  deleteRequest,
  draftById,
  insertRequest,
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
import { routeNeedsNir } from '../domain/routing';
import { datesOf, type ClockDates } from './request-clock';
import { planRoute } from './route-plan';
import { createReference } from '../domain/reference';
import { CONFIRMATION_DAYS, DRAFT_HOURS, DUPLICATE_DAYS, STEPS, type Answers } from '../domain/rights-request';
import type { Lang } from '../i18n';
import { draftAnswersContext } from '../crypto/contexts';
import { detailsOf, identityOf } from '../domain/identity';
import { decryptIdentity, encryptDetails, encryptIdentity } from './identity';
import { queueDeliveries } from './forwarding';
import { enqueueMail, renderMail } from './mail-outbox';
import { hashToken, newConfirmationLink } from './tracking-links';
import type { Logger } from '../logger';

export type RequestDeps = {
  db: Db;
  cipher: FieldCipher;
  index: BlindIndex;
  mailer: Mailer;
  config: Config;
  logger: Logger;
  now: () => Date;
  i18n: I18n;
  /** Asks the mail worker to send what was queued. */ kickMail: () => void;
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
    const earlier = similarRequest(db, {
      emailIndex,
      kind: a.kind!,
      scope: a.scope!,
      projectId,
      organisationId: legs[0]!.answerer,
      sinceIso: addMs(now, -DUPLICATE_DAYS * DAY),
    });
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
  const result = deps.groupCommit ? await deps.groupCommit(() => work(deps.db)) : deps.db.transaction((tx) => work(tx), { behavior: 'immediate' });

  deps.kickMail();
  return result;
}

/**
 * A new confirmation link (7 days, single use) and the mail that carries it, queued in the caller's
 * transaction; no personal data in the subject.
 */
export function queueConfirmation(
  deps: RequestDeps,
  request: Pick<RequestRecord, 'id' | 'reference' | 'lang' | 'receivedOn' | 'dueOn' | 'extendedDueOn' | 'organisationId'>,
  earlier?: Pick<RequestRecord, 'reference' | 'createdAt'>,
): void {
  const link = newConfirmationLink(deps, request, CONFIRMATION_DAYS);
  const vars = {
    link,
    reference: request.reference,
    days: CONFIRMATION_DAYS,
    due: dueDates(deps, request).due,
    ...(earlier ? { earlierReference: earlier.reference, earlierDate: earlier.createdAt.slice(0, 10) } : {}),
  };
  enqueueMail(deps.db, deps.cipher, { requestId: request.id, template: earlier ? 'confirm_again' : 'confirm', vars, now: deps.now() });
}

/** Sends a mail at once, outside the outbox: only for a request about to be deleted. */
async function mailNow(deps: RequestDeps, request: RequestRecord, template: string, vars: Record<string, string | number>): Promise<void> {
  const identity = decryptIdentity(deps, request);
  if (!identity?.email) return;
  try {
    await deps.mailer.send({
      to: identity.email,
      ...renderMail(deps.i18n, request.lang, template, vars),
      messageId: `<${template}.${request.id}@${deps.config.publicUrl.hostname}>`,
    });
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
    (db) => {
      const requestId = consumeToken(db, hash(token), 'confirm', now);
      if (!requestId) return undefined;
      const request = requestById(db, requestId);
      if (!request || request.status !== 'a_confirmer') return request;
      // One confirmation for the whole submission: every body that must answer gets its request.
      for (const part of requestsOfGroup(db, request)) {
        if (part.status !== 'a_confirmer') continue;
        updateRequest(db, part.id, { status: 'recue', confirmedAt: now });
        addEvent(db, { requestId: part.id, kind: 'confirmed', at: now, actor: 'person' });
        // Only confirmed requests are forwarded: the outbox rows are written with the confirmation.
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
export function dueDates(
  deps: Pick<RequestDeps, 'db' | 'now'>,
  request: Partial<Pick<RequestRecord, 'receivedOn' | 'dueOn' | 'extendedDueOn' | 'organisationId'>>,
): ClockDates {
  return datesOf(deps, request);
}

/* ---------- Housekeeping ---------- */

/** Deletes requests left unconfirmed for 7 days, telling each person first. */
export async function purgeUnconfirmed(deps: RequestDeps): Promise<number> {
  const stale = staleUnconfirmed(deps.db, addMs(deps.now(), -CONFIRMATION_DAYS * DAY));
  for (const request of stale) {
    await mailNow(deps, request, 'deleted', { reference: request.reference, days: CONFIRMATION_DAYS });
    deleteRequest(deps.db, request.id, deps.now().toISOString());
  }
  return stale.length;
}
