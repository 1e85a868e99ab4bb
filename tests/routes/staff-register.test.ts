/**
 * Editing the register in the back office, through HTTP against the composed app: who may, what the
 * forms refuse and say, what a preview writes (nothing), and what the public sees after a save (the
 * change, at once, and in the project's public history).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { encryptUserEmail } from '../../server/services/staff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { makeTestApp, cookiesFrom, type TestApp } from '../helpers/app';
import { importRows, projectRow } from '../helpers/register';
import { auditLog, projectChanges, projects } from '../../server/db/schema';
import { insertSession, insertUser, type Role } from '../../server/db/staff';
import { projectHistory, upsertDataSource, upsertOrganisation } from '../../server/db/register';
import { isValidSiren } from '../../server/domain/siren';

const NOW = new Date('2026-11-22T10:00:00Z');
let t: TestApp;

/** A member of staff with a live session, made directly in the database; returns the cookie header. */
function staffSession(role: Role, organisationId: string | null = null): { cookie: string; userId: string } {
  const db = t.deps.database.db;
  const userId = randomUUID();
  const email = `${userId}@example.org`;
  insertUser(db, {
    id: userId,
    handle: randomBytes(16).toString('base64url'),
    emailEnc: encryptUserEmail(t.deps, userId, email),
    emailIndex: t.deps.index.email(email),
    role,
    organisationId,
    createdAt: NOW.toISOString(),
  });
  const id = randomBytes(32).toString('base64url');
  const nowIso = NOW.toISOString();
  insertSession(db, {
    idHash: createHash('sha256').update(id).digest('hex'),
    userId,
    createdAt: nowIso,
    lastSeenAt: nowIso,
    expiresAt: new Date(NOW.getTime() + 3_600_000).toISOString(),
  });
  return { cookie: `session=${id}`, userId };
}

let editor: { cookie: string; userId: string };
let csrf: { cookie: string; token: string };

/** The CSRF cookie and token a staff form carries, read from a form page as a browser would. */
async function csrfFor(session: string) {
  const res = await t.app.request('/espace-pro/registre/projets/nouveau', { headers: { cookie: session } });
  const token = /name="_csrf" value="([^"]+)"/.exec(await res.text())?.[1];
  if (!token) throw new Error('no CSRF token on the project form');
  return { cookie: cookiesFrom(res), token };
}

async function get(url: string, session = editor.cookie) {
  const res = await t.app.request(url, { headers: { cookie: `${session}; ${csrf.cookie}` } });
  return { status: res.status, html: await res.text(), res };
}

async function post(url: string, fields: Record<string, string | string[]>, opts: { session?: string; headers?: Record<string, string> } = {}) {
  const form = new URLSearchParams();
  form.append('_csrf', csrf.token);
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  const res = await t.app.request(url, {
    method: 'POST',
    headers: { cookie: `${opts.session ?? editor.cookie}; ${csrf.cookie}`, 'content-type': 'application/x-www-form-urlencoded', ...opts.headers },
    body: form.toString(),
  });
  return { status: res.status, html: await res.text(), location: res.headers.get('location'), res };
}

/** A complete, valid project form, as an editor would fill it in. */
function projectForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    id: 'suivi-diabete',
    numero_hdh: 'HDH-2026-0042',
    titre_officiel: 'DIABÈTE-SUIVI – Étude des parcours de soins des personnes diabétiques',
    titre_clair: 'Les parcours de soins des personnes diabétiques',
    cree_le: '2026-11-22',
    statut: 'depose',
    finalite: 'recherche',
    resume: 'Le projet étudie comment les personnes diabétiques sont suivies par leur médecin.',
    usage_commercial: 'false',
    entrainement_ia: 'false',
    responsable_id: 'inserm',
    partenaires_ids: ['f-crin'],
    financeurs: 'Agence nationale de la recherche\nFondation de test',
    sources_ids: ['snds', 'edsaphp'],
    date_depot: '2026-10-01',
    opposition_applicable: 'true',
    action: 'enregistrer',
    ...overrides,
  };
}

