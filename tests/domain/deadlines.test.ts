import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  computePeriodEnd,
  daysBetween,
  gdprDeadlines,
  isWorkingDay,
  parseIsoDate,
  todayIn,
  type Period,
  type SkipReason,
} from '../../server/domain/deadlines';
import { ZONES, type Zone } from '../../server/domain/holidays';

type Case = {
  name: string;
  received: string;
  period: Period;
  zone: Zone;
  due: string;
  skipped?: [string, SkipReason][];
};

// Each case was checked by hand against a calendar (`date -u -d YYYY-MM-DD +%a`). Easter: 2024-03-31,
// 2025-04-20, 2026-04-05; so Good Friday 2024-03-29 and 2025-04-18, Easter Monday 2026-04-06, Ascension
// 2026-05-14, Whit Monday 2025-06-09 and 2026-05-25.
const CASES: Case[] = [
  // 31 Jan 2025 + 1 month: February has no 31st, so its last day, Fri 28 Feb 2025 (Art. 3(2)(c)).
  { name: '31 January to the end of February', received: '2025-01-31', period: { months: 1 }, zone: 'FR', due: '2025-02-28' },
  // 31 Jan 2024 + 1 month: 2024 is a leap year, so Thu 29 Feb 2024.
  { name: '31 January to 29 February in a leap year', received: '2024-01-31', period: { months: 1 }, zone: 'FR', due: '2024-02-29' },
  // 31 Jan 2026 + 1 month: last day Sat 28 Feb 2026; Sat 28, Sun 1 Mar skipped; Mon 2 Mar.
  {
    name: '31 January to a February that ends on a Saturday',
    received: '2026-01-31',
    period: { months: 1 },
    zone: 'FR',
    due: '2026-03-02',
    skipped: [
      ['2026-02-28', 'saturday'],
      ['2026-03-01', 'sunday'],
    ],
  },
  // 29 Feb 2024 + 12 months: 2025 has no 29 February, so Fri 28 Feb 2025.
  { name: '29 February to the next year', received: '2024-02-29', period: { months: 12 }, zone: 'FR', due: '2025-02-28' },
  // 29 Feb 2024 + 1 month: Fri 29 Mar 2024, Good Friday, an ordinary working day on the mainland.
  { name: '29 February + 1 month on Good Friday (mainland)', received: '2024-02-29', period: { months: 1 }, zone: 'FR', due: '2024-03-29' },
  // Same in Moselle: Fri 29 Mar Good Friday, Sat 30, Sun 31 (Easter), Mon 1 Apr Easter Monday; Tue 2 Apr.
  {
    name: '29 February + 1 month on Good Friday (Moselle)',
    received: '2024-02-29',
    period: { months: 1 },
    zone: 'FR-57',
    due: '2024-04-02',
    skipped: [
      ['2024-03-29', 'good_friday'],
      ['2024-03-30', 'saturday'],
      ['2024-03-31', 'sunday'],
      ['2024-04-01', 'easter_monday'],
    ],
  },
  // 18 Mar 2025 + 1 month: Fri 18 Apr 2025, Good Friday; working day in FR.
  { name: 'Good Friday 2025, mainland', received: '2025-03-18', period: { months: 1 }, zone: 'FR', due: '2025-04-18' },
  // Same in Haut-Rhin: Fri 18 Good Friday, Sat 19, Sun 20, Mon 21 Easter Monday; Tue 22 Apr.
  {
    name: 'Good Friday 2025, Haut-Rhin',
    received: '2025-03-18',
    period: { months: 1 },
    zone: 'FR-68',
    due: '2025-04-22',
    skipped: [
      ['2025-04-18', 'good_friday'],
      ['2025-04-19', 'saturday'],
      ['2025-04-20', 'sunday'],
      ['2025-04-21', 'easter_monday'],
    ],
  },
  // 31 Mar 2025 + 1 month: April has 30 days, so Wed 30 Apr 2025.
  { name: '31 March to the end of a 30-day month', received: '2025-03-31', period: { months: 1 }, zone: 'FR', due: '2025-04-30' },
  // 30 Apr 2025 + 1 month: the same date, Fri 30 May 2025, not the last day (31) of May.
  { name: '30 April to 30 May, not 31 May', received: '2025-04-30', period: { months: 1 }, zone: 'FR', due: '2025-05-30' },
  // 31 May 2025 + 1 month: June has 30 days, Mon 30 Jun 2025.
  { name: '31 May to 30 June', received: '2025-05-31', period: { months: 1 }, zone: 'FR', due: '2025-06-30' },
  // 6 Mar 2026 + 1 month: Mon 6 Apr 2026, Easter Monday; Tue 7 Apr.
  {
    name: 'Easter Monday moves to Tuesday',
    received: '2026-03-06',
    period: { months: 1 },
    zone: 'FR',
    due: '2026-04-07',
    skipped: [['2026-04-06', 'easter_monday']],
  },
  // 14 Apr 2026 + 1 month: Thu 14 May 2026, Ascension; Fri 15 May.
  { name: 'Ascension Thursday', received: '2026-04-14', period: { months: 1 }, zone: 'FR', due: '2026-05-15', skipped: [['2026-05-14', 'ascension']] },
  // 25 Apr 2026 + 1 month: Mon 25 May 2026, Whit Monday; Tue 26 May.
  { name: 'Whit Monday', received: '2026-04-25', period: { months: 1 }, zone: 'FR', due: '2026-05-26', skipped: [['2026-05-25', 'whit_monday']] },
  // 1 Apr 2026 + 1 month: Fri 1 May 2026, then Sat 2 and Sun 3; Mon 4 May.
  {
    name: '1 May followed by a weekend',
    received: '2026-04-01',
    period: { months: 1 },
    zone: 'FR',
    due: '2026-05-04',
    skipped: [
      ['2026-05-01', 'labour_day'],
      ['2026-05-02', 'saturday'],
      ['2026-05-03', 'sunday'],
    ],
  },
  // 8 Apr 2026 + 1 month: Fri 8 May 2026, then Sat 9 and Sun 10; Mon 11 May.
  {
    name: '8 May followed by a weekend',
    received: '2026-04-08',
    period: { months: 1 },
    zone: 'FR',
    due: '2026-05-11',
    skipped: [
      ['2026-05-08', 'victory_1945'],
      ['2026-05-09', 'saturday'],
      ['2026-05-10', 'sunday'],
    ],
  },
  // 14 Jun 2026 + 1 month: Tue 14 Jul 2026; Wed 15 Jul.
  { name: '14 July', received: '2026-06-14', period: { months: 1 }, zone: 'FR', due: '2026-07-15', skipped: [['2026-07-14', 'bastille_day']] },
  // 15 Jul 2025 + 1 month: Fri 15 Aug 2025, Sat 16, Sun 17; Mon 18 Aug.
  {
    name: '15 August followed by a weekend',
    received: '2025-07-15',
    period: { months: 1 },
    zone: 'FR',
    due: '2025-08-18',
    skipped: [
      ['2025-08-15', 'assumption'],
      ['2025-08-16', 'saturday'],
      ['2025-08-17', 'sunday'],
    ],
  },
  // 1 Oct 2025 + 1 month: Sat 1 Nov 2025 (All Saints, named by the holiday), Sun 2; Mon 3 Nov.
  {
    name: '1 November on a Saturday',
    received: '2025-10-01',
    period: { months: 1 },
    zone: 'FR',
    due: '2025-11-03',
    skipped: [
      ['2025-11-01', 'all_saints'],
      ['2025-11-02', 'sunday'],
    ],
  },
  // 11 Oct 2025 + 1 month: Tue 11 Nov 2025; Wed 12 Nov.
  { name: '11 November', received: '2025-10-11', period: { months: 1 }, zone: 'FR', due: '2025-11-12', skipped: [['2025-11-11', 'armistice']] },
  // 25 Nov 2025 + 1 month: Thu 25 Dec 2025; mainland Fri 26 Dec is a working day.
  { name: '25 December, mainland', received: '2025-11-25', period: { months: 1 }, zone: 'FR', due: '2025-12-26', skipped: [['2025-12-25', 'christmas']] },
  // Same in Bas-Rhin: Thu 25, Fri 26 (St Stephen), Sat 27, Sun 28; Mon 29 Dec.
  {
    name: '25 and 26 December, Bas-Rhin',
    received: '2025-11-25',
    period: { months: 1 },
    zone: 'FR-67',
    due: '2025-12-29',
    skipped: [
      ['2025-12-25', 'christmas'],
      ['2025-12-26', 'st_stephen'],
      ['2025-12-27', 'saturday'],
      ['2025-12-28', 'sunday'],
    ],
  },
  // 27 Mar 2026 + 1 month: Mon 27 Apr 2026, Mayotte's abolition day; Tue 28 Apr there.
  {
    name: '27 April in Mayotte',
    received: '2026-03-27',
    period: { months: 1 },
    zone: 'FR-976',
    due: '2026-04-28',
    skipped: [['2026-04-27', 'abolition_of_slavery']],
  },
  { name: '27 April elsewhere (Réunion)', received: '2026-03-27', period: { months: 1 }, zone: 'FR-974', due: '2026-04-27' },
  // 22 Apr 2026 + 1 month: Fri 22 May 2026 (Martinique), Sat 23, Sun 24, Mon 25 Whit Monday; Tue 26 May.
  {
    name: '22 May in Martinique, then a weekend and Whit Monday',
    received: '2026-04-22',
    period: { months: 1 },
    zone: 'FR-972',
    due: '2026-05-26',
    skipped: [
      ['2026-05-22', 'abolition_of_slavery'],
      ['2026-05-23', 'saturday'],
      ['2026-05-24', 'sunday'],
      ['2026-05-25', 'whit_monday'],
    ],
  },
  { name: '22 May elsewhere (Guadeloupe)', received: '2026-04-22', period: { months: 1 }, zone: 'FR-971', due: '2026-05-22' },
  // 27 Apr 2026 + 1 month: Wed 27 May 2026 (Guadeloupe); Thu 28 May there.
  {
    name: '27 May in Guadeloupe',
    received: '2026-04-27',
    period: { months: 1 },
    zone: 'FR-971',
    due: '2026-05-28',
    skipped: [['2026-05-27', 'abolition_of_slavery']],
  },
  { name: '27 May elsewhere (Martinique)', received: '2026-04-27', period: { months: 1 }, zone: 'FR-972', due: '2026-05-27' },
  // 10 May 2026 + 1 month: Wed 10 Jun 2026 (Guyane); Thu 11 Jun there.
  {
    name: '10 June in Guyane',
    received: '2026-05-10',
    period: { months: 1 },
    zone: 'FR-973',
    due: '2026-06-11',
    skipped: [['2026-06-10', 'abolition_of_slavery']],
  },
  { name: '10 June elsewhere (mainland)', received: '2026-05-10', period: { months: 1 }, zone: 'FR', due: '2026-06-10' },
  // 20 Nov 2024 + 1 month: Fri 20 Dec 2024 (Réunion), Sat 21, Sun 22; Mon 23 Dec there.
  {
    name: '20 December in Réunion',
    received: '2024-11-20',
    period: { months: 1 },
    zone: 'FR-974',
    due: '2024-12-23',
    skipped: [
      ['2024-12-20', 'abolition_of_slavery'],
      ['2024-12-21', 'saturday'],
      ['2024-12-22', 'sunday'],
    ],
  },
  { name: '20 December elsewhere (Mayotte)', received: '2024-11-20', period: { months: 1 }, zone: 'FR-976', due: '2024-12-20' },
  // 1 Dec 2025 + 1 month: Thu 1 Jan 2026; Fri 2 Jan.
  {
    name: 'year change, 1 January skipped',
    received: '2025-12-01',
    period: { months: 1 },
    zone: 'FR',
    due: '2026-01-02',
    skipped: [['2026-01-01', 'new_year']],
  },
  // Mon 3 Mar 2025 + 7 days: day 1 is Tue 4 (Art. 3(1)); day 7 is Mon 10 Mar, a working day.
  { name: '7 days', received: '2025-03-03', period: { days: 7 }, zone: 'FR', due: '2025-03-10' },
  // Mon 2 Jun 2025 + 7 days: Mon 9 Jun 2025, Whit Monday; Tue 10 Jun.
  {
    name: '7 days ending on Whit Monday',
    received: '2025-06-02',
    period: { days: 7 },
    zone: 'FR',
    due: '2025-06-10',
    skipped: [['2025-06-09', 'whit_monday']],
  },
  // Fri 7 Mar 2025 + 1 day: Sat 8, Sun 9 skipped; Mon 10. A one-day period is not under Art. 3(5).
  {
    name: '1 day ending on a Saturday',
    received: '2025-03-07',
    period: { days: 1 },
    zone: 'FR',
    due: '2025-03-10',
    skipped: [
      ['2025-03-08', 'saturday'],
      ['2025-03-09', 'sunday'],
    ],
  },
  // Mon 3 Mar 2025 + 2 days: Tue 4 and Wed 5, both working; Wed 5.
  { name: '2 days over two working days', received: '2025-03-03', period: { days: 2 }, zone: 'FR', due: '2025-03-05' },
  // Fri 10 Jul 2026 + 2 days: Sat 11, Sun 12 (last day) moved to Mon 13 (Art. 3(4)); Sat 11 - Mon 13 holds one
  // working day, so Art. 3(5) extends over Tue 14 July to Wed 15.
  {
    name: '2 days before a long weekend (Art. 3(5))',
    received: '2026-07-10',
    period: { days: 2 },
    zone: 'FR',
    due: '2026-07-15',
    skipped: [
      ['2026-07-12', 'sunday'],
      ['2026-07-14', 'bastille_day'],
    ],
  },
  // Wed 24 Dec 2025 + 2 days, mainland: Thu 25 holiday, Fri 26 working (last day); one working day, so
  // Art. 3(5) extends over Sat 27 and Sun 28 to Mon 29.
  {
    name: '2 days over Christmas, mainland (Art. 3(5))',
    received: '2025-12-24',
    period: { days: 2 },
    zone: 'FR',
    due: '2025-12-29',
    skipped: [
      ['2025-12-27', 'saturday'],
      ['2025-12-28', 'sunday'],
    ],
  },
  // Same in Moselle: Fri 26 is a holiday: Art. 3(4) moves over Fri 26, Sat 27, Sun 28 to Mon 29; Thu 25 -
  // Mon 29 holds one working day, so Art. 3(5) adds Tue 30.
  {
    name: '2 days over Christmas, Moselle (Art. 3(5))',
    received: '2025-12-24',
    period: { days: 2 },
    zone: 'FR-57',
    due: '2025-12-30',
    skipped: [
      ['2025-12-26', 'st_stephen'],
      ['2025-12-27', 'saturday'],
      ['2025-12-28', 'sunday'],
    ],
  },
  // 14 Feb 2026 + 3 months: Thu 14 May 2026, Ascension; Fri 15 May (the extended GDPR deadline).
  {
    name: '3 months ending on Ascension',
    received: '2026-02-14',
    period: { months: 3 },
    zone: 'FR',
    due: '2026-05-15',
    skipped: [['2026-05-14', 'ascension']],
  },
  // 30 Nov 2025 + 3 months: February 2026 has no 30th, so Sat 28 Feb; Sun 1 Mar; Mon 2 Mar.
  {
    name: '3 months from 30 November to the end of February',
    received: '2025-11-30',
    period: { months: 3 },
    zone: 'FR',
    due: '2026-03-02',
    skipped: [
      ['2026-02-28', 'saturday'],
      ['2026-03-01', 'sunday'],
    ],
  },
];

