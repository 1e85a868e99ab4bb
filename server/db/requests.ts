/**
 * Over 300 lines: since the formatter (prettier) wrote each query's object on its own lines; one module
 * per table (requests, events, tokens) would split it.
 *
 * Queries of rights requests, drafts, events and single-use tokens. Encryption happens in the service
 * layer: these functions store and return ciphertexts as they are.
 */
import { and, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { applicableDueDate } from '../domain/deadlines';
import type { Status } from '../domain/rights-request';
import type { EventKind } from '../domain/status-machine';
import type { Db } from './client';
import { allPlaceholders, nullColumns, prepared } from './prepared';
import {
  dataSources,
  organisations,
  projects,
  projectSources,
  requestAttachments,
  requestDrafts,
  requestEvents,
  requestTokens,
  rightsRequests,
} from './schema';
import { expireRequestFacts, syncRequestFacts } from './statistics';

export type RequestRecord = typeof rightsRequests.$inferSelect;
export type RequestInsert = typeof rightsRequests.$inferInsert;
export type DraftRecord = typeof requestDrafts.$inferSelect;
export type EventRecord = typeof requestEvents.$inferSelect;

export function draftById(db: Db, id: string, nowIso: string): DraftRecord | undefined {
  return prepared(db, 'draftById', (d) =>
    d
      .select()
      .from(requestDrafts)
      .where(and(eq(requestDrafts.id, sql.placeholder('id')), gt(requestDrafts.expiresAt, sql.placeholder('now'))))
      .prepare(),
  ).get({ id, now: nowIso });
}

export function upsertDraft(db: Db, draft: DraftRecord): void {
  prepared(db, 'upsertDraft', (d) =>
    d
      .insert(requestDrafts)
      .values(allPlaceholders(requestDrafts))
      .onConflictDoUpdate({
        target: requestDrafts.id,
        set: {
          answersEnc: sql.raw('excluded.answers_enc'),
          requestId: sql.raw('excluded.request_id'),
          updatedAt: sql.raw('excluded.updated_at'),
          expiresAt: sql.raw('excluded.expires_at'),
        },
      })
      .prepare(),
  ).run(draft);
}

export function deleteExpiredDrafts(db: Db, nowIso: string): number {
  return db.delete(requestDrafts).where(lt(requestDrafts.expiresAt, nowIso)).run().changes;
}

export function requestById(db: Db, id: string): RequestRecord | undefined {
  return prepared(db, 'requestById', (d) =>
    d
      .select()
      .from(rightsRequests)
      .where(eq(rightsRequests.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id });
}

export function requestByReference(db: Db, reference: string): RequestRecord | undefined {
  return prepared(db, 'requestByReference', (d) =>
    d
      .select()
      .from(rightsRequests)
      .where(eq(rightsRequests.reference, sql.placeholder('reference')))
      .prepare(),
  ).get({ reference });
}

export function requestByIdempotencyKey(db: Db, key: string): RequestRecord | undefined {
  return prepared(db, 'requestByIdempotencyKey', (d) =>
    d
      .select()
      .from(rightsRequests)
      .where(eq(rightsRequests.idempotencyKey, sql.placeholder('key')))
      .prepare(),
  ).get({ key });
}

/** The latest request of the same person (by e-mail index), kind and scope since a date, not withdrawn. */
export function similarRequest(
  db: Db,
  q: { emailIndex: string; kind: string; scope: string; projectId: string | null; organisationId: string | null; sinceIso: string },
): RequestRecord | undefined {
  // `IS` compares like `=` but also matches null to null, so one statement serves every scope.
  return prepared(db, 'similarRequest', (d) =>
    d
      .select()
      .from(rightsRequests)
      .where(
        and(
          eq(rightsRequests.emailIndex, sql.placeholder('emailIndex')),
          eq(rightsRequests.kind, sql.placeholder('kind')),
          eq(rightsRequests.scope, sql.placeholder('scope')),
          sql`${rightsRequests.projectId} is ${sql.placeholder('projectId')}`,
          sql`${rightsRequests.organisationId} is ${sql.placeholder('organisationId')}`,
          gt(rightsRequests.createdAt, sql.placeholder('sinceIso')),
        ),
      )
      .orderBy(desc(rightsRequests.createdAt))
      .prepare(),
  )
    .all(q)
    .find((r) => r.status !== 'retiree');
}

export function insertRequest(db: Db, request: RequestInsert): void {
  // The route leg follows the scope when the caller does not give it (server/domain/routing.ts).
  const part = request.part ?? (request.scope === 'snds' ? 'snds' : request.scope === 'responsable' ? 'controller' : 'identifying');
  const clock = request.clock ?? (part === 'snds' || part === 'pseudonymised' ? 'confirmation' : 'delivery');
  // The date that applies, from the dates given (server/domain/deadlines.ts applicableDueDate).
  const answerDueOn =
    request.answerDueOn ??
    applicableDueDate({ dueOn: request.dueOn ?? null, extendedDueOn: request.extendedDueOn ?? null, extendedAt: request.extendedAt ?? null });
  prepared(db, 'insertRequest', (d) => d.insert(rightsRequests).values(allPlaceholders(rightsRequests)).prepare()).run({
    ...nullColumns(rightsRequests),
    ...request,
    part,
    clock,
    answerDueOn,
  });
  // The public figures' aggregates change in the same transaction (db/statistics.ts).
  syncRequestFacts(db, request.id);
}

/** The columns the public figures read (db/statistics.ts factsOf): a change to another column leaves them be. */
const FACT_COLUMNS = new Set<string>([
  'status',
  'organisationId',
  'kind',
  'scope',
  'confirmedAt',
  'receivedOn',
  'dueOn',
  'extendedDueOn',
  'extendedAt',
  'answerDueOn',
  'closedAt',
]);

export function updateRequest(db: Db, id: string, changes: Partial<RequestInsert>): void {
  db.update(rightsRequests).set(changes).where(eq(rightsRequests.id, id)).run();
  if (Object.keys(changes).some((k) => FACT_COLUMNS.has(k))) syncRequestFacts(db, id);
}

export function addEvent(
  db: Db,
  event: { requestId: string; kind: EventKind; at: string; actor: string; messageEnc?: string | null; detail?: string | null },
): number {
  const { lastInsertRowid } = prepared(db, 'addEvent', (d) =>
    d
      .insert(requestEvents)
      .values({
        requestId: sql.placeholder('requestId'),
        kind: sql.placeholder('kind'),
        at: sql.placeholder('at'),
        actor: sql.placeholder('actor'),
        messageEnc: sql.placeholder('messageEnc'),
        detail: sql.placeholder('detail'),
      })
      .prepare(),
  ).run({ messageEnc: null, detail: null, ...event });
  if (event.kind === 'refused') syncRequestFacts(db, event.requestId, event);
  return Number(lastInsertRowid);
}

export function eventsOf(db: Db, requestId: string): EventRecord[] {
  return db.select().from(requestEvents).where(eq(requestEvents.requestId, requestId)).orderBy(requestEvents.at, requestEvents.id).all();
}

export function insertToken(db: Db, token: typeof requestTokens.$inferInsert): void {
  prepared(db, 'insertToken', (d) => d.insert(requestTokens).values(allPlaceholders(requestTokens)).prepare()).run({ ...nullColumns(requestTokens), ...token });
}

/** Marks a token used, once: returns the request id only if the token was valid, unused and unexpired. */
export function consumeToken(db: Db, tokenHash: string, purpose: 'confirm' | 'track', nowIso: string): string | undefined {
  const row = db
    .update(requestTokens)
    .set({ usedAt: nowIso })
    .where(and(eq(requestTokens.tokenHash, tokenHash), eq(requestTokens.purpose, purpose), isNull(requestTokens.usedAt), gt(requestTokens.expiresAt, nowIso)))
    .returning({ requestId: requestTokens.requestId })
    .get();
  return row?.requestId;
}

/** The request of a token used since a time: what the page after a confirmation shows. */
export function requestOfUsedToken(db: Db, tokenHash: string, purpose: 'confirm' | 'track', sinceIso: string): string | undefined {
  return db
    .select({ requestId: requestTokens.requestId })
    .from(requestTokens)
    .where(and(eq(requestTokens.tokenHash, tokenHash), eq(requestTokens.purpose, purpose), gte(requestTokens.usedAt, sinceIso)))
    .get()?.requestId;
}

export function tokenIsUsable(db: Db, tokenHash: string, purpose: 'confirm' | 'track', nowIso: string): boolean {
  return !!db
    .select({ h: requestTokens.tokenHash })
    .from(requestTokens)
    .where(and(eq(requestTokens.tokenHash, tokenHash), eq(requestTokens.purpose, purpose), isNull(requestTokens.usedAt), gt(requestTokens.expiresAt, nowIso)))
    .get();
}

/** Unconfirmed requests created before a date: to delete after telling the person. */
export function staleUnconfirmed(db: Db, beforeIso: string): RequestRecord[] {
  return db
    .select()
    .from(rightsRequests)
    .where(and(eq(rightsRequests.status, 'a_confirmer'), lt(rightsRequests.createdAt, beforeIso)))
    .all();
}

export function deleteRequest(db: Db, id: string, nowIso: string = new Date().toISOString()): void {
  // Its facts stay, without any personal data: it counts as never confirmed (db/statistics.ts).
  expireRequestFacts(db, id, nowIso);
  db.delete(rightsRequests).where(eq(rightsRequests.id, id)).run();
}

export function projectTitle(db: Db, id: string): { id: string; title: string; organisationId: string; organisationName: string } | undefined {
  return db
    .select({ id: projects.id, title: projects.titreClair, organisationId: organisations.id, organisationName: organisations.name })
    .from(projects)
    .innerJoin(organisations, eq(organisations.id, projects.responsableId))
    .where(eq(projects.id, id))
    .get();
}

/** What routing needs of a project: its controller and its sources, each identifying or not (server/domain/routing.ts). */
export function projectRouting(db: Db, id: string): { controllerId: string; sources: { id: string; name: string; identifying: boolean }[] } | undefined {
  const p = db.select({ controllerId: projects.responsableId }).from(projects).where(eq(projects.id, id)).get();
  if (!p) return undefined;
  const sources = db
    .select({ id: dataSources.id, name: dataSources.name, identifying: dataSources.identifiante })
    .from(projectSources)
    .innerJoin(dataSources, eq(dataSources.id, projectSources.sourceId))
    .where(eq(projectSources.projectId, id))
    .orderBy(dataSources.name)
    .all();
  return { controllerId: p.controllerId, sources };
}

/** The calendar zone of an organisation's place (mainland France when unknown). */
export function organisationZone(db: Db, id: string | null): string {
  if (!id) return 'FR';
  return (
    prepared(db, 'organisationZone', (d) =>
      d
        .select({ zone: organisations.zone })
        .from(organisations)
        .where(eq(organisations.id, sql.placeholder('id')))
        .prepare(),
    ).get({ id })?.zone ?? 'FR'
  );
}

/** The requests one submission made (one per body that answers), the first first; just itself outside a group. */
export function requestsOfGroup(db: Db, request: Pick<RequestRecord, 'id' | 'groupId'>): RequestRecord[] {
  if (!request.groupId) {
    const self = requestById(db, request.id);
    return self ? [self] : [];
  }
  const first = request.groupId;
  return db
    .select()
    .from(rightsRequests)
    .where(eq(rightsRequests.groupId, first))
    .all()
    .sort((a, b) => (a.id === first ? -1 : b.id === first ? 1 : a.reference.localeCompare(b.reference)));
}

export function organisationName(db: Db, id: string): string | undefined {
  return db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, id)).get()?.name;
}

