/**
 * Builds the published figures of one view (a period, a kind) from the monthly counters: every count
 * becomes a quantity with one id, the equations between them are listed, small counts are suppressed
 * with their complements (domain/statistics-suppression.ts), and the cells, rates and percentiles are
 * read from the result. The organisation pages and the open data read the same view, so a suppressed
 * count is suppressed everywhere it appears.
 *
 * The kinds are suppressed together: the view holds the figures of every kind and of all kinds, with
 * the equations all = Σ kinds between them, and publishes one of them. So the figures filtered by one
 * kind, put beside the unfiltered ones and those of the other kinds, reveal no suppressed count.
 */
import type { CounterRow } from '../db/statistics';
import { RATE_MIN_ANSWERED, percentile, wilson } from '../domain/statistics';
import { cellOf, suppress, type Equation } from '../domain/statistics-suppression';
import type { AnswerFigures, Breakdown, Cell, MonthFigures, Rate } from '../domain/statistics-types';

/** The counts of MonthFigures, by counter measure. */
export const MONTH_MEASURES = ['received', 'confirmed', 'never_confirmed', 'withdrawn', 'answered', 'on_time', 'late', 'open_past_due'] as const;
const SUMMED = MONTH_MEASURES.filter((m) => m !== 'open_past_due');
export const ALL = '*';

export type MonthInfo = { month: string; frozen: boolean; version: number; correctedReason?: string };
export type ViewInput = {
  months: MonthInfo[];
  /** Counter rows of every kind (each row's kind is set). */
  rows: CounterRow[];
  /** Rows gathered once and kept (the frozen months'), with the key they are kept under. */
  base?: { key: string; rows: readonly CounterRow[] };
  organisations: string[];
  /** The kind published, or null for all kinds. */
  kind: string | null;
  breakdownKeys: { kind: readonly string[]; scope: readonly string[]; status: readonly string[] };
};

/** The slice of all kinds, beside one slice per kind. */
export const ALL_KINDS = 'all';
/** A quantity's id in the joint view: its slice (a kind, or all kinds) and its own id. */
export const sliceId = (slice: string, id: string) => `${slice}#${id}`;

export const qid = (measure: string, org: string, month: string) => `${measure}|${org}|${month}`;

export type View = {
  cell: (id: string) => Cell;
  value: (id: string) => number;
  rate: (org: string, month: string) => Rate;
  answers: (org: string) => AnswerFigures;
  month: (org: string, m: MonthInfo) => MonthFigures;
  breakdown: (dimension: 'kind' | 'scope' | 'status' | 'organisation') => Breakdown;
  refusalCodes: string[];
  lastMonth: string;
  /** For tests: every quantity and equation of the joint view (ids as sliceId), and the slice published. */
  slice: string;
  values: ReadonlyMap<string, number>;
  equations: readonly Equation[];
  suppressed: ReadonlySet<string>;
};

/**
 * Every quantity of every slice (all kinds, and the row's own kind) from the counter rows, in one pass;
 * the days-to-answer histograms of the published slice; the refusal codes met.
 */
type Gathered = { values: Map<string, number>; days: Map<string, Map<number, number>>; refusalCodes: Set<string> };

function gather(rows: readonly CounterRow[], published: string, into?: Gathered): Gathered {
  const values = into?.values ?? new Map<string, number>();
  const add = (id: string, n: number) => values.set(id, (values.get(id) ?? 0) + n);
  const days = into?.days ?? new Map<string, Map<number, number>>();
  const refusalCodes = into?.refusalCodes ?? new Set<string>();
  const addDays = (org: string, d: number, n: number) => {
    const h = days.get(org) ?? new Map<number, number>();
    h.set(d, (h.get(d) ?? 0) + n);
    days.set(org, h);
  };
  for (const r of rows) {
    const colon = r.measure.indexOf(':');
    const measure = colon < 0 ? r.measure : r.measure.slice(0, colon);
    const sub = colon < 0 ? '' : r.measure.slice(colon + 1);
    if (measure === 'days') {
      if (published === ALL_KINDS || published === r.kind) {
        addDays(r.organisationId, Number(sub), r.value);
        addDays(ALL, Number(sub), r.value);
      }
      continue;
    }
    if (measure === 'refused') refusalCodes.add(sub);
    for (const slice of [ALL_KINDS, r.kind]) {
      const p = `${slice}#`;
      if (measure === 'status') {
        add(`${p}status:${sub}|*|*`, r.value);
        continue;
      }
      if (measure === 'received') {
        add(`${p}kind:${r.kind}|*|*`, r.value);
        add(`${p}scope:${r.scope}|*|*`, r.value);
      }
      if (MONTHLY.has(measure)) {
        add(`${p}${measure}|${r.organisationId}|${r.month}`, r.value);
        add(`${p}${measure}|*|${r.month}`, r.value);
      }
      if (measure !== 'open_past_due') {
        add(`${p}${r.measure}|${r.organisationId}|*`, r.value);
        add(`${p}${r.measure}|*|*`, r.value);
      }
    }
  }
  return { values, days, refusalCodes };
}
const MONTHLY = new Set<string>(MONTH_MEASURES);