describe('computePeriodEnd: hand-checked cases (Regulation 1182/71)', () => {
  it('has at least 25 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(CASES)('$name: $received + $period ($zone) → $due', ({ received, period, zone, due, skipped = [] }) => {
    const r = computePeriodEnd(received, period, zone);
    expect(r.due).toBe(due);
    expect(r.skipped).toEqual(skipped.map(([date, reason]) => ({ date, reason })));
    expect(r.received).toBe(received);
    expect(r.calendar).toBe(zone);
    expect(r.months).toBe('months' in period ? period.months : null);
    expect(r.days).toBe('days' in period ? period.days : null);
  });

  it('uses the mainland calendar by default', () => {
    expect(computePeriodEnd('2025-11-25', { months: 1 })).toEqual({
      received: '2025-11-25',
      calendar: 'FR',
      months: 1,
      days: null,
      due: '2025-12-26',
      skipped: [{ date: '2025-12-25', reason: 'christmas' }],
    });
  });

  it('rejects an invalid date, period or zone', () => {
    expect(() => computePeriodEnd('2025-02-30', { months: 1 })).toThrow(RangeError);
    expect(() => computePeriodEnd('2025-2-3', { months: 1 })).toThrow(RangeError);
    expect(() => computePeriodEnd('2025-02-03', { months: 0 })).toThrow(RangeError);
    expect(() => computePeriodEnd('2025-02-03', { days: -1 })).toThrow(RangeError);
    expect(() => computePeriodEnd('2025-02-03', { days: 1.5 })).toThrow(RangeError);
    expect(() => computePeriodEnd('2025-02-03', { months: 1 }, 'FR-75' as Zone)).toThrow(RangeError);
  });
});

