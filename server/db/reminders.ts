/**
 * Queries of the reminder mails to staff: the open requests a reminder may concern, and
 * the reminders_sent ledger, written in the transaction that queues the mail, so that each reminder
 * goes once, across restarts.
 */
import { and, asc, count, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import type { Kind, Status } from '../domain/rights-request';
import type { Db } from './client';
import { remindersSent, rightsRequests } from './schema';

const sentKind = (kind: string) => sql`exists (select 1 from reminders_sent s where s.key = rights_requests.id and s.kind = ${kind})`;

export type OpenRequest = {
  id: string;
  reference: string;
  kind: Kind;
  status: Status;
  organisationId: string;
  /** The date the answer is due now (extended or not), stored on the request (deadlines.ts applicableDueDate). */
  due: string;
  extendedAt: string | null;
};

const openColumns = {
  id: rightsRequests.id,
  reference: rightsRequests.reference,
  kind: rightsRequests.kind,
  status: rightsRequests.status,
  organisationId: sql<string>`${rightsRequests.organisationId}`,
  due: sql<string>`${rightsRequests.answerDueOn}`,
  extendedAt: rightsRequests.extendedAt,
};

/** Requests in one of the `awaited` statuses (listed, so the (status, answer_due_on) index serves), with a recipient and a due date. */
const awaited = (awaitedStatuses: readonly Status[]) =>
  and(inArray(rightsRequests.status, [...awaitedStatuses]), isNotNull(rightsRequests.organisationId), isNotNull(rightsRequests.answerDueOn));

/**
 * Awaited requests whose due date that counts is on or before `dueBy`, except those already past
 * both their last reminders (d+1 to the DPO and the escalation to admins).
 */
export function awaitedRequestsDueBy(db: Db, awaitedStatuses: readonly Status[], dueBy: string): OpenRequest[] {
  return db
    .select(openColumns)
    .from(rightsRequests)
    .where(and(awaited(awaitedStatuses), lte(rightsRequests.answerDueOn, dueBy), sql`not (${sentKind('d+1')} and ${sentKind('escalation')})`))
    .all();
}

/** An organisation's awaited requests, the most urgent first, at most `limit`, and how many there are. */
export function awaitedRequestsOf(
  db: Db,
  awaitedStatuses: readonly Status[],
  organisationId: string,
  limit: number,
): { total: number; requests: OpenRequest[] } {
  const where = and(awaited(awaitedStatuses), eq(rightsRequests.organisationId, organisationId));
  const total = db.select({ n: count() }).from(rightsRequests).where(where).get()?.n ?? 0;
  if (total === 0) return { total, requests: [] };
  const requests = db
    .select(openColumns)
    .from(rightsRequests)
    .where(where)
    .orderBy(asc(rightsRequests.answerDueOn), asc(rightsRequests.reference))
    .limit(limit)
    .all();
  return { total, requests };
}

/** The reminders already recorded for these keys: key → kind → when. */
export function remindersOf(db: Db, keys: readonly string[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = db
      .select()
      .from(remindersSent)
      .where(inArray(remindersSent.key, keys.slice(i, i + 500)))
      .all();
    for (const r of rows) {
      let kinds = out.get(r.key);
      if (!kinds) out.set(r.key, (kinds = new Map()));
      kinds.set(r.kind, r.sentAt);
    }
  }
  return out;
}

/**
 * Records a reminder as sent, in the caller's transaction; false if it already was, and the caller
 * then queues nothing. A row older than `supersededBefore` (a reminder counting down to a due date an
 * extension has since replaced) is taken over with the new time.
 */
export function claimReminder(db: Db, key: string, kind: string, nowIso: string, supersededBefore: string | null): boolean {
  const insert = db.insert(remindersSent).values({ key, kind, sentAt: nowIso });
  const result = supersededBefore
    ? insert
        .onConflictDoUpdate({
          target: [remindersSent.key, remindersSent.kind],
          set: { sentAt: nowIso },
          setWhere: sql`${remindersSent.sentAt} < ${supersededBefore}`,
        })
        .run()
    : insert.onConflictDoNothing().run();
  return result.changes === 1;
}