const changeCount = () => t.deps.database.db.select({ n: count() }).from(projectChanges).get()!.n;
const projectCount = () => t.deps.database.db.select({ n: count() }).from(projects).get()!.n;
const auditActions = () => t.deps.database.db.select().from(auditLog).all();
const errorLinks = (html: string) => [...html.matchAll(/<li><a href="(#f-[A-Za-z_]+)">/g)].map((m) => m[1]);

beforeAll(async () => {
  t = makeTestApp({}, { now: () => NOW });
  const db = t.deps.database.db;
  const stamp = NOW.toISOString();
  upsertOrganisation(
    db,
    { id: 'inserm', name: 'Institut national de la santé et de la recherche médicale (INSERM)', siren: '180036048', kind: 'universite_recherche' },
    stamp,
  );
  upsertOrganisation(db, { id: 'f-crin', name: 'F-CRIN', kind: 'reseau' }, stamp);
  upsertOrganisation(db, { id: 'ap-hp', name: 'AP-HP' }, stamp);
  upsertDataSource(db, { id: 'snds', name: 'Base principale du SNDS', kind: 'snds', partOfSnds: true });
  upsertDataSource(db, { id: 'edsaphp', name: 'Entrepôt de données de santé de l’AP-HP', kind: 'entrepot' });
  importRows(t, [
    projectRow({
      id: 'bacteriemies',
      titre_clair: 'Antibiotiques et bactéries résistantes',
      responsable_id: 'ap-hp',
      responsable_nom: 'AP-HP',
      sources_ids: 'edsaphp;snds',
      sources_noms: 'Entrepôt de données de santé de l’AP-HP;Base principale du SNDS',
    }),
    projectRow({
      id: 'ns-park',
      titre_clair: 'Parkinson : prédire l’évolution',
      responsable_id: 'inserm',
      responsable_nom: 'Institut national de la santé et de la recherche médicale (INSERM)',
      responsable_siren: '180036048',
      sources_ids: 'snds',
      sources_noms: 'Base principale du SNDS',
    }),
  ]);
  editor = staffSession('editor');
  csrf = await csrfFor(editor.cookie);
});
afterAll(() => t.close());

describe('who may edit the register', () => {
  it('sends a visitor who is not signed in to the sign-in page', async () => {
    const res = await t.app.request('/espace-pro/registre');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/espace-pro/connexion?retour=%2Fespace-pro%2Fregistre');
  });

  it('answers 404 to a DPO on every register page and form, and logs each attempt', async () => {
    const dpo = staffSession('dpo', 'ap-hp');
    const before = auditActions().length;
    for (const url of [
      '/espace-pro/registre',
      '/espace-pro/registre/projets/nouveau',
      '/espace-pro/registre/projets/ns-park',
      '/espace-pro/registre/organisations/ap-hp',
      '/espace-pro/registre/sources/snds',
    ]) {
      expect((await get(url, dpo.cookie)).status, url).toBe(404);
    }
    const attempt = await post('/espace-pro/registre/projets/ns-park', projectForm({ id: 'ns-park', titre_clair: 'Piraté' }), { session: dpo.cookie });
    expect(attempt.status).toBe(404);
    const refused = auditActions().slice(before);
    expect(refused).toHaveLength(6);
    expect(refused.every((e) => e.action === 'access.refused' && e.actor === `user:${dpo.userId}`)).toBe(true);
    expect(refused.map((e) => e.targetId)).toContain('/espace-pro/registre/projets/ns-park');
    expect((await get('/projets/ns-park')).html).not.toContain('Piraté');
  });

  it('lets an admin in as well', async () => {
    const admin = staffSession('admin');
    expect((await get('/espace-pro/registre', admin.cookie)).status).toBe(200);
  });

  it('refuses a post without the CSRF token', async () => {
    const res = await t.app.request('/espace-pro/registre/projets/nouveau', {
      method: 'POST',
      headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(projectForm() as Record<string, string>).toString(),
    });
    expect(res.status).toBe(403);
  });
});

