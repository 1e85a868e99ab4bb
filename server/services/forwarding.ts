/**
 * Routing a confirmed request into the deliveries outbox, in the confirming transaction.
 *
 * Durability: confirming a request writes one outbox row per channel in the same transaction; the
 * delivery worker (server/worker/deliveries.ts) leases due rows and delivers them at least once.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import { channelsOf, insertDelivery } from '../db/deliveries';
import { projectRouting, type RequestRecord } from '../db/requests';
import { UNKNOWN_ORGANISATION_ID, type DeliveryRole } from '../domain/routing';
import { startClock } from './request-clock';

/**
 * One outbox row per enabled channel of the body that must answer and, for a project's pseudonymised
 * sources, one per channel of the project's controller, which is told of the request with no identity
 * (server/domain/routing.ts). An organisation with no channel gets one row without a channel: the worker
 * marks it dead at once and alerts staff, so the request is never silently stuck.
 * The clock starts now when the route says so, or for the portal (server/services/request-clock.ts).
 */
export function queueDeliveries(deps: { db: Db; now: () => Date }, request: RequestRecord): number {
  const now = deps.now().toISOString();
  const answerer = request.organisationId ?? UNKNOWN_ORGANISATION_ID;
  const answerChannels = request.organisationId ? channelsOf(deps.db, request.organisationId).filter((c) => c.enabled) : [];
  const rows: { organisationId: string; channelId: string | null; role: DeliveryRole }[] =
    answerChannels.length > 0
      ? answerChannels.map((c) => ({ organisationId: answerer, channelId: c.id, role: 'answer' }))
      : [{ organisationId: answerer, channelId: null, role: 'answer' }];
  for (const organisationId of notifiedOf(deps, request)) {
    const channels = channelsOf(deps.db, organisationId).filter((c) => c.enabled);
    rows.push(
      ...(channels.length > 0
        ? channels.map((c) => ({ organisationId, channelId: c.id as string | null, role: 'notice' as const }))
        : [{ organisationId, channelId: null, role: 'notice' as const }]),
    );
  }
  for (const row of rows)
    insertDelivery(deps.db, { id: randomUUID(), requestId: request.id, ...row, status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now });
  if (request.clock === 'confirmation' || answerChannels.some((c) => c.kind === 'portal')) startClock(deps, request);
  return rows.length;
}

/** Who is told of a request without answering it: the controller of a project's pseudonymised sources. */
function notifiedOf(deps: { db: Db }, request: RequestRecord): string[] {
  if (request.part !== 'pseudonymised' || !request.projectId) return [];
  const project = projectRouting(deps.db, request.projectId);
  return project && project.controllerId !== request.organisationId ? [project.controllerId] : [];
}
