/**
 * Forwarding (DESIGN §7): routing a confirmed request to its recipient's channels, the delivery worker,
 * and the status updates that come back.
 *
 * Durability: confirming a request writes one outbox row per channel in the same transaction
 * (queueDeliveries). The worker leases due rows, calls the channel's connector and records the result;
 * a process killed at any point leaves either a pending row (delivered again once its lease runs out,
 * with the same delivery id, so the receiver drops the duplicate) or a recorded result. Delivery is
 * at least once; ids make it effectively once for a receiver that keeps them.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { i18n as I18n } from 'i18next';
import type { Connectors } from '../../connectors';
import type { ChannelConfig, DeliveryResult, RequestDocument, StatusUpdate } from '../../connectors/types';
import { REQUEST_SCHEMA_ID } from '../api/request-schema';
import type { Config } from '../config';
import type { FieldCipher } from '../crypto/fields';
import type { Db } from '../db/client';
import type { GroupCommit } from '../db/group-commit';
import {
  channelById,
  channelsOf,
  deliveriesOf,
  deliveryById,
  disableChannel,
  insertChannel,
  insertDelivery,
  leaseDueDeliveries,
  nextDueAt,
  recordUpdateId,
  requestForOrganisation,
  updateDelivery,
  type ChannelRecord,
  type DeliveryRecord,
} from '../db/deliveries';
import { addEvent, eventsOf, organisationName, projectRouting, projectTitle, requestById, updateRequest, type RequestRecord } from '../db/requests';
import { applicableDueDate, todayIn } from '../domain/deadlines';
import { CNAM_ID, documentParts, type DeliveryRole } from '../domain/routing';
import { datesOf, startClock } from './request-clock';
import { newTrackingLink } from './tracking-links';
import { FINAL_STATUSES, type Status } from '../domain/rights-request';
import { applyUpdate } from '../domain/status-machine';
import type { Logger } from '../logger';
import { translatorFor } from '../i18n';
import { enqueueMail, retryDelay } from './mail-outbox';
import { decryptDetails, decryptIdentity, eventMessageContext, extensionReasonContext } from './rights-requests';

export type DeliveryDeps = {
  db: Db;
  cipher: FieldCipher;
  config: Config;
  logger: Logger;
  now: () => Date;
  i18n: I18n;
  connectors: Connectors;
  kickMail: () => void;
  /** Shares one durable commit among results recorded together; without it, a transaction each. */
  groupCommit?: GroupCommit;
};

const channelContext = (id: string) => ({ table: 'organisation_channels', column: 'config_enc', rowId: id });

/* ---------- Channels ---------- */

export function addChannel(deps: Pick<DeliveryDeps, 'db' | 'cipher' | 'now'>, organisationId: string, config: ChannelConfig, lang: 'fr' | 'en' = 'fr'): string {
  const id = randomUUID();
  const now = deps.now().toISOString();
  insertChannel(deps.db, { id, organisationId, kind: config.kind, configEnc: deps.cipher.encrypt(JSON.stringify(config), channelContext(id)), lang, enabled: true, createdAt: now, updatedAt: now });
  return id;
}

export function channelConfig(deps: Pick<DeliveryDeps, 'cipher'>, channel: ChannelRecord): ChannelConfig {
  return JSON.parse(deps.cipher.decrypt(channel.configEnc, channelContext(channel.id))) as ChannelConfig;
}

/** Every webhook secret an organisation's enabled channels hold: callbacks are signed with one of them. */
export function callbackSecrets(deps: Pick<DeliveryDeps, 'db' | 'cipher'>, organisationId: string): string[] {
  return channelsOf(deps.db, organisationId)
    .filter((c) => c.enabled && (c.kind === 'webhook' || c.kind === 'cnam'))
    .flatMap((c) => {
      const config = channelConfig(deps, c);
      return 'secrets' in config ? config.secrets : [];
    });
}

/* ---------- Routing, in the confirming transaction ---------- */

