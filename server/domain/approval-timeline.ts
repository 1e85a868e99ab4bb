/**
 * The approval route of a project, step by step, each checked against its legal delay. Facts from the
 * platform's documentation (the Health Data Hub's "approval route of a project"): the platform
 * sends the file to the CESREES within 7 days; the CESREES gives its opinion within one month; the CNIL
 * decides within two months, renewable once. Periods are computed by the one deadline engine
 * (Regulation 1182/71, server/domain/deadlines.ts).
 */
import { computePeriodEnd, daysBetween, type Period } from './deadlines';
import type { ProjectRow } from './register-schema';

export type StepKey = 'depot' | 'transmission_cesrees' | 'avis_cesrees' | 'decision_cnil' | 'debut' | 'fin' | 'resultats';

export type TimelineStep = {
  key: StepKey;
  /** When it happened; undefined when it has not happened yet. */
  date?: string;
  /** The legal limit, when the step has one and the step before it happened. */
  due?: string;
  /** The limit's legal basis, as a key of the `register` namespace. */
  rule?: 'cesrees7' | 'cesrees1m' | 'cnil2m' | 'cnil4m';
  /** Days past the limit: for a step done late, or for one still awaited after its limit. */
  lateDays?: number;
  pending?: boolean;
  fictitious: boolean;
};

const LIMITS: Partial<Record<StepKey, { from: StepKey; period: (row: ProjectRow) => Period; rule: (row: ProjectRow) => TimelineStep['rule'] }>> = {
  transmission_cesrees: { from: 'depot', period: () => ({ days: 7 }), rule: () => 'cesrees7' },
  avis_cesrees: { from: 'transmission_cesrees', period: () => ({ months: 1 }), rule: () => 'cesrees1m' },
  // Two months, renewable once: four months when the CNIL renewed its period.
  decision_cnil: {
    from: 'avis_cesrees',
    period: (r) => ({ months: r.prolongation_cnil === 'true' ? 4 : 2 }),
    rule: (r) => (r.prolongation_cnil === 'true' ? 'cnil4m' : 'cnil2m'),
  },
};

const DATE_FIELD: Record<StepKey, string> = {
  depot: 'date_depot',
  transmission_cesrees: 'date_transmission_cesrees',
  avis_cesrees: 'date_avis_cesrees',
  decision_cnil: 'date_decision_cnil',
  debut: 'date_debut',
  fin: 'date_fin',
  resultats: 'date_resultats',
};

/** Statuses at which a project no longer waits for an approval step. */
const CLOSED = new Set(['refuse', 'abandonne']);

/**
 * A step still awaited is judged at the record's last update, not today: the register only knows that the
 * step had not happened by then (demonstration records describe mid-2019, for instance).
 */
export function timelineAsOf(row: ProjectRow, today: string): string {
  return row.mis_a_jour && row.mis_a_jour < today ? row.mis_a_jour : today;
}

export function approvalTimeline(row: ProjectRow, today: string): TimelineStep[] {
  const asOf = timelineAsOf(row, today);
  const fictitious = new Set((row.champs_fictifs ?? '').split(';').filter(Boolean));
  const dateOf = (key: StepKey) => row[DATE_FIELD[key]] || undefined;
  const steps: TimelineStep[] = [];
  for (const key of Object.keys(DATE_FIELD) as StepKey[]) {
    const date = dateOf(key);
    const limit = LIMITS[key];
    const step: TimelineStep = { key, date, fictitious: fictitious.has(DATE_FIELD[key]) };
    if (limit) {
      const from = dateOf(limit.from);
      if (from) {
        step.due = computePeriodEnd(from, limit.period(row)).due;
        step.rule = limit.rule(row);
        if (date && date > step.due) step.lateDays = daysBetween(step.due, date);
        if (!date && !CLOSED.has(row.statut ?? '')) {
          step.pending = true;
          if (asOf > step.due) step.lateDays = daysBetween(step.due, asOf);
        }
      }
    }
    if (date || step.pending) steps.push(step);
  }
  return steps;
}
