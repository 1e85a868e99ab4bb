/**
 * One delivery attempt and its result: the leased outbox row delivered through its channel's
 * connector, the result recorded (delivered, retried later with backoff, or dead with staff alerted), and
 * a dead row put back in the queue. The worker loop that leases rows is server/worker/deliveries.ts.
 *
 * Durability: a process killed at any point leaves either a pending row (delivered again once its lease
 * runs out, with the same delivery id, so the receiver drops the duplicate) or a recorded result.
 * Delivery is at least once; ids make it effectively once for a receiver that keeps them.
 */
import type { i18n as I18n } from 'i18next';
import type { Connectors } from '../../connectors';
import type { DeliveryResult } from '../../connectors/types';
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
  leaseDueDeliveries,
  nextDueAt,
  updateDelivery,
  type ChannelRecord,
  type DeliveryRecord,
} from '../db/deliveries';
import { addEvent, eventsOf, organisationName, requestById, updateRequest, type RequestRecord } from '../db/requests';
import type { Logger } from '../logger';
import { translatorFor } from '../i18n';
import { channelConfig } from './channels';
import { enqueueMail, retryDelay } from './mail-outbox';
import { startClock } from './request-clock';
import { requestDocument } from './request-document';
import { statusMailLink } from './tracking-links';

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

export type LeasedDelivery = DeliveryRecord;
export type AttemptOutcome = 'delivered' | 'retried' | 'dead';

/** Leases up to `limit` due rows to `owner` for DELIVERY_LEASE_SECONDS: several workers may run, leases keep them apart. */
export function leaseDue(deps: Pick<DeliveryDeps, 'db' | 'config' | 'now'>, owner: string, limit: number): LeasedDelivery[] {
  const now = deps.now();
  const leaseUntil = new Date(now.getTime() + deps.config.delivery.leaseSeconds * 1000).toISOString();
  return leaseDueDeliveries(deps.db, owner, now.toISOString(), leaseUntil, limit);
}

/** When the next row falls due or its lease runs out, if any. */
export function nextAttemptAt(deps: Pick<DeliveryDeps, 'db'>): string | undefined {
  return nextDueAt(deps.db);
}

export async function deliverOne(deps: DeliveryDeps, row: DeliveryRecord): Promise<AttemptOutcome> {
  const request = requestById(deps.db, row.requestId);
  if (!request || request.status === 'retiree' || request.erasedAt) {
    updateDelivery(deps.db, row.id, {
      status: 'dead',
      deadAt: deps.now().toISOString(),
      lastError: request ? `request ${request.status}` : 'request deleted',
      leaseOwner: null,
      leaseUntil: null,
    });
    return 'dead';
  }
  const channel = row.channelId ? channelById(deps.db, row.channelId) : undefined;
  if (!channel) return recordResult(deps, row, request, undefined, { outcome: 'failed', error: 'no channel for this organisation' });
  if (!channel.enabled) return recordResult(deps, row, request, channel, { outcome: 'failed', error: 'channel disabled' });
  const document = requestDocument(deps, request, row.role, row.organisationId);
  if (!document) return recordResult(deps, row, request, channel, { outcome: 'failed', error: 'request not deliverable' });
  let result: DeliveryResult;
  try {
    result = await deps.connectors[channel.kind].deliver(
      { id: row.id, attempt: row.attempts + 1, document, lang: channel.lang === 'en' ? 'en' : 'fr' },
      channelConfig(deps, channel),
    );
  } catch (err) {
    result = { outcome: 'retry', error: `connector error ${(err as Error).name}` };
  }
  return recordResult(deps, row, request, channel, result);
}

