/**
 * One view of the public figures (a period, a kind): the counters it reads (frozen months as frozen,
 * the others live, statuses always live) built into cells by statistics-figures.ts; and the register's
 * figures, computed again only when the register changes.
 */
import { createHash } from 'node:crypto';
import { addDays, computePeriodEnd, todayIn } from '../domain/deadlines';
import type { Db } from '../db/client';
import { frozenCountersGrouped, frozenMonths, liveCountersGrouped, openPastDueCounts, type CounterRow } from '../db/statistics';
import { registerVersion } from '../db/register';
import { organisationNames, registerCounts } from '../db/statistics-register';
import { RESULTS_GRACE_MONTHS } from '../domain/register-rows';
import { KINDS, SCOPES, STATUSES } from '../domain/rights-request';
import { CNAM_ID } from '../domain/routing';
import { EXPIRED_STATUS, lastDayOf, monthsOf, parisDayStart } from '../domain/statistics';
import type { Filters, OrganisationFigures, RegisterFigures } from '../domain/statistics-types';
import { ALL, buildView, qid, type MonthInfo, type View } from './statistics-figures';

export type StatisticsDeps = { db: Db; now: () => Date };

/**
 * The frozen part of a view, grouped: a frozen version never changes, so it is read once per process
 * and kept (keyed by its months' versions; a correction is a new version, hence a new key).
 */
const frozenCache = new WeakMap<Db, Map<string, CounterRow[]>>();
const FROZEN_CACHE_SIZE = 64;

function frozenPart(db: Db, from: string, to: string, versions: string): CounterRow[] {
  let cache = frozenCache.get(db);
  if (!cache) frozenCache.set(db, (cache = new Map()));
  const key = `${from}|${to}|${versions}`;
  let rows = cache.get(key);
  if (!rows) {
    rows = frozenCountersGrouped(db, from, to, null);
    if (cache.size >= FROZEN_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, rows);
  }
  return rows;
}

/** The counters of a view: frozen months as frozen (their latest version), the others live. */
function viewRows(deps: StatisticsDeps, filters: Filters): { months: MonthInfo[]; frozenRows: readonly CounterRow[]; frozenKey: string; live: CounterRow[] } {
  const { from, to } = filters.period;
  // Every kind is read: the kinds are suppressed together (statistics-figures.ts).
  const kind = null;
  const today = todayIn(deps.now());
  const frozenList = frozenMonths(deps.db, from, to);
  const frozen = new Map(frozenList.map((f) => [f.month, f]));
  // Statuses are today's, whatever the month: a request's status is not an event of its month.
  const live = [...liveCountersGrouped(deps.db, from, to, kind, true)];
  const frozenKey = frozenList.map((f) => `${f.month}.${f.version}`).join(',');
  const frozenRows = frozenList.length > 0 ? frozenPart(deps.db, from, to, frozenKey) : [];
  const months: MonthInfo[] = [];
  for (const month of monthsOf(from, to)) {
    const f = frozen.get(month);
    if (f) {
      months.push({ month, frozen: true, version: f.version, ...(f.version > 1 ? { correctedReason: f.reason } : {}) });
      continue;
    }
    months.push({ month, frozen: false, version: 0 });
    if (`${month}-01` > today) continue;
    live.push(...liveCountersGrouped(deps.db, month, month, kind, false));
    const day = lastDayOf(month) < today ? lastDayOf(month) : today;
    for (const r of openPastDueCounts(deps.db, day, parisDayStart(addDays(day, 1)), kind))
      live.push({ month, organisationId: r.organisationId, kind: r.kind, scope: '', measure: 'open_past_due', value: r.value });
  }
  return { months, frozenRows, frozenKey, live };
}

/**
 * The last views built, by everything they are built from: the filters, the day, the frozen versions
 * and the live counters themselves (hashed). The same inputs give the same figures, so a view is built
 * again only when a counter it reads has changed.
 */
const viewMemo = new WeakMap<Db, Map<string, View>>();
const VIEW_MEMO_SIZE = 32;

function memoKey(filters: Filters, today: string, frozenKey: string, live: readonly CounterRow[], organisations: readonly string[]): string {
  const h = createHash('sha256');
  h.update(`${JSON.stringify(filters)}|${today}|${frozenKey}|${organisations.join(',')}\n`);
  for (const r of live) h.update(`${r.month}|${r.organisationId}|${r.kind}|${r.scope}|${r.measure}|${r.value}\n`);
  return h.digest('base64');
}