/**
 * One outbox row per enabled channel of the body that must answer and, for a project's pseudonymised
 * sources, one per channel of the project's controller, which is told of the request with no identity
 * (server/domain/routing.ts). An organisation with no channel gets one row without a channel: the worker
 * marks it dead at once and alerts staff, so the request is never silently stuck.
 * The clock starts now when the route says so, or for the portal (server/services/request-clock.ts).
 */
export function queueDeliveries(deps: Pick<DeliveryDeps, 'db' | 'now'>, request: RequestRecord): number {
  const now = deps.now().toISOString();
  const answerer = request.organisationId ?? 'inconnu';
  const answerChannels = request.organisationId ? channelsOf(deps.db, request.organisationId).filter((c) => c.enabled) : [];
  const rows: { organisationId: string; channelId: string | null; role: DeliveryRole }[] = answerChannels.length > 0 ? answerChannels.map((c) => ({ organisationId: answerer, channelId: c.id, role: 'answer' })) : [{ organisationId: answerer, channelId: null, role: 'answer' }];
  for (const organisationId of notifiedOf(deps, request)) {
    const channels = channelsOf(deps.db, organisationId).filter((c) => c.enabled);
    rows.push(...(channels.length > 0 ? channels.map((c) => ({ organisationId, channelId: c.id as string | null, role: 'notice' as const })) : [{ organisationId, channelId: null, role: 'notice' as const }]));
  }
  for (const row of rows) insertDelivery(deps.db, { id: randomUUID(), requestId: request.id, ...row, status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now });
  if (request.clock === 'confirmation' || answerChannels.some((c) => c.kind === 'portal')) startClock(deps, request);
  return rows.length;
}

/** Who is told of a request without answering it: the controller of a project's pseudonymised sources. */
function notifiedOf(deps: Pick<DeliveryDeps, 'db'>, request: RequestRecord): string[] {
  if (request.part !== 'pseudonymised' || !request.projectId) return [];
  const project = projectRouting(deps.db, request.projectId);
  return project && project.controllerId !== request.organisationId ? [project.controllerId] : [];
}

/* ---------- The request document ---------- */

/**
 * The document one recipient receives (version 2 of /api/v1/schemas/request.json): the body that answers
 * gets the identity (with the NIR only through the CNAM); a notified controller gets what the request is
 * about and who answers it, and nothing about the person (server/domain/routing.ts, documentParts).
 */
export function requestDocument(deps: Pick<DeliveryDeps, 'db' | 'cipher' | 'config' | 'now'>, request: RequestRecord, role: DeliveryRole = 'answer', recipientId: string = request.organisationId ?? ''): RequestDocument | undefined {
  const identity = decryptIdentity(deps, request);
  const details = decryptDetails(deps, request) ?? {};
  if (!identity || !identity.email || !request.organisationId) return undefined;
  const dates = datesOf(deps, request);
  const project = request.projectId ? projectRouting(deps.db, request.projectId) : undefined;
  const projectName = request.projectId ? projectTitle(deps.db, request.projectId) : undefined;
  const sourceIds = new Set((request.sourceIds ?? '').split(';').filter(Boolean));
  const origin = deps.config.publicUrl.origin;
  const throughCnam = request.organisationId === CNAM_ID;
  const parts = documentParts(role, throughCnam ? 'identity_with_nir' : 'identity_without_nir');
  const name = (id: string) => organisationName(deps.db, id) ?? id;
  return {
    $schema: origin + REQUEST_SCHEMA_ID,
    version: 2,
    id: request.id,
    reference: request.reference,
    role,
    part: request.part as RequestDocument['part'],
    kind: request.kind as RequestDocument['kind'],
    scope: request.scope as RequestDocument['scope'],
    project: projectName ? { id: projectName.id, title: projectName.title } : null,
    sources: (project?.sources ?? []).filter((s) => sourceIds.has(s.id)).map((s) => ({ id: s.id, name: s.name, identifying: s.identifying })),
    organisation: { id: recipientId, name: name(recipientId) },
    answered_by: { id: request.organisationId, name: name(request.organisationId) },
    identity_step: throughCnam ? 'cnam' : 'controller',
    on_behalf: request.onBehalf as RequestDocument['on_behalf'],
    insurance_scheme: parts.nir ? ((request.insuranceScheme ?? null) as RequestDocument['insurance_scheme']) : null,
    language: request.lang === 'en' ? 'en' : 'fr',
    identity: parts.identity
      ? {
          last_name: identity.lastName ?? '',
          first_names: identity.firstNames ?? '',
          birth_name: identity.birthName || null,
          birth_date: identity.birthDate ?? '',
          birth_place: identity.birthPlace || null,
          nir: parts.nir ? identity.nir || null : null,
          email: identity.email,
          postal_address: identity.postalAddress || null,
          requester_name: identity.requesterName || null,
          relationship: identity.relationship || null,
        }
      : null,
    details: parts.details
      ? {
          reason: details.reason || null,
          wrong_data: details.wrongData || null,
          correct_data: details.correctData || null,
          access_scope: details.accessScope || null,
          other_details: details.otherDetails || null,
        }
      : null,
    submitted_at: request.createdAt,
    confirmed_at: request.confirmedAt ?? request.createdAt,
    received_on: dates.received,
    // The end of the first month: the day by which to answer or to tell the person of an extension.
    due_on: request.dueOn ?? dates.due,
    callback_url: role === 'answer' ? `${origin}/api/v1/callbacks/${encodeURIComponent(request.organisationId)}` : null,
  };
}

