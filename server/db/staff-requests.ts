/**
 * Queries of the back office's request queue, request page and answer documents.
 *
 * The queue must answer in a few milliseconds with a million stored requests. It is ordered by the date
 * the answer is due now, stored on the request (`answer_due_on`, see server/domain/deadlines.ts
 * applicableDueDate), so one index range gives the order: `rights_requests_open_queue_idx`
 * (organisation_id, answer_due_on) over the requests still awaiting an answer for the default queue,
 * `rights_requests_org_idx` (organisation_id, status, answer_due_on) for one status, and their
 * organisation-less twins for administrators. SQLite reads the range in order and stops at LIMIT.
 * The status list is written as literals (a closed list of the domain's statuses, never user input), so
 * SQLite can match the partial index's own `status in (...)` term.
 *
 * SQLite-only: `rowid` breaks ties and keys pages (the indexes end with it). With PostgreSQL, add the
 * primary key to the end of those indexes and use it instead.
 */
import { and, asc, eq, gte, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { OPEN_STATUSES, STATUSES, type Kind, type Status } from '../domain/rights-request';
import type { Db } from './client';
import { deliveries, organisationChannels, organisations, projects, requestAttachments, requestEvents, rightsRequests } from './schema';

const rowid = sql<number>`${rightsRequests}.rowid`;
// Columns for sql`` fragments, qualified by hand: there drizzle writes a column of a one-table query
// without its table, which a subquery would read as its own.
const dueQ = sql`${rightsRequests}.answer_due_on`;

export type QueueFilter = {
  /** Undefined: every organisation (administrators). */
  organisationId?: string;
  /** The statuses shown; never empty. */
  statuses: readonly Status[];
  kind?: Kind;
  /** One request by its reference (the queue's search). */
  reference?: string;
  /** The effective due date (extended one for `prolongee`) within these bounds, inclusive, YYYY-MM-DD. */
  due?: { from?: string; to?: string };
};

/** The conditions every arm shares: organisation and kind. */
function common(f: QueueFilter): SQL[] {
  const c: SQL[] = [];
  if (f.organisationId !== undefined) c.push(eq(rightsRequests.organisationId, f.organisationId));
  if (f.kind) c.push(eq(rightsRequests.kind, f.kind));
  if (f.reference) c.push(eq(rightsRequests.reference, f.reference));
  return c;
}

/** The statuses as SQL literals, from the domain's closed list (so a partial index's term matches). */
function statusIn(statuses: readonly Status[]): SQL {
  if (!statuses.every((st) => STATUSES.includes(st))) throw new RangeError('unknown status');
  return sql.raw(`${'rights_requests'}.status in (${statuses.map((st) => `'${st}'`).join(', ')})`);
}

/** The queue's condition: organisation, kind, reference, statuses, and the due date that applies within bounds. */
function queueWhere(f: QueueFilter): SQL {
  return and(
    ...common(f),
    statusIn(f.statuses),
    f.due?.from ? gte(rightsRequests.answerDueOn, f.due.from) : undefined,
    f.due?.to ? lte(rightsRequests.answerDueOn, f.due.to) : undefined,
  )!;
}

type Key = { rid: number; eff: string | null };

/**
 * One batch in (answer_due_on, rowid) order after a position (keyset pagination, so a batch costs the
 * same at the start and at the end): the requests without a due date first, then the others. `select`
 * runs the query for a condition and a row count, in (answer_due_on, rowid) order.
 */
function keysetBatch<T>(
  select: (where: SQL | undefined, n: number) => T[],
  where: SQL | undefined,
  after: { due: string | null; rid: number } | null,
  size: number,
): T[] {
  if (!after) return select(where, size);
  if (after.due === null) {
    const undated = select(and(where, isNull(rightsRequests.answerDueOn), sql`${rowid} > ${after.rid}`), size);
    if (undated.length === size) return undated;
    return [...undated, ...select(and(where, sql`${dueQ} is not null`), size - undated.length)];
  }
  return select(and(where, sql`(${dueQ}, ${rowid}) > (${after.due}, ${after.rid})`), size);
}

/**
 * Every organisation's open requests: the partial index over them by due date gives the order. Named
 * (`INDEXED BY`, SQLite) because without statistics the planner may take the status index and sort
 * the open requests in a temporary tree; the index covers exactly OPEN_STATUSES.
 */
function readsOpenDueIndex(f: QueueFilter): boolean {
  return f.organisationId === undefined && !f.reference && f.statuses.length === OPEN_STATUSES.length && OPEN_STATUSES.every((st) => f.statuses.includes(st));
}

/** The first `limit` requests of the queue, in due order: their rowids and due dates. */
export function queueKeys(db: Db, f: QueueFilter, limit: number): Key[] {
  if (readsOpenDueIndex(f))
    return db.all<Key>(
      sql`select ${rowid} as rid, ${dueQ} as eff from rights_requests indexed by rights_requests_open_due_idx where ${queueWhere(f)} order by ${dueQ}, ${rowid} limit ${limit}`,
    );
  return db
    .select({ rid: rowid, eff: rightsRequests.answerDueOn })
    .from(rightsRequests)
    .where(queueWhere(f))
    .orderBy(asc(rightsRequests.answerDueOn), rowid)
    .limit(limit)
    .all();
}

/** How many requests the queue holds, counting no further than `cap + 1` (so "more than cap" shows). */
export function queueCount(db: Db, f: QueueFilter, cap: number): number {
  const sub = db
    .select({ one: sql`1` })
    .from(rightsRequests)
    .where(queueWhere(f))
    .limit(cap + 1)
    .as('q');
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(sub)
      .get()?.n ?? 0
  );
}

