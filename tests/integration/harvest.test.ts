/**
 * Harvesting the registers other controllers publish (issue 14, done-when 3), end to end over HTTP: a
 * local server on 127.0.0.1 (allowed by WEBHOOK_ALLOW) serves the file an admin registered in the back
 * office. A good file (projects appear with their origin and history), the same file again (304: nothing
 * changes but the last read time), a file with one bad row (nothing changes; the admin page shows line and
 * column), a file where a project disappeared (marked, not deleted), rows for another organisation's
 * project (refused). Also: the worker's schedule, the JSON format, HTTP errors, the size limit and the
 * timeout, and bad input to the admin form (never a 500).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { upsertOrganisation, projectRows, projectHistory } from '../../server/db/register';
import { harvestedProjects, harvestRuns, harvestSources, auditLog } from '../../server/db/schema';
import type { ProjectRow } from '../../server/domain/register-schema';
import { createHarvestDeps, runDueHarvests, runHarvest } from '../../server/services/harvest';
import { rowsToCsv } from '../../server/services/register';
import { rowToJson } from '../../server/services/register-feeds';
import { makeTestApp, type TestApp } from '../helpers/app';
import { startRemote, type Remote } from '../helpers/harvest-remote';
import { importRows, projectRow } from '../helpers/register';
import { signedIn, staffUser } from '../helpers/staff';
import { waitFor } from '../helpers/wait';
import { startHarvest } from '../../server/worker/harvest';

const ORG = 'entrepot-chu-test';
const ORG_NAME = 'CHU de Test';
const OTHER = 'autre-organisme';
const PAGE = '/espace-pro/admin/moissonnage';

let t: TestApp;
let remote: Remote;
let clock = new Date('2026-11-22T10:00:00Z');
let admin: ReturnType<typeof signedIn>;
let sourceId = '';

const db = () => t.deps.database.db;
const row = (id: string, overrides: Partial<ProjectRow> = {}) =>
  projectRow({ id, responsable_id: ORG, responsable_nom: ORG_NAME, titre_clair: `Projet ${id}`, ...overrides });
const csv = (rows: ProjectRow[]) => rowsToCsv(rows);
const changeCount = () => ['p-un', 'p-deux', 'projet-autre'].map((id) => projectHistory(db(), id).length);
const project = (id: string) => projectRows(db(), [id])[0];
/** Moves the clock on; the administrator signs in again (a session lasts 12 hours). */
const advance = (minutes: number) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
  admin = signedIn(t, staffUser(t, 'admin', null, clock), clock);
};

async function runNow(): Promise<string> {
  await admin.get(PAGE);
  const res = await admin.post(`${PAGE}/${sourceId}/lecture`, {});
  expect(res.status).toBe(303);
  return new URL(res.location!, 'http://x').searchParams.get('fait')!;
}

beforeAll(async () => {
  remote = await startRemote();
  t = makeTestApp({ WEBHOOK_ALLOW: remote.origin, LOG_LEVEL: 'warn' }, { now: () => clock });
  const at = clock.toISOString();
  upsertOrganisation(db(), { id: ORG, name: ORG_NAME }, at);
  upsertOrganisation(db(), { id: OTHER, name: 'Autre organisme de recherche' }, at);
  importRows(t, [projectRow({ id: 'projet-autre', responsable_id: OTHER, responsable_nom: 'Autre organisme de recherche', titre_clair: 'Projet de l’autre' })]);
  admin = signedIn(t, staffUser(t, 'admin', null, clock), clock);
});
afterAll(async () => {
  t?.close();
  await remote?.stop();
});