/* ---------- The worker ---------- */

/**
 * The link a status mail carries: a tracking link of its own, valid 7 days and once, so the person reads
 * the news without going through /suivi again (the same rules as the links /suivi sends otherwise).
 */
const STATUS_MAIL_LINK_MINUTES = 7 * 24 * 60;
const trackUrl = (deps: { db: Db; config: Config; now: () => Date }, request: { id: string; lang: string }) => newTrackingLink(deps, request, STATUS_MAIL_LINK_MINUTES);

/** Delivers what is due; returns what happened. Several workers may run: leases keep them apart. */
export async function deliverDue(deps: DeliveryDeps, owner: string, limit = 20): Promise<{ delivered: number; retried: number; dead: number }> {
  const now = deps.now();
  const leaseUntil = new Date(now.getTime() + deps.config.delivery.leaseSeconds * 1000).toISOString();
  const leased = leaseDueDeliveries(deps.db, owner, now.toISOString(), leaseUntil, limit);
  const counts = { delivered: 0, retried: 0, dead: 0 };
  await Promise.all(
    leased.map(async (row) => {
      const outcome = await deliverOne(deps, row);
      counts[outcome] += 1;
    }),
  );
  if (leased.length > 0) deps.kickMail();
  return counts;
}

async function deliverOne(deps: DeliveryDeps, row: DeliveryRecord): Promise<'delivered' | 'retried' | 'dead'> {
  const request = requestById(deps.db, row.requestId);
  if (!request || request.status === 'retiree' || request.erasedAt) {
    updateDelivery(deps.db, row.id, { status: 'dead', deadAt: deps.now().toISOString(), lastError: request ? `request ${request.status}` : 'request deleted', leaseOwner: null, leaseUntil: null });
    return 'dead';
  }
  const channel = row.channelId ? channelById(deps.db, row.channelId) : undefined;
  if (!channel) return recordResult(deps, row, request, undefined, { outcome: 'failed', error: 'no channel for this organisation' });
  if (!channel.enabled) return recordResult(deps, row, request, channel, { outcome: 'failed', error: 'channel disabled' });
  const document = requestDocument(deps, request, row.role, row.organisationId);
  if (!document) return recordResult(deps, row, request, channel, { outcome: 'failed', error: 'request not deliverable' });
  let result: DeliveryResult;
  try {
    result = await deps.connectors[channel.kind].deliver({ id: row.id, attempt: row.attempts + 1, document, lang: channel.lang === 'en' ? 'en' : 'fr' }, channelConfig(deps, channel));
  } catch (err) {
    result = { outcome: 'retry', error: `connector error ${(err as Error).name}` };
  }
  return recordResult(deps, row, request, channel, result);
}

