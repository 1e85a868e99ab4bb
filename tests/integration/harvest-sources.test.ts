/**
 * Managing the remote sources in the back office (issue 14, harvest source management): an administrator
 * edits a source's address and schedule (bad input: the form again with its errors, nothing changed),
 * turns it off (the worker and "run now" no longer fetch it: the remote server counts its requests) and on
 * again (read at once), each change in the audit log. An editor sees none of it.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrganisation } from '../../server/db/register';
import { auditLog, harvestSources } from '../../server/db/schema';
import { nextRunAfterEdit } from '../../server/domain/harvest';
import { createHarvestDeps, runDueHarvests, runHarvest } from '../../server/services/harvest';
import { rowsToCsv } from '../../server/services/register';
import { makeTestApp, type TestApp } from '../helpers/app';
import { startRemote, type Remote } from '../helpers/harvest-remote';
import { projectRow } from '../helpers/register';
import { signedIn, staffUser } from '../helpers/staff';

const ORG = 'entrepot-gere';
const PAGE = '/espace-pro/admin/moissonnage';

let t: TestApp;
let remote: Remote;
let clock = new Date('2026-11-22T10:00:00Z');
let admin: ReturnType<typeof signedIn>;
let sourceId = '';

const db = () => t.deps.database.db;
const source = () => db().select().from(harvestSources).where(eq(harvestSources.id, sourceId)).get()!;
const audits = (action: string) =>
  db()
    .select()
    .from(auditLog)
    .all()
    .filter((a) => a.action === action);
const harvestDeps = () => createHarvestDeps({ db: db(), now: () => clock, i18n: t.deps.i18n, config: t.deps.config });
const advance = (minutes: number) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
  admin = signedIn(t, staffUser(t, 'admin', null, clock), clock);
};

beforeAll(async () => {
  remote = await startRemote();
  remote.file = { body: rowsToCsv([projectRow({ id: 'p-gere', responsable_id: ORG, responsable_nom: 'CHU géré' })]) };
  t = makeTestApp({ WEBHOOK_ALLOW: remote.origin, LOG_LEVEL: 'warn' }, { now: () => clock });
  upsertOrganisation(db(), { id: ORG, name: 'CHU géré' }, clock.toISOString());
  admin = signedIn(t, staffUser(t, 'admin', null, clock), clock);
  await admin.get(PAGE);
  const res = await admin.post(PAGE, { organisationId: ORG, url: `${remote.origin}/projets.csv`, format: 'csv', schedule: 'weekly' });
  expect(res.status).toBe(303);
  sourceId = db().select().from(harvestSources).get()!.id;
  expect(await runHarvest(harvestDeps(), sourceId, 'admin')).toMatchObject({ outcome: 'applied' });
});
afterAll(async () => {
  t?.close();
  await remote?.stop();
});

describe('when a source is read after an edit (domain rule)', () => {
  const before = { url: 'https://a.example/x.csv', schedule: 'weekly' as const, nextRunAt: '2026-11-29T10:00:00.000Z' };
  const now = new Date('2026-11-22T10:00:00Z');
  it.each([
    ['a new address: at once', { url: 'https://b.example/x.csv', schedule: 'weekly' as const }, '2026-11-22T10:00:00.000Z'],
    ['weekly to hourly: within the hour', { url: before.url, schedule: 'hourly' as const }, '2026-11-22T11:00:00.000Z'],
    ['weekly to daily: within the day', { url: before.url, schedule: 'daily' as const }, '2026-11-23T10:00:00.000Z'],
    ['nothing sooner: as planned', { url: before.url, schedule: 'weekly' as const }, before.nextRunAt],
  ])('%s', (_, after, expected) => {
    expect(nextRunAfterEdit(before, after, now)).toBe(expected);
  });
});

describe('editing a source', () => {
  it('shows the edit form, filled, linked from the sources page', async () => {
    const list = await admin.get(PAGE);
    expect(list.html).toContain(`href="${PAGE}/${sourceId}"`);
    expect(list.html).toContain('Active : lue selon sa fréquence');
    const page = await admin.get(`${PAGE}/${sourceId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h1>Modifier la source du CHU géré</h1>');
    expect(page.html).toContain(`value="${remote.origin}/projets.csv"`);
    expect(page.html).toMatch(/value="weekly" checked/);
    expect((await admin.get(`${PAGE}/no-such-source`)).status).toBe(404);
  });

  it('refuses bad input with the form again and its errors, and changes nothing', async () => {
    const before = source();
    const auditCount = db().select().from(auditLog).all().length;
    const cases: [Record<string, string>, string][] = [
      [{ url: '', format: 'csv', schedule: 'daily' }, 'Saisissez l’adresse (URL) du fichier.'],
      [{ url: 'pas une adresse', format: 'csv', schedule: 'daily' }, 'Saisissez une adresse complète'],
      [{ url: 'https://ailleurs.example.org/projets.csv', format: 'csv', schedule: 'daily' }, 'Cette adresse n’est pas autorisée.'],
      [{ url: `${remote.origin}/projets.csv`, format: 'csv', schedule: 'parfois' }, 'Choisissez la fréquence de lecture.'],
      [{ url: `${remote.origin}/projets.csv`, format: 'xml', schedule: 'daily' }, 'Choisissez le format du fichier.'],
    ];
    for (const [fields, message] of cases) {
      await admin.get(`${PAGE}/${sourceId}`);
      const res = await admin.post(`${PAGE}/${sourceId}`, fields);
      expect(res.status, JSON.stringify(fields)).toBe(422);
      expect(res.html).toContain(message);
      expect(res.html).toMatch(/<title>Erreur : /);
    }
    await admin.get(`${PAGE}/${sourceId}?lang=en`);
    const en = await admin.post(`${PAGE}/${sourceId}`, { url: 'nope', format: 'csv', schedule: 'daily' });
    expect(en.status).toBe(422);
    expect(en.html).toContain('<title>Error: ');
    expect(en.html).toContain('Enter a full address');
    await admin.get(`${PAGE}/${sourceId}?lang=fr`);
    expect(source()).toEqual(before);
    expect(db().select().from(auditLog).all().length).toBe(auditCount);
  });

  it('saves a new schedule and address, audited by field names, the new file read at once', async () => {
    await admin.get(`${PAGE}/${sourceId}`);
    const same = await admin.post(`${PAGE}/${sourceId}`, { url: `${remote.origin}/projets.csv`, format: 'csv', schedule: 'weekly' });
    expect(same.location).toBe(`${PAGE}?fait=unchanged#source-${sourceId}`);
    expect(audits('harvest.source_update')).toHaveLength(0);

    expect(source().etag).not.toBeNull();
    await admin.get(`${PAGE}/${sourceId}`);
    const res = await admin.post(`${PAGE}/${sourceId}`, { url: `${remote.origin}/nouveau.csv`, format: 'csv', schedule: 'hourly' });
    expect(res.status).toBe(303);
    expect((await admin.follow(res)).html).toContain('Source modifiée.');
    expect(source()).toMatchObject({ url: `${remote.origin}/nouveau.csv`, schedule: 'hourly', etag: null, lastModified: null, nextRunAt: clock.toISOString() });
    const [entry] = audits('harvest.source_update');
    expect(entry).toMatchObject({ targetType: 'harvest_source', targetId: sourceId });
    expect(JSON.parse(entry!.detail!)).toEqual({ organisation: ORG, fields: 'url,schedule' });

    // The new file is fetched without the old file's validators.
    const hits = remote.hits.length;
    expect(await runDueHarvests(harvestDeps())).toMatchObject({ applied: 1 });
    expect(remote.hits.length).toBe(hits + 1);
    expect(remote.hits.at(-1)!['if-none-match']).toBeUndefined();
  });
});

describe('turning a source off and on again', () => {
  it('a disabled source is not fetched, by the worker or by “run now”', async () => {
    await admin.get(PAGE);
    const res = await admin.post(`${PAGE}/${sourceId}/desactiver`, {});
    expect(res.status).toBe(303);
    const page = await admin.follow(res);
    expect(page.html).toContain('Source désactivée : elle n’est plus lue.');
    expect(page.html).toContain('Désactivée depuis le');
    expect(page.html).toContain(`action="${PAGE}/${sourceId}/reactiver"`);
    expect(page.html).not.toContain(`action="${PAGE}/${sourceId}/lecture"`);
    expect(source().disabledAt).toBe(clock.toISOString());
    expect(audits('harvest.source_disable')).toEqual([expect.objectContaining({ targetId: sourceId })]);

    const hits = remote.hits.length;
    advance(60 * 24 * 8);
    expect(await runDueHarvests(harvestDeps())).toEqual({ applied: 0, notModified: 0, failed: 0 });
    expect(await runHarvest(harvestDeps(), sourceId, 'admin')).toBe('disabled');
    await admin.get(PAGE);
    const now = await admin.post(`${PAGE}/${sourceId}/lecture`, {});
    expect(now.status).toBe(422);
    expect(now.html).toContain('Cette source est désactivée : réactivez-la avant de la lire.');
    expect(remote.hits.length).toBe(hits);

    // Turning off what is off changes nothing and is not audited again.
    await admin.get(PAGE);
    expect((await admin.post(`${PAGE}/${sourceId}/desactiver`, {})).location).toBe(`${PAGE}?fait=unchanged#source-${sourceId}`);
    expect(audits('harvest.source_disable')).toHaveLength(1);
  });

  it('turned on again, it is read at once, audited', async () => {
    await admin.get(PAGE);
    const res = await admin.post(`${PAGE}/${sourceId}/reactiver`, {});
    expect((await admin.follow(res)).html).toContain('Source réactivée');
    expect(source()).toMatchObject({ disabledAt: null, nextRunAt: clock.toISOString() });
    expect(audits('harvest.source_enable')).toEqual([expect.objectContaining({ targetId: sourceId })]);
    const hits = remote.hits.length;
    expect(await runDueHarvests(harvestDeps())).toMatchObject({ notModified: 1 });
    expect(remote.hits.length).toBe(hits + 1);
  });

  it('none of it for an editor, nor for an unknown source', async () => {
    const editor = signedIn(t, staffUser(t, 'editor', null, clock), clock);
    await editor.get('/espace-pro');
    for (const path of [`${PAGE}/${sourceId}`, `${PAGE}/${sourceId}/desactiver`, `${PAGE}/${sourceId}/reactiver`])
      expect((await editor.post(path, { url: 'x', format: 'csv', schedule: 'daily' })).status).toBe(404);
    expect((await editor.get(`${PAGE}/${sourceId}`)).status).toBe(404);
    expect(source().disabledAt).toBeNull();
    await admin.get(PAGE);
    expect((await admin.post(`${PAGE}/no-such-source/desactiver`, {})).status).toBe(404);
    expect((await admin.post(`${PAGE}/no-such-source`, { url: `${remote.origin}/a.csv`, format: 'csv', schedule: 'daily' })).status).toBe(404);
  });
});
