import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app';
import { importRows, projectRow } from '../helpers/register';
import { FILLER, FIXTURES, INFLECTIONS } from '../helpers/register-fixtures';

let t: TestApp;

beforeAll(() => {
  t = makeTestApp({}, { now: () => new Date('2026-11-22T10:00:00Z') });
  importRows(t, [...FIXTURES, ...FILLER]);
});
afterAll(() => t.close());

async function page(url: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(url, { headers });
  return { status: res.status, html: await res.text(), res };
}
const resultIds = (html: string) => [...html.matchAll(/<a href="\/projets\/([a-z0-9-]+)" lang="fr">/g)].map((m) => m[1]);

describe('search', () => {
  it('ignores accents and case', async () => {
    for (const q of ['bacteriemies', 'BACTERIEMIES', 'Bactériémies']) {
      const { status, html } = await page(`/projets?q=${encodeURIComponent(q)}`);
      expect(status).toBe(200);
      expect(resultIds(html)).toEqual(['bacteriemies']);
    }
  });

  it('finds a project by a word of its summary, and by prefix', async () => {
    expect(resultIds((await page('/projets?q=parkinson')).html)).toEqual(['ns-park']);
    expect(resultIds((await page('/projets?q=neurolog')).html)).toEqual(['ns-park']);
    expect(resultIds((await page('/projets?q=prescripteurs')).html)).toEqual(['pimpon']);
  });

  it('finds a project by its organisation or data source', async () => {
    expect(resultIds((await page('/projets?q=vidal')).html)).toEqual(['pimpon']);
    expect(resultIds((await page('/projets?q=cohorte%20ns-park')).html)).toEqual(['ns-park']);
  });

  it('says how many projects were found, and shows a clear empty state', async () => {
    expect((await page('/projets?q=parkinson')).html).toContain('1 projet trouvé');
    const none = await page('/projets?q=xylophone');
    expect(none.status).toBe(200);
    expect(none.html).toContain('Aucun projet trouvé');
    expect(none.html).toContain('Aucun projet ne correspond à « xylophone »');
    expect((await page('/projets?q=xylophone&lang=en')).html).toContain('No project matches “xylophone”');
  });
});

describe('French search: plurals and inflections', () => {
  let s: TestApp;
  const ids = async (q: string) => resultIds(await (await s.app.request(`/projets?q=${encodeURIComponent(q)}`)).text());
  beforeAll(() => {
    s = makeTestApp();
    importRows(s, INFLECTIONS);
  });
  afterAll(() => s.close());

  it('finds the same projects from the singular and the plural', async () => {
    expect((await ids('cancer')).sort()).toEqual(['gorge', 'sein']);
    expect((await ids('cancers')).sort()).toEqual(['gorge', 'sein']);
    expect((await ids('hospitalisation')).sort()).toEqual(['coeur', 'urgences']);
    expect((await ids('hospitalisations')).sort()).toEqual(['coeur', 'urgences']);
    expect(await ids('interaction')).toEqual(['sein']);
    expect(await ids('médicament')).toEqual(['sein']);
  });

  it('matches a whole word by its stem only, not every word sharing its first letters', async () => {
    expect(await ids('médicaments')).toEqual(['sein']);
    expect(await ids('médical')).toEqual(['diabete']);
  });

  it('finds common inflections: participles, adjectives, irregular plurals', async () => {
    expect(await ids('hospitalisé')).toContain('coeur');
    expect((await ids('hospitalisées')).sort()).toEqual(['coeur', 'urgences']);
    expect(await ids('diabétique')).toEqual(['diabete']);
    expect(await ids('diabète')).toEqual(['diabete']);
    expect(await ids('hôpital')).toEqual(['urgences']);
  });

  it('still ignores accents and case, and still matches a word being typed', async () => {
    expect((await ids('HOSPITALISATIONS')).sort()).toEqual(['coeur', 'urgences']);
    expect(await ids('diabetiques')).toEqual(['diabete']);
    expect(await ids('hopitaux')).toEqual(['urgences']);
    expect((await ids('hospitalisati')).sort()).toEqual(['coeur', 'urgences']);
    expect(await ids('chimio')).toEqual(['sein']);
    expect(await ids('ile de france')).toEqual(['urgences']);
  });

  it('ranks a match in the title before a match in the summary', async () => {
    // Both mention "urgences"; only one in its title. The more recent one would come first by date.
    expect(await ids('urgence')).toEqual(['urgences']);
    expect(await ids('cardiaques')).toEqual(['coeur']);
    expect(await ids('cancers')).toEqual(['sein', 'gorge']);
  });
});