describe('registering a source in the back office', () => {
  it('answers bad input with the form again and its errors, never a 500', async () => {
    expect((await admin.get('/espace-pro/admin')).html).toContain(`href="${PAGE}"`);
    const page = await admin.get(PAGE);
    expect(page.status).toBe(200);
    const cases: [Record<string, string>, string][] = [
      [{}, 'Choisissez l’organisation qui publie ce registre.'],
      [{ organisationId: 'nobody', url: `${remote.origin}/a.csv`, format: 'csv', schedule: 'daily' }, 'Cette organisation n’existe pas.'],
      [{ organisationId: ORG, url: 'pas une adresse', format: 'csv', schedule: 'daily' }, 'Saisissez une adresse complète'],
      [{ organisationId: ORG, url: 'https://ailleurs.example.org/projets.csv', format: 'csv', schedule: 'daily' }, 'Cette adresse n’est pas autorisée.'],
      [{ organisationId: ORG, url: 'file:///etc/passwd', format: 'csv', schedule: 'daily' }, 'Cette adresse n’est pas autorisée.'],
      [{ organisationId: ORG, url: `${remote.origin}/${'a'.repeat(2100)}`, format: 'csv', schedule: 'daily' }, '2 000 caractères au plus'],
      [{ organisationId: ORG, url: `${remote.origin}/a.csv`, format: 'xml', schedule: 'daily' }, 'Choisissez le format du fichier.'],
      [{ organisationId: ORG, url: `${remote.origin}/a.csv`, format: 'csv', schedule: 'sometimes' }, 'Choisissez la fréquence de lecture.'],
    ];
    for (const [fields, message] of cases) {
      const res = await admin.post(PAGE, fields);
      expect(res.status, JSON.stringify(fields)).toBe(422);
      expect(res.html).toContain(message);
    }
    expect(db().select().from(harvestSources).all()).toEqual([]);
    // Someone not an administrator does not see the page at all.
    const editor = signedIn(t, staffUser(t, 'editor', null, clock), clock);
    expect((await editor.get(PAGE)).status).toBe(404);
    expect((await admin.post(`${PAGE}/no-such-source/lecture`, {})).status).toBe(404);
  });

  it('adds a source whose URL the allow-list accepts, with an audit entry', async () => {
    await admin.get(PAGE);
    const res = await admin.post(PAGE, { organisationId: ORG, url: `${remote.origin}/projets.csv`, format: 'csv', schedule: 'daily' });
    expect(res.status).toBe(303);
    const [source] = db().select().from(harvestSources).all();
    sourceId = source!.id;
    expect(source).toMatchObject({ organisationId: ORG, format: 'csv', schedule: 'daily', lastReadAt: null });
    expect(
      db()
        .select()
        .from(auditLog)
        .all()
        .map((a) => a.action),
    ).toContain('harvest.source_create');
    const page = await admin.follow(res);
    expect(page.html).toContain('Source ajoutée');
    expect(page.html).toContain(`${remote.origin}/projets.csv`);
  });
});

