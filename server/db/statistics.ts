/**
 * Over 300 lines: since the formatter wrote each counter update on its own lines; the facts and the
 * monthly counters could become two modules.
 *
 * The aggregates behind the public figures: each request's facts (request_facts) and the
 * monthly counters they add to (statistics_counters), kept in the transaction of every change to the
 * request (called from updateRequest, insertRequest, addEvent and deleteRequest in db/requests.ts); the
 * frozen months (statistics_months, statistics_frozen_counters). Pages read counters, never requests.
 */
import { and, eq, sql } from 'drizzle-orm';
import { contributions, type Contribution, type RequestFacts } from '../domain/statistics';
import type { Db } from './client';
import { countUp, counterValue } from './meta-counters';
import { prepared } from './prepared';
import { meta, requestFacts, rightsRequests, statisticsCounters, statisticsFrozenCounters, statisticsMonths } from './schema';

export type FactsRow = typeof requestFacts.$inferSelect;
export type CounterRow = { month: string; organisationId: string; kind: string; scope: string; measure: string; value: number };

const ANSWERED = new Set(['repondue', 'refusee', 'cloturee']);

/** The facts of a request from its row, keeping what only earlier changes knew (the answer's time). */
export function factsOf(row: typeof rightsRequests.$inferSelect, old: FactsRow | undefined): FactsRow {
  const answeredAt = old?.answeredAt ?? (ANSWERED.has(row.status) ? (row.closedAt ?? row.createdAt) : null);
  const answerType = old?.answerType ?? (row.status === 'refusee' ? 'refused' : ANSWERED.has(row.status) ? 'answered' : null);
  return {
    requestId: row.id,
    organisationId: row.organisationId ?? '',
    kind: row.kind,
    scope: row.scope,
    status: row.status,
    createdAt: row.createdAt,
    confirmedAt: row.confirmedAt,
    receivedOn: row.receivedOn,
    dueOn: row.dueOn,
    extendedDueOn: row.extendedDueOn,
    extendedAt: row.extendedAt,
    answerDueOn: row.answerDueOn,
    answeredAt,
    answerType,
    refusalCode: old?.refusalCode ?? null,
    withdrawnAt: row.status === 'retiree' ? (old?.withdrawnAt ?? row.closedAt ?? row.createdAt) : null,
    expiredAt: old?.expiredAt ?? null,
  };
}

const keyOf = (f: FactsRow, c: Contribution) => `${c.month}\u0000${c.organisation ?? f.organisationId}\u0000${f.kind}\u0000${c.scope}\u0000${c.measure}`;

function counted(f: FactsRow | undefined): Map<string, CounterRow> {
  const out = new Map<string, CounterRow>();
  if (!f) return out;
  for (const c of contributions(f as RequestFacts))
    out.set(keyOf(f, c), { month: c.month, organisationId: c.organisation ?? f.organisationId, kind: f.kind, scope: c.scope, measure: c.measure, value: 1 });
  return out;
}

/** Adds `value` to counters (negative to take away). */
export function addToCounters(db: Db, rows: Iterable<CounterRow>): void {
  const stmt = prepared(db, 'statisticsAddCounter', (d) =>
    d
      .insert(statisticsCounters)
      .values({
        month: sql.placeholder('month'),
        organisationId: sql.placeholder('organisationId'),
        kind: sql.placeholder('kind'),
        scope: sql.placeholder('scope'),
        measure: sql.placeholder('measure'),
        value: sql.placeholder('value'),
      })
      .onConflictDoUpdate({
        target: [statisticsCounters.month, statisticsCounters.organisationId, statisticsCounters.kind, statisticsCounters.scope, statisticsCounters.measure],
        set: { value: sql`${statisticsCounters.value} + excluded.value` },
      })
      .prepare(),
  );
  let changed = false;
  for (const r of rows) {
    stmt.run(r);
    changed = true;
  }
  if (changed) bumpStatisticsVersion(db);
}

/* ---------- Version ---------- */

const VERSION_KEY = 'statistics.version';

