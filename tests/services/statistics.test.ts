/**
 * Public figures (issue 13) over a known history on a controlled clock: three organisations (the CNAM,
 * Org A, Org B with fewer than 10 answers), requests answered on time, late, extended, refused, never
 * answered, withdrawn and never confirmed. Every published figure is checked against values worked out
 * by hand below: a visible cell equals its hand value; a hand value from 1 to 4 is suppressed; a cell
 * suppressed as a complement is never a zero. Then no published table lets one derive a suppressed count.
 *
 * The history (receipt → answer, in days; due dates per Regulation 1182/71):
 * - CNAM (SNDS, clock at confirmation), 22 requests on 2026-01-05, due 2026-02-05: 12 `acces` answered
 *   2026-01-20 (15 d, on time), 5 `acces` answered 2026-02-10 (36 d, late), 2 `opposition` extended
 *   2026-01-25 (told in time) and answered 2026-03-02 (56 d, on time: extended due 2026-04-07, after
 *   Easter Monday), 3 `opposition` never answered (open past due from 2026-02-06).
 * - Org A (delivered 2026-01-13, due 2026-02-13), 19 `acces` submitted 2026-01-12: 8 answered 2026-02-02
 *   (20 d), 2 refused `no_data_held` 2026-02-03 (21 d), 5 answered 2026-02-20 (38 d, late), 1 extended
 *   2026-02-10 and answered 2026-03-20 (66 d, on time), 1 withdrawn 2026-01-15, 2 never confirmed.
 * - Org B (delivered 2026-02-03, due 2026-03-03), 6 `rectification` submitted 2026-02-02: 4 answered
 *   2026-02-20 (17 d), 1 answered 2026-03-10 (35 d, late), 1 never answered (past due from 2026-03-04).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL, qid } from '../../server/services/statistics-figures';
import { freezeEndedMonths, organisationFigures, parseFilters, publicFigures, statisticsView } from '../../server/services/statistics';
import type { Cell, Filters, PublicFigures } from '../../server/domain/statistics-types';
import { makeTestApp, type TestApp } from '../helpers/app';
import { addOrganisation, expectNoDerivableAcrossKinds, expectNoDerivableCell, history, many, type Clock } from '../helpers/statistics';
import { KINDS } from '../../server/domain/rights-request';

const clock: Clock = { now: new Date('2026-01-01T10:00:00Z') };
let t: TestApp;
const filters: Filters = { period: { from: '2026-01', to: '2026-03' } };
let figures: PublicFigures;
const deps = () => ({ db: t.deps.database.db, now: () => clock.now });

beforeAll(() => {
  t = makeTestApp({}, { now: () => clock.now });
  const db = t.deps.database.db;
  addOrganisation(db, 'org-a', 'Org A');
  addOrganisation(db, 'org-b', 'Org B');
  const cnam = { org: 'cnam', created: '2026-01-05T10:00:00Z' };
  many(12, t, clock, { ...cnam, kind: 'acces', steps: [{ at: '2026-01-20T10:00:00Z', do: 'answer' }] });
  many(5, t, clock, { ...cnam, kind: 'acces', steps: [{ at: '2026-02-10T10:00:00Z', do: 'answer' }] });
  many(2, t, clock, {
    ...cnam,
    kind: 'opposition',
    steps: [
      { at: '2026-01-25T10:00:00Z', do: 'extend' },
      { at: '2026-03-02T10:00:00Z', do: 'answer' },
    ],
  });
  many(3, t, clock, { ...cnam, kind: 'opposition', steps: [] });
  const a = { org: 'org-a', kind: 'acces' as const, created: '2026-01-12T10:00:00Z' };
  const deliverA = { at: '2026-01-13T10:00:00Z', do: 'deliver' } as const;
  many(8, t, clock, { ...a, steps: [deliverA, { at: '2026-02-02T10:00:00Z', do: 'answer' }] });
  many(2, t, clock, { ...a, steps: [deliverA, { at: '2026-02-03T10:00:00Z', do: 'refuse', code: 'no_data_held' }] });
  many(5, t, clock, { ...a, steps: [deliverA, { at: '2026-02-20T10:00:00Z', do: 'answer' }] });
  many(1, t, clock, { ...a, steps: [deliverA, { at: '2026-02-10T10:00:00Z', do: 'extend' }, { at: '2026-03-20T10:00:00Z', do: 'answer' }] });
  many(1, t, clock, { ...a, steps: [deliverA, { at: '2026-01-15T10:00:00Z', do: 'withdraw' }] });
  many(2, t, clock, { ...a, created: '2026-01-20T10:00:00Z', steps: [{ at: '2026-01-28T10:00:00Z', do: 'expire' }] });
  const b = { org: 'org-b', kind: 'rectification' as const, created: '2026-02-02T10:00:00Z' };
  const deliverB = { at: '2026-02-03T10:00:00Z', do: 'deliver' } as const;
  many(4, t, clock, { ...b, steps: [deliverB, { at: '2026-02-20T10:00:00Z', do: 'answer' }] });
  many(1, t, clock, { ...b, steps: [deliverB, { at: '2026-03-10T10:00:00Z', do: 'answer' }] });
  many(1, t, clock, { ...b, steps: [deliverB] });
  clock.now = new Date('2026-04-15T10:00:00Z');
  figures = publicFigures(deps(), filters);
});
afterAll(() => t.close());

/** The hand-computed true values, by quantity id (measure|organisation|month, '*' for all). */
const M = ['2026-01', '2026-02', '2026-03'];
const truth: Record<string, number> = {};
function set(measure: string, perOrg: Record<string, number[]>) {
  const all = [0, 0, 0];
  for (const [org, months] of Object.entries(perOrg)) {
    months.forEach((v, i) => {
      truth[qid(measure, org, M[i]!)] = v;
      all[i]! += v;
    });
    if (measure !== 'open_past_due') truth[qid(measure, org, ALL)] = months.reduce((s, v) => s + v, 0);
  }
  all.forEach((v, i) => (truth[qid(measure, ALL, M[i]!)] = v));
  if (measure !== 'open_past_due') truth[qid(measure, ALL, ALL)] = all.reduce((s, v) => s + v, 0);
}
set('received', { cnam: [22, 0, 0], 'org-a': [19, 0, 0], 'org-b': [0, 6, 0] });
set('confirmed', { cnam: [22, 0, 0], 'org-a': [17, 0, 0], 'org-b': [0, 6, 0] });
set('never_confirmed', { cnam: [0, 0, 0], 'org-a': [2, 0, 0], 'org-b': [0, 0, 0] });
set('withdrawn', { cnam: [0, 0, 0], 'org-a': [1, 0, 0], 'org-b': [0, 0, 0] });
set('answered', { cnam: [12, 5, 2], 'org-a': [0, 15, 1], 'org-b': [0, 4, 1] });
set('on_time', { cnam: [12, 0, 2], 'org-a': [0, 10, 1], 'org-b': [0, 4, 0] });
set('late', { cnam: [0, 5, 0], 'org-a': [0, 5, 0], 'org-b': [0, 0, 1] });
set('open_past_due', { cnam: [0, 3, 3], 'org-a': [0, 0, 0], 'org-b': [0, 0, 1] });

