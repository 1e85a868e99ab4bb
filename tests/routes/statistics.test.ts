/**
 * The public figures' pages and downloads (issue 13) over the demonstration history, on a fixed clock:
 * /statistiques renders its headline, charts and tables, follows its filters, refuses bad ones with a
 * message (400, never 500), sorts its organisations by links; the methods page, an organisation's
 * detail page and the figures on /organisations/<id>; every open-data table as CSV that validates
 * against its published Table Schema, and as JSON equal to the CSV cell for cell.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createI18n, translatorFor } from '../../server/i18n';
import { validateTable, type TableSchema } from '../../server/domain/table-schema';
import { seedDemoData } from '../../server/services/demo';
import { parseCsv } from '../../server/services/register';
import { openDataTables, parseFilters, publicFigures, publishedPeriods } from '../../server/services/statistics';
import type { Cell } from '../../server/domain/statistics-types';
import { expectNoDerivableCell } from '../helpers/statistics';
import { makeTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
const now = new Date('2026-06-15T10:00:00Z');

beforeAll(() => {
  t = makeTestApp({}, { now: () => now });
  seedDemoData({ database: t.deps.database, i18n: t.deps.i18n, config: t.deps.config, cipher: t.deps.cipher, now: () => now });
});
afterAll(() => t.close());

const get = (url: string) => t.app.request(url);
const tr = translatorFor(createI18n(), 'fr');
const html = async (url: string, status = 200) => {
  const res = await get(url);
  expect(res.status, url).toBe(status);
  return res.text();
};
/** The rows of the table whose caption has this id, as cell texts. */
function tableRows(page: string, captionId: string): string[][] {
  const table = new RegExp(`<table[^>]*>\\s*<caption id="${captionId}"[\\s\\S]*?</table>`).exec(page)?.[0];
  if (!table) throw new Error(`no table ${captionId}`);
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)![1]!;
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) =>
      c[1]!
        .replace(/<[^>]+>/g, '')
        .replace(/&#39;|&rsquo;/g, '’')
        .trim(),
    ),
  );
}