export function allOrganisations(db: Db): { id: string; name: string }[] {
  return db.select({ id: organisations.id, name: organisations.name }).from(organisations).orderBy(organisations.name).all();
}

/**
 * Erases the identity data and free text of requests closed before a date; keeps what statistics and
 * proof need (kind, scope, recipient, dates, statuses). Returns how many requests were erased.
 */
export function eraseClosedBefore(db: Db, beforeIso: string, nowIso: string, finalStatuses: readonly Status[]): number {
  const ids = db
    .select({ id: rightsRequests.id })
    .from(rightsRequests)
    .where(
      and(
        inArray(rightsRequests.status, [...finalStatuses]),
        isNotNull(rightsRequests.closedAt),
        lt(rightsRequests.closedAt, beforeIso),
        isNull(rightsRequests.erasedAt),
      ),
    )
    .all()
    .map((r) => r.id);
  if (ids.length === 0) return 0;
  db.update(rightsRequests)
    .set({ identityEnc: null, detailsEnc: null, extensionReasonEnc: null, emailIndex: null, nirIndex: null, erasedAt: nowIso })
    .where(inArray(rightsRequests.id, ids))
    .run();
  db.update(requestEvents).set({ messageEnc: null }).where(inArray(requestEvents.requestId, ids)).run();
  db.delete(requestTokens).where(inArray(requestTokens.requestId, ids)).run();
  // Documents the organisation attached to its answer are the person's data too.
  db.delete(requestAttachments).where(inArray(requestAttachments.requestId, ids)).run();
  return ids.length;
}
