import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ZONES, easterSunday, holidayOn, isZone, publicHolidays, type Zone } from '../../server/domain/holidays';

const weekday = (iso: string): number => new Date(`${iso}T00:00:00Z`).getUTCDay();

describe('easterSunday (anonymous Gregorian algorithm)', () => {
  it.each([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'], // the latest possible date
    [2000, '2000-04-23'],
    [2019, '2019-04-21'],
    [2008, '2008-03-23'], // one day from the earliest possible date
    [1818, '1818-03-22'], // the earliest possible date
    [2285, '2285-03-22'],
    [1943, '1943-04-25'],
  ])('Easter %i is %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it('is always a Sunday between 22 March and 25 April', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 9999 }), (year) => {
        const e = easterSunday(year);
        expect(weekday(e)).toBe(0);
        expect(e.slice(0, 4)).toBe(String(year));
        expect(e.slice(5) >= '03-22' && e.slice(5) <= '04-25').toBe(true);
      }),
    );
  });

  it('rejects years outside the Gregorian calendar', () => {
    expect(() => easterSunday(1500)).toThrow(RangeError);
    expect(() => easterSunday(2025.5)).toThrow(RangeError);
  });
});

describe('zones', () => {
  it('knows the mainland, Alsace-Moselle and the five overseas departments', () => {
    expect([...ZONES]).toEqual(['FR', 'FR-57', 'FR-67', 'FR-68', 'FR-971', 'FR-972', 'FR-973', 'FR-974', 'FR-976']);
    for (const z of ZONES) expect(isZone(z)).toBe(true);
    for (const v of ['fr', 'FR-75', 'FR-975', '', undefined, null, 57, {}]) expect(isZone(v)).toBe(false);
  });
});

describe('publicHolidays', () => {
  it('lists the eleven mainland holidays of Code du travail L3133-1 (2026)', () => {
    expect(publicHolidays(2026, 'FR')).toEqual([
      { date: '2026-01-01', reason: 'new_year' },
      { date: '2026-04-06', reason: 'easter_monday' },
      { date: '2026-05-01', reason: 'labour_day' },
      { date: '2026-05-08', reason: 'victory_1945' },
      { date: '2026-05-14', reason: 'ascension' },
      { date: '2026-05-25', reason: 'whit_monday' },
      { date: '2026-07-14', reason: 'bastille_day' },
      { date: '2026-08-15', reason: 'assumption' },
      { date: '2026-11-01', reason: 'all_saints' },
      { date: '2026-11-11', reason: 'armistice' },
      { date: '2026-12-25', reason: 'christmas' },
    ]);
  });

  it('adds Good Friday and 26 December in Moselle, Bas-Rhin and Haut-Rhin (L3134-13), 2025', () => {
    for (const zone of ['FR-57', 'FR-67', 'FR-68'] as const) {
      const list = publicHolidays(2025, zone);
      expect(list).toHaveLength(13);
      expect(list).toContainEqual({ date: '2025-04-18', reason: 'good_friday' });
      expect(list).toContainEqual({ date: '2025-12-26', reason: 'st_stephen' });
    }
    expect(publicHolidays(2025, 'FR').map((h) => h.reason)).not.toContain('good_friday');
  });

  it.each([
    ['FR-971', '2025-05-27'],
    ['FR-972', '2025-05-22'],
    ['FR-973', '2025-06-10'],
    ['FR-974', '2025-12-20'],
    ['FR-976', '2025-04-27'],
  ] as const)('adds the abolition-of-slavery day of %s (%s) only there', (zone, date) => {
    const list = publicHolidays(2025, zone);
    expect(list).toHaveLength(12);
    expect(list).toContainEqual({ date, reason: 'abolition_of_slavery' });
    for (const other of ZONES) {
      if (other !== zone) expect(holidayOn(date, other)).toBeUndefined();
    }
  });

  it('is sorted by date for every zone and year', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2200 }), fc.constantFrom(...ZONES), (year, zone) => {
        const dates = publicHolidays(year, zone).map((h) => h.date);
        expect(dates).toEqual([...dates].sort());
        for (const d of dates) expect(d.slice(0, 4)).toBe(String(year));
      }),
    );
  });

  it('keeps both holidays when two fall on one date (Ascension on 1 May 2008)', () => {
    const may1 = publicHolidays(2008, 'FR').filter((h) => h.date === '2008-05-01');
    expect(may1.map((h) => h.reason)).toEqual(['labour_day', 'ascension']);
    expect(holidayOn('2008-05-01', 'FR')).toBe('labour_day');
    // Whit Monday 2019 (Easter 21 April + 50 days) was 10 June, the abolition day of Guyane.
    const june10 = publicHolidays(2019, 'FR-973').filter((h) => h.date === '2019-06-10');
    expect(june10.map((h) => h.reason)).toEqual(['whit_monday', 'abolition_of_slavery']);
    expect(holidayOn('2019-06-10', 'FR-973')).toBe('whit_monday');
  });

  it('returns a fresh array that callers may change without effect on later answers', () => {
    const list = publicHolidays(2025, 'FR');
    list.length = 0;
    expect(publicHolidays(2025, 'FR')).toHaveLength(11);
    expect(holidayOn('2025-01-01', 'FR')).toBe('new_year');
  });
});

describe('holidayOn', () => {
  it.each([
    ['2025-04-21', 'FR', 'easter_monday'],
    ['2025-05-29', 'FR', 'ascension'],
    ['2025-06-09', 'FR', 'whit_monday'],
    ['2025-04-18', 'FR', undefined],
    ['2025-04-18', 'FR-68', 'good_friday'],
    ['2025-12-26', 'FR', undefined],
    ['2025-12-26', 'FR-57', 'st_stephen'],
    ['2025-11-01', 'FR-974', 'all_saints'],
    ['2025-06-10', 'FR-973', 'abolition_of_slavery'],
    ['2025-06-11', 'FR-973', undefined],
  ] as [string, Zone, string | undefined][])('%s in %s: %s', (date, zone, reason) => {
    expect(holidayOn(date, zone)).toBe(reason);
  });

  it('agrees with publicHolidays for every day of a year in every zone', () => {
    for (const zone of ZONES) {
      const listed = new Map(publicHolidays(2027, zone).map((h) => [h.date, h.reason]));
      for (let t = Date.UTC(2027, 0, 1); t < Date.UTC(2028, 0, 1); t += 86_400_000) {
        const iso = new Date(t).toISOString().slice(0, 10);
        expect(holidayOn(iso, zone)).toBe(listed.get(iso));
      }
    }
  });

  it('rejects a malformed date', () => {
    expect(() => holidayOn('2025-1-1', 'FR')).toThrow(RangeError);
  });
});