async function recordResult(
  deps: DeliveryDeps,
  row: DeliveryRecord,
  request: RequestRecord,
  channel: ChannelRecord | undefined,
  result: DeliveryResult,
): Promise<AttemptOutcome> {
  const now = deps.now();
  const nowIso = now.toISOString();
  const attempts = row.attempts + 1;
  const work = (db: Db): AttemptOutcome => {
    const d = { ...deps, db };
    if (result.outcome === 'delivered') {
      updateDelivery(db, row.id, { status: 'delivered', attempts, deliveredAt: nowIso, lastError: null, leaseOwner: null, leaseUntil: null });
      if (row.role === 'notice') {
        // The controller told of the request: a step of the timeline, once, and no date changes.
        if (!eventsOf(db, request.id).some((e) => e.kind === 'notified' && e.detail === row.organisationId))
          addEvent(db, { requestId: request.id, kind: 'notified', at: nowIso, actor: 'service', detail: row.organisationId });
        deps.logger.info('delivered', { deliveryId: row.id, channel: channel?.kind ?? null, attempts, role: 'notice' });
        return 'delivered';
      }
      const current = requestById(db, request.id)!;
      const { due: dueOn } = startClock(d, current);
      if (current.status === 'recue') updateRequest(db, request.id, { status: 'transmise' });
      // Once per request, whatever its status: a recipient may acknowledge before its 2xx is recorded.
      if (!eventsOf(db, request.id).some((e) => e.kind === 'forwarded')) {
        addEvent(db, { requestId: request.id, kind: 'forwarded', at: nowIso, actor: 'service', detail: row.organisationId });
        enqueueMail(db, deps.cipher, {
          requestId: request.id,
          template: 'forwarded',
          vars: {
            reference: request.reference,
            organisation: organisationName(db, row.organisationId) ?? row.organisationId,
            due: dueOn,
            trackUrl: statusMailLink({ ...deps, db }, request),
          },
          now,
        });
      }
      deps.logger.info('delivered', { deliveryId: row.id, channel: channel?.kind ?? null, attempts });
      return 'delivered';
    }
    const tooOld = now.getTime() - Date.parse(row.createdAt) > deps.config.delivery.maxDays * 86_400_000;
    if (result.outcome === 'retry' && attempts < deps.config.delivery.maxAttempts && !tooOld) {
      // Exponential backoff with full jitter, never sooner than the receiver asked (Retry-After).
      const delay = Math.max(result.retryAfterMs ?? 0, retryDelay(attempts));
      updateDelivery(db, row.id, {
        attempts,
        lastError: result.error,
        nextAttemptAt: new Date(now.getTime() + delay).toISOString(),
        leaseOwner: null,
        leaseUntil: null,
      });
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
  return deps.groupCommit ? deps.groupCommit(() => work(deps.db)) : deps.db.transaction((tx) => work(tx), { behavior: 'immediate' });
}

/** One mail per administrator, queued in the same transaction as the dead row. */
function alertStaff(deps: DeliveryDeps, row: DeliveryRecord, request: RequestRecord, channel: ChannelRecord | undefined, error: string, attempts: number) {
  for (const to of deps.config.adminEmails) {
    enqueueMail(deps.db, deps.cipher, {
      requestId: request.id,
      template: 'delivery_dead',
      // Staff mails are written in French (mail-outbox.ts); "after several attempts" only when there were several.
      vars: {
        reference: request.reference,
        organisation: organisationName(deps.db, row.organisationId) ?? row.organisationId,
        channel: channel?.kind ?? '-',
        error,
        attempts,
        attemptsText: translatorFor(deps.i18n, 'fr').t('mail:delivery_words.attempts', { count: attempts }),
        command: `npm run deliveries:retry -- ${row.id}`,
      },
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
  return deps.db.transaction((db) => {
    const row = deliveryById(db, id);
    if (row?.status !== 'dead') return false;
    let channelId = row.channelId;
    if (!(channelId && channelById(db, channelId)?.enabled)) {
      const taken = new Set(deliveriesOf(db, row.requestId).map((d) => d.channelId));
      channelId = channelsOf(db, row.organisationId).find((c) => c.enabled && !taken.has(c.id))?.id ?? channelId;
    }
    updateDelivery(db, id, {
      status: 'pending',
      attempts: 0,
      channelId,
      nextAttemptAt: deps.now().toISOString(),
      deadAt: null,
      leaseOwner: null,
      leaseUntil: null,
    });
    return true;
  });
}
