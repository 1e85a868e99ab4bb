/**
 * Public figures (issue 13): the rules, pure. What each request contributes to the monthly
 * counters, when an answer is on time, the 95 % Wilson interval, the percentiles of days to answer.
 * Suppression of small counts is in statistics-suppression.ts. Figures come only from the service's own
 * timestamps (confirmation, delivery, acknowledgement, extension, answer, closure), never from a date a
 * person or a controller declares.
 *
 * Months are calendar months in Europe/Paris (YYYY-MM); an instant belongs to the month of its Paris day.
 */
import { applicableDueDate, daysBetween, todayIn } from './deadlines';
import { SCOPES, type Kind, type Scope, type Status } from './rights-request';

/** A count from 1 to 4 is published as "fewer than 5" (statistics-suppression.ts). */
export const SUPPRESS_BELOW = 5;
/** An on-time rate, a median and a 90th percentile are published only from 10 answered requests. */
export const RATE_MIN_ANSWERED = 10;
/** Days to answer are counted exactly up to this many; longer answers fall in the last bucket. */
export const DAYS_CAP = 400;
/**
 * A month is frozen once its last unconfirmed request can no longer be confirmed: unconfirmed requests
 * are deleted after 7 days, so the figures of month M are final 8 days after M ends.
 */
export const FREEZE_AFTER_DAYS = 8;

/** Everything the figures need about one request, from the service's own timestamps. No personal data. */
export type RequestFacts = {
  organisationId: string;
  kind: Kind;
  scope: Scope;
  /** Submission (ISO instant). */
  createdAt: string;
  confirmedAt: string | null;
  /** The day the answering body received it (GDPR art. 12(3): the month runs from it). */
  receivedOn: string | null;
  /** The end of the first month (GDPR art. 12(3)). */
  dueOn: string | null;
  extendedDueOn: string | null;
  /** When the organisation extended the period (ISO instant). */
  extendedAt: string | null;
  /** The answer or refusal (ISO instant): the first final answer, kept when the request is later closed. */
  answeredAt: string | null;
  answerType: 'answered' | 'refused' | null;
  refusalCode: string | null;
  withdrawnAt: string | null;
  /** Deleted unconfirmed after 7 days. */
  expiredAt: string | null;
  status: Status;
};

/** The scope of a counter: a request's scope for `received`, "" for every other measure (`contributions`). */
export const COUNTER_SCOPES = ['', ...SCOPES] as const;
export type CounterScope = (typeof COUNTER_SCOPES)[number];

/** The status key of a request deleted unconfirmed: it has no row any more, only its facts. */
export const EXPIRED_STATUS = 'non_confirmee';

/** The Paris calendar day of an instant. Between 00:00 and 21:59 UTC it is the UTC day (Paris is UTC+1 or +2). */
export function parisDay(iso: string): string {
  const hour = Number(iso.slice(11, 13));
  if (iso.length >= 20 && iso[10] === 'T' && iso.endsWith('Z') && hour < 22) return iso.slice(0, 10);
  return todayIn(new Date(iso));
}

export const monthOf = (isoOrDay: string): string => (isoOrDay.length > 10 ? parisDay(isoOrDay) : isoOrDay).slice(0, 7);

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The months from `from` to `to`, both included, in order. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

export function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** The instant a Paris day begins, as ISO (Paris is UTC+1 in winter, UTC+2 in summer). */
export function parisDayStart(day: string): string {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  for (const offsetHours of [2, 1]) {
    const t = midnightUtc - offsetHours * 3_600_000;
    if (todayIn(new Date(t)) === day && todayIn(new Date(t - 1)) !== day) return new Date(t).toISOString();
  }
  return new Date(midnightUtc - 3_600_000).toISOString();
}

/** The due date that applied to the answer (server/domain/deadlines.ts applicableDueDate, GDPR art. 12(3)). */
export function dueDateOf(f: Pick<RequestFacts, 'dueOn' | 'extendedDueOn' | 'extendedAt'>): string | null {
  return applicableDueDate(f);
}

/**
 * On time: answered (or refused, GDPR art. 12(4): a refusal is told within the same month) on or before
 * the end of the due date that applied: one month from receipt, or three once extended (art. 12(3)).
 * A request answered before its receipt day was recorded had no clock running: on time.
 */
export function answeredOnTime(f: Pick<RequestFacts, 'dueOn' | 'extendedDueOn' | 'extendedAt' | 'answeredAt'>): boolean {
  const due = dueDateOf(f);
  return f.answeredAt === null || due === null || parisDay(f.answeredAt) <= due;
}

/**
 * The extension was told in time when it was made within the first month (GDPR art. 12(3): the person
 * is informed of any extension within one month of receipt), that is on or before `dueOn`.
 */