/** A number per database handle, so what is kept for one is never taken for another's. */
const databaseIds = new WeakMap<Db, number>();
let nextDatabaseId = 0;
function databaseId(db: Db): number {
  let id = databaseIds.get(db);
  if (id === undefined) databaseIds.set(db, (id = nextDatabaseId++));
  return id;
}

/** Forgets the views built over a database (the bench times a view built from scratch). */
export function forgetViews(db: Db): void {
  viewMemo.delete(db);
}

export function loadView(deps: StatisticsDeps, filters: Filters): { view: View; months: MonthInfo[]; organisations: string[]; names: Map<string, string> } {
  const { months, frozenRows, frozenKey, live } = viewRows(deps, filters);
  const names = organisationNames(deps.db);
  const present = new Set([...frozenRows, ...live].map((r) => r.organisationId).filter((o) => o !== ''));
  present.add(CNAM_ID);
  const organisations = [...present].sort((a, b) => (names.get(a) ?? a).localeCompare(names.get(b) ?? b, 'fr'));
  let memo = viewMemo.get(deps.db);
  if (!memo) viewMemo.set(deps.db, (memo = new Map()));
  const key = memoKey(filters, todayIn(deps.now()), frozenKey, live, organisations);
  let view = memo.get(key);
  if (!view) {
    view = buildView({
      months,
      rows: live,
      base: { key: `${databaseId(deps.db)}|${filters.period.from}|${filters.period.to}|${frozenKey}`, rows: frozenRows },
      organisations,
      kind: filters.kind ?? null,
      breakdownKeys: { kind: KINDS, scope: SCOPES, status: [...STATUSES, EXPIRED_STATUS] },
    });
    if (memo.size >= VIEW_MEMO_SIZE) memo.delete(memo.keys().next().value!);
    memo.set(key, view);
  }
  return { view, months, organisations, names };
}

export function organisationOf(view: View, months: MonthInfo[], id: string, name: string): OrganisationFigures {
  return { id, name, received: view.cell(qid('received', id, ALL)), answers: view.answers(id), monthly: months.map((m) => view.month(id, m)) };
}

/** For the open data and the tests: the view itself. */
export function statisticsView(deps: StatisticsDeps, filters: Filters) {
  return loadView(deps, filters);
}

const registerCache = new WeakMap<Db, { key: string; figures: RegisterFigures }>();

export function registerFigures(deps: StatisticsDeps): RegisterFigures {
  const today = todayIn(deps.now());
  const key = `${registerVersion(deps.db)}|${today}`;
  const cached = registerCache.get(deps.db);
  if (cached?.key === key) return cached.figures;
  const c = registerCounts(deps.db);
  const asBreakdown = (rows: { key: string; value: number }[]) => rows.map((r) => ({ key: r.key, count: { value: r.value } }));
  const overdue = new Map<string, number>();
  const dueOf = new Map<string, string>();
  for (const u of c.unpublished) {
    // Results are overdue 18 months after the project's end (domain/register-rows.ts resultsOverdue).
    let due = dueOf.get(u.dateFin);
    if (due === undefined) {
      try {
        due = computePeriodEnd(u.dateFin, { months: RESULTS_GRACE_MONTHS }).due;
      } catch {
        due = '9999-12-31';
      }
      dueOf.set(u.dateFin, due);
    }
    if (due < today) overdue.set(u.id, (overdue.get(u.id) ?? 0) + u.value);
  }
  const figures: RegisterFigures = {
    byStatus: asBreakdown(c.byStatus),
    bySource: asBreakdown(c.bySource),
    byPurpose: asBreakdown(c.byPurpose),
    commercial: asBreakdown(c.commercial),
    aiTraining: asBreakdown(c.aiTraining),
    controllers: c.controllers.map((r) => ({
      id: r.id,
      name: r.name,
      finished: r.finished,
      resultsPublished: r.resultsPublished,
      overdue18Months: overdue.get(r.id) ?? 0,
    })),
  };
  registerCache.set(deps.db, { key, figures });
  return figures;
}
