/**
 * Legal periods and deadlines, computed per Regulation (EEC, Euratom) No 1182/71 of 3 June 1971
 * determining the rules applicable to periods, dates and time limits, with the public holidays of the
 * place (see holidays.ts). One engine for the request tracker, the DPO queue, the register timeline and
 * the public calculator (/outils/delai).
 *
 * Dates are ISO 8601 calendar dates (YYYY-MM-DD) handled as UTC day numbers: no local time zone can
 * shift a day. A period ends "at the end of" its due date (Art. 3(2)(b) and (c)). Pure, no I/O.
 */

import { holidayOn, isZone, type HolidayReason, type Zone } from './holidays';

export type SkipReason = 'saturday' | 'sunday' | HolidayReason;

export type Period = { months: number } | { days: number };

export type PeriodResult = {
  received: string;
  calendar: Zone;
  months: number | null;
  days: number | null;
  due: string;
  /** Each non-working day the end was moved over, in order: by Art. 3(4), then by Art. 3(5). */
  skipped: { date: string; reason: SkipReason }[];
};

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0); // day 0 of the next month: the last day of `month` (1-12)
  return d.getUTCDate();
}

/** UTC day number (days since 1970-01-01) of a valid date; setUTCFullYear, unlike Date.UTC, keeps years 0-99 as given. */
function dayNumberOf(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.round(d.getTime() / DAY_MS);
}

function splitIso(v: string): { year: number; month: number; day: number } | undefined {
  const m = ISO_DATE.exec(v);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

function toDayNumber(date: string): number {
  const p = typeof date === 'string' ? splitIso(date) : undefined;
  if (!p) throw new RangeError(`not a calendar date in the form YYYY-MM-DD: ${String(date)}`);
  return dayNumberOf(p.year, p.month, p.day);
}

function toIso(dayNumber: number): string {
  const d = new Date(dayNumber * DAY_MS);
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError('date out of the range 0000-9999');
  return `${String(year).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** Why a day is not a working day, or undefined for a working day. A holiday on a weekend is named by the holiday. */
function nonWorkingReason(date: string, zone: Zone): SkipReason | undefined {
  const holiday = holidayOn(date, zone);
  if (holiday) return holiday;
  const weekday = new Date(toDayNumber(date) * DAY_MS).getUTCDay();
  if (weekday === 6) return 'saturday';
  if (weekday === 0) return 'sunday';
  return undefined;
}

/** A working day: neither a Saturday, a Sunday nor a public holiday of the zone (Regulation 1182/71, Art. 2(2) and 3(4)). */
export function isWorkingDay(date: string, zone: Zone): boolean {
  toDayNumber(date);
  return nonWorkingReason(date, zone) === undefined;
}

export function addDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`n must be an integer, got ${String(n)}`);
  return toIso(toDayNumber(date) + n);
}

/** b − a in days. */
export function daysBetween(a: string, b: string): number {
  return toDayNumber(b) - toDayNumber(a);
}

function positiveInteger(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${String(v)}`);
  }
  return v;
}

/**
 * The end of a period running from `received`, in the calendar of `zone`, per Regulation 1182/71.
 * Throws RangeError on an invalid date, period or zone (callers validate user input first).
 */
