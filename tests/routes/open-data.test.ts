import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../server/cli/register-import';
import { parseCsv } from '../../server/services/register';
import { validateTable, type TableSchema } from '../../server/domain/table-schema';
import { FIELD_NAMES, FIELDS_BY_NAME } from '../../server/domain/register-schema';
import { makeTestApp, type TestApp } from '../helpers/app';
import { importRows, projectRow } from '../helpers/register';

let t: TestApp;
const tmp = mkdtempSync(join(tmpdir(), 'sante-droits-opendata-'));

beforeAll(() => {
  t = makeTestApp();
  importRows(t, [
    projectRow({
      id: 'complet',
      titre_clair: 'Un projet, avec "guillemets", virgules ; et accents é',
      resume: 'Texte sur\nplusieurs lignes ? Non : une seule, mais avec des virgules, des « guillemets » et un point-virgule interdit dans les listes.',
      statut: 'termine',
      partenaires_ids: 'partenaire-a;partenaire-b',
      partenaires_noms: 'Partenaire A;Partenaire B, associé',
      financeurs: 'Agence nationale de la recherche;Fondation',
      sources_ids: 'snds;oscour',
      sources_noms: 'Base principale du SNDS;OSCOUR',
      date_depot: '2020-02-03',
      date_transmission_cesrees: '2020-02-07',
      date_avis_cesrees: '2020-03-01',
      avis_cesrees: 'favorable_reserves',
      date_decision_cnil: '2020-05-20',
      prolongation_cnil: 'true',
      numero_decision_cnil: '2020-456',
      url_decision_cnil: 'https://www.legifrance.gouv.fr/cnil/id/CNILTEXT000000000000',
      duree_autorisee_mois: '36',
      date_debut: '2020-06-01',
      date_fin: '2023-06-01',
      resultats_urls: 'https://example.org/a;https://example.org/b',
      resultats_resume: 'Des résultats.',
      date_resultats: '2024-01-01',
      responsable_siren: '267500452',
      champs_fictifs: 'numero_decision_cnil;url_decision_cnil',
      mis_a_jour: '2024-01-02',
    }),
    projectRow({ id: 'minimal', statut: 'depose', mis_a_jour: '2025-01-01' }),
    projectRow({ id: 'commercial', usage_commercial: 'true', finalite: 'outil', mis_a_jour: '2023-01-01' }),
  ]);
});
afterAll(() => {
  t.close();
  rmSync(tmp, { recursive: true });
});

