/**
 * Queries of the back office's request queue, request page and answer documents (DESIGN §8, §10).
 *
 * The queue must answer in a few milliseconds with a million stored requests, so every query walks
 * `rights_requests_org_idx` (organisation_id, status, due_on) — or `rights_requests_status_idx`
 * (status, due_on) for administrators looking at every organisation — with an explicit list of statuses:
 * SQLite then reads each status's slice of the index already in due-date order and stops after LIMIT
 * rows, instead of sorting the organisation's whole backlog. Only the page's rows are read in full.
 *
 * The queue is ordered by the date the answer is due: the end of the first month, or, for an extended
 * request (`prolongee`), the end of the three months (GDPR art. 12(3)). Both dates grow with the day of
 * receipt (Regulation 1182/71 never makes a later receipt end earlier), so the `prolongee` slice read in
 * `due_on` order is also in `extended_due_on` order: two index-ordered streams, merged here.
 *
 * SQLite-only: `rowid` breaks ties and keys pages (the indexes end with it). With PostgreSQL, add the
 * primary key to the end of those indexes and use it instead.
 */
import { and, asc, eq, gte, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client';
import { deliveries, organisationChannels, organisations, projects, requestAttachments, requestEvents, rightsRequests } from './schema';

const rowid = sql<number>`${rightsRequests}.rowid`;
// Columns for sql`` fragments, qualified by hand: there drizzle writes a column of a one-table query
// without its table, which a subquery would read as its own.
const dueOnQ = sql`${rightsRequests}.due_on`;
const extendedDueOnQ = sql`${rightsRequests}.extended_due_on`;
const statusQ = sql`${rightsRequests}.status`;

export type QueueFilter = {
  /** Undefined: every organisation (administrators). */
  organisationId?: string;
  /** The statuses shown; never empty. */
  statuses: readonly string[];
  kind?: string;
  /** One request by its reference (the queue's search). */
  reference?: string;
  /** The effective due date (extended one for `prolongee`) within these bounds, inclusive, YYYY-MM-DD. */
  due?: { from?: string; to?: string };
};

/**
 * How many days the extended due date lies after the first-month one: three months from receipt less
 * one month is 59 to 62 days, and either end may roll on to a working day (up to 4 days, Easter in
 * Alsace-Moselle). With a margin: 50 to 70. Used only to narrow index ranges; the exact test follows.
 */
const EXTENSION_MIN_DAYS = 50;
const EXTENSION_MAX_DAYS = 70;

function shiftDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The conditions every arm shares: organisation and kind. */
function common(f: QueueFilter): SQL[] {
  const c: SQL[] = [];
  if (f.organisationId !== undefined) c.push(eq(rightsRequests.organisationId, f.organisationId));
  if (f.kind) c.push(eq(rightsRequests.kind, f.kind));
  if (f.reference) c.push(eq(rightsRequests.reference, f.reference));
  return c;
}

/**
 * Statuses an extended request can be in besides `prolongee`: a question after the extension
 * (`precision_demandee`), then the person's answer to it (`accusee`). The timeline tells.
 */
const EXTENDABLE = ['accusee', 'precision_demandee'];
const extendedFlag = sql<number>`(${statusQ} in ('accusee', 'precision_demandee') and exists (select 1 from ${requestEvents} e where e.request_id = ${rightsRequests}.id and e.kind = 'extended'))`;

/**
 * The queue's three streams, each read in (due_on, rowid) order from the index:
 * - `a`: every shown status but `prolongee`, due on the first-month date, except the rare request
 *   extended then asked a question (flagged), due on its extended date;
 * - `a2`: with a lower bound on the due date, those flagged requests whose first-month date is before
 *   the bound but whose extended date is within it;
 * - `b`: `prolongee`, due on the extended date (in the same order, see above).
 */
function streams(f: QueueFilter) {
  const aStatuses = f.statuses.filter((s) => s !== 'prolongee');
  const from = f.due?.from;
  const to = f.due?.to;
  const a =
    aStatuses.length > 0
      ? and(
          ...common(f),
          inArray(rightsRequests.status, aStatuses),
          from ? gte(rightsRequests.dueOn, from) : undefined,
          to ? lte(rightsRequests.dueOn, to) : undefined,
          to ? sql`(not ${extendedFlag} or ${extendedDueOnQ} <= ${to})` : undefined,
        )
      : undefined;
  const a2Statuses = aStatuses.filter((s) => EXTENDABLE.includes(s));
  const a2 =
    from && a2Statuses.length > 0
      ? and(
          ...common(f),
          inArray(rightsRequests.status, a2Statuses),
          gte(rightsRequests.dueOn, shiftDays(from, -EXTENSION_MAX_DAYS)),
          lt(rightsRequests.dueOn, from),
          to ? lte(rightsRequests.dueOn, shiftDays(to, -EXTENSION_MIN_DAYS)) : undefined,
          sql`${extendedFlag}`,
          gte(rightsRequests.extendedDueOn, from),
          to ? lte(rightsRequests.extendedDueOn, to) : undefined,
        )
      : undefined;
  const b = f.statuses.includes('prolongee')
    ? and(
        ...common(f),
        eq(rightsRequests.status, 'prolongee'),
        // Bounds on due_on narrow the index range; the exact test is on extended_due_on.
        from ? gte(rightsRequests.dueOn, shiftDays(from, -EXTENSION_MAX_DAYS)) : undefined,
        from ? gte(rightsRequests.extendedDueOn, from) : undefined,
        to ? lte(rightsRequests.dueOn, shiftDays(to, -EXTENSION_MIN_DAYS)) : undefined,
        to ? lte(rightsRequests.extendedDueOn, to) : undefined,
      )
    : undefined;
  return { a, a2, b };
}

type Key = { rid: number; eff: string | null };
type ARow = { rid: number; due: string | null; ext: string | null; flag: number };

const before = (x: Key, y: Key) => {
  const a = x.eff ?? '';
  const b = y.eff ?? '';
  return a < b || (a === b && x.rid < y.rid);
};

/**
 * Stream `a` in effective-date order. It comes in first-month order, and a flagged request's extended
 * date is later than its first-month date: such a request waits in a small sorted buffer until the
 * stream has passed its date. Read in batches, as far as needed.
 */
function* streamA(db: Db, where: SQL | undefined, batch: number): Generator<Key> {
  const waiting: Key[] = [];
  let after: { due: string | null; rid: number } | null = null;
  for (;;) {
    const rows: ARow[] = keysetBatch((w, n) => db.select({ rid: rowid, due: rightsRequests.dueOn, ext: rightsRequests.extendedDueOn, flag: extendedFlag }).from(rightsRequests).where(w).orderBy(asc(rightsRequests.dueOn), rowid).limit(n).all(), where, after, batch);
    for (const r of rows) {
      const key = { rid: r.rid, eff: r.flag ? (r.ext ?? r.due) : r.due };
      const at = waiting.findIndex((w) => before(key, w));
      waiting.splice(at === -1 ? waiting.length : at, 0, key);
      // Every later row is due on or after this row's first-month date.
      const bound = { rid: r.rid, eff: r.due };
      while (waiting.length > 0 && !before(bound, waiting[0]!)) yield waiting.shift()!;
    }
    if (rows.length < batch) break;
    const last = rows.at(-1)!;
    after = { due: last.due, rid: last.rid };
  }
  yield* waiting;
}

/**
 * One batch in (due_on, rowid) order after a position (keyset pagination, so a batch costs the same at
 * the start and at the end): the requests without a due date first, then the others. `select` runs the
 * query for a condition and a row count, in (due_on, rowid) order.
 */
function keysetBatch<T>(select: (where: SQL | undefined, n: number) => T[], where: SQL | undefined, after: { due: string | null; rid: number } | null, size: number): T[] {
  if (!after) return select(where, size);
  if (after.due === null) {
    const undated = select(and(where, isNull(rightsRequests.dueOn), sql`${rowid} > ${after.rid}`), size);
    if (undated.length === size) return undated;
    return [...undated, ...select(and(where, sql`${dueOnQ} is not null`), size - undated.length)];
  }
  return select(and(where, sql`(${dueOnQ}, ${rowid}) > (${after.due}, ${after.rid})`), size);
}

/** The first `limit` requests of the queue, in order: their rowids and effective due dates. */
export function queueKeys(db: Db, f: QueueFilter, limit: number): Key[] {
  const { a, a2, b } = streams(f);
  const sorted = (where: SQL | undefined): Key[] => (where ? db.select({ rid: rowid, eff: rightsRequests.extendedDueOn }).from(rightsRequests).where(where).orderBy(asc(rightsRequests.dueOn), rowid).limit(limit).all() : []);
  const sources: Iterator<Key>[] = [a ? streamA(db, a, Math.min(500, limit + 10)) : [][Symbol.iterator](), sorted(a2)[Symbol.iterator](), sorted(b)[Symbol.iterator]()];
  const heads = sources.map((s) => s.next());
  const merged: Key[] = [];
  while (merged.length < limit) {
    let best = -1;
    heads.forEach((h, i) => {
      if (!h.done && (best === -1 || before(h.value, (heads[best] as IteratorYieldResult<Key>).value))) best = i;
    });
    if (best === -1) break;
    merged.push((heads[best] as IteratorYieldResult<Key>).value);
    heads[best] = sources[best]!.next();
  }
  return merged;
}

/** How many requests the queue holds, counting no further than `cap + 1` (so "more than cap" shows). */
export function queueCount(db: Db, f: QueueFilter, cap: number): number {
  const { a, a2, b } = streams(f);
  const countOf = (where: SQL | undefined) => {
    if (!where) return 0;
    const sub = db.select({ one: sql`1` }).from(rightsRequests).where(where).limit(cap + 1).as('q');
    return db.select({ n: sql<number>`count(*)` }).from(sub).get()?.n ?? 0;
  };
  return Math.min(cap + 1, countOf(a) + countOf(a2) + countOf(b));
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

/** Which of these requests were extended once (their timeline has an `extended` step). */
export function extendedAmong(db: Db, requestIds: string[]): Set<string> {
  if (requestIds.length === 0) return new Set();
  const rows = db
    .selectDistinct({ id: requestEvents.requestId })
    .from(requestEvents)
    .where(and(inArray(requestEvents.requestId, requestIds), eq(requestEvents.kind, 'extended')))
    .all();
  return new Set(rows.map((r) => r.id));
}

/**
 * One batch of the CSV export, in (due_on, rowid) order: first the requests without a due date yet,
 * then the others, each batch starting after the last row of the previous one (keyset pagination, so
 * a batch costs the same at the start and at the end of a long export).
 */
export function exportBatch(db: Db, f: QueueFilter, after: { dueOn: string | null; rid: number } | null, size: number): QueueRecord[] {
  const due: SQL[] = [];
  if (f.due?.from || f.due?.to) {
    // The exact test on the effective date; the index is narrowed by the first-month date.
    const from = f.due.from;
    const to = f.due.to;
    const extended = sql`(${statusQ} = 'prolongee' or ${extendedFlag})`;
    const first = and(sql`not ${extended}`, from ? gte(rightsRequests.dueOn, from) : undefined, to ? lte(rightsRequests.dueOn, to) : undefined);
    const later = and(extended, from ? gte(rightsRequests.extendedDueOn, from) : undefined, to ? lte(rightsRequests.extendedDueOn, to) : undefined);
    due.push(or(first, later)!);
    if (from) due.push(gte(rightsRequests.dueOn, shiftDays(from, -EXTENSION_MAX_DAYS)));
    if (to) due.push(lte(rightsRequests.dueOn, to));
  }
  const where = and(...common(f), inArray(rightsRequests.status, [...f.statuses]), ...due);
  const select = (w: SQL | undefined, n: number) =>
    db
      .select(queueColumns)
      .from(rightsRequests)
      .leftJoin(projects, eq(projects.id, rightsRequests.projectId))
      .leftJoin(organisations, eq(organisations.id, rightsRequests.organisationId))
      .where(w)
      .orderBy(asc(rightsRequests.dueOn), rowid)
      .limit(n)
      .all();
  return keysetBatch(select, where, after ? { due: after.dueOn, rid: after.rid } : null, size);
}

/* ---------- One request ---------- */

export type DeliveryView = { id: string; channelKind: string | null; status: string; attempts: number; createdAt: string; deliveredAt: string | null; deadAt: string | null; lastError: string | null };

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

/**
 * The documents that came with an answer: written in the answer's transaction, with the same instant.
 * One whose answer is not found (it should not happen) goes with the latest answer, so none is hidden.
 */
export function documentsOfEvent<D extends { createdAt: string }>(documents: D[], event: { kind: string; at: string }, answers: { at: string }[]): D[] {
  if (event.kind !== 'answered' && event.kind !== 'refused') return [];
  const instants = new Set(answers.map((a) => a.at));
  const isLatest = answers.at(-1)?.at === event.at;
  return documents.filter((d) => d.createdAt === event.at || (isLatest && !instants.has(d.createdAt)));
}