async function recordResult(deps: DeliveryDeps, row: DeliveryRecord, request: RequestRecord, channel: ChannelRecord | undefined, result: DeliveryResult): Promise<'delivered' | 'retried' | 'dead'> {
  const now = deps.now();
  const nowIso = now.toISOString();
  const attempts = row.attempts + 1;
  const work = (db: Db): 'delivered' | 'retried' | 'dead' => {
      const d = { ...deps, db };
      if (result.outcome === 'delivered') {
        updateDelivery(db, row.id, { status: 'delivered', attempts, deliveredAt: nowIso, lastError: null, leaseOwner: null, leaseUntil: null });
        if (row.role === 'notice') {
          // The controller told of the request: a step of the timeline, once, and no date changes.
          if (!eventsOf(db, request.id).some((e) => e.kind === 'notified' && e.detail === row.organisationId)) addEvent(db, { requestId: request.id, kind: 'notified', at: nowIso, actor: 'service', detail: row.organisationId });
          deps.logger.info('delivered', { deliveryId: row.id, channel: channel?.kind ?? null, attempts, role: 'notice' });
          return 'delivered';
        }
        const current = requestById(db, request.id)!;
        const { due: dueOn } = startClock(d, current);
        if (current.status === 'recue') updateRequest(db, request.id, { status: 'transmise' });
        // Once per request, whatever its status: a recipient may acknowledge before its 2xx is recorded.
        if (!eventsOf(db, request.id).some((e) => e.kind === 'forwarded')) {
          addEvent(db, { requestId: request.id, kind: 'forwarded', at: nowIso, actor: 'service', detail: row.organisationId });
          enqueueMail(db, deps.cipher, { requestId: request.id, template: 'forwarded', vars: { reference: request.reference, organisation: organisationName(db, row.organisationId) ?? row.organisationId, due: dueOn, trackUrl: trackUrl({ ...deps, db }, request) }, now });
        }
        deps.logger.info('delivered', { deliveryId: row.id, channel: channel?.kind ?? null, attempts });
        return 'delivered';
      }
      const tooOld = now.getTime() - Date.parse(row.createdAt) > deps.config.delivery.maxDays * 86_400_000;
      if (result.outcome === 'retry' && attempts < deps.config.delivery.maxAttempts && !tooOld) {
        // Exponential backoff with full jitter, never sooner than the receiver asked (Retry-After).
        const delay = Math.max(result.retryAfterMs ?? 0, retryDelay(attempts));
        updateDelivery(db, row.id, { attempts, lastError: result.error, nextAttemptAt: new Date(now.getTime() + delay).toISOString(), leaseOwner: null, leaseUntil: null });
        deps.logger.warn('delivery failed, will retry', { deliveryId: row.id, channel: channel?.kind ?? null, attempts, error: result.error });
        return 'retried';
      }
      const error = result.outcome === 'retry' ? `${result.error} (gave up after ${attempts} attempts)` : result.error;
      updateDelivery(db, row.id, { status: 'dead', attempts, lastError: error, deadAt: nowIso, leaseOwner: null, leaseUntil: null });
      if (result.outcome === 'disabled' && channel) disableChannel(db, channel.id, error, nowIso);
      alertStaff(d, row, request, channel, error, attempts);
      deps.logger.error('delivery dead', { deliveryId: row.id, channel: channel?.kind ?? null, attempts, error });
      return 'dead';
  };
  // Results that come back together share one durable commit (server/db/group-commit.ts).
  return deps.groupCommit ? deps.groupCommit(() => work(deps.db)) : deps.db.transaction((tx) => work(tx as unknown as Db), { behavior: 'immediate' });
}

/** One mail per administrator, queued in the same transaction as the dead row. */
function alertStaff(deps: DeliveryDeps, row: DeliveryRecord, request: RequestRecord, channel: ChannelRecord | undefined, error: string, attempts: number) {
  for (const to of deps.config.adminEmails) {
    enqueueMail(deps.db, deps.cipher, {
      requestId: request.id,
      template: 'delivery_dead',
      // Staff mails are written in French (mail-outbox.ts); "after several attempts" only when there were several.
      vars: { reference: request.reference, organisation: organisationName(deps.db, row.organisationId) ?? row.organisationId, channel: channel?.kind ?? '-', error, attempts, attemptsText: translatorFor(deps.i18n, 'fr').t('mail:delivery_words.attempts', { count: attempts }), command: `npm run deliveries:retry -- ${row.id}` },
      now: deps.now(),
      recipient: to,
    });
  }
}

