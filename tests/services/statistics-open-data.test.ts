import { createI18n, translatorFor } from '../../server/i18n';
/**
 * The public figures' open data and demonstration history (issue 13): over 24 months of synthetic
 * history for the demonstration register's organisations, every table validates against its Table
 * Schema (as CSV cells), a suppressed cell is empty with its `_masque` flag, and the published figures
 * let no suppressed count be derived; the figures say they are a demonstration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateTable } from '../../server/domain/table-schema';
import { seedDemoData } from '../../server/services/demo';
import { openDataTables, publicFigures } from '../../server/services/statistics';
import { makeTestApp, type TestApp } from '../helpers/app';
import { expectNoDerivableAcrossKinds, expectNoDerivableCell } from '../helpers/statistics';
import { KINDS } from '../../server/domain/rights-request';

let t: TestApp;
const now = new Date('2026-06-15T10:00:00Z');
const deps = () => ({ db: t.deps.database.db, now: () => now });

beforeAll(() => {
  t = makeTestApp({}, { now: () => now });
  seedDemoData({ database: t.deps.database, i18n: t.deps.i18n, config: t.deps.config, cipher: t.deps.cipher, now: () => now });
});
afterAll(() => t.close());

describe('demonstration history', () => {
  it('fills 24 frozen months per organisation, marked as demonstration, with no derivable cell', () => {
    // The 24 months as one view (the service builds any view; the pages publish whole quarters only).
    const parsed = { filters: { period: { from: '2024-06', to: '2026-05' } } };
    const f = publicFigures(deps(), parsed.filters);
    expect(f.demonstration).toBe(true);
    expect(f.frozenThrough).toBe('2026-05');
    expect(f.monthly).toHaveLength(24);
    expect(f.organisations.length).toBeGreaterThan(2);
    expect(f.monthly.every((m) => m.frozen && 'value' in m.received && m.received.value > 50)).toBe(true);
    expect(f.answers.onTimeRate).not.toBeNull();
    expect(f.answers.medianDays).not.toBeNull();
    expect(f.organisations.some((o) => o.answers.onTimeRate !== null && o.id !== 'cnam')).toBe(true);
    expect(f.organisations.some((o) => 'suppressed' in o.answers.late || o.monthly.some((m) => 'suppressed' in m.answered))).toBe(true);
    expectNoDerivableCell(f);
    const byKind = KINDS.map((kind) => publicFigures(deps(), { ...parsed.filters, kind }));
    byKind.forEach(expectNoDerivableCell);
    expectNoDerivableAcrossKinds(f, byKind);
  });

  it('publishes every table as rows that validate against their Table Schema', () => {
    const tables = openDataTables(deps(), { period: { from: '2025-06', to: '2026-06' } }, translatorFor(createI18n(), 'fr'));
    expect(tables.map((x) => x.name)).toEqual([
      'mois',
      'organisations-par-mois',
      'organisations',
      'refus',
      'repartitions',
      'registre',
      'registre-responsables',
    ]);
    for (const table of tables) {
      expect(table.rows.length, table.name).toBeGreaterThan(0);
      expect(table.schema.licenses).toEqual([expect.objectContaining({ name: 'etalab-2.0' })]);
      const header = table.schema.fields.map((f) => f.name);
      const records = table.rows.map((r) => header.map((h) => (r[h] === null || r[h] === undefined ? '' : String(r[h]))));
      expect(validateTable(table.schema, header, records), table.name).toEqual([]);
      for (const row of table.rows) {
        for (const h of header.filter((n) => n.endsWith('_masque'))) {
          const col = h.replace(/_masque$/, '');
          expect(row[h] === 'true' ? row[col] === null : typeof row[col] === 'number', `${table.name}.${col}`).toBe(true);
        }
      }
    }
  });
});