describe('gdprDeadlines (GDPR art. 12(3))', () => {
  it('gives one month and, once extended, three months from receipt', () => {
    // 31 Jan 2025: one month → Fri 28 Feb 2025; three months → Wed 30 Apr 2025 (April has no 31st).
    const { due, extendedDue } = gdprDeadlines('2025-01-31');
    expect(due.due).toBe('2025-02-28');
    expect(extendedDue.due).toBe('2025-04-30');
    expect(extendedDue.months).toBe(3);
  });

  it('applies the calendar of the zone to both ends', () => {
    // 26 Nov 2025 in Haut-Rhin: Fri 26 Dec 2025 (St Stephen), Sat 27, Sun 28 → Mon 29 Dec;
    // three months: Thu 26 Feb 2026, a working day.
    const { due, extendedDue } = gdprDeadlines('2025-11-26', 'FR-68');
    expect(due.due).toBe('2025-12-29');
    expect(due.calendar).toBe('FR-68');
    expect(extendedDue.due).toBe('2026-02-26');
    expect(gdprDeadlines('2025-11-26').due.due).toBe('2025-12-26');
  });

  it('counts the extension as three months from receipt, not two months from the first due date', () => {
    // 31 Jan 2025: three months → Wed 30 Apr 2025; two months from Fri 28 Feb would give Mon 28 Apr.
    const { due, extendedDue } = gdprDeadlines('2025-01-31');
    expect(computePeriodEnd(due.due, { months: 2 }).due).toBe('2025-04-28');
    expect(extendedDue.due).toBe('2025-04-30');
  });
});