describe('the register home', () => {
  it('lists projects with links to their forms, a new-project link, organisations and sources', async () => {
    const { status, html, res } = await get('/espace-pro/registre');
    expect(status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(html).toContain('href="/espace-pro/registre/projets/nouveau"');
    expect(html).toContain('href="/espace-pro/registre/projets/ns-park"');
    expect(html).toContain('href="/espace-pro/registre/projets/bacteriemies"');
    expect(html).toContain('href="/espace-pro/registre/organisations/inserm"');
    expect(html).toContain('href="/espace-pro/registre/organisations/nouveau"');
    expect(html).toContain('href="/espace-pro/registre/sources/edsaphp"');
    expect(html).toContain('href="/espace-pro/registre/sources/nouveau"');
  });

  it('finds a project by a word of its title or by its id', async () => {
    for (const q of ['parkinson', 'ns-park']) {
      const { html } = await get(`/espace-pro/registre?q=${encodeURIComponent(q)}`);
      expect(html, q).toContain('href="/espace-pro/registre/projets/ns-park"');
      expect(html, q).not.toContain('href="/espace-pro/registre/projets/bacteriemies"');
    }
    expect((await get('/espace-pro/registre?q=introuvable')).html).toContain('Aucun projet ne correspond à « introuvable »');
  });
});

describe('creating and editing a project', () => {
  it('shows an empty form grouped in fieldsets, with labels, hints and required fields marked in words', async () => {
    const { status, html } = await get('/espace-pro/registre/projets/nouveau');
    expect(status).toBe(200);
    expect(html).toContain('<h1>Ajouter un projet</h1>');
    expect(html).toMatch(/<form method="post" action="\/espace-pro\/registre\/projets\/nouveau" id="formulaire"/);
    expect((html.match(/<fieldset class="field-group"/g) ?? []).length).toBe(9);
    expect(html).toContain('<label for="f-titre_clair">Titre en clair (obligatoire)</label>');
    expect(html).toContain('<label for="f-numero_hdh">Numéro de dossier</label>');
    expect(html).toContain('id="f-titre_clair-hint"');
    expect(html).toContain('<legend>Étape (obligatoire)</legend>');
    expect(html).toContain('<label for="f-responsable_id">Responsable de traitement (obligatoire)</label>');
    expect(html).toContain('value="2026-11-22"');
    expect(html).toContain('name="action" value="apercu"');
  });

  it('creates a project: it is on the public register at once, with the creation in its history from the editor', async () => {
    expect((await get('/projets')).html).not.toContain('Les parcours de soins des personnes diabétiques');
    const before = auditActions().length;
    const res = await post('/espace-pro/registre/projets/nouveau', projectForm());
    expect(res.status).toBe(303);
    expect(res.location).toBe('/espace-pro/registre/projets/suivi-diabete?enregistre=created');

    const page = await get('/projets/suivi-diabete');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Les parcours de soins des personnes diabétiques');
    expect(page.html).toContain('Institut national de la santé et de la recherche médicale (INSERM)');
    expect(page.html).toContain('href="/organisations/f-crin"');
    expect(page.html).toContain('href="/sources/edsaphp"');
    expect((await get('/projets')).html).toContain('Les parcours de soins des personnes diabétiques');

    const json = await (await t.app.request('/projets/suivi-diabete.json')).json();
    expect(json.responsable_siren).toBe('180036048');
    expect(json.financeurs).toEqual(['Agence nationale de la recherche', 'Fondation de test']);
    const history = projectHistory(t.deps.database.db, 'suivi-diabete');
    expect(history).toEqual([expect.objectContaining({ field: 'creation', origin: `editor:${editor.userId}` })]);
    expect(auditActions().slice(before)).toEqual([
      expect.objectContaining({ action: 'project.create', actor: `user:${editor.userId}`, targetType: 'project', targetId: 'suivi-diabete' }),
    ]);

    const form = await get(res.location!);
    expect(form.html).toContain('Le projet est ajouté au registre public.');
    expect(form.html).toContain('<a href="/projets/suivi-diabete">Voir la page publique</a>');
    expect(form.html).toContain('<code>suivi-diabete</code>');
    expect(form.html).toMatch(/<input type="checkbox" id="f-partenaires_ids-f-crin" name="partenaires_ids" value="f-crin" checked=""/);
  });

  it('edits a field: the public pages show the new title at once and the history gains the change', async () => {
    const cachedList = await get('/projets');
    expect(cachedList.html).toContain('Parkinson : prédire l’évolution');
    await get('/projets/ns-park');
    const changes = changeCount();

    const res = await post(
      '/espace-pro/registre/projets/ns-park',
      projectForm({
        id: 'ignored',
        titre_clair: 'Parkinson : anticiper l’évolution de la maladie',
        responsable_id: 'inserm',
        partenaires_ids: [],
        sources_ids: ['snds'],
        financeurs: '',
        date_depot: '',
        statut: 'en_instruction',
        numero_hdh: 'HDH-TEST-ns-park',
        titre_officiel: 'Titre officiel de ns-park',
        resume: 'Un projet de test qui étudie les parcours de soins.',
        cree_le: '2024-01-10',
      }),
    );
    expect(res.status).toBe(303);
    expect(res.location).toBe('/espace-pro/registre/projets/ns-park?enregistre=updated');
    expect(changeCount()).toBe(changes + 1);

    const list = await get('/projets');
    expect(list.html).toContain('Parkinson : anticiper l’évolution de la maladie');
    expect(list.html).not.toContain('Parkinson : prédire l’évolution');
    const page = await get('/projets/ns-park');
    expect(page.html).toMatch(
      /<td>Titre en clair<\/td><td lang="fr">Parkinson : prédire l’évolution<\/td><td lang="fr">Parkinson : anticiper l’évolution de la maladie<\/td>/,
    );
    expect(page.html).toContain('<h1 lang="fr">Parkinson : anticiper l’évolution de la maladie</h1>');

    const [latest] = projectHistory(t.deps.database.db, 'ns-park');
    expect(latest).toEqual(
      expect.objectContaining({
        field: 'titre_clair',
        oldValue: 'Parkinson : prédire l’évolution',
        newValue: 'Parkinson : anticiper l’évolution de la maladie',
        origin: `editor:${editor.userId}`,
      }),
    );
    expect(auditActions().at(-1)).toEqual(
      expect.objectContaining({ action: 'project.update', targetId: 'ns-park', detail: JSON.stringify({ fields: 'titre_clair' }) }),
    );
    expect(t.deps.database.db.select().from(projects).where(eq(projects.id, 'ignored')).get()).toBeUndefined();
  });

  it('saving without a change writes nothing and says so', async () => {
    const form = await get('/espace-pro/registre/projets/ns-park');
    const values = Object.fromEntries(
      [...form.html.matchAll(/<input type="text" id="f-([a-z_]+)" name="[a-z_]+" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    expect(values.titre_clair).toBe('Parkinson : anticiper l’évolution de la maladie');
    const changes = changeCount();
    const audits = auditActions().length;
    const res = await post(
      '/espace-pro/registre/projets/ns-park',
      projectForm({
        titre_clair: values.titre_clair!,
        partenaires_ids: [],
        sources_ids: ['snds'],
        financeurs: '',
        date_depot: '',
        statut: 'en_instruction',
        numero_hdh: 'HDH-TEST-ns-park',
        titre_officiel: 'Titre officiel de ns-park',
        resume: 'Un projet de test qui étudie les parcours de soins.',
        cree_le: '2024-01-10',
      }),
    );
    expect(res.location).toBe('/espace-pro/registre/projets/ns-park?enregistre=unchanged');
    expect(changeCount()).toBe(changes);
    expect(auditActions().length).toBe(audits);
  });

  it('keeps the order of the sources when the boxes come back in the order of the form', async () => {
    const form = await get('/espace-pro/registre/projets/bacteriemies');
    const ticked = [...form.html.matchAll(/name="sources_ids" value="([a-z-]+)" checked=""/g)].map((m) => m[1]!);
    expect(ticked).toEqual(['snds', 'edsaphp']);
    const fixture = {
      id: 'bacteriemies',
      numero_hdh: 'HDH-TEST-bacteriemies',
      titre_officiel: 'Titre officiel de bacteriemies',
      titre_clair: 'Antibiotiques et bactéries résistantes',
      statut: 'en_instruction',
      resume: 'Un projet de test qui étudie les parcours de soins.',
      responsable_id: 'ap-hp',
      partenaires_ids: [],
      financeurs: '',
      date_depot: '',
      cree_le: '2024-01-10',
    };
    const res = await post('/espace-pro/registre/projets/bacteriemies', projectForm({ ...fixture, sources_ids: ticked }));
    expect(res.location).toBe('/espace-pro/registre/projets/bacteriemies?enregistre=unchanged');
    const added = await post(
      '/espace-pro/registre/projets/bacteriemies',
      projectForm({ ...fixture, sources_ids: ['snds', 'edsaphp'], partenaires_ids: ['inserm', 'f-crin'] }),
    );
    expect(added.location).toBe('/espace-pro/registre/projets/bacteriemies?enregistre=updated');
    const json = await (await t.app.request('/projets/bacteriemies.json')).json();
    expect(json.sources_ids).toEqual(['edsaphp', 'snds']);
    expect(
      projectHistory(t.deps.database.db, 'bacteriemies')
        .map((h) => h.field)
        .sort(),
    ).toEqual(['creation', 'partenaires_ids', 'partenaires_noms']);
  });

  it('refuses invalid input with 422, the values typed, an error summary linking each field, and writes nothing', async () => {
    const changes = changeCount();
    const total = projectCount();
    const res = await post(
      '/espace-pro/registre/projets/nouveau',
      projectForm({
        id: 'projet-invalide',
        titre_clair: '',
        date_depot: '2026-02-30',
        statut: 'peut-etre',
        methodologie_reference: 'MR4',
        url_decision_cnil: 'pas une adresse',
        duree_autorisee_mois: 'douze',
        responsable_id: '',
        resume: 'mot '.repeat(251),
      }),
    );
    expect(res.status).toBe(422);
    expect(res.html).toContain('<title>Erreur : Ajouter un projet');
    expect(res.html).toContain('class="error-summary"');
    expect(errorLinks(res.html)).toEqual([
      '#f-titre_clair',
      '#f-statut',
      '#f-responsable_id',
      '#f-resume',
      '#f-methodologie_reference',
      '#f-date_depot',
      '#f-url_decision_cnil',
      '#f-duree_autorisee_mois',
    ]);
    expect(res.html).toContain('Renseignez « Titre en clair ».');
    expect(res.html).toContain('« Dépôt du dossier » doit être une date qui existe, au format AAAA-MM-JJ');
    expect(res.html).toContain('Pour « Étape », choisissez une des réponses proposées.');
    expect(res.html).toContain('Choisissez le responsable de traitement.');
    expect(res.html).toContain('« Résumé » compte 251 mots');
    expect(res.html).toContain('La méthodologie de référence s’écrit MR- suivi de 3 chiffres');
    // Each field says its own error, and keeps what was typed.
    expect(res.html).toContain('id="f-date_depot-error"');
    expect(res.html).toMatch(/id="f-date_depot" name="date_depot" value="2026-02-30"/);
    expect(res.html).toMatch(/id="f-id" name="id" value="projet-invalide"/);
    expect(res.html).toContain('aria-invalid="true"');
    expect(changeCount()).toBe(changes);
    expect(projectCount()).toBe(total);
  });

  it('says the errors in the user’s language', async () => {
    const res = await post(
      '/espace-pro/registre/projets/nouveau?lang=en',
      projectForm({ titre_clair: '', date_depot: '14/03/2025', finalite: 'autre', usage_commercial: '' }),
    );
    expect(res.status).toBe(422);
    expect(res.html).toContain('<title>Error: Add a project');
    expect(errorLinks(res.html)).toEqual(['#f-titre_clair', '#f-finalite', '#f-usage_commercial', '#f-date_depot']);
    expect(res.html).toContain('For “Commercial use”, choose an answer.');
    expect(res.html).toContain('Fill in “Plain title”.');
    expect(res.html).toContain('“File submitted” must be a real date in the form YYYY-MM-DD');
    expect(res.html).toContain('For “Purpose”, choose one of the answers offered.');
  });

  it('refuses an id already used, an unknown organisation or source, and the controller as a partner', async () => {
    const taken = await post('/espace-pro/registre/projets/nouveau', projectForm({ id: 'ns-park' }));
    expect(taken.status).toBe(422);
    expect(errorLinks(taken.html)).toEqual(['#f-id']);
    expect(taken.html).toContain('Cet identifiant est déjà utilisé');
    const unknown = await post(
      '/espace-pro/registre/projets/nouveau',
      projectForm({ id: 'autre-projet', responsable_id: 'inconnu', sources_ids: ['inconnue'] }),
    );
    expect(errorLinks(unknown.html)).toEqual(['#f-responsable_id', '#f-sources_ids']);
    const none = await post('/espace-pro/registre/projets/nouveau', projectForm({ id: 'autre-projet', sources_ids: [] }));
    expect(none.html).toContain('Cochez au moins une source de données.');
    const twice = await post('/espace-pro/registre/projets/nouveau', projectForm({ id: 'autre-projet', partenaires_ids: ['inserm'] }));
    expect(errorLinks(twice.html)).toEqual(['#f-partenaires_ids']);
    expect(t.deps.database.db.select().from(projects).where(eq(projects.id, 'autre-projet')).get()).toBeUndefined();
  });

  it('previews the public page from the values typed, and writes nothing', async () => {
    const changes = changeCount();
    const audits = auditActions().length;
    const res = await post(
      '/espace-pro/registre/projets/ns-park',
      projectForm({ action: 'apercu', titre_clair: 'Un titre seulement prévisualisé', sources_ids: ['snds'], partenaires_ids: [] }),
    );
    expect(res.status).toBe(200);
    expect(res.html).toContain('<section id="apercu" class="preview" aria-labelledby="apercu-title"');
    expect(res.html).toContain('<h2 id="apercu-title">Aperçu de la page publique</h2>');
    expect(res.html).toContain('<h3 lang="fr">Un titre seulement prévisualisé</h3>');
    expect(res.html).toContain('<h4 id="history">');
    expect(res.html).toContain('<article class="project">');
    // The form is still there, with what was typed.
    expect(res.html).toMatch(/id="f-titre_clair" name="titre_clair" value="Un titre seulement prévisualisé"/);
    expect(changeCount()).toBe(changes);
    expect(auditActions().length).toBe(audits);
    expect((await get('/projets/ns-park')).html).not.toContain('Un titre seulement prévisualisé');
  });

  it('answers htmx with the preview fragment only, or the errors in its place', async () => {
    const headers = { 'hx-request': 'true', 'hx-target': 'apercu' };
    const ok = await post('/espace-pro/registre/projets/nouveau', projectForm({ id: 'apercu-htmx', action: 'apercu' }), { headers });
    expect(ok.status).toBe(200);
    expect(ok.html.startsWith('<section id="apercu"')).toBe(true);
    expect(ok.html).not.toContain('<html');
    expect(ok.html).toContain('Les parcours de soins des personnes diabétiques');
    const bad = await post('/espace-pro/registre/projets/nouveau', projectForm({ id: 'apercu-htmx', action: 'apercu', cree_le: 'hier' }), { headers });
    expect(bad.status).toBe(200);
    expect(bad.html.startsWith('<div id="apercu"')).toBe(true);
    expect(errorLinks(bad.html)).toEqual(['#f-cree_le']);
    expect(t.deps.database.db.select().from(projects).where(eq(projects.id, 'apercu-htmx')).get()).toBeUndefined();
  });

  it('answers 404 for a project that does not exist', async () => {
    expect((await get('/espace-pro/registre/projets/inexistant')).status).toBe(404);
    expect((await post('/espace-pro/registre/projets/inexistant', projectForm({ id: 'inexistant' }))).status).toBe(404);
    expect((await get('/espace-pro/registre/projets/Pas_Un_Id')).status).toBe(404);
    expect(t.deps.database.db.select().from(projects).where(eq(projects.id, 'inexistant')).get()).toBeUndefined();
  });
});

describe('organisations', () => {
  const orgForm = (overrides: Record<string, string> = {}) => ({
    id: 'chu-lille',
    name: 'CHU de Lille',
    siren: '265 906 719',
    kind: 'etablissement_sante',
    website: 'https://www.chu-lille.fr',
    description: 'Centre hospitalier universitaire.',
    action: 'enregistrer',
    ...overrides,
  });

  it('checks the SIREN with its Luhn key', () => {
    expect(isValidSiren('265906719')).toBe(true);
    expect(isValidSiren('180036048')).toBe(true);
    expect(isValidSiren('265906718')).toBe(false);
    expect(isValidSiren('12345678')).toBe(false);
  });

  it('refuses a bad SIREN, a website not in https, a missing name, with 422 and links to the fields', async () => {
    const res = await post('/espace-pro/registre/organisations/nouveau', orgForm({ name: '', siren: '123456789', website: 'http://www.chu-lille.fr' }));
    expect(res.status).toBe(422);
    expect(errorLinks(res.html)).toEqual(['#f-name', '#f-siren', '#f-website']);
    expect(res.html).toContain('Le SIREN doit compter 9 chiffres et être un numéro valable');
    expect(res.html).toContain('commençant par https://');
    expect(res.html).toMatch(/id="f-website" name="website" value="http:\/\/www.chu-lille.fr"/);
    expect((await get('/organisations/chu-lille')).status).toBe(404);
    const bad = await post('/espace-pro/registre/organisations/nouveau?lang=en', orgForm({ id: 'Pas Bon', kind: 'ministere' }));
    expect(errorLinks(bad.html)).toEqual(['#f-id', '#f-kind']);
    expect(bad.html).toContain('The identifier may only hold lowercase letters');
  });

  it('previews the organisation’s public page without writing it', async () => {
    const res = await post('/espace-pro/registre/organisations/nouveau', orgForm({ action: 'apercu' }));
    expect(res.status).toBe(200);
    expect(res.html).toContain('<h3 lang="fr">CHU de Lille</h3>');
    expect(res.html).toContain('265906719');
    expect((await get('/organisations/chu-lille')).status).toBe(404);
  });

  it('creates an organisation, then renames it: its page and its projects show the new name at once', async () => {
    const created = await post('/espace-pro/registre/organisations/nouveau', orgForm());
    expect(created.status).toBe(303);
    expect(created.location).toBe('/espace-pro/registre/organisations/chu-lille?enregistre=created');
    const page = await get('/organisations/chu-lille');
    expect(page.status).toBe(200);
    expect(page.html).toContain('CHU de Lille');
    expect(page.html).toContain('265906719');
    expect(auditActions().at(-1)).toEqual(expect.objectContaining({ action: 'organisation.create', targetId: 'chu-lille' }));
    expect((await get('/espace-pro/registre/organisations/chu-lille?enregistre=created')).html).toContain('L’organisme est ajouté au registre.');

    // A project run by it, shown once so the public pages are cached.
    expect(
      (
        await post(
          '/espace-pro/registre/projets/nouveau',
          projectForm({ id: 'projet-lille', titre_clair: 'Un projet à Lille', responsable_id: 'chu-lille', partenaires_ids: [] }),
        )
      ).status,
    ).toBe(303);
    expect((await get('/projets/projet-lille')).html).toContain('CHU de Lille');
    expect((await get('/organisations/chu-lille')).html).not.toContain('Centre hospitalier universitaire de Lille');

    const renamed = await post(
      '/espace-pro/registre/organisations/chu-lille',
      orgForm({ id: 'ignored', name: 'Centre hospitalier universitaire de Lille', description: 'Le CHU de Lille.' }),
    );
    expect(renamed.status).toBe(303);
    expect(renamed.location).toBe('/espace-pro/registre/organisations/chu-lille?enregistre=updated');
    expect((await get('/organisations/chu-lille')).html).toContain('Centre hospitalier universitaire de Lille');
    const project = await get('/projets/projet-lille');
    expect(project.html).toContain('Centre hospitalier universitaire de Lille');
    expect(projectHistory(t.deps.database.db, 'projet-lille')[0]).toEqual(
      expect.objectContaining({
        field: 'responsable_nom',
        oldValue: 'CHU de Lille',
        newValue: 'Centre hospitalier universitaire de Lille',
        origin: `editor:${editor.userId}`,
      }),
    );
    expect(auditActions().at(-1)).toEqual(
      expect.objectContaining({ action: 'organisation.update', targetId: 'chu-lille', detail: JSON.stringify({ fields: 'name,description', projects: 1 }) }),
    );
    // Found by its new name in the register's search.
    expect((await get('/projets?q=hospitalier')).html).toContain('href="/projets/projet-lille"');
  });

  it('edits the website alone: the public page changes at once, no project history is touched', async () => {
    await get('/organisations/chu-lille');
    const changes = changeCount();
    const res = await post(
      '/espace-pro/registre/organisations/chu-lille',
      orgForm({ name: 'Centre hospitalier universitaire de Lille', description: 'Le CHU de Lille.', website: 'https://chu-lille.fr/accueil' }),
    );
    expect(res.status).toBe(303);
    expect((await get('/organisations/chu-lille')).html).toContain('href="https://chu-lille.fr/accueil"');
    expect(changeCount()).toBe(changes);
  });

  it('refuses an id already used', async () => {
    const res = await post('/espace-pro/registre/organisations/nouveau', orgForm({ id: 'inserm' }));
    expect(res.status).toBe(422);
    expect(errorLinks(res.html)).toEqual(['#f-id']);
  });
});

describe('data sources', () => {
  const sourceForm = (overrides: Record<string, string> = {}) => ({
    id: 'oscour',
    name: 'OSCOUR',
    kind: 'base_nationale',
    holder: 'Santé publique France',
    partOfSnds: 'false',
    identifiante: 'false',
    description: 'Les passages aux urgences.',
    action: 'enregistrer',
    ...overrides,
  });

  it('refuses a missing name and an unanswered SNDS question', async () => {
    const res = await post('/espace-pro/registre/sources/nouveau', sourceForm({ name: '', partOfSnds: '' }));
    expect(res.status).toBe(422);
    expect(errorLinks(res.html)).toEqual(['#f-name', '#f-partOfSnds']);
    expect(res.html).toContain('Indiquez si la source fait partie du SNDS.');
  });

  it('creates a source, then renames one in use: its projects show it in their history', async () => {
    const created = await post('/espace-pro/registre/sources/nouveau', sourceForm());
    expect(created.location).toBe('/espace-pro/registre/sources/oscour?enregistre=created');
    expect((await get('/sources/oscour')).html).toContain('Santé publique France');
    expect(auditActions().at(-1)).toEqual(expect.objectContaining({ action: 'source.create', targetId: 'oscour' }));

    await get('/projets/bacteriemies');
    const renamed = await post(
      '/espace-pro/registre/sources/edsaphp',
      sourceForm({ name: 'Entrepôt de données de santé de l’Assistance publique – Hôpitaux de Paris', kind: 'entrepot', holder: 'AP-HP', description: '' }),
    );
    expect(renamed.location).toBe('/espace-pro/registre/sources/edsaphp?enregistre=updated');
    const page = await get('/projets/bacteriemies');
    expect(page.html).toContain('Entrepôt de données de santé de l’Assistance publique – Hôpitaux de Paris');
    expect(projectHistory(t.deps.database.db, 'bacteriemies')[0]).toEqual(
      expect.objectContaining({ field: 'sources_noms', origin: `editor:${editor.userId}` }),
    );
    const form = await get('/espace-pro/registre/sources/edsaphp');
    expect(form.html).toMatch(/id="f-holder" name="holder" value="AP-HP"/);
  });

  it('answers 404 for a source that does not exist', async () => {
    expect((await get('/espace-pro/registre/sources/inexistante')).status).toBe(404);
    expect((await post('/espace-pro/registre/sources/inexistante', sourceForm({ id: 'inexistante' }))).status).toBe(404);
  });
});