/**
 * A dead delivery goes back to the queue, with its attempts reset (command, and later the back office).
 * A row without a usable channel (the organisation had none when the request was confirmed, or the
 * channel has been disabled since) moves to an enabled channel the organisation has now, one this
 * request has no other row on: retrying after fixing the configuration then delivers. The id stays.
 */
export function retryDelivery(deps: Pick<DeliveryDeps, 'db' | 'now'>, id: string): boolean {
  return deps.db.transaction((tx) => {
    const db = tx as unknown as Db;
    const row = deliveryById(db, id);
    if (row?.status !== 'dead') return false;
    let channelId = row.channelId;
    if (!(channelId && channelById(db, channelId)?.enabled)) {
      const taken = new Set(deliveriesOf(db, row.requestId).map((d) => d.channelId));
      channelId = channelsOf(db, row.organisationId).find((c) => c.enabled && !taken.has(c.id))?.id ?? channelId;
    }
    updateDelivery(db, id, { status: 'pending', attempts: 0, channelId, nextAttemptAt: deps.now().toISOString(), deadAt: null, leaseOwner: null, leaseUntil: null });
    return true;
  });
}

/**
 * The worker: up to `concurrency` deliveries in flight, each started as soon as a slot frees, so one
 * slow receiver (up to WEBHOOK_TIMEOUT_MS) never holds up the others. `kick()` asks it to look for due
 * rows now (after a confirmation); otherwise it sleeps until the next row falls due or its lease runs
 * out, at most `pollMs`, and reads the CNAM's acknowledgement files on each wake-up. `stop()` lets the
 * deliveries in flight finish.
 */
export function createDeliveryWorker(deps: DeliveryDeps, options: { pollMs?: number; owner?: string; concurrency?: number } = {}) {
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const pollMs = options.pollMs ?? 5_000;
  const concurrency = options.concurrency ?? 20;
  const inFlight = new Set<Promise<unknown>>();
  let collecting: Promise<unknown> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      kick();
      collect();
    }, ms);
    timer.unref();
  };

  const fill = () => {
    if (stopped) return;
    const free = concurrency - inFlight.size;
    if (free > 0) {
      const now = deps.now();
      const leaseUntil = new Date(now.getTime() + deps.config.delivery.leaseSeconds * 1000).toISOString();
      for (const row of leaseDueDeliveries(deps.db, owner, now.toISOString(), leaseUntil, free)) {
        const run: Promise<unknown> = deliverOne(deps, row)
          .catch((err: Error) => deps.logger.error('delivery worker failed', { name: err.name }))
          .finally(() => {
            inFlight.delete(run);
            deps.kickMail();
            kick();
          });
        inFlight.add(run);
      }
    }
    if (inFlight.size === 0) {
      const next = nextDueAt(deps.db);
      schedule(next ? Math.max(50, Math.min(pollMs, Date.parse(next) - deps.now().getTime())) : pollMs);
    }
  };

  const kick = () => {
    if (stopped) return;
    try {
      fill();
    } catch (err) {
      deps.logger.error('delivery worker failed', { name: (err as Error).name });
      schedule(pollMs);
    }
  };

  // The CNAM's acknowledgement files arrive a few times a day: read on the timer's wake-ups only.
  const collect = () => {
    if (stopped || collecting) return;
    collecting = collectAcknowledgements(deps)
      .catch((err: Error) => deps.logger.error('acknowledgements not read', { name: err.name }))
      .finally(() => (collecting = undefined));
  };

  const settled = async () => {
    while (inFlight.size > 0 || collecting) await Promise.all([...inFlight, collecting]);
  };

  return {
    owner,
    kick: (): void => {
      setImmediate(kick);
    },
    /** Resolves when nothing is in flight (tests, graceful stop). */
    idle: settled,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await settled();
    },
  };
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;

/* ---------- Coming back: status updates ---------- */

