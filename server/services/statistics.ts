/**
 * The public figures (issue 13): what /statistiques, the organisation pages and the open
 * data show, read from the monthly counters (db/statistics.ts), never from the requests; each ended
 * month frozen once (freezeEndedMonths) and corrected only as a new version with its reason
 * (correctMonth). The rules are in domain/statistics.ts and domain/statistics-suppression.ts.
 */
import { addDays, todayIn } from '../domain/deadlines';
import type { Db } from '../db/client';
import {
  firstCountedMonth,
  hasDemonstrationHistory,
  isFrozen,
  lastFrozenMonth,
  liveCounters,
  openPastDueCounts,
  storeFrozenMonth,
  type CounterRow,
} from '../db/statistics';
import { KINDS } from '../domain/rights-request';
import { FREEZE_AFTER_DAYS, addMonths, lastDayOf, monthsOf, parisDayStart } from '../domain/statistics';
import type { Filters, OrganisationFigures, ParsedFilters, FilterError, PublicFigures } from '../domain/statistics-types';
import { ALL, qid } from './statistics-figures';
import { loadView, organisationOf, registerFigures, type StatisticsDeps } from './statistics-view';

export type { StatisticsDeps } from './statistics-view';
export { openDataTables } from './statistics-open-data';
export { forgetViews, registerFigures, statisticsView } from './statistics-view';

/** The longest period a view may cover, in months. */
export const MAX_PERIOD_MONTHS = 60;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Filters from a query string: `du` / `from` and `au` / `to` as YYYY-MM, `type` / `kind` a kind of
 * request. By default the 12 months up to the last complete one. Errors are i18n keys of the
 * statistics namespace, never an exception.
 */
export function parseFilters(query: Record<string, string | undefined>, today: string): ParsedFilters {
  const current = today.slice(0, 7);
  const errors: FilterError[] = [];
  const rawTo = (query.to ?? query.au ?? '').trim();
  const rawFrom = (query.from ?? query.du ?? '').trim();
  const rawKind = (query.kind ?? query.type ?? '').trim();
  const to = rawTo === '' ? addMonths(current, -1) : rawTo;
  const from = rawFrom === '' ? addMonths(to, -11) : rawFrom;
  if (!MONTH.test(to)) errors.push({ field: 'to', message: 'filters.errors.month' });
  else if (to > current) errors.push({ field: 'to', message: 'filters.errors.future' });
  if (!MONTH.test(from)) errors.push({ field: 'from', message: 'filters.errors.month' });
  if (errors.length === 0) {
    if (from > to) errors.push({ field: 'period', message: 'filters.errors.order' });
    else if (monthsOf(from, to).length > MAX_PERIOD_MONTHS) errors.push({ field: 'period', message: 'filters.errors.tooLong' });
  }
  if (rawKind !== '' && !(KINDS as readonly string[]).includes(rawKind)) errors.push({ field: 'kind', message: 'filters.errors.kind' });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, filters: { period: { from, to }, ...(rawKind ? { kind: rawKind } : {}) } };
}

export function publicFigures(deps: StatisticsDeps, filters: Filters): PublicFigures {
  const { view, months, organisations, names } = loadView(deps, filters);
  const lastComplete = addMonths(todayIn(deps.now()).slice(0, 7), -1);
  const headlineMonth = filters.period.to <= lastComplete ? filters.period.to : lastComplete >= filters.period.from ? lastComplete : filters.period.to;
  return {
    filters,
    computedAt: deps.now().toISOString(),
    frozenThrough: lastFrozenMonth(deps.db),
    demonstration: hasDemonstrationHistory(deps.db),
    headline: {
      month: headlineMonth,
      answered: view.cell(qid('answered', ALL, headlineMonth)),
      onTime: view.cell(qid('on_time', ALL, headlineMonth)),
      rate: view.rate(ALL, headlineMonth),
    },
    totals: {
      received: view.cell(qid('received', ALL, ALL)),
      confirmed: view.cell(qid('confirmed', ALL, ALL)),
      neverConfirmed: view.cell(qid('never_confirmed', ALL, ALL)),
      withdrawn: view.cell(qid('withdrawn', ALL, ALL)),
    },
    byKind: view.breakdown('kind'),
    byScope: view.breakdown('scope'),
    byStatus: view.breakdown('status'),
    byOrganisation: view.breakdown('organisation'),
    answers: view.answers(ALL),
    monthly: months.map((m) => view.month(ALL, m)),
    organisations: organisations.map((id) => organisationOf(view, months, id, names.get(id) ?? id)),
    register: registerFigures(deps),
  };
}

/** One organisation's figures, from the same view as the public page (same suppression); null if unknown. */
export function organisationFigures(deps: StatisticsDeps, id: string, filters: Filters): OrganisationFigures | null {
  const { view, months, names } = loadView(deps, filters);
  if (!names.has(id)) return null;
  return organisationOf(view, months, id, names.get(id)!);
}

/* ---------- Freezing ---------- */

/** A month's counters now, with its open-past-due counts at its last day: what a frozen version stores. */
function monthSnapshot(db: Db, month: string): CounterRow[] {
  const rows = liveCounters(db, month, month, null);
  const day = lastDayOf(month);
  for (const r of openPastDueCounts(db, day, parisDayStart(addDays(day, 1)), null))
    rows.push({ month, organisationId: r.organisationId, kind: r.kind, scope: '', measure: 'open_past_due', value: r.value });
  return rows;
}

/**
 * Freezes every ended month not frozen yet, once its unconfirmed requests can no longer be confirmed
 * (FREEZE_AFTER_DAYS after its end). Returns the months frozen. Idempotent.
 */
export function freezeEndedMonths(deps: StatisticsDeps): string[] {
  const now = deps.now();
  const today = todayIn(now);
  const first = firstCountedMonth(deps.db);
  if (!first) return [];
  const done: string[] = [];
  for (const month of monthsOf(first, addMonths(today.slice(0, 7), -1))) {
    if (addDays(lastDayOf(month), FREEZE_AFTER_DAYS) > today) break;
    const frozen = deps.db.transaction(
      (tx) => {
        const db: Db = tx;
        if (isFrozen(db, month)) return false;
        storeFrozenMonth(db, month, monthSnapshot(db, month), now.toISOString(), 'month_ended');
        return true;
      },
      { behavior: 'immediate' },
    );
    if (frozen) done.push(month);
  }
  return done;
}

export type CorrectionResult = { ok: true; version: number } | { ok: false; error: 'not_frozen' | 'reason_required' | 'bad_month' };

/**
 * A correction of a frozen month: a new version computed from the counters as they are now, dated,
 * with its reason (published beside the month). The earlier versions stay.
 */
export function correctMonth(deps: StatisticsDeps, month: string, reason: string): CorrectionResult {
  if (!MONTH.test(month)) return { ok: false, error: 'bad_month' };
  const why = reason.trim();
  if (why === '' || why === 'month_ended') return { ok: false, error: 'reason_required' };
  return deps.db.transaction(
    (tx) => {
      const db: Db = tx;
      if (!isFrozen(db, month)) return { ok: false, error: 'not_frozen' } as const;
      return { ok: true, version: storeFrozenMonth(db, month, monthSnapshot(db, month), deps.now().toISOString(), why) } as const;
    },
    { behavior: 'immediate' },
  );
}
