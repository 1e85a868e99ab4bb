/**
 * Monthly freezing of the public figures (issue 13): a month's figures are stored when it ends (8 days
 * after, once its unconfirmed requests can no longer be confirmed) and never recomputed; later events
 * do not change them; a correction is a new version with its reason, published beside the month.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correctMonth, freezeEndedMonths, publicFigures } from '../../server/services/statistics';
import { frozenMonths } from '../../server/db/statistics';
import { deleteRequest } from '../../server/db/requests';
import { makeTestApp, type TestApp } from '../helpers/app';
import { addOrganisation, history, many, type Clock } from '../helpers/statistics';

const clock: Clock = { now: new Date('2026-01-01T10:00:00Z') };
let t: TestApp;
const deps = () => ({ db: t.deps.database.db, now: () => clock.now });
const filters = { period: { from: '2026-01', to: '2026-02' } };
const unconfirmed: string[] = [];

beforeAll(() => {
  t = makeTestApp({}, { now: () => clock.now });
  addOrganisation(t.deps.database.db, 'org-a', 'Org A');
  many(10, t, clock, {
    org: 'org-a',
    kind: 'acces',
    created: '2026-01-05T10:00:00Z',
    steps: [
      { at: '2026-01-06T10:00:00Z', do: 'deliver' },
      { at: '2026-01-20T10:00:00Z', do: 'answer' },
    ],
  });
  many(6, t, clock, { org: 'org-a', kind: 'acces', created: '2026-01-05T10:00:00Z', steps: [{ at: '2026-01-06T10:00:00Z', do: 'deliver' }] });
  // Five requests of January still unconfirmed when the month is frozen (their purge runs late).
  for (let i = 0; i < 5; i++)
    unconfirmed.push(history(t, clock, { org: 'org-a', kind: 'acces', created: '2026-01-30T10:00:00Z', steps: [], unconfirmed: true }));
});
afterAll(() => t.close());

const january = () => publicFigures(deps(), filters).monthly[0]!;

describe('freezing', () => {
  it('does not freeze a month before its unconfirmed requests expire, then freezes it once', () => {
    clock.now = new Date('2026-02-05T10:00:00Z');
    expect(freezeEndedMonths(deps())).toEqual([]);
    clock.now = new Date('2026-02-09T10:00:00Z');
    expect(freezeEndedMonths(deps())).toEqual(['2026-01']);
    expect(freezeEndedMonths(deps())).toEqual([]);
    expect(january()).toMatchObject({
      month: '2026-01',
      frozen: true,
      version: 1,
      received: { value: 21 },
      answered: { value: 10 },
      neverConfirmed: { value: 0 },
    });
  });

  it('keeps a frozen month as it was when later events arrive', () => {
    const before = january();
    // The late purge deletes January's unconfirmed requests; the open ones are answered in February.
    clock.now = new Date('2026-02-10T10:00:00Z');
    for (const id of unconfirmed) deleteRequest(t.deps.database.db, id, clock.now.toISOString());
    expect(january()).toEqual(before);
    expect(before.correctedReason).toBeUndefined();
    // The February figures move, January's stay.
    expect(publicFigures(deps(), filters).monthly[1]!.frozen).toBe(false);
  });

  it('publishes a correction as version 2 with its reason, keeping version 1', () => {
    expect(correctMonth(deps(), '2026-01', '  ')).toEqual({ ok: false, error: 'reason_required' });
    expect(correctMonth(deps(), '2026-02', 'why')).toEqual({ ok: false, error: 'not_frozen' });
    clock.now = new Date('2026-02-11T10:00:00Z');
    expect(correctMonth(deps(), '2026-01', 'Requests deleted unconfirmed after the freeze')).toEqual({ ok: true, version: 2 });
    expect(january()).toMatchObject({
      frozen: true,
      version: 2,
      correctedReason: 'Requests deleted unconfirmed after the freeze',
      neverConfirmed: { value: 5 },
      received: { value: 21 },
    });
    const versions = t.deps.database.sqlite
      .prepare('select version, reason, computed_at as computedAt from statistics_months where month = ? order by version')
      .all('2026-01');
    expect(versions).toEqual([
      { version: 1, reason: 'month_ended', computedAt: '2026-02-09T10:00:00.000Z' },
      { version: 2, reason: 'Requests deleted unconfirmed after the freeze', computedAt: '2026-02-11T10:00:00.000Z' },
    ]);
    expect(frozenMonths(t.deps.database.db, '2026-01', '2026-12')).toEqual([
      { month: '2026-01', version: 2, computedAt: '2026-02-11T10:00:00.000Z', reason: 'Requests deleted unconfirmed after the freeze' },
    ]);
  });
});
