/**
 * French public holidays by place, for the computation of legal periods (Regulation (EEC, Euratom)
 * No 1182/71, art. 2: the public holidays are those of the Member State, here of the place concerned).
 *
 * Dates are ISO 8601 calendar dates (YYYY-MM-DD) in the proleptic Gregorian calendar, computed in UTC so
 * that no local time zone can shift a day. Pure functions, no I/O; the only state is a memo of each
 * year's list per zone.
 */

/**
 * The calendars the service knows: mainland France, the three Alsace-Moselle departments (Moselle,
 * Bas-Rhin, Haut-Rhin) and the five overseas departments (Guadeloupe, Martinique, Guyane, La Réunion,
 * Mayotte), named by their ISO 3166-2:FR department code.
 */
export type Zone = 'FR' | 'FR-57' | 'FR-67' | 'FR-68' | 'FR-971' | 'FR-972' | 'FR-973' | 'FR-974' | 'FR-976';

export const ZONES: readonly Zone[] = Object.freeze(['FR', 'FR-57', 'FR-67', 'FR-68', 'FR-971', 'FR-972', 'FR-973', 'FR-974', 'FR-976'] as const);

export function isZone(v: unknown): v is Zone {
  return typeof v === 'string' && (ZONES as readonly string[]).includes(v);
}

export type HolidayReason =
  | 'new_year'
  | 'easter_monday'
  | 'labour_day'
  | 'victory_1945'
  | 'ascension'
  | 'whit_monday'
  | 'bastille_day'
  | 'assumption'
  | 'all_saints'
  | 'armistice'
  | 'christmas'
  | 'good_friday'
  | 'st_stephen'
  | 'abolition_of_slavery';

const DAY_MS = 86_400_000;

function isoFromUtc(ms: number): string {
  const d = new Date(ms);
  const y = String(d.getUTCFullYear()).padStart(4, '0');
  const m = String(d.getUTCMonth() + 1).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

/** ISO date of month/day in year (month 1-12); Date.UTC would map years 0-99 to 1900-1999, setUTCFullYear does not. */
function isoOf(year: number, month: number, day: number): string {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return isoFromUtc(d.getTime());
}

function shift(iso: string, days: number): string {
  const d = new Date(0);
  d.setUTCFullYear(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
  return isoFromUtc(d.getTime() + days * DAY_MS);
}

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new RangeError(`year must be a Gregorian year between 1583 and 9999, got ${String(year)}`);
  }
}

/**
 * Easter Sunday of a Gregorian year, by the anonymous Gregorian algorithm (Meeus/Jones/Butcher, 1876),
 * never from a table: the moveable holidays below are all counted from it.
 */
export function easterSunday(year: number): string {
  assertYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoOf(year, month, day);
}

const ALSACE_MOSELLE: ReadonlySet<Zone> = new Set<Zone>(['FR-57', 'FR-67', 'FR-68']);

/**
 * Day of the commemoration of the abolition of slavery, a public holiday in each overseas department:
 * Code du travail L3422-2, loi n° 83-550 du 30 juin 1983 and décret n° 83-1003 du 23 novembre 1983
 * (as amended by décret n° 2012-553), art. 1.
 */
const ABOLITION_OF_SLAVERY: Partial<Record<Zone, { month: number; day: number }>> = {
  'FR-971': { month: 5, day: 27 }, // Guadeloupe
  'FR-972': { month: 5, day: 22 }, // Martinique
  'FR-973': { month: 6, day: 10 }, // Guyane
  'FR-974': { month: 12, day: 20 }, // La Réunion
  'FR-976': { month: 4, day: 27 }, // Mayotte
};

function computeHolidays(year: number, zone: Zone): { date: string; reason: HolidayReason }[] {
  const easter = easterSunday(year);
  // Code du travail L3133-1: the public holidays of all France.
  const list: { date: string; reason: HolidayReason }[] = [
    { date: isoOf(year, 1, 1), reason: 'new_year' },
    { date: shift(easter, 1), reason: 'easter_monday' },
    { date: isoOf(year, 5, 1), reason: 'labour_day' },
    { date: isoOf(year, 5, 8), reason: 'victory_1945' },
    { date: shift(easter, 39), reason: 'ascension' },
    { date: shift(easter, 50), reason: 'whit_monday' },
    { date: isoOf(year, 7, 14), reason: 'bastille_day' },
    { date: isoOf(year, 8, 15), reason: 'assumption' },
    { date: isoOf(year, 11, 1), reason: 'all_saints' },
    { date: isoOf(year, 11, 11), reason: 'armistice' },
    { date: isoOf(year, 12, 25), reason: 'christmas' },
  ];
  // Code du travail L3134-13 (Moselle, Bas-Rhin, Haut-Rhin): also Good Friday and 26 December.
  if (ALSACE_MOSELLE.has(zone)) {
    list.push({ date: shift(easter, -2), reason: 'good_friday' });
    list.push({ date: isoOf(year, 12, 26), reason: 'st_stephen' });
  }
  // Code du travail L3422-2 and décret n° 83-1003: the abolition-of-slavery day of each overseas department.
  const abolition = ABOLITION_OF_SLAVERY[zone];
  if (abolition) list.push({ date: isoOf(year, abolition.month, abolition.day), reason: 'abolition_of_slavery' });
  // Two rules can fall on one date (Ascension on 1 or 8 May, as in 2008; Ascension or Whit Monday on an
  // overseas abolition day): both stay listed. ISO dates sort as strings, and the stable sort keeps ties
  // in the order above, so the list is deterministic.
  return list.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

/** The public holidays of a zone in a year, sorted by date. A fresh array each call: callers may keep or change it. */
export function publicHolidays(year: number, zone: Zone): { date: string; reason: HolidayReason }[] {
  assertYear(year);
  if (!isZone(zone)) throw new RangeError(`unknown zone ${String(zone)}`);
  return computeHolidays(year, zone);
}

const memo = new Map<string, ReadonlyMap<string, HolidayReason>>();

function holidayMap(year: number, zone: Zone): ReadonlyMap<string, HolidayReason> {
  const key = `${year}|${zone}`;
  let map = memo.get(key);
  if (!map) {
    const m = new Map<string, HolidayReason>();
    // When two rules fall on one date, the first listed names the day.
    for (const h of publicHolidays(year, zone)) if (!m.has(h.date)) m.set(h.date, h.reason);
    map = m;
    memo.set(key, map);
  }
  return map;
}

/** The holiday a zone observes on an ISO date, or undefined on an ordinary day. Memoised per year and zone. */
export function holidayOn(date: string, zone: Zone): HolidayReason | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`date must be YYYY-MM-DD, got ${date}`);
  return holidayMap(Number(date.slice(0, 4)), zone).get(date);
}
