/**
 * Demonstration history for the public figures (issue 13): 24 months of synthetic requests for each
 * answering organisation of the demonstration register (the CNAM and every project controller), so a
 * fresh `npm start` with DEMO_DATA shows populated pages. Only request facts (no request, no identity:
 * nothing personal, not even fake) go into the aggregates; the figures then say `demonstration: true`.
 * Deterministic: a seeded generator, the same history for the same day.
 *
 * Each organisation gets its own habits: a volume, a share answered late, extensions, refusals; some
 * requests are never confirmed, some withdrawn, some still open past their due date.
 */
import type { Db } from '../db/client';
import { projectControllers } from '../db/register';
import { markDemonstrationHistory, writeFacts, type FactsRow } from '../db/statistics';
import { addDays, gdprDeadlines, todayIn } from '../domain/deadlines';
import { KINDS } from '../domain/rights-request';
import { CNAM_ID } from '../domain/routing';
import { REFUSAL_CODES } from '../domain/status-updates';
import { addMonths, lastDayOf, monthsOf } from '../domain/statistics';
import { freezeEndedMonths } from './statistics';

export const DEMO_MONTHS = 24;

/** Mulberry32, as in server/cli/seed-synthetic.ts. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const at = (day: string, rnd: () => number) =>
  `${day}T${String(7 + Math.floor(rnd() * 12)).padStart(2, '0')}:${String(Math.floor(rnd() * 60)).padStart(2, '0')}:00.000Z`;

type Habits = { perMonth: number; late: number; extended: number; refused: number };

/** One synthetic request's facts, or undefined when its day is still to come. */
export function demoFacts(id: string, org: string, month: string, habits: Habits, today: string, rnd: () => number): FactsRow | undefined {
  const last = Number(lastDayOf(month).slice(8));
  const day = `${month}-${String(1 + Math.floor(rnd() * last)).padStart(2, '0')}`;
  if (day > today) return undefined;
  const kind = KINDS[Math.min(KINDS.length - 1, Math.floor(rnd() ** 1.6 * KINDS.length))]!;
  const scope = org === CNAM_ID ? (rnd() < 0.7 ? 'snds' : 'projet') : rnd() < 0.5 ? 'projet' : 'responsable';
  const f: FactsRow = {
    requestId: id,
    organisationId: org,
    kind,
    scope,
    status: 'recue',
    createdAt: at(day, rnd),
    confirmedAt: null,
    receivedOn: null,
    dueOn: null,
    extendedDueOn: null,
    extendedAt: null,
    answerDueOn: null,
    answeredAt: null,
    answerType: null,
    refusalCode: null,
    withdrawnAt: null,
    expiredAt: null,
  };
  if (rnd() < 0.08) {
    const expiry = addDays(day, 7);
    if (expiry > today) return { ...f, status: 'a_confirmer' };
    return { ...f, status: 'a_confirmer', expiredAt: at(expiry, rnd) };
  }
  f.confirmedAt = f.createdAt;
  const received = org === CNAM_ID ? day : addDays(day, Math.floor(rnd() * 3));
  if (received > today) return f;
  const d = gdprDeadlines(received);
  Object.assign(f, { status: 'transmise', receivedOn: received, dueOn: d.due.due, extendedDueOn: d.extendedDue.due, answerDueOn: d.due.due });
  if (rnd() < 0.03) {
    const w = addDays(received, 1 + Math.floor(rnd() * 10));
    if (w <= today) return { ...f, status: 'retiree', withdrawnAt: at(w, rnd) };
    return f;
  }
  const extended = rnd() < habits.extended;
  if (extended) {
    const e = addDays(received, 15 + Math.floor(rnd() * 10));
    if (e > today || e > d.due.due) return f;
    Object.assign(f, { status: 'prolongee', extendedAt: at(e, rnd), answerDueOn: d.extendedDue.due });
  }
  const due = f.answerDueOn!;
  const late = rnd() < habits.late;
  const span = Math.max(2, Math.round((Date.parse(due) - Date.parse(received)) / 86_400_000));
  const answerDay = late ? addDays(due, 1 + Math.floor(rnd() * 45)) : addDays(received, 2 + Math.floor(rnd() ** 1.5 * (span - 2)));
  if (answerDay > today) return f;
  const refused = rnd() < habits.refused;
  return {
    ...f,
    status: refused ? 'refusee' : rnd() < 0.6 ? 'cloturee' : 'repondue',
    answeredAt: at(answerDay, rnd),
    answerType: refused ? 'refused' : 'answered',
    refusalCode: refused ? REFUSAL_CODES[Math.floor(rnd() * REFUSAL_CODES.length)]! : null,
  };
}

/**
 * Writes the demonstration history once (its request ids start with `demo-`), freezes its ended months
 * and marks the figures as demonstration. Returns the number of requests written.
 */
export function seedStatisticsDemo(deps: { db: Db; now: () => Date }): number {
  const today = todayIn(deps.now());
  const current = today.slice(0, 7);
  const organisations = [CNAM_ID, ...projectControllers(deps.db).filter((o) => o !== CNAM_ID)];
  let written = 0;
  deps.db.transaction(
    (tx) => {
      const db: Db = tx;
      organisations.forEach((org, o) => {
        const rnd = random(1_000 + o * 7_919);
        // The CNAM answers for the whole SNDS: many more requests. One organisation in four is slow.
        const habits: Habits = {
          perMonth: org === CNAM_ID ? 120 : 8 + Math.floor(rnd() * 30),
          late: o % 4 === 3 ? 0.35 : 0.04 + rnd() * 0.12,
          extended: 0.03 + rnd() * 0.07,
          refused: 0.03 + rnd() * 0.06,
        };
        for (const month of monthsOf(addMonths(current, -DEMO_MONTHS), current)) {
          const n = Math.round(habits.perMonth * (0.75 + rnd() * 0.5));
          for (let i = 0; i < n; i++) {
            const facts = demoFacts(`demo-${org}-${month}-${i}`, org, month, habits, today, rnd);
            if (!facts) continue;
            writeFacts(db, undefined, facts);
            written += 1;
          }
        }
      });
      markDemonstrationHistory(db, deps.now().toISOString());
    },
    { behavior: 'immediate' },
  );
  freezeEndedMonths(deps);
  return written;
}