/**
 * The equations between one slice's quantities: each summed count over its months and over its
 * organisations, answered = on time + late, and two derivable but unpublished differences.
 */
function equationsOf(
  values: Map<string, number>,
  slice: string,
  months: readonly string[],
  orgs: readonly string[],
  codes: readonly string[],
  breakdownKeys: ViewInput['breakdownKeys'],
) {
  const q = (measure: string, org: string, month: string) => sliceId(slice, qid(measure, org, month));
  const equations: Equation[] = [];
  const hidden = new Set<string>();
  const sumOver = (total: string, parts: string[]) => equations.push({ total, parts });
  for (const m of SUMMED) {
    for (const o of [...orgs, ALL])
      sumOver(
        q(m, o, ALL),
        months.map((mo) => q(m, o, mo)),
      );
  }
  for (const m of MONTH_MEASURES) {
    for (const mo of months)
      sumOver(
        q(m, ALL, mo),
        orgs.map((o) => q(m, o, mo)),
      );
  }
  for (const m of [...SUMMED, 'extended', 'extended_in_time', ...codes.map((c) => `refused:${c}`)])
    sumOver(
      q(m, ALL, ALL),
      orgs.map((o) => q(m, o, ALL)),
    );
  const v = (id: string) => values.get(id) ?? 0;
  for (const o of [...orgs, ALL]) {
    for (const mo of [...months, ALL]) sumOver(q('answered', o, mo), [q('on_time', o, mo), q('late', o, mo)]);
    // Hidden, but derivable: extensions not told in time; answers that were not refusals.
    const notInTime = q('extended_not_in_time', o, ALL);
    values.set(notInTime, v(q('extended', o, ALL)) - v(q('extended_in_time', o, ALL)));
    hidden.add(notInTime);
    sumOver(q('extended', o, ALL), [q('extended_in_time', o, ALL), notInTime]);
    const granted = q('answered_not_refused', o, ALL);
    values.set(granted, v(q('answered', o, ALL)) - codes.reduce((sum, c) => sum + v(q(`refused:${c}`, o, ALL)), 0));
    hidden.add(granted);
    sumOver(q('answered', o, ALL), [granted, ...codes.map((c) => q(`refused:${c}`, o, ALL))]);
  }
  const received = q('received', ALL, ALL);
  sumOver(
    received,
    breakdownKeys.kind.map((k) => q(`kind:${k}`, ALL, ALL)),
  );
  sumOver(
    received,
    breakdownKeys.scope.map((k) => q(`scope:${k}`, ALL, ALL)),
  );
  sumOver(
    received,
    breakdownKeys.status.map((k) => q(`status:${k}`, ALL, ALL)),
  );
  return { equations, hidden };
}

/** Every slice's quantities and equations under their slice ids, and the equations all = Σ kinds. */
/** The frozen months' rows gathered once per process: a frozen version never changes. */
const baseCache = new Map<string, Gathered>();
const clone = (g: Gathered): Gathered => ({
  values: new Map(g.values),
  days: new Map([...g.days].map(([k, h]) => [k, new Map(h)])),
  refusalCodes: new Set(g.refusalCodes),
});

function gatherAll(input: ViewInput): Gathered {
  const published = input.kind ?? ALL_KINDS;
  if (!input.base) return gather(input.rows, published);
  const key = `${published}|${input.base.key}`;
  let base = baseCache.get(key);
  if (!base) {
    base = gather(input.base.rows, published);
    if (baseCache.size >= 64) baseCache.delete(baseCache.keys().next().value!);
    baseCache.set(key, base);
  }
  return gather(input.rows, published, clone(base));
}