export type QueueRecord = {
  rid: number;
  id: string;
  reference: string;
  kind: string;
  scope: string;
  projectId: string | null;
  projectTitle: string | null;
  organisationId: string | null;
  organisationName: string | null;
  status: string;
  createdAt: string;
  receivedOn: string | null;
  dueOn: string | null;
  extendedDueOn: string | null;
  /** The date the answer is due now, and when the period was extended (null: not extended). */
  answerDueOn: string | null;
  extendedAt: string | null;
  /** The person acted since the organisation last opened the request (answered, withdrew). */
  personUpdate: string | null;
};

const queueColumns = {
  rid: rowid,
  id: rightsRequests.id,
  reference: rightsRequests.reference,
  kind: rightsRequests.kind,
  scope: rightsRequests.scope,
  projectId: rightsRequests.projectId,
  projectTitle: projects.titreClair,
  organisationId: rightsRequests.organisationId,
  organisationName: organisations.name,
  status: rightsRequests.status,
  createdAt: rightsRequests.createdAt,
  receivedOn: rightsRequests.receivedOn,
  dueOn: rightsRequests.dueOn,
  extendedDueOn: rightsRequests.extendedDueOn,
  answerDueOn: rightsRequests.answerDueOn,
  extendedAt: rightsRequests.extendedAt,
  personUpdate: rightsRequests.personUpdate,
};

/** The rows of one page, by rowid, with their project's title and organisation's name; in the order given. */
export function queueRecords(db: Db, rids: number[]): QueueRecord[] {
  if (rids.length === 0) return [];
  const rows = db
    .select(queueColumns)
    .from(rightsRequests)
    .leftJoin(projects, eq(projects.id, rightsRequests.projectId))
    .leftJoin(organisations, eq(organisations.id, rightsRequests.organisationId))
    .where(inArray(rowid, rids))
    .all();
  const byRid = new Map(rows.map((r) => [r.rid, r]));
  return rids.flatMap((rid) => byRid.get(rid) ?? []);
}

/**
 * One batch of the CSV export, in due order: first the requests without a due date yet, then the
 * others, each batch starting after the last row of the previous one (keyset pagination, so a batch
 * costs the same at the start and at the end of a long export).
 */
export function exportBatch(db: Db, f: QueueFilter, after: { dueOn: string | null; rid: number } | null, size: number): QueueRecord[] {
  const select = (w: SQL | undefined, n: number) =>
    db
      .select(queueColumns)
      .from(rightsRequests)
      .leftJoin(projects, eq(projects.id, rightsRequests.projectId))
      .leftJoin(organisations, eq(organisations.id, rightsRequests.organisationId))
      .where(w)
      .orderBy(asc(rightsRequests.answerDueOn), rowid)
      .limit(n)
      .all();
  return keysetBatch(select, queueWhere(f), after ? { due: after.dueOn, rid: after.rid } : null, size);
}

/* ---------- One request ---------- */

export type DeliveryView = {
  id: string;
  channelKind: string | null;
  status: string;
  attempts: number;
  createdAt: string;
  deliveredAt: string | null;
  deadAt: string | null;
  lastError: string | null;
};

export function deliveriesWithChannel(db: Db, requestId: string): DeliveryView[] {
  return db
    .select({
      id: deliveries.id,
      channelKind: organisationChannels.kind,
      status: deliveries.status,
      attempts: deliveries.attempts,
      createdAt: deliveries.createdAt,
      deliveredAt: deliveries.deliveredAt,
      deadAt: deliveries.deadAt,
      lastError: deliveries.lastError,
    })
    .from(deliveries)
    .leftJoin(organisationChannels, eq(organisationChannels.id, deliveries.channelId))
    .where(eq(deliveries.requestId, requestId))
    .orderBy(asc(deliveries.createdAt))
    .all();
}

/* ---------- Answer documents ---------- */

export type AttachmentRecord = typeof requestAttachments.$inferSelect;
export type AttachmentMeta = Omit<AttachmentRecord, 'contentEnc'>;

const attachmentMeta = {
  id: requestAttachments.id,
  requestId: requestAttachments.requestId,
  eventId: requestAttachments.eventId,
  filename: requestAttachments.filename,
  contentType: requestAttachments.contentType,
  size: requestAttachments.size,
  createdAt: requestAttachments.createdAt,
};

export function insertAttachment(db: Db, attachment: AttachmentRecord): void {
  db.insert(requestAttachments).values(attachment).run();
}

export function attachmentById(db: Db, id: string): AttachmentRecord | undefined {
  return db.select().from(requestAttachments).where(eq(requestAttachments.id, id)).get();
}

/** A request's documents, without their content. */
export function attachmentsOf(db: Db, requestId: string): AttachmentMeta[] {
  return db.select(attachmentMeta).from(requestAttachments).where(eq(requestAttachments.requestId, requestId)).orderBy(asc(requestAttachments.createdAt)).all();
}

/** The documents that came with a step of the timeline (an answer, a refusal): those linked to it. */
export function documentsOfEvent<D extends { eventId: number }>(documents: D[], event: { id: number }): D[] {
  return documents.filter((d) => d.eventId === event.id);
}