function expectCell(c: Cell, expected: number, name: string) {
  if ('suppressed' in c) {
    expect(c.below, name).toBe(5);
    expect(expected, `${name} is suppressed only as a small count or its complement`).toBeGreaterThan(0);
  } else {
    expect(c.value, name).toBe(expected);
  }
  if (expected >= 1 && expected <= 4) expect('suppressed' in c, `${name} = ${expected} is suppressed`).toBe(true);
}

describe('public figures of a known history', () => {
  it('publishes every monthly and total count as worked out by hand, small ones suppressed', () => {
    const keys = {
      received: 'received',
      confirmed: 'confirmed',
      neverConfirmed: 'never_confirmed',
      withdrawn: 'withdrawn',
      answered: 'answered',
      answeredOnTime: 'on_time',
      answeredLate: 'late',
      openPastDue: 'open_past_due',
    } as const;
    for (const [org, monthly] of [[ALL, figures.monthly] as const, ...figures.organisations.map((o) => [o.id, o.monthly] as const)]) {
      monthly.forEach((m, i) => {
        expect(m.month).toBe(M[i]);
        for (const [k, measure] of Object.entries(keys)) expectCell(m[k as keyof typeof keys], truth[qid(measure, org, m.month)]!, `${org} ${m.month} ${k}`);
      });
    }
    expectCell(figures.totals.received, 47, 'received');
    expectCell(figures.totals.confirmed, 45, 'confirmed');
    expectCell(figures.totals.neverConfirmed, 2, 'never confirmed');
    expectCell(figures.totals.withdrawn, 1, 'withdrawn');
    expect(figures.organisations.map((o) => o.id)).toEqual(
      ['cnam', 'org-a', 'org-b'].sort((x, y) =>
        figures.organisations.find((o) => o.id === x)!.name.localeCompare(figures.organisations.find((o) => o.id === y)!.name, 'fr'),
      ),
    );
    for (const o of figures.organisations) expectCell(o.received, truth[qid('received', o.id, ALL)]!, `${o.id} received`);
  });

  it('breaks the requests down by kind, scope, status and organisation', () => {
    const byKey = (b: PublicFigures['byKind']) => Object.fromEntries(b.map((x) => [x.key, x.count]));
    const kinds = byKey(figures.byKind);
    for (const [k, v] of Object.entries({ acces: 36, opposition: 5, rectification: 6, effacement: 0, limitation: 0 })) expectCell(kinds[k]!, v, `kind ${k}`);
    const scopes = byKey(figures.byScope);
    for (const [k, v] of Object.entries({ snds: 22, projet: 0, responsable: 25 })) expectCell(scopes[k]!, v, `scope ${k}`);
    const statuses = byKey(figures.byStatus);
    for (const [k, v] of Object.entries({
      repondue: 38,
      refusee: 2,
      retiree: 1,
      non_confirmee: 2,
      recue: 3,
      transmise: 1,
      a_confirmer: 0,
      accusee: 0,
      precision_demandee: 0,
      prolongee: 0,
      cloturee: 0,
    }))
      expectCell(statuses[k]!, v, `status ${k}`);
    const orgs = byKey(figures.byOrganisation);
    for (const [k, v] of Object.entries({ cnam: 22, 'org-a': 19, 'org-b': 6 })) expectCell(orgs[k]!, v, `organisation ${k}`);
  });

  it('gives answers, extensions, refusals, percentiles and the Wilson interval', () => {
    const all = figures.answers;
    expectCell(all.answered, 40, 'answered');
    expectCell(all.onTime, 29, 'on time');
    expectCell(all.late, 11, 'late');
    expectCell(all.openPastDue, 4, 'open past due at the end of March');
    expectCell(all.extensions, 3, 'extensions');
    expectCell(all.extensionsToldInTime, 3, 'extensions told in time');
    expect(all.refusals.map((r) => r.code)).toEqual(['no_data_held']);
    expectCell(all.refusals[0]!.count, 2, 'refusals');
    // 40 answers by nearest rank: the 20th is 20 days, the 36th 38 days.
    expect(all.medianDays).toBe(20);
    expect(all.p90Days).toBe(38);
    // Wilson, 29 of 40, z = 1.96: centre 0.70529, half-width 0.13363.
    expect(all.onTimeRate).not.toBeNull();
    expect(all.onTimeRate!.answered).toBe(40);
    expect(all.onTimeRate!.share).toBeCloseTo(0.725, 6);
    expect(all.onTimeRate!.low).toBeCloseTo(0.57165, 4);
    expect(all.onTimeRate!.high).toBeCloseTo(0.83892, 4);

    const cnam = figures.organisations.find((o) => o.id === 'cnam')!.answers;
    expectCell(cnam.answered, 19, 'cnam answered');
    expectCell(cnam.extensions, 2, 'cnam extensions');
    expect(cnam.medianDays).toBe(15); // rank 10 of 19
    expect(cnam.p90Days).toBe(56); // rank 18 of 19
    const a = figures.organisations.find((o) => o.id === 'org-a')!.answers;
    expectCell(a.answered, 16, 'org-a answered');
    expectCell(a.refusals[0]!.count, 2, 'org-a refusals');
    expect(a.medianDays).toBe(20); // rank 8 of 16
    expect(a.p90Days).toBe(38); // rank 15 of 16
    const b = figures.organisations.find((o) => o.id === 'org-b')!.answers;
    expectCell(b.answered, 5, 'org-b answered');
    // Fewer than 10 answers: no rate, no median.
    expect(b.onTimeRate).toBeNull();
    expect(b.medianDays).toBeNull();
    expect(b.p90Days).toBeNull();
    // A rate is published only when none of its counts is suppressed (its share would give them).
    for (const o of figures.organisations) {
      const r = o.answers.onTimeRate;
      if (r) expect(['answered', 'onTime', 'late'].every((k) => 'value' in o.answers[k as 'answered'])).toBe(true);
    }
    // The headline is the last complete month of the period: March, 4 answers, no rate.
    expect(figures.headline.month).toBe('2026-03');
    expectCell(figures.headline.answered, 4, 'headline answered');
    expect(figures.headline.rate).toBeNull();
    expect(figures.demonstration).toBe(false);
  });

  it('lets no published table derive a suppressed count', () => {
    expect(expectNoDerivableCell(figures)).toBeGreaterThan(50);
    // The organisation's own page shows the same cells as the public page.
    expect(organisationFigures(deps(), 'org-b', filters)).toEqual(figures.organisations.find((o) => o.id === 'org-b'));
    expect(organisationFigures(deps(), 'nobody', filters)).toBeNull();
  });

  it('checks each published equation in the suppression itself', () => {
    const { view } = statisticsView(deps(), filters);
    for (const e of view.equations) {
      // Unknown: suppressed, or never published (the extensions not told in time, the answers not refused).
      const unknown = [e.total, ...e.parts].filter((id) => view.suppressed.has(id) || /_not_/.test(id));
      const v = view.values.get(unknown[0]!) ?? 0;
      if (unknown.length === 1 && (view.suppressed.has(unknown[0]!) || (v >= 1 && v <= 4))) throw new Error(`derivable: ${unknown[0]}`);
    }
  });

  it('freezes the same figures it showed live', () => {
    expect(freezeEndedMonths(deps())).toEqual(['2026-01', '2026-02', '2026-03']);
    const frozen = publicFigures(deps(), filters);
    expect(frozen.monthly.map((m) => [m.frozen, m.version])).toEqual([
      [true, 1],
      [true, 1],
      [true, 1],
    ]);
    expect(frozen.frozenThrough).toBe('2026-03');
    const strip = (f: PublicFigures) => ({
      ...f,
      computedAt: '',
      frozenThrough: null,
      monthly: f.monthly.map((m) => ({ ...m, frozen: false, version: 0 })),
      history: f.history.map((m) => ({ ...m, frozen: false, version: 0 })),
      organisations: f.organisations.map((o) => ({ ...o, monthly: o.monthly.map((m) => ({ ...m, frozen: false, version: 0 })) })),
    });
    expect(strip(frozen)).toEqual(strip(figures));
  });
});