describe('/projets.csv', () => {
  it('is UTF-8 CSV with a header row, one row per project, ISO dates and ";" lists', async () => {
    const res = await t.app.request('/projets.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const { header, records } = parseCsv(await res.text());
    expect(header).toEqual(FIELD_NAMES);
    expect(records).toHaveLength(3);
    const complet = Object.fromEntries(header.map((h, i) => [h, records.find((r) => r[0] === 'complet')![i]]));
    expect(complet.partenaires_noms).toBe('Partenaire A;Partenaire B, associé');
    expect(complet.date_decision_cnil).toBe('2020-05-20');
    expect(complet.titre_clair).toBe('Un projet, avec "guillemets", virgules ; et accents é');
  });

  it('honours the page filters', async () => {
    const { records } = parseCsv(await (await t.app.request('/projets.csv?commercial=oui')).text());
    expect(records.map((r) => r[0])).toEqual(['commercial']);
    const none = parseCsv(await (await t.app.request('/projets.csv?q=introuvable')).text());
    expect(none.records).toEqual([]);
    expect(none.header).toEqual(FIELD_NAMES);
  });

  it('validates against the published Table Schema', async () => {
    const schema = (await (await t.app.request('/projets/schema.json')).json()) as TableSchema;
    expect(schema.fields.map((f) => f.name)).toEqual(FIELD_NAMES);
    expect(schema.fields.every((f) => f.title && f.description)).toBe(true);
    expect(schema.primaryKey).toBe('id');
    const { header, records } = parseCsv(await (await t.app.request('/projets.csv')).text());
    expect(validateTable(schema, header, records)).toEqual([]);
    // and the same validator catches a broken cell, so the check above can fail
    const broken = records.map((r) => [...r]);
    broken[0]![FIELD_NAMES.indexOf('statut')] = 'peut-etre';
    broken[0]![FIELD_NAMES.indexOf('date_fin')] = '2023-02-30';
    expect(validateTable(schema, header, broken).map((e) => `${e.column}:${e.code}`)).toEqual(['statut:enum', 'date_fin:type']);
  });

  it('has a schema in English too', async () => {
    const schema = (await (await t.app.request('/projets/schema.json?lang=en')).json()) as TableSchema;
    expect(schema.fields.find((f) => f.name === 'statut')!.title).toBe('Stage');
  });
});

describe('/projets-tableur.csv', () => {
  it('is for Excel in French: UTF-8 with a byte order mark, ";" between columns, CRLF, the filters honoured', async () => {
    const res = await t.app.request('/projets-tableur.csv?statut=termine');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="registre-projets-tableur.csv"');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.slice(1).startsWith(`${FIELD_NAMES.join(';')}\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const records = parse(text, { bom: true, delimiter: ';' }) as string[][];
    expect(records.map((r) => r[0])).toEqual(['id', 'complet']);
  });

  it('holds every value of the standard CSV, whole: lists, quotes, commas and accents', async () => {
    const standard = parseCsv(await (await t.app.request('/projets.csv')).text());
    const spreadsheet = parse(await (await t.app.request('/projets-tableur.csv')).text(), { bom: true, delimiter: ';' }) as string[][];
    expect(spreadsheet).toEqual([standard.header, ...standard.records]);
    const complet = spreadsheet.find((r) => r[0] === 'complet')!;
    expect(complet[FIELD_NAMES.indexOf('partenaires_noms')]).toBe('Partenaire A;Partenaire B, associé');
  });

  it('shows a cell that starts like a formula as text, never as a formula', async () => {
    const f = makeTestApp();
    importRows(f, [projectRow({ id: 'formule', titre_clair: '=HYPERLINK("https://example.org")', resume: '-1+1 : un résumé qui commence par un tiret.' })]);
    const standard = parseCsv(await (await f.app.request('/projets.csv')).text()).records[0]!;
    const row = (parse(await (await f.app.request('/projets-tableur.csv')).text(), { bom: true, delimiter: ';' }) as string[][])[1]!;
    f.close();
    expect(standard[FIELD_NAMES.indexOf('titre_clair')]).toBe('=HYPERLINK("https://example.org")');
    expect(row[FIELD_NAMES.indexOf('titre_clair')]).toBe(`'=HYPERLINK("https://example.org")`);
    expect(row[FIELD_NAMES.indexOf('resume')]).toBe(`'-1+1 : un résumé qui commence par un tiret.`);
  });
});

describe('entity tags', () => {
  const URLS = ['/projets.csv', '/projets-tableur.csv', '/projets.json', '/projets.atom', '/projets/etiquete.json', '/projets.json?statut=depose'];

  it('tag every open-data answer and answer 304 to a client that holds it, until the register changes', async () => {
    const e = makeTestApp();
    importRows(e, [projectRow({ id: 'etiquete', statut: 'depose' })]);
    const tags = new Map<string, string>();
    for (const url of URLS) {
      const res = await e.app.request(url);
      expect(res.status, url).toBe(200);
      const tag = res.headers.get('etag')!;
      expect(tag, url).toMatch(/^W\/"[^"]+"$/);
      tags.set(url, tag);
      const again = await e.app.request(url, { headers: { 'If-None-Match': `"autre", ${tag}` } });
      expect(again.status, url).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('etag')).toBe(tag);
      expect(again.headers.get('cache-control')).toBe('public, max-age=300');
      // The strong form of the same tag matches too (weak comparison), and so does "*".
      expect((await e.app.request(url, { headers: { 'If-None-Match': tag.slice(2) } })).status).toBe(304);
      expect((await e.app.request(url, { headers: { 'If-None-Match': '*' } })).status).toBe(304);
      expect((await e.app.request(url, { headers: { 'If-None-Match': '"autre"' } })).status).toBe(200);
    }
    expect(new Set(tags.values()).size).toBe(URLS.length);
    expect((await e.app.request('/projets.json?lang=en')).headers.get('etag')).not.toBe(tags.get('/projets.json'));

    importRows(e, [projectRow({ id: 'etiquete', statut: 'depose', titre_clair: 'Titre changé' })]);
    for (const url of URLS) {
      const res = await e.app.request(url, { headers: { 'If-None-Match': tags.get(url)! } });
      expect(res.status, url).toBe(200);
      expect(res.headers.get('etag')).not.toBe(tags.get(url));
    }
    expect(await (await e.app.request('/projets/etiquete.json')).text()).toContain('Titre changé');
    e.close();
  });

  it('keeps an unknown project a 404, whatever the client holds', async () => {
    expect((await t.app.request('/projets/inconnu.json', { headers: { 'If-None-Match': '*' } })).status).toBe(404);
  });
});

