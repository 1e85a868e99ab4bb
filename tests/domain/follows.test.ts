/**
 * The pure rules of following the register (server/domain/follows.ts): when the next digest is due, what a
 * digest says of the change history, and the stable target of a search. A table of cases, then fast-check
 * properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestEntries, FOLLOW_PERIOD_MS, followFormPath, nextDigestAfter, searchTarget, type HistoryChange } from '../../server/domain/follows';
import { parseRegisterParams } from '../../server/domain/register-query';

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);

describe('nextDigestAfter', () => {
  it.each([
    ['daily, on time', '2026-11-22T10:00:00Z', '2026-11-23T10:00:00Z', 'daily', '2026-11-24T10:00:00Z'],
    ['daily, an hour late', '2026-11-22T10:00:00Z', '2026-11-23T11:00:00Z', 'daily', '2026-11-24T10:00:00Z'],
    ['daily, three days down: not repeated', '2026-11-22T10:00:00Z', '2026-11-25T12:00:00Z', 'daily', '2026-11-26T10:00:00Z'],
    ['weekly, on time', '2026-11-22T10:00:00Z', '2026-11-29T10:00:00Z', 'weekly', '2026-12-06T10:00:00Z'],
    ['weekly, asked early (a rhythm changed)', '2026-11-22T10:00:00Z', '2026-11-20T10:00:00Z', 'weekly', '2026-11-29T10:00:00Z'],
  ] as const)('%s', (_, from, now, frequency, next) => {
    expect(nextDigestAfter(at(from), at(now), frequency).toISOString()).toBe(at(next).toISOString());
  });

  it('is always after now, on the rhythm from its start, and less than one period after now', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.integer({ min: -30 * DAY, max: 400 * DAY }),
        fc.constantFrom('daily' as const, 'weekly' as const),
        (from, late, frequency) => {
          const next = nextDigestAfter(new Date(from), new Date(from + late), frequency).getTime();
          const period = FOLLOW_PERIOD_MS[frequency];
          expect((next - from) % period).toBe(0);
          expect(next).toBeGreaterThan(Math.max(from, from + late));
          expect(next - Math.max(from, from + late)).toBeLessThanOrEqual(period);
        },
      ),
    );
  });
});

describe('digestEntries', () => {
  let id = 0;
  const change = (projectId: string, field: string, oldValue: string | null, newValue: string | null): HistoryChange => ({
    id: (id += 1),
    projectId,
    field,
    oldValue,
    newValue,
  });

  it('tells a new project as new, status steps in order, results once published, other fields once each', () => {
    const entries = digestEntries([
      change('a', 'statut', 'depose', 'en_instruction'),
      change('b', 'creation', null, null),
      change('b', 'resume', null, 'Un résumé'),
      change('a', 'resume', 'Ancien', 'Nouveau'),
      change('a', 'statut', 'en_instruction', 'autorise'),
      change('a', 'resultats_urls', null, 'https://example.org/resultats'),
      change('a', 'resume', 'Nouveau', 'Encore'),
      change('c', 'resultats_urls', 'https://example.org/a', 'https://example.org/b'),
    ]);
    expect(entries).toEqual([
      {
        projectId: 'a',
        created: false,
        statusSteps: [
          { from: 'depose', to: 'en_instruction' },
          { from: 'en_instruction', to: 'autorise' },
        ],
        resultsPublished: true,
        fields: ['resume'],
      },
      { projectId: 'b', created: true, statusSteps: [], resultsPublished: false, fields: [] },
      // Results changed, not published: an ordinary field.
      { projectId: 'c', created: false, statusSteps: [], resultsPublished: false, fields: ['resultats_urls'] },
    ]);
    expect(digestEntries([])).toEqual([]);
  });

  it('has one entry per changed project, in the order of its first change', () => {
    const arbitraryChange = fc.record({
      projectId: fc.constantFrom('a', 'b', 'c', 'd'),
      field: fc.constantFrom('creation', 'statut', 'resume', 'resultats_urls', 'finalite'),
      oldValue: fc.option(fc.constantFrom('x', 'y'), { nil: null }),
      newValue: fc.option(fc.constantFrom('x', 'y'), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(arbitraryChange, { maxLength: 40 }), (raw) => {
        const changes = raw.map((c, i) => ({ ...c, id: i + 1 }));
        const order = [...new Set(changes.map((c) => c.projectId))];
        expect(digestEntries(changes).map((e) => e.projectId)).toEqual(order);
      }),
    );
  });
});

describe('the target of a search', () => {
  it('keeps the filters, drops the page and the sort, and links to its form', () => {
    const params = parseRegisterParams((n) => ({ q: 'cancer', tri: 'recent', page: '3', finalite: 'recherche' })[n]);
    const target = searchTarget(params);
    expect(target).not.toMatch(/tri=|page=/);
    expect(new URLSearchParams(target).get('q')).toBe('cancer');
    expect(followFormPath({ kind: 'search', target })).toBe(`/suivre/recherche?${target}`);
    expect(followFormPath({ kind: 'search', target: searchTarget(parseRegisterParams(() => undefined)) })).toBe('/suivre/recherche');
    expect(followFormPath({ kind: 'organisation', target: 'ap-hp' })).toBe('/suivre/organisation/ap-hp');
  });
});