type MachineError = Extract<ReturnType<typeof applyUpdate>, { ok: false }>['error'];
export type UpdateOutcome = { ok: true; status: Status; reference: string } | { ok: false; error: 'replayed' | 'unknown_request' | MachineError };

const MAIL_FOR: Record<StatusUpdate['type'], string> = { acknowledged: 'acknowledged', clarification_requested: 'clarification', extended: 'extended', answered: 'answered', refused: 'refused', closed: 'closed' };

/**
 * Applies a recipient's status update: refused as a whole (nothing changes) when its id was seen, the
 * request is not this organisation's, or the status machine does not allow it; otherwise the request
 * changes, the timeline gets the event (the message encrypted), and the person gets a mail.
 */
export function applyRecipientUpdate(deps: Pick<DeliveryDeps, 'db' | 'cipher' | 'config' | 'now'>, organisationId: string, update: StatusUpdate, actor: string): UpdateOutcome {
  const now = deps.now();
  const nowIso = now.toISOString();
  const refuse = new Error('refused');
  let outcome: UpdateOutcome | undefined;
  try {
    deps.db.transaction(
      (tx) => {
        const db = tx as unknown as Db;
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
        const next = applyUpdate({ status: request.status as Status, receivedOn: request.receivedOn, dueOn: request.dueOn, extendedDueOn: request.extendedDueOn, extended: request.extendedAt !== null }, update, todayIn(now));
        if (!next.ok) {
          outcome = { ok: false, error: next.error };
          throw refuse;
        }
        const final = (FINAL_STATUSES as readonly string[]).includes(next.status);
        // The one place a status change applies: the extension (GDPR art. 12(3)) is stored on the request,
        // when and why, with the due date it gives (server/domain/deadlines.ts applicableDueDate).
        const extension =
          next.event === 'extended'
            ? { extendedAt: nowIso, extensionReasonEnc: next.message ? deps.cipher.encrypt(next.message, extensionReasonContext(request.id)) : null, answerDueOn: applicableDueDate({ dueOn: request.dueOn, extendedDueOn: request.extendedDueOn, extendedAt: nowIso }) }
            : {};
        updateRequest(db, request.id, { status: next.status, ...(final ? { closedAt: nowIso } : {}), ...extension });
        const messageEnc = next.message ? deps.cipher.encrypt(next.message, eventMessageContext(request.id, next.event, nowIso)) : null;
        addEvent(db, { requestId: request.id, kind: next.event, at: nowIso, actor, messageEnc, detail: next.detail });
        enqueueMail(db, deps.cipher, {
          requestId: request.id,
          template: MAIL_FOR[update.type],
          vars: { reference: request.reference, organisation: organisationName(db, organisationId) ?? organisationId, trackUrl: trackUrl({ ...deps, db }, request), ...(request.extendedDueOn ? { extendedDue: request.extendedDueOn } : {}) },
          now,
        });
        outcome = { ok: true, status: next.status, reference: request.reference };
      },
      { behavior: 'immediate' },
    );
  } catch (err) {
    if (err !== refuse) throw err;
  }
  return outcome!;
}

/** Reads the CNAM's acknowledgement files and applies each line like a signed callback. */
export async function collectAcknowledgements(deps: DeliveryDeps): Promise<number> {
  const cnam = deps.connectors.cnam;
  if (!cnam.collectUpdates) return 0;
  const config = channelsOf(deps.db, 'cnam')
    .filter((c) => c.enabled && c.kind === 'cnam')
    .map((c) => channelConfig(deps, c))
    .find((c) => c.kind === 'cnam' && c.mode === 'batch');
  if (!config) return 0;
  const { updates, rejected, done } = await cnam.collectUpdates(config);
  let applied = 0;
  for (const update of updates) {
    const r = applyRecipientUpdate(deps, 'cnam', update, 'cnam');
    if (r.ok) applied += 1;
    else deps.logger.warn('acknowledgement refused', { updateId: update.id, error: r.error });
  }
  for (const r of rejected) deps.logger.warn('acknowledgement line rejected', { file: r.file, line: r.line, error: r.error });
  // Every file read is moved out of the inbox, even an empty one, so none is read twice.
  done();
  if (applied > 0) deps.kickMail();
  return applied;
}