describe('/statistiques', () => {
  it('says the headline in words first, marks the demonstration data, and has every section in French and English', async () => {
    const fr = await html('/statistiques?lang=fr');
    expect(fr).toMatch(/En mars 2026, (\d+ demandes? sur 10|plus de 9 demandes sur 10|toutes les demandes)/);
    expect(fr).toContain('Données de démonstration.');
    expect(fr).toContain('de janvier 2026 à mars 2026');
    for (const id of ['requests-title', 'answers-title', 'organisations', 'register-figures', 'open-data-title']) expect(fr).toContain(`id="${id}"`);
    const en = await html('/statistiques?lang=en');
    expect(en).toMatch(/In March 2026, (\d+ in 10 requests|more than 9 in 10 requests|every request)/);
    expect(en).toContain('Demonstration data.');
    expect(en).not.toMatch(/statistics:/);
    expect(fr).not.toMatch(/statistics:/);
  });

  it('draws each chart as a labelled image followed by its table, one row per month', async () => {
    const page = await html('/statistiques');
    const charts = [...page.matchAll(/<svg class="chart"[^>]*role="img"[^>]*aria-labelledby="([^"]+)"/g)].map((m) => m[1]!);
    expect(charts).toHaveLength(2);
    for (const ids of charts) for (const id of ids.split(' ')) expect(page).toMatch(new RegExp(`<(title|desc) id="${id}">[^<]+</`));
    expect(tableRows(page, 'monthly-requests-caption')).toHaveLength(12);
    expect(tableRows(page, 'monthly-answers-caption')).toHaveLength(12);
    // No script is needed: the page has none of its own (htmx only, from the layout).
    expect([...page.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual([expect.stringContaining('/assets/htmx.min.js')]);
  });

  it('follows the period and kind filters, and keeps them in the sort and download links', async () => {
    const page = await html('/statistiques?periode=2025-T4&type=acces');
    // The history: the quarter chosen and the three before it.
    expect(tableRows(page, 'monthly-requests-caption').map((r) => r[0])).toEqual(
      ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'].map((m) => `${m} 2025`),
    );
    expect(page).toMatch(/<option value="acces" selected="">/);
    expect(page).toMatch(/<option value="2025-T4" selected="">octobre à décembre 2025 \(4e trimestre\)<\/option>/);
    expect(page).toContain('href="/statistiques?periode=2025-T4&amp;type=acces&amp;tri=recues&amp;ordre=desc#organisations"');
    expect(page).toContain('href="/statistiques/mois.csv?periode=2025-T4&amp;type=acces"');
  });

  it.each([
    ['periode=2026-T5', 'f-periode', 'Choisissez un trimestre dans la liste'],
    ['periode=2026-T2', 'f-periode', 'ne sont pas encore publiés'],
    // Two periods one month apart would give that month by difference: only whole quarters are published.
    ['du=2026-02&au=2026-03', 'f-periode', 'publiés par trimestre entier'],
    ['du=2026-13', 'f-periode', 'publiés par trimestre entier'],
    ['au=demain', 'f-periode', 'publiés par trimestre entier'],
    ['type=sorcellerie', 'f-type', 'Choisissez un droit dans la liste'],
  ])('refuses %s with a message linked to its field (400)', async (query, field, message) => {
    const page = await html(`/statistiques?${query}`, 400);
    expect(page).toMatch(/<title>Erreur : /);
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(page)![0];
    expect(summary).toContain(`href="#${field}"`);
    expect(summary).toContain(message);
    expect(page).toContain(`id="${field}"`);
    expect(page).toContain('aria-invalid="true"');
    expect(page).not.toContain('id="organisations"');
  });

  it('never fails on whatever the filters hold', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ periode: fc.string(), du: fc.string(), au: fc.string(), type: fc.string(), tri: fc.string(), ordre: fc.string() }, { requiredKeys: [] }),
        async (q) => {
          const res = await get(`/statistiques?${new URLSearchParams(q as Record<string, string>).toString()}`);
          expect([200, 400]).toContain(res.status);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('sorts the organisations by links, the sorted column marked with aria-sort', async () => {
    const byName = await html('/statistiques');
    const headers = /<table class="stats-table stats-table--organisations">[\s\S]*?<\/thead>/.exec(byName)![0];
    expect([...headers.matchAll(/aria-sort="(\w+)"/g)].map((m) => m[1])).toEqual(['ascending']);
    const names = tableRows(byName, 'organisations-caption').map((r) => r[0]!);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'fr', { sensitivity: 'base' })));

    const byReceived = await html('/statistiques?tri=recues&ordre=desc');
    const received = tableRows(byReceived, 'organisations-caption').map((r) => Number(r[1]!.replace(/\D/g, '') || 0));
    expect(received).toEqual([...received].sort((a, b) => b - a));
    const sortedHeader = /<th scope="col" aria-sort="descending"[^>]*>\s*<a href="([^"]+)"/.exec(byReceived)!;
    // The sorted column's link reverses the order.
    expect(sortedHeader[1]).toContain('tri=recues&amp;ordre=asc');

    // An unknown sort is no error: the default one.
    expect(await html('/statistiques?tri=n-importe&ordre=quoi')).toContain('aria-sort="ascending"');
  });

  it('writes a suppressed count as "moins de 5" and a rate under 10 answers as "moins de 10 réponses"', async () => {
    const page = await html('/statistiques?periode=2026-T1&type=limitation');
    expect(page).toContain('moins de 5');
    expect(page).toContain('moins de 10 réponses');
  });
});

describe('/statistiques/methode', () => {
  it.each(['fr', 'en'])('says how each figure is computed, with its thresholds and sources (%s)', async (lang) => {
    const page = await html(`/statistiques/methode?lang=${lang}`);
    expect(page).toMatch(lang === 'fr' ? /moins de 5/ : /fewer than 5/);
    expect(page).toMatch(lang === 'fr' ? /8 jours après la fin du mois/ : /8 days after the month ends/);
    expect(page).toMatch(/12(, paragraphe 3|\(3\))/);
    expect(page).toContain('1182/71');
    expect(page).toContain('Wilson');
    expect(page).not.toMatch(/\{\{\w+\}\}/);
  });
});

describe('an organisation', () => {
  it('has a detail page with its monthly table and chart, and a 404 when unknown', async () => {
    const page = await html('/statistiques/organisations/cnam?periode=2026-T1');
    expect(page).toContain('Caisse nationale');
    expect(tableRows(page, 'org-monthly-requests-caption')).toHaveLength(3);
    expect(page).toMatch(/<svg class="chart"/);
    expect(page).toContain('href="/organisations/cnam"');
    await html('/statistiques/organisations/inconnu', 404);
    await html('/statistiques/organisations/..%2Fetc', 404);
  });

  it('shows its figures on its register page, linking to the detail', async () => {
    const page = await html('/organisations/ap-hp');
    expect(page).toContain('id="organisation-figures"');
    expect(page).toContain('href="/statistiques/organisations/ap-hp"');
    await html('/statistiques/organisations/ap-hp');
  });
});

