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
import type { Filters, MonthFigures, OrganisationFigures, ParsedFilters, FilterError, PublicFigures } from '../domain/statistics-types';
import {
  HISTORY_QUARTERS,
  QUARTER,
  latestPublishedQuarter,
  publishedQuarters,
  quarterHistory,
  quarterOf,
  quarterOfPeriod,
  quarterPeriod,
  quarterPublished,
} from '../domain/statistics-periods';
import { ALL, qid } from './statistics-figures';
import { frozenPageVersion } from './statistics-page-version';
import { loadView, organisationOf, registerFigures, type StatisticsDeps } from './statistics-view';

export type { StatisticsDeps } from './statistics-view';
export { openDataTables } from './statistics-open-data';
export { forgetViews, registerFigures, statisticsView } from './statistics-view';
export { frozenPageVersion, type PageVersion } from './statistics-page-version';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Filters from a query string: `periode` a published quarter (YYYY-Tn), or the older `du` / `au`
 * (YYYY-MM) when they name exactly one; `type` / `kind` a kind of request. By default the latest
 * published quarter. Only whole published quarters are accepted (domain/statistics-periods.ts: two
 * overlapping periods would give by difference what suppression hides). Errors are i18n keys of the
 * statistics namespace, never an exception.
 */
export function parseFilters(query: Record<string, string | undefined>, today: string): ParsedFilters {
  const errors: FilterError[] = [];
  const rawQuarter = (query.periode ?? query.period ?? '').trim();
  const rawFrom = (query.from ?? query.du ?? '').trim();
  const rawTo = (query.to ?? query.au ?? '').trim();
  const rawKind = (query.kind ?? query.type ?? '').trim();
  let quarter = latestPublishedQuarter(today);
  if (rawQuarter !== '') {
    if (!QUARTER.test(rawQuarter) || rawQuarter < '2000') errors.push({ field: 'period', message: 'filters.errors.quarter' });
    else quarter = rawQuarter;
  } else if (rawFrom !== '' || rawTo !== '') {
    const named = MONTH.test(rawFrom) && MONTH.test(rawTo) ? quarterOfPeriod({ from: rawFrom, to: rawTo }) : null;
    if (!named) errors.push({ field: 'period', message: 'filters.errors.notQuarter' });
    else quarter = named;
  }
  if (errors.length === 0 && !quarterPublished(quarter, today)) errors.push({ field: 'period', message: 'filters.errors.notPublished' });
  if (rawKind !== '' && !(KINDS as readonly string[]).includes(rawKind)) errors.push({ field: 'kind', message: 'filters.errors.kind' });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, filters: { period: quarterPeriod(quarter), ...(rawKind ? { kind: rawKind } : {}) } };
}

/** The quarters a reader may choose, newest first. */
export function publishedPeriods(deps: StatisticsDeps): string[] {
  return publishedQuarters(todayIn(deps.now()), firstCountedMonth(deps.db));
}

/** A period that is not a quarter (tests, the bench): its own months. */
function months0(deps: StatisticsDeps, filters: Filters, org: string): MonthFigures[] {
  const { view, months } = loadView(deps, filters);
  return months.map((m) => view.month(org, m));
}

export { HISTORY_QUARTERS };

/**
 * The months of the history (the quarter chosen and the three before it) for one organisation or all
 * (ALL), each month read from its own quarter's view: the view it is published in, with its suppression.
 */
function historyOf(deps: StatisticsDeps, filters: Filters, org: string): MonthFigures[] {
  if (!quarterOfPeriod(filters.period)) return months0(deps, filters, org);
  const quarter = quarterOf(filters.period.from);
  return quarterHistory(quarter, HISTORY_QUARTERS).flatMap((q) => {
    const { view, months, names } = loadView(deps, { ...filters, period: quarterPeriod(q) });
    return org === ALL || names.has(org) ? months.map((m) => view.month(org, m)) : [];
  });
}

export function publicFigures(deps: StatisticsDeps, filters: Filters): PublicFigures {
  const { view, months, organisations, names } = loadView(deps, filters);
  const lastComplete = addMonths(todayIn(deps.now()).slice(0, 7), -1);
  // The quarter's last month: published quarters have ended.
  const headlineMonth = filters.period.to;
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
    history: historyOf(deps, filters, ALL),
    organisations: organisations.map((id) => organisationOf(view, months, id, names.get(id) ?? id)),
    register: registerFigures(deps),
  };
}

/**
 * What an organisation's register page (/organisations/<id>) keys its cached render by: it shows the latest
 * published quarter's figures, which change with the frozen months, not with the register
 * (statistics-page-version.ts); the hour while a month of that quarter is not frozen yet (so cached at
 * most until the hour changes).
 */
export function latestFiguresKey(deps: StatisticsDeps): string {
  const defaults = parseFilters({}, todayIn(deps.now()));
  const version = defaults.ok ? frozenPageVersion(deps, defaults.filters) : null;
  return version ? `${version.shared}|${version.own}` : deps.now().toISOString().slice(0, 13);
}

/** What an organisation's page says of the figures beside its own: when computed, frozen through, demonstration. */
export function figuresContext(deps: StatisticsDeps): Pick<PublicFigures, 'computedAt' | 'frozenThrough' | 'demonstration'> {
  return { computedAt: deps.now().toISOString(), frozenThrough: lastFrozenMonth(deps.db), demonstration: hasDemonstrationHistory(deps.db) };
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
