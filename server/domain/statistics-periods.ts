/**
 * The periods the public figures are published for: calendar quarters, each once its last month is
 * frozen. Pure.
 *
 * Why quarters only. Small counts are suppressed with their complements within one published view
 * (statistics-suppression.ts), but no suppression within a view protects two views that overlap: the
 * figures of January to March minus those of February to March give January's, which January's own
 * view may hide. So the views never overlap: a quarter is published whole, or not at all, and no
 * other period (no rolling twelve months, no year to date) is. Each month belongs to one quarter only,
 * so its cells come from one view wherever they are shown (the quarter's page, the history chart, the
 * organisation pages, the open data), with the same suppression. A quarter is published once its
 * months are frozen (FREEZE_AFTER_DAYS after it ends): what was published then never changes, except
 * by a dated correction.
 */
import { addDays } from './deadlines';
import { FREEZE_AFTER_DAYS, addMonths, lastDayOf } from './statistics';
import type { Period } from './statistics-types';

/** A quarter as written in links: year, "T" (trimestre), its number, e.g. 2026-T1. */
export const QUARTER = /^(\d{4})-T([1-4])$/;

/** The quarter a month (YYYY-MM) is in. */
export function quarterOf(month: string): string {
  return `${month.slice(0, 4)}-T${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The months of a quarter, as a period. */
export function quarterPeriod(quarter: string): Period {
  const m = QUARTER.exec(quarter);
  if (!m) throw new RangeError(`not a quarter: ${quarter}`);
  const first = `${m[1]}-${String((Number(m[2]) - 1) * 3 + 1).padStart(2, '0')}`;
  return { from: first, to: addMonths(first, 2) };
}

export const previousQuarter = (quarter: string): string => quarterOf(addMonths(quarterPeriod(quarter).from, -3));

/** Whether a quarter's figures are published on `today`: its last month is frozen. */
export function quarterPublished(quarter: string, today: string): boolean {
  return addDays(lastDayOf(quarterPeriod(quarter).to), FREEZE_AFTER_DAYS) <= today;
}

/** The latest quarter published on `today`. */
export function latestPublishedQuarter(today: string): string {
  let q = quarterOf(today.slice(0, 7));
  while (!quarterPublished(q, today)) q = previousQuarter(q);
  return q;
}

/** The quarters published on `today`, newest first, back to the one holding `firstMonth` (at most `max`). */
export function publishedQuarters(today: string, firstMonth: string | null, max = 20): string[] {
  const out: string[] = [];
  const first = firstMonth ? quarterOf(firstMonth) : null;
  for (let q = latestPublishedQuarter(today); out.length < max; q = previousQuarter(q)) {
    out.push(q);
    if (!first || q <= first) break;
  }
  return out;
}

/** The quarter a period is exactly, or null (a period that is not one quarter is never published). */
export function quarterOfPeriod(period: Period): string | null {
  const q = quarterOf(period.from);
  const p = quarterPeriod(q);
  return p.from === period.from && p.to === period.to ? q : null;
}

/** How many quarters the history charts and tables show, ending with the quarter chosen. */
export const HISTORY_QUARTERS = 4;

/** The `n` quarters ending with `quarter`, oldest first: the history the charts show. */
export function quarterHistory(quarter: string, n: number): string[] {
  const out: string[] = [];
  for (let q = quarter, i = 0; i < n; q = previousQuarter(q), i++) out.unshift(q);
  return out;
}