export function extensionToldInTime(f: Pick<RequestFacts, 'extendedAt' | 'dueOn'>): boolean {
  return f.extendedAt !== null && (f.dueOn === null || parisDay(f.extendedAt) <= f.dueOn);
}

/** Days from receipt to answer, capped at DAYS_CAP. */
export function daysToAnswer(f: Pick<RequestFacts, 'receivedOn' | 'answeredAt'>): number | null {
  if (!f.answeredAt || !f.receivedOn) return null;
  return Math.min(DAYS_CAP, Math.max(0, daysBetween(f.receivedOn, parisDay(f.answeredAt))));
}

/**
 * The counters a request adds one to, each in the month of the event it counts:
 * - `received` (with its scope), `status:<s>` in the month of submission; a request deleted unconfirmed
 *   counts as `status:non_confirmee` and `never_confirmed` in its month of submission;
 * - `confirmed` in the month of confirmation; `withdrawn` in the month of withdrawal;
 * - `answered`, `on_time` or `late`, `refused:<code>`, `days:<n>` in the month of the answer;
 * - `extended` and `extended_in_time` in the month of the extension.
 * Only `received` keeps the scope; the others count under scope "". Statuses count under organisation ""
 * too: they are published for the period as a whole, so they need no more.
 */
export type Contribution = {
  month: string;
  scope: CounterScope;
  measure: string;
  /** Set for the counters kept without their organisation. */ organisation?: string;
};

export function contributions(f: RequestFacts): Contribution[] {
  const out: Contribution[] = [];
  const created = monthOf(f.createdAt);
  const expired = f.expiredAt !== null && f.confirmedAt === null;
  out.push({ month: created, scope: f.scope, measure: 'received' });
  out.push({ month: created, scope: '', organisation: '', measure: `status:${expired ? EXPIRED_STATUS : f.status}` });
  if (expired) out.push({ month: created, scope: '', measure: 'never_confirmed' });
  if (f.confirmedAt) out.push({ month: monthOf(f.confirmedAt), scope: '', measure: 'confirmed' });
  if (f.withdrawnAt) out.push({ month: monthOf(f.withdrawnAt), scope: '', measure: 'withdrawn' });
  if (f.answeredAt) {
    const month = monthOf(f.answeredAt);
    out.push({ month, scope: '', measure: 'answered' });
    out.push({ month, scope: '', measure: answeredOnTime(f) ? 'on_time' : 'late' });
    if (f.answerType === 'refused') out.push({ month, scope: '', measure: `refused:${f.refusalCode ?? 'other'}` });
    const days = daysToAnswer(f);
    if (days !== null) out.push({ month, scope: '', measure: `days:${days}` });
  }
  if (f.extendedAt) {
    const month = monthOf(f.extendedAt);
    out.push({ month, scope: '', measure: 'extended' });
    if (extensionToldInTime(f)) out.push({ month, scope: '', measure: 'extended_in_time' });
  }
  return out;
}

/** Open past due on `day`: received, its applicable due date passed, not answered nor withdrawn by then. */
export function openPastDueOn(f: RequestFacts, day: string): boolean {
  const due = dueDateOf(f);
  if (!f.receivedOn || !due || f.receivedOn > day || due >= day) return false;
  if (f.answeredAt && parisDay(f.answeredAt) <= day) return false;
  if (f.withdrawnAt && parisDay(f.withdrawnAt) <= day) return false;
  return true;
}

const Z95 = 1.959963984540054;

/**
 * The 95 % Wilson score interval of a proportion (Wilson 1927; Brown, Cai & DasGupta 2001): with
 * p = k/n and z = 1.96, centre (p + z²/2n) / (1 + z²/n), half-width z·√(p(1−p)/n + z²/4n²) / (1 + z²/n).
 */
export function wilson(k: number, n: number): { share: number; low: number; high: number } {
  if (n <= 0) return { share: 0, low: 0, high: 0 };
  const p = k / n;
  const z2 = Z95 * Z95;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { share: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * The p-th percentile of days to answer, by nearest rank: the smallest number of days d such that at
 * least p % of the answers took d days or fewer (rank ⌈p/100 · n⌉ in increasing order). The median is
 * p = 50 (for an even count, the lower of the two middle values). Null under RATE_MIN_ANSWERED answers.
 */
export function percentile(histogram: ReadonlyMap<number, number>, p: number): number | null {
  let n = 0;
  for (const c of histogram.values()) n += c;
  if (n < RATE_MIN_ANSWERED) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  let seen = 0;
  for (const days of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(days)!;
    if (seen >= rank) return days;
  }
  return null;
}