describe('filters and sort', () => {
  it('combine: status, source, organisation, purpose, commercial use, objection', async () => {
    expect(resultIds((await page('/projets?source=ns-park')).html)).toEqual(['ns-park']);
    expect(resultIds((await page('/projets?organisation=ap-hp&statut=autorise')).html)).toEqual(['retard']);
    expect(resultIds((await page('/projets?organisation=f-crin')).html)).toEqual(['ns-park']);
    expect(resultIds((await page('/projets?finalite=outil&commercial=oui')).html)).toEqual(['pimpon']);
    expect(resultIds((await page('/projets?finalite=outil&commercial=non')).html)).toEqual(['ns-park']);
    expect(resultIds((await page('/projets?opposition=non')).html)).toEqual(['etat-stats']);
    expect(resultIds((await page('/projets?q=antibiotiques&source=edsaphp&organisation=ap-hp')).html)).toEqual(['bacteriemies']);
    expect(resultIds((await page('/projets?q=antibiotiques&organisation=vidal')).html)).toEqual([]);
  });

  it('sorts by latest change by default, by title, or by stage', async () => {
    expect(resultIds((await page('/projets')).html).slice(0, 3)).toEqual(['ns-park', 'bacteriemies', 'pimpon']);
    const byTitle = resultIds((await page('/projets?tri=titre&page=3')).html);
    expect(byTitle.at(-1)).toBe('retard');
    const byStage = resultIds((await page('/projets?tri=statut')).html);
    expect(byStage[0]).toBe('ns-park');
  });

  it('keeps query, filters and page in the URL of the pagination links', async () => {
    const { html } = await page('/projets?statut=en_instruction&tri=titre');
    expect(html).toContain('href="/projets?statut=en_instruction&amp;tri=titre&amp;page=2"');
  });
});

describe('pagination', () => {
  it('shows 20 per page: first, last, and past the end without an error', async () => {
    const first = await page('/projets');
    expect(resultIds(first.html)).toHaveLength(20);
    expect(first.html).toContain('45 projets trouvés');
    expect(first.html).toContain('(page 1 sur 3)');
    expect(first.html).not.toContain('rel="prev"');
    const last = await page('/projets?page=3');
    expect(resultIds(last.html)).toHaveLength(5);
    expect(last.html).not.toContain('rel="next"');
    const past = await page('/projets?page=4');
    expect(past.status).toBe(200);
    expect(resultIds(past.html)).toHaveLength(0);
    expect(past.html).toContain('Cette page n’existe pas : les résultats tiennent sur 3 pages.');
    expect(past.html).toContain('href="/projets?page=3"');
  });
});