describe('dates', () => {
  it('adds days and counts them in UTC, across leap days and daylight saving changes', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-03-29', 2)).toBe('2025-03-31');
    expect(addDays('2025-10-25', 2)).toBe('2025-10-27');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2025-01-01', '2024-01-01')).toBe(-366);
    expect(daysBetween('2025-03-30', '2025-03-31')).toBe(1);
  });

  it('addDays and daysBetween are inverse', () => {
    fc.assert(
      fc.property(dateArb(1900, 2200), fc.integer({ min: -5000, max: 5000 }), (a, n) => {
        expect(daysBetween(a, addDays(a, n))).toBe(n);
      }),
    );
  });

  it('tells working days from weekends and holidays', () => {
    expect(isWorkingDay('2025-04-18', 'FR')).toBe(true); // Good Friday on the mainland
    expect(isWorkingDay('2025-04-18', 'FR-57')).toBe(false);
    expect(isWorkingDay('2025-03-08', 'FR')).toBe(false); // Saturday
    expect(isWorkingDay('2025-03-09', 'FR')).toBe(false); // Sunday
    expect(isWorkingDay('2025-03-10', 'FR')).toBe(true);
    expect(() => isWorkingDay('2025-02-29', 'FR')).toThrow(RangeError);
  });

  it.each([
    ['2024-02-29', '2024-02-29'],
    ['2000-02-29', '2000-02-29'],
    ['1900-01-01', '1900-01-01'],
    ['2200-12-31', '2200-12-31'],
    ['2023-02-29', undefined],
    ['1900-02-29', undefined], // 1900 is not a leap year
    ['2025-04-31', undefined],
    ['2025-13-01', undefined],
    ['2025-00-10', undefined],
    ['2025-01-00', undefined],
    ['2025-1-01', undefined],
    [' 2025-01-01', undefined],
    ['2025-01-01T00:00:00Z', undefined],
    ['2025/01/01', undefined],
    ['1899-12-31', undefined],
    ['2201-01-01', undefined],
    ['２０２５-01-01', undefined],
    ['', undefined],
  ])('parseIsoDate(%j) → %s', (input, expected) => {
    expect(parseIsoDate(input)).toBe(expected);
  });

  it('parseIsoDate accepts every real date of its range', () => {
    fc.assert(
      fc.property(dateArb(1900, 2200), (d) => {
        expect(parseIsoDate(d)).toBe(d);
      }),
    );
  });

  it.each([
    ['2025-12-31T22:59:59Z', '2025-12-31'], // 23:59:59 in Paris (UTC+1)
    ['2025-12-31T23:00:00Z', '2026-01-01'], // midnight in Paris
    ['2025-07-14T21:59:59Z', '2025-07-14'], // 23:59:59 in Paris (UTC+2, summer time)
    ['2025-07-14T22:00:00Z', '2025-07-15'],
    ['2025-03-30T00:59:59Z', '2025-03-30'], // 01:59:59 just before the spring change
    ['2025-10-25T22:30:00Z', '2025-10-26'], // 00:30 summer time on the night of the autumn change
  ])('todayIn(%s) in Europe/Paris is %s', (instant, date) => {
    expect(todayIn(new Date(instant))).toBe(date);
  });
});