/**
 * Counts up the statistics' version, in the same transaction as the change: every change of a counter,
 * every month frozen or corrected, the demonstration marker. What a cached statistics page was built
 * from is then known by one read of a primary key (services/statistics-page-version.ts), in every process.
 */
export function bumpStatisticsVersion(db: Db): void {
  countUp(db, VERSION_KEY, new Date().toISOString());
}

/** The statistics' version: changes whenever anything a statistics page shows from the requests changes. */
export function statisticsVersion(db: Db): number {
  return counterValue(db, VERSION_KEY);
}

function factsById(db: Db, requestId: string): FactsRow | undefined {
  return prepared(db, 'statisticsFactsById', (d) =>
    d
      .select()
      .from(requestFacts)
      .where(eq(requestFacts.requestId, sql.placeholder('id')))
      .prepare(),
  ).get({ id: requestId });
}

/** Writes the new facts of a request and moves its counters from what the old facts counted. */
export function writeFacts(db: Db, old: FactsRow | undefined, next: FactsRow): void {
  const before = counted(old);
  const after = counted(next);
  const deltas: CounterRow[] = [];
  for (const [k, r] of after) if (!before.has(k)) deltas.push(r);
  for (const [k, r] of before) if (!after.has(k)) deltas.push({ ...r, value: -1 });
  addToCounters(db, deltas);
  prepared(db, 'statisticsUpsertFacts', (d) =>
    d
      .insert(requestFacts)
      .values(Object.fromEntries(Object.keys(next).map((k) => [k, sql.placeholder(k)])) as never)
      .onConflictDoUpdate({
        target: requestFacts.requestId,
        set: Object.fromEntries(
          Object.entries({
            status: 'status',
            organisationId: 'organisation_id',
            kind: 'kind',
            scope: 'scope',
            confirmedAt: 'confirmed_at',
            receivedOn: 'received_on',
            dueOn: 'due_on',
            extendedDueOn: 'extended_due_on',
            extendedAt: 'extended_at',
            answerDueOn: 'answer_due_on',
            answeredAt: 'answered_at',
            answerType: 'answer_type',
            refusalCode: 'refusal_code',
            withdrawnAt: 'withdrawn_at',
            expiredAt: 'expired_at',
          }).map(([k, c]) => [k, sql.raw(`excluded.${c}`)]),
        ),
      })
      .prepare(),
  ).run(next);
}

