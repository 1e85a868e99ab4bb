/**
 * "Which projects may use my data?" (/comprendre/mes-donnees-dans-les-projets), as a citizen uses it:
 * the three questions built from the register's sources (the hospital warehouses and the cohorts), a GET
 * form whose answers lead to the projects using those sources, each with its objection button; answers
 * not understood ignored with a message, never an error; pages of results that keep the answers; nothing
 * stored and nothing logged; linked from the home page's register door, from /projets and /comprendre.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertDataSource, upsertOrganisation } from '../../server/db/register';
import { makeTestApp, type TestApp } from '../helpers/app';
import { importRows, projectRow } from '../helpers/register';

const PATH = '/comprendre/mes-donnees-dans-les-projets';
let t: TestApp;

const get = async (query: string, lang: 'fr' | 'en' = 'fr') => {
  const res = await t.app.request(`${PATH}${query}${query ? '&' : '?'}lang=${lang}`);
  return { status: res.status, headers: res.headers, html: await res.text() };
};
/** The projects listed in the results, by their objection buttons, in order. */
const listed = (html: string) => [...html.matchAll(/href="\/demande\?projet=([a-z0-9-]+)"/g)].map((m) => m[1]);
/** Every table's row count: what the database holds. */
const snapshot = () => {
  const sqlite = t.deps.database.sqlite;
  const tables = sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '%_fts%'").all() as {
    name: string;
  }[];
  return Object.fromEntries(tables.map(({ name }) => [name, (sqlite.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n]));
};

beforeAll(() => {
  t = makeTestApp({ DEMO_DATA: '0', LOG_LEVEL: 'info' });
  const db = t.deps.database.db;
  upsertOrganisation(db, { id: 'organisme-test', name: 'Organisme de test' }, new Date().toISOString());
  upsertDataSource(db, { id: 'snds', name: 'Base principale du SNDS', kind: 'snds', partOfSnds: true });
  upsertDataSource(db, { id: 'eds-nord', name: 'Entrepôt du CHU du Nord', kind: 'entrepot', holder: 'CHU du Nord', identifiante: true });
  upsertDataSource(db, { id: 'eds-sud', name: 'Entrepôt des hôpitaux du Sud', kind: 'entrepot', holder: 'Hôpitaux du Sud', identifiante: true });
  upsertDataSource(db, { id: 'cohorte-a', name: 'Cohorte Alpha', kind: 'cohorte', holder: 'Université Alpha', identifiante: true });
  upsertDataSource(db, { id: 'registre-x', name: 'Registre X', kind: 'registre', identifiante: true });
  const names: Record<string, string> = {
    snds: 'Base principale du SNDS',
    'eds-nord': 'Entrepôt du CHU du Nord',
    'eds-sud': 'Entrepôt des hôpitaux du Sud',
    'cohorte-a': 'Cohorte Alpha',
    'registre-x': 'Registre X',
  };
  const p = (id: string, sources: string[], extra: Record<string, string> = {}) =>
    projectRow({ id, titre_clair: `Projet ${id}`, sources_ids: sources.join(';'), sources_noms: sources.map((s) => names[s]).join(';'), ...extra });
  importRows(t, [
    ...Array.from({ length: 23 }, (_, i) => p(`snds-${String(i).padStart(2, '0')}`, ['snds'])),
    p('nord-seul', ['eds-nord'], { population: 'Patients du CHU du Nord opérés du cœur' }),
    p('nord-et-cohorte', ['eds-nord', 'cohorte-a']),
    p('sud-sans-opposition', ['eds-sud'], { opposition_applicable: 'false', motif_exclusion_opposition: 'services_etat' }),
    p('registre-seul', ['registre-x']),
  ]);
});
afterAll(() => t?.close());

describe('the questions', () => {
  it('are built from the register’s warehouses and cohorts, with no result before the form is sent', async () => {
    const page = await get('');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.html).toContain('<h1>Quels projets peuvent utiliser mes données ?</h1>');
    expect(page.html).toContain('<form method="get" action="/comprendre/mes-donnees-dans-les-projets#resultats"');
    expect(page.html).toMatch(
      /<input type="checkbox" id="f-hopital" name="hopital" value="eds-nord"[^>]*\/><label for="f-hopital" lang="fr">CHU du Nord<\/label>/,
    );
    expect(page.html).toContain('Entrepôt des hôpitaux du Sud');
    expect(page.html).toContain('value="cohorte-a"');
    expect(page.html).not.toContain('value="registre-x"');
    expect(page.html).toContain('Rien n’est enregistré.');
    expect(page.html).not.toContain('id="resultats"');
    const en = await get('', 'en');
    expect(en.html).toContain('<h1>Which projects may use my data?</h1>');
    expect(en.html).toContain('Nothing is stored.');
  });
});

