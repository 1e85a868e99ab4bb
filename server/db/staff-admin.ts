/**
 * Queries of the administrators' pages: organisations with their channel counts, channel
 * settings and state, active staff, dead deliveries.
 */
import { count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from './client';
import { deliveries, organisationChannels, organisations, rightsRequests, users } from './schema';

export type OrganisationSummary = { id: string; name: string; siren: string | null; channels: number; enabledChannels: number };

export function organisationSummaries(db: Db, page: number, pageSize: number): { total: number; rows: OrganisationSummary[] } {
  const total = db.select({ n: count() }).from(organisations).get()?.n ?? 0;
  const rows = db
    .select({
      id: organisations.id,
      name: organisations.name,
      siren: organisations.siren,
      channels: sql<number>`(select count(*) from ${organisationChannels} where ${organisationChannels.organisationId} = ${organisations.id})`,
      enabledChannels: sql<number>`(select count(*) from ${organisationChannels} where ${organisationChannels.organisationId} = ${organisations.id} and ${organisationChannels.enabled} = 1)`,
    })
    .from(organisations)
    .orderBy(organisations.name)
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  return { total, rows };
}

export function organisationChoices(db: Db): { id: string; name: string }[] {
  return db.select({ id: organisations.id, name: organisations.name }).from(organisations).orderBy(organisations.name).all();
}

export function activeUserCount(db: Db): number {
  return db.select({ n: count() }).from(users).where(isNull(users.disabledAt)).get()?.n ?? 0;
}

/** Stores a channel's encrypted settings. */
export function updateChannelConfig(db: Db, id: string, configEnc: string, nowIso: string): void {
  db.update(organisationChannels).set({ configEnc, updatedAt: nowIso }).where(eq(organisationChannels.id, id)).run();
}

/** Turns a channel on (clearing why it was off) or off, with the reason. */
export function updateChannelEnabled(db: Db, id: string, enabled: boolean, disabledReason: string | null, nowIso: string): void {
  db.update(organisationChannels).set({ enabled, disabledReason, updatedAt: nowIso }).where(eq(organisationChannels.id, id)).run();
}

export type DeadLetter = {
  id: string;
  reference: string | null;
  organisationId: string;
  organisationName: string | null;
  channelKind: string | null;
  attempts: number;
  lastError: string | null;
  deadAt: string | null;
};

export function deadLetters(db: Db, page: number, pageSize: number): { total: number; rows: DeadLetter[] } {
  const total = db.select({ n: count() }).from(deliveries).where(eq(deliveries.status, 'dead')).get()?.n ?? 0;
  const rows = db
    .select({
      id: deliveries.id,
      reference: rightsRequests.reference,
      organisationId: deliveries.organisationId,
      organisationName: organisations.name,
      channelKind: organisationChannels.kind,
      attempts: deliveries.attempts,
      lastError: deliveries.lastError,
      deadAt: deliveries.deadAt,
    })
    .from(deliveries)
    .leftJoin(rightsRequests, eq(rightsRequests.id, deliveries.requestId))
    .leftJoin(organisations, eq(organisations.id, deliveries.organisationId))
    .leftJoin(organisationChannels, eq(organisationChannels.id, deliveries.channelId))
    .where(eq(deliveries.status, 'dead'))
    .orderBy(desc(deliveries.deadAt), desc(deliveries.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  return { total, rows };
}