describe('hostile parameters', () => {
  const hostile = [
    'q=' + 'a'.repeat(10_000),
    'q=' + encodeURIComponent("' OR 1=1; DROP TABLE projects; --"),
    'q=' + encodeURIComponent('"NEAR( AND OR NOT * ^ {col}:x'),
    'q=' + encodeURIComponent('<script>alert(1)</script>'),
    'q=' + encodeURIComponent('"><img src=x onerror=alert(1)>'),
    'statut=inconnu&finalite=%00&tri=DROP&page=-4',
    'page=abc',
    'page=99999999999999',
    'organisation=' + encodeURIComponent('<b>x</b>') + '&source=' + 'x'.repeat(500),
    'q=%F0%9F%92%89%20vaccin',
    'q[]=a&q[]=b&statut[]=x',
  ];
  it.each(hostile)('%s answers without error, reflecting nothing unescaped', async (qs) => {
    const { status, html } = await page(`/projets?${qs}`);
    expect(status).toBe(200);
    expect(html).not.toMatch(/<script>alert|<img src=x|<b>x<\/b>/);
    for (const ext of ['csv', 'json', 'atom']) expect((await t.app.request(`/projets.${ext}?${qs}`)).status).toBe(200);
  });

  it('escapes what was typed when it shows it back', async () => {
    const { html } = await page('/projets?q=' + encodeURIComponent('<script>alert(1)</script>'));
    expect(html).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('tells the person which criteria were ignored', async () => {
    const { html } = await page('/projets?statut=inconnu');
    expect(html).toContain('ont été ignorés : statut');
    expect(resultIds(html)).toHaveLength(20);
  });

  it('leaves the database intact after SQL in q', async () => {
    await page('/projets?q=' + encodeURIComponent("'; DELETE FROM projects; --"));
    expect((await page('/projets')).html).toContain('45 projets trouvés');
  });
});

describe('htmx', () => {
  it('answers an htmx request with the results fragment and the live-region text', async () => {
    const { html, res } = await page('/projets?q=parkinson', { 'HX-Request': 'true', 'HX-Target': 'results' });
    expect(html).not.toContain('<html');
    expect(html).toContain('1 projet trouvé');
    expect(html).toContain('id="results-announce" hx-swap-oob="innerHTML"');
    expect(res.headers.get('vary')).toMatch(/HX-Request/);
  });

  it('sends the download links again, out of band, on the new filters', async () => {
    const { html } = await page('/projets?q=parkinson&statut=depose', { 'HX-Request': 'true', 'HX-Target': 'results' });
    const links = /<ul class="link-list" id="open-data-links" hx-swap-oob="true">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
    for (const path of ['/projets.csv', '/projets-tableur.csv', '/projets.json', '/projets.atom'])
      expect(links).toContain(`href="${path}?q=parkinson&amp;statut=depose"`);
    expect(html).toContain('<span id="criteria-count" class="register__criteria" hx-swap-oob="true">(2 critères choisis)</span>');
  });

  it('answers the same URL without htmx with the whole page', async () => {
    const { html } = await page('/projets?q=parkinson');
    expect(html).toContain('<html lang="fr"');
    expect(html).toContain('action="/projets"');
  });
});

describe('project page', () => {
  it('shows the fields grouped, in plain words, with the rights button and JSON-LD', async () => {
    const { status, html } = await page('/projets/ns-park');
    expect(status).toBe(200);
    expect(html).toContain('<h1 lang="fr">NS-PARK : prédire l’évolution</h1>');
    expect(html).toContain('href="/organisations/inserm"');
    expect(html).toContain('href="/organisations/f-crin"');
    expect(html).toContain('href="/sources/ns-park"');
    expect(html).toContain('href="/demande?projet=ns-park"');
    expect(html).toContain('Exercer mes droits sur ce projet');
    const ld = JSON.parse(/<script type="application\/ld\+json"[^>]*>(.*?)<\/script>/s.exec(html)![1]!);
    expect(ld['@type']).toBe('ResearchProject');
    expect(ld.name).toBe('Titre officiel de ns-park');
    expect(ld.sponsor.name).toBe('INSERM');
  });

  it('checks each approval step against its legal delay', async () => {
    const { html } = await page('/projets/retard');
    // Filed Monday 8 January 2024: the CESREES should have had it by 15 January; it got it on the 22nd.
    expect(html).toContain('Date limite : 15 janvier 2024.');
    expect(html).toContain('7 jours de retard');
    // Sent 22 January: opinion due 22 February; given 10 February.
    expect(html).toContain('Date limite : 22 février 2024.');
    expect(html).toContain('Dans les délais');
    // Opinion 10 February: CNIL due 10 April (two months); decided 15 March.
    expect(html).toContain('Date limite : 10 avril 2024.');
  });

  it('flags demonstration values as fictitious', async () => {
    const { html } = await page('/projets/retard');
    expect(html).toContain('Données de démonstration.');
    expect(html.match(/badge--demo">fictif/g)?.length).toBe(2);
    expect((await page('/projets/pimpon')).html).not.toContain('Données de démonstration.');
  });

  it('explains when objection does not apply, with the R1461-9 reason, and flags overdue results', async () => {
    const { html } = await page('/projets/etat-stats');
    expect(html).toContain('Le droit d’opposition ne s’applique pas à ce projet.');
    expect(html).toContain('article R1461-9 II');
    // Finished 15 January 2023, nothing published by 22 November 2026: more than 18 months.
    expect(html).toContain('Résultats en retard.');
    expect((await page('/projets/pimpon')).html).not.toContain('Résultats en retard.');
  });

  it('answers 404 for an unknown or malformed id', async () => {
    expect((await page('/projets/inconnu')).status).toBe(404);
    expect((await page('/projets/%3Cscript%3E')).status).toBe(404);
    expect((await t.app.request('/projets/inconnu.json')).status).toBe(404);
  });

  it('keeps every change in a public history', async () => {
    const t2 = makeTestApp();
    importRows(t2, [projectRow({ id: 'suivi', statut: 'en_instruction' })], new Date('2026-01-05T09:00:00Z'));
    const report = importRows(t2, [projectRow({ id: 'suivi', statut: 'autorise', titre_clair: 'Nouveau titre' })], new Date('2026-02-10T09:00:00Z'));
    expect(report).toMatchObject({ updated: 1, created: 0 });
    const html = await (await t2.app.request('/projets/suivi')).text();
    expect(html).toContain('<td>Étape</td><td lang="fr">En cours d’examen</td><td lang="fr">Autorisé</td>');
    expect(html).toContain('<td lang="fr">Projet suivi</td><td lang="fr">Nouveau titre</td>');
    expect(html).toContain('10 février 2026');
    const json = (await (await t2.app.request('/projets/suivi.json')).json()) as { historique: { champ: string }[]; mis_a_jour: string };
    expect(json.historique.map((h) => h.champ).sort()).toEqual(['creation', 'statut', 'titre_clair']);
    expect(json.mis_a_jour).toBe('2026-02-10');
    t2.close();
  });
});

describe('organisation and source pages', () => {
  it('list every project of an organisation, as controller or partner', async () => {
    const org = await page('/organisations/ap-hp');
    expect(org.status).toBe(200);
    expect(resultIds(org.html).sort()).toEqual(['bacteriemies', 'retard']);
    expect(resultIds((await page('/organisations/f-crin')).html)).toEqual(['ns-park']);
  });

  it('list every project using a source', async () => {
    const src = await page('/sources/snds');
    expect(src.status).toBe(200);
    expect(src.html).toContain('45 projets trouvés');
    expect(resultIds((await page('/sources/edsaphp')).html)).toEqual(['bacteriemies']);
  });

  it('say whether a source’s holder keeps identities, as the import and the CSV give it', async () => {
    const t2 = makeTestApp();
    importRows(t2, [
      projectRow({ id: 'mixte', sources_ids: 'entrepot;snds', sources_noms: 'Entrepôt fictif;Base principale du SNDS', sources_identifiantes: 'true;false' }),
    ]);
    const warehouse = await (await t2.app.request('/sources/entrepot')).text();
    expect(warehouse).toContain('Le détenteur garde l’identité des personnes');
    const snds = await (await t2.app.request('/sources/snds')).text();
    expect(snds).toContain('Données pseudonymisées : personne ne détient à la fois votre identité et votre pseudonyme.');
    const csv = await (await t2.app.request('/projets.csv')).text();
    const [header, row] = csv
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(row![header!.indexOf('sources_identifiantes')]).toBe('true;false');
    // An import that leaves the column empty keeps what the register knows.
    importRows(t2, [
      projectRow({
        id: 'mixte',
        titre_clair: 'Autre titre',
        sources_ids: 'entrepot;snds',
        sources_noms: 'Entrepôt fictif;Base principale du SNDS',
        sources_identifiantes: '',
      }),
    ]);
    expect(await (await t2.app.request('/sources/entrepot')).text()).toContain('Le détenteur garde l’identité des personnes');
    // A count that does not match the sources is refused by line and column.
    expect(() =>
      importRows(t2, [
        projectRow({ id: 'mixte', sources_ids: 'entrepot;snds', sources_noms: 'Entrepôt fictif;Base principale du SNDS', sources_identifiantes: 'true' }),
      ]),
    ).toThrow(/"column":"sources_identifiantes","code":"list_mismatch"/);
    const schema = (await (await t2.app.request('/projets/schema.json')).json()) as { fields: { name: string }[] };
    expect(schema.fields.map((f) => f.name)).toContain('sources_identifiantes');
    t2.close();
  });

  it('answer 404 for an unknown one', async () => {
    expect((await page('/organisations/nobody')).status).toBe(404);
    expect((await page('/sources/nothing')).status).toBe(404);
  });
});

describe('render cache', () => {
  it('serves a fresh page as soon as the register changes, and a fresh nonce on every response', async () => {
    const t3 = makeTestApp();
    importRows(t3, [projectRow({ id: 'premier' })]);
    const a = await t3.app.request('/projets');
    const htmlA = await a.text();
    expect(htmlA).toContain('1 projet trouvé');
    const b = await t3.app.request('/projets');
    const nonceB = /'nonce-([^']+)'/.exec(b.headers.get('content-security-policy')!)![1]!;
    const htmlB = await b.text();
    expect(htmlB).toContain(`nonce="${nonceB}"`);
    expect(htmlB).not.toContain(/'nonce-([^']+)'/.exec(a.headers.get('content-security-policy')!)![1]!);
    importRows(t3, [projectRow({ id: 'second', titre_clair: 'Le second projet' })]);
    expect(await (await t3.app.request('/projets')).text()).toContain('2 projets trouvés');
    expect(await (await t3.app.request('/organisations/organisme-test')).text()).toContain('2 projets trouvés');
    importRows(t3, [projectRow({ id: 'premier', titre_clair: 'Titre changé' })]);
    expect(await (await t3.app.request('/projets/premier')).text()).toContain('Titre changé');
    t3.close();
  });
});