describe('open data', () => {
  const tableNames = async () => [...(await html('/statistiques')).matchAll(/href="\/statistiques\/([a-z0-9-]+)\.csv[?"]/g)].map((m) => m[1]!);

  it('links every table, each as CSV, JSON and schema, under Licence Ouverte 2.0', async () => {
    const page = await html('/statistiques');
    const names = await tableNames();
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const name of names) {
      expect(page).toContain(`href="/statistiques/${name}.json?periode=2026-T1"`);
      expect(page).toContain(`href="/statistiques/${name}.schema.json"`);
    }
    expect(page).toContain('Licence Ouverte 2.0');
  });

  it('serves each CSV valid against its published Table Schema, and JSON equal to it cell for cell', async () => {
    // The validator reads only the published schema (server/domain/table-schema.ts), for the types it knows.
    const KNOWN_TYPES = ['string', 'integer', 'boolean', 'date'];
    const names = await tableNames();
    // The page links every table the service publishes, and only those.
    const parsed = parseFilters({}, '2026-06-15');
    if (!parsed.ok) throw new Error('filters');
    expect([...names].sort()).toEqual(
      openDataTables({ db: t.deps.database.db, now: () => now }, parsed.filters, translatorFor(t.deps.i18n, 'fr'))
        .map((table) => table.name)
        .sort(),
    );
    for (const name of names) {
      const csvRes = await get(`/statistiques/${name}.csv`);
      expect(csvRes.status).toBe(200);
      expect(csvRes.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csvRes.headers.get('access-control-allow-origin')).toBe('*');
      const { header, records } = parseCsv(await csvRes.text());
      const schema = (await (await get(`/statistiques/${name}.schema.json`)).json()) as TableSchema & { licenses: { name: string }[]; path: string };
      expect(schema.licenses[0]!.name).toBe('etalab-2.0');
      expect(schema.path).toMatch(new RegExp(`/statistiques/${name}\\.csv$`));
      expect(schema.fields.map((f) => f.type).filter((type) => !KNOWN_TYPES.includes(type))).toEqual([]);
      expect(header).toEqual(schema.fields.map((f) => f.name));
      expect(records.length, name).toBeGreaterThan(0);
      expect(validateTable(schema, header, records), name).toEqual([]);
      // ... and the same validator catches a broken cell, so the check above can fail.
      const integer = schema.fields.findIndex((f) => f.type === 'integer');
      if (integer >= 0)
        expect(validateTable(schema, header, [records[0]!.map((v, i) => (i === integer ? 'beaucoup' : v))]).map((e) => e.code)).toContain('type');
      // The primary key identifies each row.
      const key = ([] as string[]).concat(schema.primaryKey ?? []);
      const keys = records.map((r) => key.map((k) => r[header.indexOf(k)]).join('|'));
      expect(new Set(keys).size, name).toBe(keys.length);

      const json = (await (await get(`/statistiques/${name}.json`)).json()) as { data: Record<string, string | number | null>[]; licence: { name: string } };
      expect(json.licence.name).toContain('Licence Ouverte');
      expect(json.data.map((row) => header.map((h) => (row[h] === null ? '' : String(row[h]))))).toEqual(records);
    }
  });

  it('describes each column in the language asked, the column names staying the same', async () => {
    type Schema = { title: string; fields: { name: string; title: string; description: string }[] };
    const fr = (await (await get('/statistiques/organisations.schema.json')).json()) as Schema;
    const en = (await (await get('/statistiques/organisations.schema.json?lang=en')).json()) as Schema;
    expect(en.fields.map((f) => f.name)).toEqual(fr.fields.map((f) => f.name));
    const field = (s: Schema, name: string) => s.fields.find((f) => f.name === name)!;
    expect(field(fr, 'mediane_jours').title).toBe('Médiane des jours entre réception et réponse');
    expect(field(en, 'mediane_jours').title).toBe('Median days from receipt to answer');
    expect(field(en, 'repondues_masque').title).toBe('Answers (refusals included) in the period: hidden');
    expect(en.title).toBe('Each organisation’s answers over the period');
    expect(en.fields.every((f) => f.title && f.description && !/[éèàù]/.test(f.title + f.description))).toBe(true);
  });

  it('publishes on the page, in the CSV and in the JSON exactly the cells checked for derivation, for every quarter and kind', async () => {
    // Done-when 2: the service's figures let no suppressed count be derived (tests/services/statistics.test.ts
    // and the check below); here every format is shown to publish those same cells, a hidden one hidden everywhere.
    const deps = { db: t.deps.database.db, now: () => now };
    const quarters = publishedPeriods(deps);
    expect(quarters.length).toBeGreaterThan(4);
    let hiddenSeen = 0;
    for (const [periode, type] of [...quarters.slice(-2).map((q) => [q, '']), [quarters.at(-1)!, 'acces'], [quarters[0]!, 'opposition']] as const) {
      const query = `?periode=${periode}${type ? `&type=${type}` : ''}`;
      const parsed = parseFilters({ periode, ...(type ? { type } : {}) }, '2026-06-15');
      if (!parsed.ok) throw new Error(query);
      const f = publicFigures(deps, parsed.filters);
      expect(expectNoDerivableCell(f), query).toBeGreaterThan(20);
      const shown = (cell: Cell) => ('suppressed' in cell ? ['', 'true'] : [String(cell.value), 'false']);
      const { header, records } = parseCsv(await (await get(`/statistiques/organisations.csv${query}`)).text());
      const json = (await (await get(`/statistiques/organisations.json${query}`)).json()) as { data: Record<string, unknown>[] };
      const page = tableRows(await html(`/statistiques${query}&tri=nom`), 'organisations-caption');
      for (const o of f.organisations) {
        const row = records.find((r) => r[header.indexOf('organisation_id')] === o.id)!;
        const data = json.data.find((r) => r.organisation_id === o.id)!;
        const cells = {
          repondues: o.answers.answered,
          repondues_dans_les_delais: o.answers.onTime,
          repondues_en_retard: o.answers.late,
          ouvertes_hors_delai: o.answers.openPastDue,
          prolongations: o.answers.extensions,
        };
        for (const [name, cell] of Object.entries(cells)) {
          expect([row[header.indexOf(name)], row[header.indexOf(`${name}_masque`)]], `${query} ${o.id} ${name}`).toEqual(shown(cell));
          expect([data[name] === null ? '' : String(data[name]), data[`${name}_masque`]]).toEqual(shown(cell));
          if ('suppressed' in cell) hiddenSeen += 1;
        }
        const onPage = page.find((r) => r[0] === o.name)!;
        expect(onPage[2], `${query} ${o.id} on the page`).toBe('suppressed' in o.answers.answered ? 'moins de 5' : tr.number(o.answers.answered.value));
      }
    }
    expect(hiddenSeen).toBeGreaterThan(0);
  });

  it('follows the filters, and the page and the CSV say the same', async () => {
    const { header, records } = parseCsv(await (await get('/statistiques/mois.csv?periode=2026-T1&type=acces')).text());
    expect(records.map((r) => r[header.indexOf('mois')])).toEqual(['2026-01', '2026-02', '2026-03']);
    const page = await html('/statistiques?periode=2026-T1&type=acces');
    const shown = tableRows(page, 'monthly-requests-caption')
      .slice(-3)
      .map((r) => r[1]);
    const fromCsv = records.map((r) => (r[header.indexOf('demandes_recues_masque')] === 'true' ? 'moins de 5' : r[header.indexOf('demandes_recues')]));
    expect(shown).toEqual(fromCsv);
  });

  it('refuses bad filters with a message (400), and unknown tables (404)', async () => {
    const json = await get('/statistiques/mois.json?du=2026-13');
    expect(json.status).toBe(400);
    expect(await json.json()).toEqual({
      error: 'Les chiffres sont publiés par trimestre entier, pas pour d’autres périodes. Choisissez un trimestre dans la liste.',
      field: 'periode',
    });
    const csv = await get('/statistiques/mois.csv?type=x&lang=en');
    expect(csv.status).toBe(400);
    expect(await csv.text()).toBe('Choose a right from the list.');
    expect((await get('/statistiques/inconnue.csv')).status).toBe(404);
    expect((await get('/statistiques/mois.schema.csv')).status).toBe(404);
  });
});