describe('round trip', () => {
  it('export, import into an empty database, export again: identical bytes', async () => {
    const first = await (await t.app.request('/projets.csv')).text();
    const file = join(tmp, 'export.csv');
    writeFileSync(file, first);
    const emptyDir = mkdtempSync(join(tmpdir(), 'sante-droits-empty-'));
    const lines: string[] = [];
    const code = runImport([file], { DATA_DIR: emptyDir, NODE_ENV: 'test' }, (l) => lines.push(l));
    expect(code).toBe(0);
    expect(lines).toEqual(['Import terminé : 3 projet(s) créé(s), 0 mis à jour, 0 inchangé(s).']);
    // A fresh app on the database the import command filled.
    const second = makeTestApp({}, {}, { dataDir: emptyDir });
    const again = await (await second.app.request('/projets.csv')).text();
    second.close();
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
  });
});

describe('/projets.json', () => {
  it('holds the same content as the CSV, typed', async () => {
    const json = (await (await t.app.request('/projets.json')).json()) as { count: number; licence: { name: string }; projects: Record<string, unknown>[] };
    const { header, records } = parseCsv(await (await t.app.request('/projets.csv')).text());
    expect(json.count).toBe(records.length);
    expect(json.licence.name).toMatch(/Licence Ouverte/);
    records.forEach((record, i) => {
      const project = json.projects[i]!;
      header.forEach((name, j) => {
        const field = FIELDS_BY_NAME.get(name)!;
        const value = project[name];
        const asCell = Array.isArray(value) ? value.join(';') : value === null ? '' : String(value);
        expect(asCell, `${project.id}.${name}`).toBe(record[j]);
        if (field.type === 'boolean' && record[j]) expect(typeof value).toBe('boolean');
      });
      expect(project.url).toBe(`http://localhost:3000/projets/${record[0]}`);
    });
  });

  it('serves one project as JSON', async () => {
    const res = await t.app.request('/projets/complet.json');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const p = (await res.json()) as Record<string, unknown>;
    expect(p.sources_ids).toEqual(['snds', 'oscour']);
    expect(p.duree_autorisee_mois).toBe(36);
    expect(p.prolongation_cnil).toBe(true);
  });
});

describe('/projets.atom', () => {
  it('is well-formed Atom 1.0 with the required elements, latest changes first', async () => {
    const res = await t.app.request('/projets.atom');
    expect(res.headers.get('content-type')).toMatch(/application\/atom\+xml/);
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' || name === 'link' }).parse(xml);
    const feed = doc.feed;
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    for (const el of ['id', 'title', 'updated', 'author']) expect(feed[el], el).toBeDefined();
    expect(feed.link.some((l: Record<string, string>) => l['@_rel'] === 'self')).toBe(true);
    const entries = feed.entry as Record<string, unknown>[];
    expect(entries.map((e) => e.id)).toEqual([
      'http://localhost:3000/projets/minimal',
      'http://localhost:3000/projets/complet',
      'http://localhost:3000/projets/commercial',
    ]);
    for (const e of entries) for (const el of ['id', 'title', 'updated', 'author', 'summary']) expect(e[el], el).toBeDefined();
    expect(entries[1]!.title).toBe('Un projet, avec "guillemets", virgules ; et accents é');
    expect(feed.updated).toBe('2025-01-01T00:00:00Z');
  });

  it('honours the filters', async () => {
    const xml = await (await t.app.request('/projets.atom?statut=depose')).text();
    expect(xml.match(/<entry>/g)).toHaveLength(1);
    expect(xml).toContain('rel="self" type="application/atom+xml" href="http://localhost:3000/projets.atom?statut=depose"');
  });
});