/** Brings a request's facts and counters up to date with its row (and the event just recorded, if any). */
export function syncRequestFacts(db: Db, requestId: string, event?: { kind: string; detail?: string | null }): void {
  const row = prepared(db, 'statisticsRequestRow', (d) =>
    d
      .select()
      .from(rightsRequests)
      .where(eq(rightsRequests.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id: requestId });
  if (!row) return;
  const old = factsById(db, requestId);
  const next = factsOf(row, old);
  // A refusal's reason code is on its timeline event (GDPR art. 12(4): refusals give their reasons).
  if (event?.kind === 'refused') next.refusalCode = event.detail ?? 'other';
  writeFacts(db, old, next);
}

/** A request deleted unconfirmed: its facts stay, counted as never confirmed. */
export function expireRequestFacts(db: Db, requestId: string, nowIso: string): void {
  const old = factsById(db, requestId);
  if (!old || old.confirmedAt) return;
  writeFacts(db, old, { ...old, expiredAt: nowIso });
}

/* ---------- Reading ---------- */

/** The counters of months not frozen, from `from` to `to`, for one kind or all. */
export function liveCounters(db: Db, from: string, to: string, kind: string | null): CounterRow[] {
  return prepared(db, 'statisticsLiveCounters', (d) =>
    d
      .select({
        month: statisticsCounters.month,
        organisationId: statisticsCounters.organisationId,
        kind: statisticsCounters.kind,
        scope: statisticsCounters.scope,
        measure: statisticsCounters.measure,
        value: statisticsCounters.value,
      })
      .from(statisticsCounters)
      .where(
        sql`${statisticsCounters.month} between ${sql.placeholder('from')} and ${sql.placeholder('to')} and (${sql.placeholder('kind')} is null or ${statisticsCounters.kind} = ${sql.placeholder('kind')}) and ${statisticsCounters.value} <> 0`,
      )
      .prepare(),
  ).all({ from, to, kind });
}

/**
 * The columns of a grouped read: what the figures need and no more. Days to answer are summed over the
 * months (percentiles are of the period), statuses over months and organisations (a breakdown of the
 * period); every count keeps its kind (the kinds are suppressed together), only `received` its scope.
 */
const grouped = (t: string) => `
  case when ${t}.measure like 'days:%' or ${t}.measure like 'status:%' then '' else ${t}.month end as month,
  case when ${t}.measure like 'status:%' then '' else ${t}.organisation_id end as organisationId,
  ${t}.kind as kind,
  case when ${t}.measure = 'received' then ${t}.scope else '' end as scope,
  ${t}.measure as measure, sum(${t}.value) as value`;
const GROUP_BY = (t: string) => `group by 1, 2, 3, 4, 5 having sum(${t}.value) <> 0`;

/**
 * Live counters of `from`–`to`, grouped; `statuses`: only the statuses (organisation "", by its index), or
 * everything but them (by the month: the unary `+` keeps SQLite off the organisation index).
 */
export function liveCountersGrouped(db: Db, from: string, to: string, kind: string | null, statuses: boolean): CounterRow[] {
  return db.all<CounterRow>(sql`select ${sql.raw(grouped('c'))} from statistics_counters c
    where ${statuses ? sql`c.organisation_id = ''` : sql`+c.organisation_id <> ''`} and c.month between ${from} and ${to} and (${kind} is null or c.kind = ${kind}) ${sql.raw(GROUP_BY('c'))}`);
}

/** The latest frozen version of every frozen month of `from`–`to`, grouped, statuses left out. */
export function frozenCountersGrouped(db: Db, from: string, to: string, kind: string | null): CounterRow[] {
  return db.all<CounterRow>(sql`select ${sql.raw(grouped('f'))}
    from statistics_frozen_counters f
    join (select month, max(version) as version from statistics_months where month between ${from} and ${to} group by month) m on f.month = m.month and f.version = m.version
    where (${kind} is null or f.kind = ${kind}) and f.measure not like 'status:%' ${sql.raw(GROUP_BY('f'))}`);
}

/** The counters of one version of a frozen month. */
export function frozenCounters(db: Db, month: string, version: number, kind: string | null): CounterRow[] {
  return prepared(db, 'statisticsFrozenCounters', (d) =>
    d
      .select({
        month: statisticsFrozenCounters.month,
        organisationId: statisticsFrozenCounters.organisationId,
        kind: statisticsFrozenCounters.kind,
        scope: statisticsFrozenCounters.scope,
        measure: statisticsFrozenCounters.measure,
        value: statisticsFrozenCounters.value,
      })
      .from(statisticsFrozenCounters)
      .where(
        sql`${statisticsFrozenCounters.month} = ${sql.placeholder('month')} and ${statisticsFrozenCounters.version} = ${sql.placeholder('version')} and (${sql.placeholder('kind')} is null or ${statisticsFrozenCounters.kind} = ${sql.placeholder('kind')})`,
      )
      .prepare(),
  ).all({ month, version, kind });
}

export type FrozenMonth = { month: string; version: number; computedAt: string; reason: string };

/** The latest version of each frozen month in a range. */
export function frozenMonths(db: Db, from: string, to: string): FrozenMonth[] {
  const rows = db
    .select()
    .from(statisticsMonths)
    .where(sql`${statisticsMonths.month} between ${from} and ${to}`)
    .orderBy(statisticsMonths.month, statisticsMonths.version)
    .all();
  const latest = new Map<string, FrozenMonth>();
  for (const r of rows) latest.set(r.month, r);
  return [...latest.values()];
}

export function lastFrozenMonth(db: Db): string | null {
  return (
    db
      .select({ m: sql<string | null>`max(${statisticsMonths.month})` })
      .from(statisticsMonths)
      .get()?.m ?? null
  );
}

export function firstCountedMonth(db: Db): string | null {
  return (
    db
      .select({ m: sql<string | null>`min(${statisticsCounters.month})` })
      .from(statisticsCounters)
      .get()?.m ?? null
  );
}

/**
 * Requests open past their due date at the end of `day`, per organisation and kind: received by then,
 * due before it, not answered nor withdrawn by its end (`dayEnd`: the instant the next day begins).
 * The open ones are read by their partial index (SQLite would otherwise take withdrawn_at's, all nulls).
 */
export function openPastDueCounts(db: Db, day: string, dayEnd: string, kind: string | null): { organisationId: string; kind: string; value: number }[] {
  return db.all<{ organisationId: string; kind: string; value: number }>(sql`
    select organisation_id as organisationId, kind, count(*) as value from (
      select organisation_id, kind from request_facts indexed by request_facts_open_due_idx
        where answered_at is null and withdrawn_at is null and expired_at is null and answer_due_on < ${day} and received_on <= ${day}
      union all
      select organisation_id, kind from request_facts where answered_at >= ${dayEnd} and answer_due_on < ${day} and received_on <= ${day}
      union all
      select organisation_id, kind from request_facts where withdrawn_at >= ${dayEnd} and answer_due_on < ${day} and received_on <= ${day}
    ) where (${kind} is null or kind = ${kind})
    group by organisation_id, kind`);
}

/* ---------- Freezing ---------- */

/** Stores a new version of a month: the counters given, with when and why. Returns the version. */
export function storeFrozenMonth(db: Db, month: string, rows: readonly CounterRow[], computedAt: string, reason: string): number {
  const version =
    (db
      .select({ v: sql<number | null>`max(${statisticsMonths.version})` })
      .from(statisticsMonths)
      .where(eq(statisticsMonths.month, month))
      .get()?.v ?? 0) + 1;
  db.insert(statisticsMonths).values({ month, version, computedAt, reason }).run();
  const stmt = prepared(db, 'statisticsInsertFrozen', (d) =>
    d
      .insert(statisticsFrozenCounters)
      .values({
        month: sql.placeholder('month'),
        version: sql.placeholder('version'),
        organisationId: sql.placeholder('organisationId'),
        kind: sql.placeholder('kind'),
        scope: sql.placeholder('scope'),
        measure: sql.placeholder('measure'),
        value: sql.placeholder('value'),
      })
      .prepare(),
  );
  for (const r of rows) if (r.value !== 0) stmt.run({ ...r, month, version });
  bumpStatisticsVersion(db);
  return version;
}

/**
 * Changes whenever a month is frozen or a frozen month is corrected: both append a row to
 * statistics_months, which is never updated nor deleted. A small table (one row per version of a month).
 */
export function frozenMonthsVersion(db: Db): string {
  const r = db.get<{ n: number; at: string | null }>(sql`select count(*) as n, max(computed_at) as at from statistics_months`);
  return `${r?.n ?? 0}.${r?.at ?? ''}`;
}

export function isFrozen(db: Db, month: string): boolean {
  return !!db
    .select({ m: statisticsMonths.month })
    .from(statisticsMonths)
    .where(and(eq(statisticsMonths.month, month)))
    .get();
}

/* ---------- Demonstration marker ---------- */

const DEMO_KEY = 'statistics_demonstration';

/** Whether the figures include demonstration history (services/statistics-demo.ts). */
export function hasDemonstrationHistory(db: Db): boolean {
  return prepared(db, 'statisticsDemo', (d) => d.select({ v: meta.value }).from(meta).where(eq(meta.key, DEMO_KEY)).prepare()).get() !== undefined;
}

export function markDemonstrationHistory(db: Db, nowIso: string): void {
  db.insert(meta).values({ key: DEMO_KEY, value: 'true', updatedAt: nowIso }).onConflictDoNothing().run();
  bumpStatisticsVersion(db);
}
