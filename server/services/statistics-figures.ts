/**
 * Builds the published figures of one view (a period, a kind) from the monthly counters: every count
 * becomes a quantity with one id, the equations between them are listed, small counts are suppressed
 * with their complements (domain/statistics-suppression.ts), and the cells, rates and percentiles are
 * read from the result. The organisation pages and the open data read the same view, so a suppressed
 * count is suppressed everywhere it appears.
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
export type ViewInput = { months: MonthInfo[]; rows: CounterRow[]; organisations: string[]; breakdownKeys: { kind: readonly string[]; scope: readonly string[]; status: readonly string[] } };

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
  /** For tests and the open data: every published quantity and equation. */
  values: ReadonlyMap<string, number>;
  equations: readonly Equation[];
  suppressed: ReadonlySet<string>;
};

/** Every quantity of the view from its counter rows, the days-to-answer histograms, the refusal codes met. */
function gather(rows: readonly CounterRow[]) {
  const values = new Map<string, number>();
  const add = (id: string, n: number) => values.set(id, (values.get(id) ?? 0) + n);
  const days = new Map<string, Map<number, number>>();
  const refusalCodes = new Set<string>();
  for (const r of rows) {
    const [measure, sub] = r.measure.split(':') as [string, string | undefined];
    if (measure === 'days') {
      for (const org of [r.organisationId, ALL]) {
        const h = days.get(org) ?? new Map<number, number>();
        h.set(Number(sub), (h.get(Number(sub)) ?? 0) + r.value);
        days.set(org, h);
      }
      continue;
    }
    if (measure === 'status') {
      add(qid(`status:${sub}`, ALL, ALL), r.value);
      continue;
    }
    if (measure === 'refused') refusalCodes.add(sub!);
    if (measure === 'received') {
      add(qid(`kind:${r.kind}`, ALL, ALL), r.value);
      add(qid(`scope:${r.scope}`, ALL, ALL), r.value);
    }
    const monthly = (MONTH_MEASURES as readonly string[]).includes(measure);
    if (monthly) {
      add(qid(measure, r.organisationId, r.month), r.value);
      add(qid(measure, ALL, r.month), r.value);
    }
    if (measure !== 'open_past_due') {
      add(qid(r.measure, r.organisationId, ALL), r.value);
      add(qid(r.measure, ALL, ALL), r.value);
    }
  }
  return { values, days, codes: [...refusalCodes].sort() };
}

/**
 * The equations between the view's quantities: each summed count over its months and over its
 * organisations, answered = on time + late, and two derivable but unpublished differences.
 */
function equationsOf(values: Map<string, number>, months: readonly string[], orgs: readonly string[], codes: readonly string[], breakdownKeys: ViewInput['breakdownKeys']) {
  const equations: Equation[] = [];
  const hidden = new Set<string>();
  const sumOver = (total: string, parts: string[]) => equations.push({ total, parts });
  for (const m of SUMMED) {
    for (const o of [...orgs, ALL]) sumOver(qid(m, o, ALL), months.map((mo) => qid(m, o, mo)));
  }
  for (const m of MONTH_MEASURES) {
    for (const mo of months) sumOver(qid(m, ALL, mo), orgs.map((o) => qid(m, o, mo)));
  }
  for (const m of [...SUMMED, 'extended', 'extended_in_time', ...codes.map((c) => `refused:${c}`)]) sumOver(qid(m, ALL, ALL), orgs.map((o) => qid(m, o, ALL)));
  for (const o of [...orgs, ALL]) {
    for (const mo of [...months, ALL]) sumOver(qid('answered', o, mo), [qid('on_time', o, mo), qid('late', o, mo)]);
    // Hidden, but derivable: extensions not told in time; answers that were not refusals.
    const notInTime = qid('extended_not_in_time', o, ALL);
    values.set(notInTime, (values.get(qid('extended', o, ALL)) ?? 0) - (values.get(qid('extended_in_time', o, ALL)) ?? 0));
    hidden.add(notInTime);
    sumOver(qid('extended', o, ALL), [qid('extended_in_time', o, ALL), notInTime]);
    const granted = qid('answered_not_refused', o, ALL);
    values.set(granted, (values.get(qid('answered', o, ALL)) ?? 0) - codes.reduce((s, c) => s + (values.get(qid(`refused:${c}`, o, ALL)) ?? 0), 0));
    hidden.add(granted);
    sumOver(qid('answered', o, ALL), [granted, ...codes.map((c) => qid(`refused:${c}`, o, ALL))]);
  }
  const received = qid('received', ALL, ALL);
  sumOver(received, breakdownKeys.kind.map((k) => qid(`kind:${k}`, ALL, ALL)));
  sumOver(received, breakdownKeys.scope.map((k) => qid(`scope:${k}`, ALL, ALL)));
  sumOver(received, breakdownKeys.status.map((k) => qid(`status:${k}`, ALL, ALL)));
  for (const id of [received, ...equations.flatMap((e) => [e.total, ...e.parts])]) if (!values.has(id)) values.set(id, 0);
  return { equations, hidden };
}

export function buildView(input: ViewInput): View {
  const months = input.months.map((m) => m.month);
  const lastMonth = months[months.length - 1]!;
  const orgs = input.organisations;
  const { values, days, codes } = gather(input.rows);
  const { equations, hidden } = equationsOf(values, months, orgs, codes, input.breakdownKeys);

  const suppressed = suppress(values, equations, hidden);
  const cell = (id: string) => cellOf(values, suppressed, id);
  const value = (id: string) => values.get(id) ?? 0;

  /** Published from 10 answered, and only when none of its counts is suppressed (the share would reveal it). */
  const rate = (org: string, month: string): Rate => {
    const [a, t, l] = [qid('answered', org, month), qid('on_time', org, month), qid('late', org, month)];
    const n = value(a);
    if (n < RATE_MIN_ANSWERED || [a, t, l].some((id) => suppressed.has(id))) return null;
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
    dimension === 'organisation' ? orgs.map((o) => ({ key: o, count: cell(qid('received', o, ALL)) })) : input.breakdownKeys[dimension].map((k) => ({ key: k, count: cell(qid(`${dimension}:${k}`, ALL, ALL)) }));

  return { cell, value, rate, answers, month, breakdown, refusalCodes: codes, lastMonth, values, equations, suppressed };
}