describe('harvesting', () => {
  it('a good file: the projects appear with their origin and their history', async () => {
    remote.file = { body: csv([row('p-un'), row('p-deux', { partenaires_ids: OTHER, partenaires_noms: 'Nom réécrit par la source' })]) };
    expect(await runNow()).toBe('applied');
    expect(project('p-un')).toMatchObject({ titre_clair: 'Projet p-un', responsable_id: ORG });
    expect(project('p-deux')).toBeDefined();
    // Another organisation named as partner keeps its registered name: a source cannot rename it.
    expect(project('p-deux')!.partenaires_noms).toBe('Autre organisme de recherche');
    const history = projectHistory(db(), 'p-un');
    expect(history).toEqual([expect.objectContaining({ field: 'creation', origin: `harvest:${sourceId}` })]);
    const page = await t.app.request('/projets/p-un');
    const html = await page.text();
    expect(html).toContain('Publié par le CHU de Test, lu pour la dernière fois le 22 novembre 2026.');
    expect(html).toContain(`href="${remote.origin}/projets.csv"`);
    const en = await (await t.app.request('/projets/p-un', { headers: { 'accept-language': 'en' } })).text();
    expect(en).toContain('Published by CHU de Test, last read on 22 November 2026.');
    expect((await (await t.app.request('/projets.csv')).text()).split('\r\n').some((l) => l.startsWith('p-un,'))).toBe(true);
  });

  it('the same file again: a 304, nothing changes but the last read time', async () => {
    const before = { history: changeCount(), rows: projectRows(db()) };
    advance(60 * 24 + 5);
    expect(await runNow()).toBe('not_modified');
    expect(remote.hits.at(-1)!['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
    expect(changeCount()).toEqual(before.history);
    expect(projectRows(db())).toEqual(before.rows);
    const source = db().select().from(harvestSources).where(eq(harvestSources.id, sourceId)).get()!;
    expect(source.lastReadAt).toBe(clock.toISOString());
    expect(await (await t.app.request('/projets/p-un')).text()).toContain('lu pour la dernière fois le 23 novembre 2026');
    expect((await admin.get(PAGE)).html).toContain('fichier inchangé (304)');
  });

  it('a file with one bad row: nothing changes, and the admin page shows its line and column', async () => {
    const before = { history: changeCount(), rows: projectRows(db()) };
    advance(10);
    remote.file = { body: csv([row('p-un', { titre_clair: 'Titre changé' }), row('p-deux', { statut: 'peut-etre' })]) };
    expect(await runNow()).toBe('failed');
    expect(projectRows(db())).toEqual(before.rows);
    expect(changeCount()).toEqual(before.history);
    const page = await admin.get(PAGE);
    expect(page.html).toContain('des lignes ne respectent pas le schéma du registre');
    expect(page.html).toMatch(/<tr><td>3<\/td><td><code>statut \(Étape\)<\/code><\/td><td>« peut-etre » n’est pas une valeur possible/);
    // The project page still says when the source was last read well, not when it failed.
    expect(await (await t.app.request('/projets/p-un')).text()).toContain('lu pour la dernière fois le 23 novembre 2026');
    const en = await admin.get(PAGE, { 'accept-language': 'en' });
    expect(en.html).toContain('“peut-etre” is not an allowed value');
  });

  it('a file where a project disappeared: it is marked, not deleted, and the change is in its history', async () => {
    advance(10);
    remote.file = { body: csv([row('p-un', { titre_clair: 'Titre changé' })]) };
    expect(await runNow()).toBe('applied');
    expect(project('p-deux')).toBeDefined();
    const mark = db().select().from(harvestedProjects).where(eq(harvestedProjects.projectId, 'p-deux')).get()!;
    expect(mark.withdrawnSince).toBe('2026-11-23');
    expect(projectHistory(db(), 'p-deux')[0]).toMatchObject({ field: 'retrait_source', oldValue: null, newValue: '2026-11-23', origin: `harvest:${sourceId}` });
    expect(projectHistory(db(), 'p-un')[0]).toMatchObject({ field: 'titre_clair', oldValue: 'Projet p-un', newValue: 'Titre changé' });
    const html = await (await t.app.request('/projets/p-deux')).text();
    expect(html).toContain('Ce projet n’est plus publié par sa source depuis le 23 novembre 2026.');
    expect(html).toContain('Retiré depuis le 23 novembre 2026');
    const en = await (await t.app.request('/projets/p-deux', { headers: { 'accept-language': 'en' } })).text();
    expect(en).toContain('This project has no longer been published by its source since 23 November 2026.');
  });

  it('a project listed again is published again, and its history says so', async () => {
    advance(10);
    remote.file = { body: csv([row('p-un', { titre_clair: 'Titre changé' }), row('p-deux', { partenaires_ids: OTHER, partenaires_noms: 'x' })]) };
    expect(await runNow()).toBe('applied');
    expect(db().select().from(harvestedProjects).where(eq(harvestedProjects.projectId, 'p-deux')).get()!.withdrawnSince).toBeNull();
    expect(projectHistory(db(), 'p-deux')[0]).toMatchObject({ field: 'retrait_source', oldValue: '2026-11-23', newValue: null });
    expect(await (await t.app.request('/projets/p-deux')).text()).not.toContain('n’est plus publié par sa source');
  });

  it('rows for another organisation’s project are refused, never overwritten', async () => {
    const before = { history: changeCount(), rows: projectRows(db()) };
    advance(10);
    remote.file = {
      body: csv([
        row('p-un', { titre_clair: 'Encore un titre' }),
        row('projet-autre', { titre_clair: 'Pris par la source' }),
        row('p-trois', { responsable_id: OTHER, responsable_nom: 'Autre organisme de recherche' }),
      ]),
    };
    expect(await runNow()).toBe('failed');
    expect(projectRows(db())).toEqual(before.rows);
    expect(changeCount()).toEqual(before.history);
    expect(project('projet-autre')).toMatchObject({ responsable_id: OTHER, titre_clair: 'Projet de l’autre' });
    const page = await admin.get(PAGE);
    expect(page.html).toMatch(/<tr><td>3<\/td><td><code>id \([^)]*\)<\/code><\/td><td>Le projet « projet-autre » appartient à une autre organisation/);
    expect(page.html).toMatch(/<tr><td>4<\/td><td><code>responsable_id \([^)]*\)<\/code><\/td><td>Le responsable « autre-organisme » n’est pas l’organisation/);
  });

  it('an HTTP error or an unreadable file changes nothing and says why', async () => {
    const before = { history: changeCount(), rows: projectRows(db()) };
    remote.file = { body: '', status: 503 };
    expect(await runNow()).toBe('failed');
    expect((await admin.get(PAGE)).html).toContain('le serveur de la source a répondu HTTP 503');
    remote.file = { body: 'id,titre\n"not closed' };
    expect(await runNow()).toBe('failed');
    expect((await admin.get(PAGE)).html).toContain('le fichier n’est pas lisible dans le format choisi');
    expect(projectRows(db())).toEqual(before.rows);
    expect(changeCount()).toEqual(before.history);
  });
});

