/**
 * The rules of the public figures (issue 13), pure: the Wilson interval, nearest-rank percentiles, on
 * time against the due date that applied, the extension told in time (GDPR art. 12(3)), the months of
 * instants in Paris, the counters a request adds to, and the suppression of small counts.
 */
import { describe, expect, it } from 'vitest';
import {
  answeredOnTime,
  contributions,
  extensionToldInTime,
  monthOf,
  openPastDueOn,
  parisDay,
  parisDayStart,
  percentile,
  wilson,
  type RequestFacts,
} from '../../server/domain/statistics';
import { suppress } from '../../server/domain/statistics-suppression';

const facts = (f: Partial<RequestFacts>): RequestFacts => ({
  organisationId: 'org',
  kind: 'acces',
  scope: 'responsable',
  createdAt: '2026-01-05T10:00:00.000Z',
  confirmedAt: '2026-01-05T10:00:00.000Z',
  receivedOn: '2026-01-05',
  dueOn: '2026-02-05',
  extendedDueOn: '2026-04-07',
  extendedAt: null,
  answeredAt: null,
  answerType: null,
  refusalCode: null,
  withdrawnAt: null,
  expiredAt: null,
  status: 'recue',
  ...f,
});

describe('Wilson interval', () => {
  it('matches published values', () => {
    // 8 of 10: 0.490 to 0.943 (Brown, Cai & DasGupta 2001, table values for the Wilson interval).
    const w = wilson(8, 10);
    expect(w.share).toBe(0.8);
    expect(w.low).toBeCloseTo(0.4902, 4);
    expect(w.high).toBeCloseTo(0.9433, 4);
    expect(wilson(10, 10).high).toBeCloseTo(1, 12);
    expect(wilson(0, 10).low).toBeCloseTo(0, 12);
  });
});

describe('percentiles by nearest rank', () => {
  it('takes the value at rank ⌈p·n⌉, nothing under 10 answers', () => {
    const h = new Map([
      [1, 5],
      [3, 4],
      [9, 1],
    ]);
    expect(percentile(h, 50)).toBe(1); // rank 5 of 10
    expect(percentile(h, 90)).toBe(3); // rank 9
    expect(percentile(new Map([[2, 9]]), 50)).toBeNull();
  });
});

describe('deadlines of the answer', () => {
  it('is on time until the end of the due date that applied', () => {
    expect(answeredOnTime(facts({ answeredAt: '2026-02-05T21:30:00.000Z' }))).toBe(true); // 22:30 in Paris, same day
    expect(answeredOnTime(facts({ answeredAt: '2026-02-05T23:30:00.000Z' }))).toBe(false); // already the 6th in Paris
    expect(answeredOnTime(facts({ extendedAt: '2026-01-20T10:00:00.000Z', answeredAt: '2026-04-07T10:00:00.000Z' }))).toBe(true);
  });

  it('says whether the extension was told within the first month (GDPR art. 12(3))', () => {
    expect(extensionToldInTime(facts({ extendedAt: '2026-02-05T10:00:00.000Z' }))).toBe(true);
    expect(extensionToldInTime(facts({ extendedAt: '2026-02-06T10:00:00.000Z' }))).toBe(false);
  });

  it('counts a request open past due from the day after its due date until answered', () => {
    expect(openPastDueOn(facts({}), '2026-02-05')).toBe(false);
    expect(openPastDueOn(facts({}), '2026-02-06')).toBe(true);
    expect(openPastDueOn(facts({ answeredAt: '2026-02-10T10:00:00.000Z' }), '2026-02-28')).toBe(false);
  });
});

describe('months in Paris', () => {
  it('puts an instant in the month of its Paris day', () => {
    expect(parisDay('2026-01-31T22:30:00.000Z')).toBe('2026-01-31'); // 23:30 in winter
    expect(monthOf('2026-01-31T23:30:00.000Z')).toBe('2026-02');
    expect(monthOf('2026-06-30T22:30:00.000Z')).toBe('2026-07'); // 00:30 in summer
    expect(parisDayStart('2026-07-01')).toBe('2026-06-30T22:00:00.000Z');
    expect(parisDayStart('2026-01-01')).toBe('2025-12-31T23:00:00.000Z');
  });
});

describe('counters', () => {
  it('counts each event in its own month', () => {
    const c = contributions(
      facts({
        status: 'refusee',
        extendedAt: '2026-01-20T10:00:00.000Z',
        answeredAt: '2026-03-02T10:00:00.000Z',
        answerType: 'refused',
        refusalCode: 'no_data_held',
      }),
    );
    expect(c).toEqual([
      { month: '2026-01', scope: 'responsable', measure: 'received' },
      { month: '2026-01', scope: '', organisation: '', measure: 'status:refusee' },
      { month: '2026-01', scope: '', measure: 'confirmed' },
      { month: '2026-03', scope: '', measure: 'answered' },
      { month: '2026-03', scope: '', measure: 'on_time' },
      { month: '2026-03', scope: '', measure: 'refused:no_data_held' },
      { month: '2026-03', scope: '', measure: 'days:56' },
      { month: '2026-01', scope: '', measure: 'extended' },
      { month: '2026-01', scope: '', measure: 'extended_in_time' },
    ]);
    const expired = contributions(facts({ confirmedAt: null, status: 'a_confirmer', expiredAt: '2026-01-12T10:00:00.000Z' }));
    expect(expired.map((x) => x.measure)).toEqual(['received', 'status:non_confirmee', 'never_confirmed']);
  });
});

describe('suppression', () => {
  const run = (v: Record<string, number>, eqs: { total: string; parts: string[] }[], hidden: string[] = []) =>
    [...suppress(new Map(Object.entries(v)), eqs, new Set(hidden))].sort();

  it('suppresses 1 to 4, never 0 nor 5', () => {
    expect(run({ a: 0, b: 1, c: 4, d: 5 }, [])).toEqual(['b', 'c']);
  });

  it('suppresses the next smallest part when one alone is suppressed', () => {
    expect(run({ t: 30, a: 3, b: 12, c: 15 }, [{ total: 't', parts: ['a', 'b', 'c'] }])).toEqual(['a', 'b']);
  });

  it('follows the complement into the other tables it appears in', () => {
    // b is suppressed as a's complement in the first row; b = u + v in the second, so one of them too.
    expect(
      run({ t: 30, a: 3, b: 12, c: 15, u: 6, v: 6 }, [
        { total: 't', parts: ['a', 'b', 'c'] },
        { total: 'b', parts: ['u', 'v'] },
      ]),
    ).toEqual(['a', 'b', 'u']);
  });

  it('adds a part when the suppressed ones can only be all ones (or all fours)', () => {
    expect(run({ t: 12, a: 1, b: 1, c: 10 }, [{ total: 't', parts: ['a', 'b', 'c'] }])).toEqual(['a', 'b', 'c']);
    expect(run({ t: 13, a: 1, b: 2, c: 10 }, [{ total: 't', parts: ['a', 'b', 'c'] }])).toEqual(['a', 'b']);
  });

  it('protects a small hidden difference: extensions minus those told in time', () => {
    expect(run({ ext: 12, inTime: 10, late: 2 }, [{ total: 'ext', parts: ['inTime', 'late'] }], ['late'])).toEqual(['inTime']);
    expect(run({ ext: 12, inTime: 5, late: 7 }, [{ total: 'ext', parts: ['inTime', 'late'] }], ['late'])).toEqual([]);
  });
});