// ---- properties -------------------------------------------------------------------------------------

function dateArb(fromYear: number, toYear: number): fc.Arbitrary<string> {
  const first = `${fromYear}-01-01`;
  const span = daysBetween(first, `${toYear}-12-31`);
  return fc.integer({ min: 0, max: span }).map((n) => addDays(first, n));
}

/** Art. 3(2)(c) computed independently: same day-of-month N months later, or that month's last day. */
function sameDateMonthsLater(received: string, months: number): string {
  const [y, m, d] = received.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

function workingDaysIn(from: string, to: string, zone: Zone): number {
  let n = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) if (isWorkingDay(d, zone)) n += 1;
  return n;
}

const receivedArb = dateArb(2000, 2100);
const zoneArb = fc.constantFrom(...ZONES);
const monthsArb = fc.integer({ min: 1, max: 3 });

describe('computePeriodEnd: properties', () => {
  it('ends on a working day of its zone, never before the same date N months later', () => {
    fc.assert(
      fc.property(receivedArb, zoneArb, monthsArb, (received, zone, months) => {
        const r = computePeriodEnd(received, { months }, zone);
        expect(isWorkingDay(r.due, zone)).toBe(true);
        expect(r.due >= sameDateMonthsLater(received, months)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never gives an earlier due date for a later receipt', () => {
    fc.assert(
      fc.property(receivedArb, fc.integer({ min: 0, max: 40 }), zoneArb, monthsArb, (received, later, zone, months) => {
        const a = computePeriodEnd(received, { months }, zone);
        const b = computePeriodEnd(addDays(received, later), { months }, zone);
        expect(b.due >= a.due).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('lists exactly the non-working days from the nominal end up to the due date, with their reasons', () => {
    fc.assert(
      fc.property(receivedArb, zoneArb, monthsArb, (received, zone, months) => {
        const nominal = sameDateMonthsLater(received, months);
        const r = computePeriodEnd(received, { months }, zone);
        const expected: string[] = [];
        for (let d = nominal; d < r.due; d = addDays(d, 1)) expected.push(d);
        // For a period in months only Art. 3(4) moves the end: every day crossed is a non-working day.
        expect(r.skipped.map((s) => s.date)).toEqual(expected);
        for (const s of r.skipped) {
          expect(isWorkingDay(s.date, zone)).toBe(false);
          expect(s.date >= nominal && s.date < r.due).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('for a period of two days or more, keeps at least two working days, moving the end no further than needed', () => {
    fc.assert(
      fc.property(receivedArb, zoneArb, fc.integer({ min: 1, max: 20 }), (received, zone, days) => {
        const r = computePeriodEnd(received, { days }, zone);
        const first = addDays(received, 1);
        const nominal = addDays(received, days);
        expect(isWorkingDay(r.due, zone)).toBe(true);
        expect(r.due >= nominal).toBe(true);
        if (days >= 2) expect(workingDaysIn(first, r.due, zone)).toBeGreaterThanOrEqual(2);
        // No earlier working day from the nominal end on would have done.
        for (let d = nominal; d < r.due; d = addDays(d, 1)) {
          if (isWorkingDay(d, zone)) expect(days >= 2 && workingDaysIn(first, d, zone) < 2).toBe(true);
        }
        // Skipped days: non-working, in order, from the nominal end to before the due date.
        const dates = r.skipped.map((s) => s.date);
        expect(dates).toEqual([...dates].sort());
        expect(new Set(dates).size).toBe(dates.length);
        for (const s of r.skipped) {
          expect(isWorkingDay(s.date, zone)).toBe(false);
          expect(s.date >= nominal && s.date < r.due).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('is monotonic for periods in days too', () => {
    fc.assert(
      fc.property(receivedArb, fc.integer({ min: 0, max: 10 }), zoneArb, fc.integer({ min: 1, max: 20 }), (received, later, zone, days) => {
        const a = computePeriodEnd(received, { days }, zone);
        const b = computePeriodEnd(addDays(received, later), { days }, zone);
        expect(b.due >= a.due).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