function jointView(input: ViewInput, months: readonly string[]) {
  const g = gatherAll(input);
  const { values, days } = g;
  const codes = [...g.refusalCodes].sort();
  const equations: Equation[] = [];
  const hidden = new Set<string>();
  for (const slice of [ALL_KINDS, ...input.breakdownKeys.kind]) {
    const e = equationsOf(values, slice, months, input.organisations, codes, {
      ...input.breakdownKeys,
      kind: slice === ALL_KINDS ? input.breakdownKeys.kind : [slice],
    });
    for (const eq of e.equations) equations.push(eq);
    for (const id of e.hidden) hidden.add(id);
  }
  // Hidden differences are derivable in every slice: linked like the published counts.
  const prefix = `${ALL_KINDS}#`;
  for (const id of [...values.keys()]) {
    if (!id.startsWith(prefix) || id.startsWith(`${prefix}kind:`)) continue;
    const own = id.slice(prefix.length);
    equations.push({ total: id, parts: input.breakdownKeys.kind.map((k) => sliceId(k, own)) });
  }
  return { values, equations, hidden, days, codes };
}

export function buildView(input: ViewInput): View {
  const months = input.months.map((m) => m.month);
  const lastMonth = months[months.length - 1]!;
  const orgs = input.organisations;
  const slice = input.kind ?? ALL_KINDS;
  const { values, equations, hidden, days, codes } = jointView(input, months);
  const suppressed = suppress(values, equations, hidden);
  const cell = (id: string) => cellOf(values, suppressed, sliceId(slice, id));
  const value = (id: string) => values.get(sliceId(slice, id)) ?? 0;
  const isSuppressed = (id: string) => suppressed.has(sliceId(slice, id));

  /** Published from 10 answered, and only when none of its counts is suppressed (the share would reveal it). */
  const rate = (org: string, month: string): Rate => {
    const [a, t, l] = [qid('answered', org, month), qid('on_time', org, month), qid('late', org, month)];
    const n = value(a);
    if (n < RATE_MIN_ANSWERED || [a, t, l].some(isSuppressed)) return null;
    return { ...wilson(value(t), n), answered: n };
  };
  const answers = (org: string): AnswerFigures => {
    const h = days.get(org) ?? new Map<number, number>();
    return {
      answered: cell(qid('answered', org, ALL)),
      onTime: cell(qid('on_time', org, ALL)),
      late: cell(qid('late', org, ALL)),
      openPastDue: cell(qid('open_past_due', org, lastMonth)),
      medianDays: percentile(h, 50),
      p90Days: percentile(h, 90),
      extensions: cell(qid('extended', org, ALL)),
      extensionsToldInTime: cell(qid('extended_in_time', org, ALL)),
      refusals: codes.map((code) => ({ code, count: cell(qid(`refused:${code}`, org, ALL)) })),
      onTimeRate: rate(org, ALL),
    };
  };
  const month = (org: string, m: MonthInfo): MonthFigures => ({
    month: m.month,
    frozen: m.frozen,
    version: m.version,
    ...(m.correctedReason ? { correctedReason: m.correctedReason } : {}),
    received: cell(qid('received', org, m.month)),
    confirmed: cell(qid('confirmed', org, m.month)),
    neverConfirmed: cell(qid('never_confirmed', org, m.month)),
    withdrawn: cell(qid('withdrawn', org, m.month)),
    answered: cell(qid('answered', org, m.month)),
    answeredOnTime: cell(qid('on_time', org, m.month)),
    answeredLate: cell(qid('late', org, m.month)),
    openPastDue: cell(qid('open_past_due', org, m.month)),
    onTime: rate(org, m.month),
  });
  const breakdown = (dimension: 'kind' | 'scope' | 'status' | 'organisation'): Breakdown =>
    dimension === 'organisation'
      ? orgs.map((o) => ({ key: o, count: cell(qid('received', o, ALL)) }))
      : (dimension === 'kind' && input.kind ? [input.kind] : input.breakdownKeys[dimension]).map((k) => ({
          key: k,
          count: cell(qid(`${dimension}:${k}`, ALL, ALL)),
        }));

  return { cell, value, rate, answers, month, breakdown, refusalCodes: codes, lastMonth, slice, values, equations, suppressed };
}