describe('the answers', () => {
  it('insured in France: the projects using the SNDS, a page at a time, each with its objection button', async () => {
    const page = await get('?reponses=1&assure=oui');
    expect(page.html).toContain('23 projets du registre utilisent ces bases de données');
    expect(listed(page.html)).toHaveLength(20);
    expect(listed(page.html).every((id) => id!.startsWith('snds-'))).toBe(true);
    expect(page.html).toContain('M’opposer à ce projet');
    expect(page.html).toContain('M’opposer à tous les projets qui utilisent le SNDS');
    expect(page.html).toContain('Code de la santé publique, article R1461-9, II');
    const next = /href="(\/comprendre\/mes-donnees-dans-les-projets\?[^"]*page=2[^"]*)"/.exec(page.html)![1]!.replace(/&amp;/g, '&');
    expect(next).toContain('assure=oui');
    const second = await t.app.request(next);
    expect(listed(await second.text())).toHaveLength(3);
  });

  it('a hospital group and a cohort, not insured: only the projects using them, each once, with the sources it uses', async () => {
    const page = await get('?reponses=1&assure=non&hopital=eds-nord&hopital=eds-sud&cohorte=cohorte-a&cohorte=cohorte-a');
    expect(listed(page.html).sort()).toEqual(['nord-et-cohorte', 'nord-seul', 'sud-sans-opposition']);
    expect(page.html).toContain('3 projets du registre utilisent ces bases de données');
    expect(page.html).toContain('Entrepôt du CHU du Nord, Cohorte Alpha');
    expect(page.html).toContain('Patients du CHU du Nord opérés du cœur');
    // A project the objection does not apply to says so and offers the other rights.
    expect(page.html).toContain('Le droit d’opposition ne s’applique pas à ce projet');
    expect(page.html).toContain('vos séjours peuvent quand même être dans le SNDS');
    expect(page.html).not.toContain('M’opposer à tous les projets qui utilisent le SNDS');
    // The answers are shown back checked.
    expect(page.html).toMatch(/value="eds-sud" checked/);
    expect(page.html).toMatch(/name="assure" value="non" checked/);
  });

  it('"I do not know" counts the SNDS in; nothing chosen says what to answer', async () => {
    expect(listed((await get('?reponses=1&assure=nsp&cohorte=cohorte-a')).html)).toHaveLength(20);
    const none = await get('?reponses=1&assure=non');
    expect(none.html).toContain('Vos réponses ne désignent aucune base de données.');
    expect(listed(none.html)).toEqual([]);
    const en = await get('?reponses=1', 'en');
    expect(en.html).toContain('Your answers point to no database.');
  });

  it('answers not understood are ignored with a message, never an error', async () => {
    for (const query of [
      '?reponses=1&assure=peut-etre&hopital=eds-nord',
      '?reponses=1&hopital=registre-x&hopital=eds-nord',
      '?reponses=1&hopital=..%2F..%2Fetc&hopital=eds-nord&page=0',
      `?reponses=1&hopital=eds-nord&page=99999999&cohorte=${'x'.repeat(5000)}`,
      `?reponses=1&hopital=eds-nord${'&hopital=x'.repeat(300)}`,
    ]) {
      const page = await get(query);
      expect(page.status, query.slice(0, 60)).toBe(200);
      expect(page.html).toContain('Certaines réponses de l’adresse n’ont pas été comprises et ont été ignorées.');
      expect(listed(page.html).sort()).toEqual(['nord-et-cohorte', 'nord-seul']);
    }
    const past = await get('?reponses=1&hopital=eds-nord&page=9');
    expect(past.status).toBe(200);
    expect(listed(past.html)).toEqual([]);
  });

  it('stores nothing and logs no answer', async () => {
    const before = snapshot();
    const lines = t.logLines.length;
    await get('?reponses=1&assure=oui&hopital=eds-nord&cohorte=cohorte-a');
    expect(snapshot()).toEqual(before);
    const logged = t.logLines.slice(lines).join('\n');
    expect(logged).toMatch(/"msg":"request",[^\n]*"path":"\/comprendre\/[^"?]*"/);
    expect(logged).not.toMatch(/cohorte-a|eds-nord|assure/);
  });
});

describe('links to the page', () => {
  it.each(['/', '/projets', '/comprendre', '/plan-du-site'])('from %s', async (from) => {
    for (const lang of ['fr', 'en']) expect(await (await t.app.request(`${from}?lang=${lang}`)).text()).toContain(`href="${PATH}"`);
  });
});