describe('the worker, the JSON format and the limits', () => {
  const deps = () => createHarvestDeps({ db: db(), now: () => clock, i18n: t.deps.i18n, config: t.deps.config });

  it('reads a source only when its schedule says so', async () => {
    remote.file = { body: csv([row('p-un', { titre_clair: 'Titre changé' }), row('p-deux', { partenaires_ids: OTHER, partenaires_noms: 'x' })]) };
    const hits = remote.hits.length;
    expect(await runDueHarvests(deps())).toEqual({ applied: 0, notModified: 0, failed: 0 });
    expect(remote.hits.length).toBe(hits);
    advance(60 * 24 + 1);
    expect(await runDueHarvests(deps())).toEqual({ applied: 0, notModified: 1, failed: 0 });
    expect(await runDueHarvests(deps())).toEqual({ applied: 0, notModified: 0, failed: 0 });
  });

  it('the worker loop reads what is due as soon as it starts', async () => {
    advance(60 * 24 + 1);
    const runs = db().select().from(harvestRuns).all().length;
    const stop = startHarvest({ ...deps(), logger: t.deps.logger }, 60_000);
    try {
      await waitFor(() => db().select().from(harvestRuns).all().length > runs, { what: 'a scheduled run' });
    } finally {
      stop();
    }
    expect(db().select().from(harvestRuns).all().at(-1)).toMatchObject({ sourceId, trigger: 'schedule', outcome: 'not_modified' });
  });

  it('reads the register’s JSON, numbering errors by project', async () => {
    await admin.get(PAGE);
    const res = await admin.post(PAGE, { organisationId: ORG, url: `${remote.origin}/projets.json`, format: 'json', schedule: 'hourly' });
    expect(res.status).toBe(303);
    const json = db()
      .select()
      .from(harvestSources)
      .all()
      .find((s) => s.format === 'json')!;
    remote.file = {
      body: JSON.stringify({
        projects: [
          { url: 'x', ...rowToJson(row('p-json')) },
          { ...rowToJson(row('p-json-2')), finalite: 'autre' },
        ],
      }),
    };
    expect(await runHarvest(deps(), json.id, 'admin')).toMatchObject({ outcome: 'failed', failure: 'invalid_rows' });
    expect(project('p-json')).toBeUndefined();
    expect((await admin.get(PAGE)).html).toMatch(/<th scope="col">Projet n°<\/th>[\s\S]*<tr><td>2<\/td><td><code>finalite/);
    remote.file = { body: JSON.stringify({ projects: [{ url: 'x', ...rowToJson(row('p-json')) }] }) };
    expect(await runHarvest(deps(), json.id, 'admin')).toMatchObject({ outcome: 'applied' });
    expect(project('p-json')).toMatchObject({ responsable_id: ORG, sources_ids: 'snds' });
  });

  it('gives up on a file too large or a server too slow, changing nothing', async () => {
    const before = projectRows(db());
    remote.file = { body: csv([row('p-un', { titre_clair: 'Trop gros' })]) };
    expect(await runHarvest({ ...deps(), maxBytes: 100 }, sourceId, 'admin')).toMatchObject({ outcome: 'failed', failure: 'too_large' });
    remote.file = { body: csv([row('p-un', { titre_clair: 'Trop lent' })]), delayMs: 2_000 };
    expect(await runHarvest({ ...deps(), timeoutMs: 200 }, sourceId, 'admin')).toMatchObject({ outcome: 'failed', failure: 'timeout' });
    expect(projectRows(db())).toEqual(before);
  });

  it('refuses a URL the allow-list no longer accepts, without connecting', async () => {
    const hits = remote.hits.length;
    expect(await runHarvest({ ...deps(), allow: () => false }, sourceId, 'admin')).toMatchObject({ outcome: 'failed', failure: 'not_allowed' });
    expect(remote.hits.length).toBe(hits);
  });
});