describe('filters', () => {
  it('defaults to the latest published quarter, and publishes whole quarters only, once frozen', () => {
    // The first quarter's last month is frozen 8 days after 31 March.
    expect(parseFilters({}, '2026-04-15')).toEqual({ ok: true, filters: { period: { from: '2026-01', to: '2026-03' } } });
    expect(parseFilters({}, '2026-04-05')).toEqual({ ok: true, filters: { period: { from: '2025-10', to: '2025-12' } } });
    expect(parseFilters({ periode: '2025-T3', type: 'acces' }, '2026-04-15')).toEqual({
      ok: true,
      filters: { period: { from: '2025-07', to: '2025-09' }, kind: 'acces' },
    });
    // An older link naming a quarter exactly still works.
    expect(parseFilters({ du: '2026-01', au: '2026-03' }, '2026-04-15')).toEqual({ ok: true, filters: { period: { from: '2026-01', to: '2026-03' } } });
  });

  it('refuses every period that would overlap a published one: the difference of two would give what suppression hides', () => {
    const refused = (q: Record<string, string>, today = '2026-04-15') => {
      const r = parseFilters(q, today);
      return r.ok ? 'accepted' : r.errors.map((e) => `${e.field}:${e.message}`).join(',');
    };
    // January to March minus February to March would be January.
    expect(refused({ du: '2026-02', au: '2026-03' })).toBe('period:filters.errors.notQuarter');
    expect(refused({ du: '2026-01', au: '2026-02' })).toBe('period:filters.errors.notQuarter');
    expect(refused({ du: '2025-04', au: '2026-03' })).toBe('period:filters.errors.notQuarter');
    expect(refused({ du: '2026-13' })).toBe('period:filters.errors.notQuarter');
    // A quarter not ended, or ended but not frozen yet, is not published.
    expect(refused({ periode: '2026-T2' })).toBe('period:filters.errors.notPublished');
    expect(refused({ periode: '2026-T1' }, '2026-04-05')).toBe('period:filters.errors.notPublished');
    expect(refused({ periode: '2026-T5', type: 'nope' })).toBe('period:filters.errors.quarter,kind:filters.errors.kind');
  });

  it('filters by kind', () => {
    const f = publicFigures(deps(), { ...filters, kind: 'rectification' });
    expectCell(f.totals.received, 6, 'rectification received');
    expect(f.byKind.map((k) => k.key)).toEqual(['rectification']);
    expectNoDerivableCell(f);
  });

  it('suppresses the kinds together: the figures of each kind and of all kinds reveal nothing side by side', () => {
    const byKind = KINDS.map((kind) => publicFigures(deps(), { ...filters, kind }));
    byKind.forEach(expectNoDerivableCell);
    expect(expectNoDerivableAcrossKinds(publicFigures(deps(), filters), byKind)).toBeGreaterThan(100);
  });
});