describe('npm run register:import', () => {
  const csvOf = (rows: string[][]) =>
    [FIELD_NAMES.join(','), ...rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))].join('\n');

  it('reports each error by line and column in plain words, and imports nothing', async () => {
    const good = FIELD_NAMES.map((n) => projectRow({ id: 'nouveau' })[n]!);
    const bad = FIELD_NAMES.map(
      (n) => projectRow({ id: 'Pas Un Id', statut: 'fini', cree_le: '2024-13-01', partenaires_ids: 'a;b', partenaires_noms: 'A' })[n]!,
    );
    const file = join(tmp, 'bad.csv');
    writeFileSync(file, csvOf([good, bad]));
    const lines: string[] = [];
    const code = runImport([file], { DATA_DIR: t.dataDir, NODE_ENV: 'test' }, (l) => lines.push(l));
    expect(code).toBe(1);
    expect(lines).toContain(
      'Ligne 3, colonne statut (Étape) : « fini » n’est pas une valeur possible. Valeurs possibles : depose, en_instruction, avis_cesrees, autorise, refuse, en_cours, termine, abandonne.',
    );
    expect(lines).toContain('Ligne 3, colonne id (Identifiant) : « Pas Un Id » n’a pas la forme attendue.');
    expect(lines.some((l) => l.startsWith('Ligne 3, colonne cree_le'))).toBe(true);
    expect(lines.some((l) => l.startsWith('Ligne 3, colonne partenaires_noms'))).toBe(true);
    expect(lines.at(-1)).toBe('Import refusé : 4 erreurs. Rien n’a été importé. Corrigez le fichier puis relancez.');
    expect((await t.app.request('/projets/nouveau')).status).toBe(404);
  });

  it('explains a missing column, an unreadable file and a missing argument, in English when asked', async () => {
    const file = join(tmp, 'short.csv');
    writeFileSync(file, 'id,statut\nx,depose\n');
    const lines: string[] = [];
    expect(runImport([file, '--lang', 'en'], { DATA_DIR: t.dataDir, NODE_ENV: 'test' }, (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toBe('Line 1: the column numero_hdh (File number) is missing from the header.');
    const more: string[] = [];
    expect(runImport([join(tmp, 'absent.csv')], { DATA_DIR: t.dataDir }, (l) => more.push(l))).toBe(2);
    expect(runImport([], { DATA_DIR: t.dataDir }, (l) => more.push(l))).toBe(2);
    expect(more).toEqual([`Impossible de lire le fichier ${join(tmp, 'absent.csv')}.`, 'Utilisation : npm run register:import -- FICHIER.csv']);
  });

  it('updates an existing project and records the change in its history', async () => {
    const row = projectRow({ id: 'minimal', statut: 'en_instruction', mis_a_jour: '2025-01-01' });
    const file = join(tmp, 'update.csv');
    writeFileSync(file, csvOf([FIELD_NAMES.map((n) => row[n]!)]));
    const lines: string[] = [];
    expect(runImport([file], { DATA_DIR: t.dataDir, NODE_ENV: 'test' }, (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual(['Import terminé : 0 projet(s) créé(s), 1 mis à jour, 0 inchangé(s).']);
    const html = await (await t.app.request('/projets/minimal')).text();
    expect(html).toContain('<td>Étape</td><td lang="fr">Dossier déposé</td><td lang="fr">En cours d’examen</td>');
  });
});
