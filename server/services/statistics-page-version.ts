/**
 * What a published quarter's public figures are built from, as one string: the key under which its
 * rendered pages (/statistiques, an organisation's figures) may be kept in a render cache
 * (services/render-cache.ts) and served again without computing anything.
 *
 * A published quarter and the three before it (its history) are frozen: their figures are stored, never
 * recomputed, and change only when a month is frozen or corrected (a new row of statistics_months).
 * What else the page shows: the statuses of the quarter's requests, which are today's (their live
 * counters, a few rows, hashed here); the register's figures (its version); the day (published quarters,
 * results overdue); whether the figures hold demonstration history. Null when a month of the history is
 * not frozen yet (its live counters change at every request): such a page is not cached.
 */
import { createHash } from 'node:crypto';
import { todayIn } from '../domain/deadlines';
import { registerVersion } from '../db/register';
import { firstCountedMonth, frozenMonths, frozenMonthsVersion, hasDemonstrationHistory, liveCountersGrouped, statisticsVersion } from '../db/statistics';
import { monthsOf } from '../domain/statistics';
import { HISTORY_QUARTERS, quarterHistory, quarterOfPeriod, quarterPeriod, quarterPublished } from '../domain/statistics-periods';
import type { Filters } from '../domain/statistics-types';
import type { StatisticsDeps } from './statistics-view';

/** Whether every counted month from `from` to `to` is frozen. */
function allFrozen(deps: StatisticsDeps, from: string, to: string): boolean {
  const first = firstCountedMonth(deps.db);
  // Nothing counted yet: no month can change any more before today's (a request counts in the month it is received).
  if (first === null) return true;
  const start = first > from ? first : from;
  if (start > to) return true;
  return frozenMonths(deps.db, start, to).length === monthsOf(start, to).length;
}

/**
 * `shared`: what every quarter's page is built from (a render cache's version: when it changes, every
 * page goes); `own`: this quarter's statuses (part of the page's key).
 */
export type PageVersion = { shared: string; own: string };

/**
 * Each database's page versions, by what they were computed from: the statistics' version (it moves with
 * every counter, frozen month and correction, in the same transaction), the register's, the day and the
 * filters. Three reads of a primary key then tell a cached page is current, where computing its version
 * reads the quarter's counters.
 */
const memos = new WeakMap<object, { stamp: string; versions: Map<string, PageVersion | null> }>();

export function frozenPageVersion(deps: StatisticsDeps, filters: Filters): PageVersion | null {
  const stamp = `${statisticsVersion(deps.db)}|${registerVersion(deps.db)}|${todayIn(deps.now())}`;
  let memo = memos.get(deps.db);
  if (!memo || memo.stamp !== stamp) {
    memo = { stamp, versions: new Map() };
    memos.set(deps.db, memo);
  }
  const key = `${filters.period.from}|${filters.period.to}|${filters.kind ?? ''}`;
  if (memo.versions.has(key)) return memo.versions.get(key)!;
  const version = computeVersion(deps, filters);
  // A handful of periods and kinds are published: the map stays small; bounded all the same.
  if (memo.versions.size < 1000) memo.versions.set(key, version);
  return version;
}

function computeVersion(deps: StatisticsDeps, filters: Filters): PageVersion | null {
  const quarter = quarterOfPeriod(filters.period);
  const today = todayIn(deps.now());
  if (!quarter || !quarterPublished(quarter, today)) return null;
  const history = quarterPeriod(quarterHistory(quarter, HISTORY_QUARTERS)[0]!);
  if (!allFrozen(deps, history.from, filters.period.to)) return null;
  const statuses = createHash('sha256');
  for (const r of liveCountersGrouped(deps.db, filters.period.from, filters.period.to, null, true)) statuses.update(`${r.kind}|${r.measure}|${r.value}\n`);
  return {
    shared: [today, frozenMonthsVersion(deps.db), registerVersion(deps.db), hasDemonstrationHistory(deps.db) ? 'demo' : ''].join('|'),
    own: statuses.digest('base64url'),
  };
}