export function computePeriodEnd(received: string, period: Period, zone: Zone = 'FR'): PeriodResult {
  const event = toDayNumber(received);
  if (!isZone(zone)) throw new RangeError(`unknown calendar ${String(zone)}`);

  let months: number | null = null;
  let days: number | null = null;
  let nominal: number;
  if ('months' in period) {
    months = positiveInteger('months', period.months);
    // Art. 3(2)(c): a period in months ends at the end of the day in the last month with the same date
    // as the day of the event; when that month has no such date, at the end of its last day.
    const e = splitIso(received)!;
    const index = e.month - 1 + months;
    const year = e.year + Math.floor(index / 12);
    const month = (index % 12) + 1;
    nominal = dayNumberOf(year, month, Math.min(e.day, daysInMonth(year, month)));
  } else {
    days = positiveInteger('days', period.days);
    // Art. 3(1): the day of the event is not counted, so day 1 is the next day; Art. 3(2)(b): a period in
    // days ends at the end of its last day. Art. 3(3): Saturdays, Sundays and holidays count inside it.
    nominal = event + days;
  }

  const skipped: { date: string; reason: SkipReason }[] = [];
  let end = nominal;
  // Art. 3(4): a period whose last day is a public holiday, a Sunday or a Saturday ends at the end of the
  // following working day.
  for (let reason = nonWorkingReason(toIso(end), zone); reason; reason = nonWorkingReason(toIso(end), zone)) {
    skipped.push({ date: toIso(end), reason });
    end += 1;
  }

  // Art. 3(5): any period of two days or more includes at least two working days. The period runs from
  // the day after the event (Art. 3(1)) to its end; `end` is now a working day, so at most one more
  // working day is needed, and any non-working day crossed to reach it is listed too.
  if (nominal - event >= 2) {
    while (countWorkingDays(event + 1, end, zone, 2) < 2) {
      end += 1;
      for (let reason = nonWorkingReason(toIso(end), zone); reason; reason = nonWorkingReason(toIso(end), zone)) {
        skipped.push({ date: toIso(end), reason });
        end += 1;
      }
    }
  }

  return { received, calendar: zone, months, days, due: toIso(end), skipped };
}

/** Working days from day number `from` to `to` inclusive, counting no further than `enough`. */
function countWorkingDays(from: number, to: number, zone: Zone, enough: number): number {
  let count = 0;
  for (let d = to; d >= from && count < enough; d -= 1) {
    if (nonWorkingReason(toIso(d), zone) === undefined) count += 1;
  }
  return count;
}

/**
 * GDPR (Regulation (EU) 2016/679) art. 12(3): the controller answers within one month of receipt of the
 * request; that period may be extended by two further months, which ends where a three-month period from
 * receipt ends under the same rules (`extended_due` of /outils/delai.json).
 */
export function gdprDeadlines(received: string, zone: Zone = 'FR'): { due: PeriodResult; extendedDue: PeriodResult } {
  return {
    due: computePeriodEnd(received, { months: 1 }, zone),
    extendedDue: computePeriodEnd(received, { months: 3 }, zone),
  };
}

/** A strict YYYY-MM-DD calendar date between 1900-01-01 and 2200-12-31, returned unchanged, or undefined. */
export function parseIsoDate(v: string): string | undefined {
  if (typeof v !== 'string') return undefined;
  const p = splitIso(v);
  if (!p || p.year < 1900 || p.year > 2200) return undefined;
  return v;
}

const PARIS_DATE = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Europe/Paris (mainland legal time) at an instant, as YYYY-MM-DD. */
export function todayIn(date: Date): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError('todayIn needs a valid Date');
  // Paris is a whole number of hours from UTC all year: its date is the same throughout a UTC hour, so
  // the last hour's answer is kept (formatToParts costs more than serving a cached page).
  const hour = Math.floor(date.getTime() / 3_600_000);
  if (hour === lastHour) return lastDay;
  const parts = PARIS_DATE.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  lastHour = hour;
  lastDay = `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
  return lastDay;
}
let lastHour = Number.NaN;
let lastDay = '';

/**
 * The date the answer is due now (GDPR art. 12(3)): the end of the first month after receipt, or, once
 * the controller has extended the period (by two further months, told to the person within the first
 * month), the end of the three months. The one home of this rule: the request stores its result
 * (`answer_due_on`) where the clock starts and where an extension is applied, and everything else reads it.
 */
export function applicableDueDate(request: { dueOn: string | null; extendedDueOn: string | null; extendedAt: string | null }): string | null {
  return request.extendedAt ? (request.extendedDueOn ?? request.dueOn) : request.dueOn;
}
