/**
 * Status updates coming back from recipients: a signed callback, a line of the CNAM's
 * acknowledgement files, or a member of staff in the back office, applied to the request through the
 * status machine (server/domain/status-machine.ts), with its timeline event and the person's mail.
 */
import type { Connectors } from '../../connectors';
import type { StatusUpdate } from '../domain/status-updates';
import type { Config } from '../config';
import { eventMessageContext, extensionReasonContext } from '../crypto/contexts';
import type { FieldCipher } from '../crypto/fields';
import type { Db } from '../db/client';
import { recordUpdateId, requestForOrganisation } from '../db/deliveries';
import { addEvent, organisationName, updateRequest } from '../db/requests';
import { applicableDueDate, todayIn } from '../domain/deadlines';
import { FINAL_STATUSES, type Status } from '../domain/rights-request';
import { applyUpdate } from '../domain/status-machine';
import type { Logger } from '../logger';
import { cnamBatchChannel } from './channels';
import { enqueueMail } from './mail-outbox';
import { startClock } from './request-clock';
import { statusMailLink } from './tracking-links';
import { CNAM_ID } from '../domain/routing';

export type StatusUpdateDeps = { db: Db; cipher: FieldCipher; config: Config; logger: Logger; now: () => Date; connectors: Connectors; kickMail: () => void };

type MachineError = Extract<ReturnType<typeof applyUpdate>, { ok: false }>['error'];
export type UpdateOutcome =
  { ok: true; status: Status; reference: string; eventId: number } | { ok: false; error: 'replayed' | 'unknown_request' | MachineError };

const MAIL_FOR: Record<StatusUpdate['type'], string> = {
  acknowledged: 'acknowledged',
  clarification_requested: 'clarification',
  extended: 'extended',
  answered: 'answered',
  refused: 'refused',
  closed: 'closed',
};

/**
 * Applies a recipient's status update: refused as a whole (nothing changes) when its id was seen, the
 * request is not this organisation's, or the status machine does not allow it; otherwise the request
 * changes, the timeline gets the event (the message encrypted), and the person gets a mail.
 */
export function applyRecipientUpdate(
  deps: Pick<StatusUpdateDeps, 'db' | 'cipher' | 'config' | 'now'>,
  organisationId: string,
  update: StatusUpdate,
  actor: string,
): UpdateOutcome {
  const now = deps.now();
  const nowIso = now.toISOString();
  const refuse = new Error('refused');
  let outcome: UpdateOutcome | undefined;
  try {
    deps.db.transaction(
      (db) => {
        if (!recordUpdateId(db, organisationId, update.id, nowIso)) {
          outcome = { ok: false, error: 'replayed' };
          throw refuse;
        }
        const request = requestForOrganisation(db, organisationId, update.request);
        if (!request) {
          outcome = { ok: false, error: 'unknown_request' };
          throw refuse;
        }
        // Acting on a request is receiving it: a DPO acknowledging a request whose receipt day is still
        // unset (its delivery not yet recorded) starts its clock today (request-clock.ts).
        if (!request.receivedOn && request.status !== 'a_confirmer') startClock({ db, now: deps.now }, request);
        const next = applyUpdate(
          {
            status: request.status,
            receivedOn: request.receivedOn,
            dueOn: request.dueOn,
            extendedDueOn: request.extendedDueOn,
            extended: request.extendedAt !== null,
          },
          update,
          todayIn(now),
        );
        if (!next.ok) {
          outcome = { ok: false, error: next.error };
          throw refuse;
        }
        const final = FINAL_STATUSES.includes(next.status);
        // The one place a status change applies: the extension (GDPR art. 12(3)) is stored on the request,
        // when and why, with the due date it gives (server/domain/deadlines.ts applicableDueDate).
        const extension =
          next.event === 'extended'
            ? {
                extendedAt: nowIso,
                extensionReasonEnc: next.message ? deps.cipher.encrypt(next.message, extensionReasonContext(request.id)) : null,
                answerDueOn: applicableDueDate({ dueOn: request.dueOn, extendedDueOn: request.extendedDueOn, extendedAt: nowIso }),
              }
            : {};
        updateRequest(db, request.id, { status: next.status, ...(final ? { closedAt: nowIso } : {}), ...extension });
        const messageEnc = next.message ? deps.cipher.encrypt(next.message, eventMessageContext(request.id, next.event, nowIso)) : null;
        const eventId = addEvent(db, { requestId: request.id, kind: next.event, at: nowIso, actor, messageEnc, detail: next.detail });
        enqueueMail(db, deps.cipher, {
          requestId: request.id,
          template: MAIL_FOR[update.type],
          vars: {
            reference: request.reference,
            organisation: organisationName(db, organisationId) ?? organisationId,
            trackUrl: statusMailLink({ ...deps, db }, request),
            ...(request.extendedDueOn ? { extendedDue: request.extendedDueOn } : {}),
          },
          now,
        });
        outcome = { ok: true, status: next.status, reference: request.reference, eventId };
      },
      { behavior: 'immediate' },
    );
  } catch (err) {
    if (err !== refuse) throw err;
  }
  return outcome!;
}

/** Reads the CNAM's acknowledgement files and applies each line like a signed callback. */
export async function collectAcknowledgements(deps: StatusUpdateDeps): Promise<number> {
  const cnam = deps.connectors.cnam;
  if (!cnam.collectUpdates) return 0;
  const config = cnamBatchChannel(deps);
  if (!config) return 0;
  const { updates, rejected, done } = await cnam.collectUpdates(config);
  let applied = 0;
  for (const update of updates) {
    const r = applyRecipientUpdate(deps, CNAM_ID, update, 'cnam');
    if (r.ok) applied += 1;
    else deps.logger.warn('acknowledgement refused', { updateId: update.id, error: r.error });
  }
  for (const r of rejected) deps.logger.warn('acknowledgement line rejected', { file: r.file, line: r.line, error: r.error });
  // Every file read is moved out of the inbox, even an empty one, so none is read twice.
  done();
  if (applied > 0) deps.kickMail();
  return applied;
}
