import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app';
import { client } from '../helpers/client';
import { flushMail } from '../helpers/mail';
import { importRows, projectRow } from '../helpers/register';
import { linkIn, startSmtp, type TestSmtp } from '../helpers/smtp';
import { rightsRequests } from '../../server/db/schema';

let t: TestApp;
let smtp: TestSmtp;

const NIR = '2 95 10 99 126 111 93';
const person = {
  lastName: 'Zéphyrine-Testeuse',
  firstNames: 'Albertine Marie',
  birthDay: '12',
  birthMonth: '10',
  birthYear: '1995',
  birthPlace: 'Saint-Pierre-de-Testville (99)',
  email: 'albertine.testeuse@example.org',
};

beforeAll(async () => {
  smtp = await startSmtp();
  t = makeTestApp({ SMTP_URL: smtp.url });
  // A project whose only source keeps identities: its requests go to its controller, without the NIR.
  importRows(t, [
    projectRow({
      id: 'ns-park',
      titre_clair: 'NS-PARK : prédire l’évolution',
      responsable_id: 'inserm',
      responsable_nom: 'INSERM',
      sources_ids: 'ns-park',
      sources_noms: 'Cohorte NS-PARK',
      sources_identifiantes: 'true',
    }),
    // Only the SNDS, pseudonymised: through the CNAM. Both kinds: through the CNAM and to the controller.
    projectRow({ id: 'etude-snds', titre_clair: 'Étude sur le SNDS seul', responsable_id: 'inserm', responsable_nom: 'INSERM' }),
    projectRow({
      id: 'etude-mixte',
      titre_clair: 'Étude mixte',
      responsable_id: 'inserm',
      responsable_nom: 'INSERM',
      sources_ids: 'snds;entrepot-test',
      sources_noms: 'Base principale du SNDS;Entrepôt de test',
      sources_identifiantes: 'false;true',
    }),
  ]);
});
afterAll(async () => {
  t.close();
  await smtp.stop();
});

/** Starts a draft and answers the given steps in order, as a person would, page then post. */
async function answer(c: ReturnType<typeof client>, steps: [string, Record<string, string>][], start = '/demande') {
  await c.get(start);
  await c.post('/demande', {});
  for (const [step, fields] of steps) {
    await c.get(`/demande/${step}`);
    await c.post(`/demande/${step}`, fields);
  }
}

async function walk(
  c: ReturnType<typeof client>,
  answers: { kind: string; scope: string; projectId?: string; onBehalf?: string; nir?: boolean; email?: string; lang?: string },
) {
  const q = answers.lang ? `?lang=${answers.lang}` : '';
  await c.get(`/demande${q}`);
  let p = await c.post('/demande', {});
  expect(p.location).toBe('/demande/type');
  await c.get('/demande/type');
  p = await c.post('/demande/type', { kind: answers.kind });
  expect(p.location).toBe('/demande/portee');
  await c.get('/demande/portee');
  p = await c.post('/demande/portee', { scope: answers.scope, projectId: answers.projectId ?? '' });
  expect(p.location).toBe('/demande/pour-qui');
  await c.get('/demande/pour-qui');
  p = await c.post('/demande/pour-qui', { onBehalf: answers.onBehalf ?? 'self' });
  expect(p.location).toBe('/demande/identite');
  await c.get('/demande/identite');
  p = await c.post('/demande/identite', { ...person, ...(answers.nir ? { nir: NIR, insuranceScheme: 'cpam' } : {}) });
  expect(p.status, p.html.slice(0, 2000)).toBe(303);
  await c.get('/demande/contact');
  p = await c.post('/demande/contact', { email: answers.email ?? person.email, postalAddress: '' });
  expect(p.location).toBe('/demande/details');
  await c.get('/demande/details');
  p = await c.post('/demande/details', { reason: 'Je ne souhaite pas que mes données servent.' });
  expect(p.location).toBe('/demande/verifier');
  return c.get('/demande/verifier');
}

describe('the request form', () => {
  it('walks every step, submits, mails a confirmation link that confirms the request', async () => {
    const c = client(t);
    const check = await walk(c, { kind: 'opposition', scope: 'snds', nir: true });
    expect(check.status).toBe(200);
    expect(check.html).toContain('Vérifiez votre demande avant de l’envoyer');
    expect(check.html).toContain(NIR);
    expect(check.html).toContain('href="/demande/identite?retour=verifier"');
    const before = smtp.messages.length;
    const idem = /name="idempotencyKey" value="([^"]+)"/.exec(check.html)![1]!;
    const submitted = await c.post('/demande/verifier', { declaration: 'oui', idempotencyKey: idem, website: '' });
    expect(submitted.location).toBe('/demande/recu');
    const receipt = await c.get('/demande/recu');
    expect(receipt.headers.get('cache-control')).toBe('no-store');
    const reference = /class="reference">(DS-[A-Z0-9]{4}-[A-Z0-9]{4})</.exec(receipt.html)![1]!;
    expect(receipt.html).toContain(person.email);

    const mails = await smtp.waitFor(before + 1);
    const mail = mails[before]!;
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe(person.email);
    expect(mail.subject).toBe('Confirmez votre demande sur vos données de santé');
    expect(mail.subject).not.toMatch(/\d{5}|Zéphyrine|albertine/i);
    expect(mail.text).toContain(reference);
    expect(mail.html).toContain('<html lang="fr">');
    expect(mail.messageId).toMatch(/^<confirm\.[0-9a-f-]{36}@localhost>$/);
    expect(mail.text).not.toContain('95 10 99');

    const link = linkIn(mail, 'http://localhost:3000/demande/confirmer/');
    const path = new URL(link).pathname;
    const confirmPage = await c.get(path);
    expect(confirmPage.status).toBe(200);
    expect(confirmPage.html).toContain('Confirmer ma demande');
    const row = () =>
      t.deps.database.db
        .select()
        .from(rightsRequests)
        .all()
        .find((r) => r.reference === reference)!;
    expect(row().status).toBe('a_confirmer');
    const confirmed = await c.follow(await c.post(path, {}));
    expect(confirmed.status).toBe(200);
    expect(confirmed.html).toContain('Demande confirmée');
    expect(row().status).toBe('recue');
    // single use
    expect((await c.get(path)).status).toBe(404);
  });

  it('stores no plaintext NIR, name or e-mail in the database file', async () => {
    t.deps.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = readFileSync(join(t.dataDir, 'service.sqlite'));
    for (const secret of ['295109912611193', '2 95 10 99', 'Zéphyrine', 'Albertine', 'albertine.testeuse', 'Testville']) {
      expect(bytes.includes(Buffer.from(secret)), secret).toBe(false);
    }
  });

  it('makes one request from two posts with the same idempotency key (a double click)', async () => {
    const c = client(t);
    const check = await walk(c, { kind: 'acces', scope: 'projet', projectId: 'ns-park', email: 'double@example.org' });
    const idem = /name="idempotencyKey" value="([^"]+)"/.exec(check.html)![1]!;
    const count = () => t.deps.database.db.select().from(rightsRequests).all().length;
    const before = count();
    const [a, b] = await Promise.all([
      c.post('/demande/verifier', { declaration: 'oui', idempotencyKey: idem }),
      c.post('/demande/verifier', { declaration: 'oui', idempotencyKey: idem }),
    ]);
    expect(a.location).toBe('/demande/recu');
    expect(b.location).toBe('/demande/recu');
    expect(count()).toBe(before + 1);
  });

  it('re-renders a step with a linked error summary, keeps what was typed, and stores nothing', async () => {
    const c = client(t);
    await answer(c, [
      ['type', { kind: 'opposition' }],
      ['portee', { scope: 'snds' }],
      ['pour-qui', { onBehalf: 'self' }],
    ]);
    await c.get('/demande/identite');
    const bad = await c.post('/demande/identite', { ...person, nir: '2 95 10 99 126 111 94', insuranceScheme: 'cpam', lastName: '<script>x</script>' });
    expect(bad.status).toBe(422);
    expect(bad.html).toMatch(/<title>Erreur : /);
    expect(bad.html).toContain('href="#f-nir"');
    expect(bad.html).toContain('ne correspond pas à sa clé');
    expect(bad.html).toContain('aria-invalid="true"');
    expect(bad.html).toContain('value="&lt;script&gt;x&lt;/script&gt;"');
    const wrongMonth = await c.post('/demande/identite', { ...person, birthMonth: '11', nir: NIR, insuranceScheme: 'cpam' });
    expect(wrongMonth.html).toContain('Le mois de naissance du numéro');
    // Skipping ahead goes back to the first step not done, for a page or a post.
    expect((await c.get('/demande/details')).location).toBe('/demande/identite');
    expect((await c.post('/demande/details', { reason: 'x' })).location).toBe('/demande/identite');
  });

  it('asks for the NIR exactly when the route goes through the CNAM, and says before sending who receives what', async () => {
    const cases: { scope: Record<string, string>; nir: boolean; plan: string[]; not: string[] }[] = [
      {
        scope: { scope: 'snds' },
        nir: true,
        plan: ['La Caisse nationale de l’assurance maladie (CNAM) reçoit votre identité et votre numéro de sécurité sociale'],
        not: ['sans votre numéro de sécurité sociale'],
      },
      {
        scope: { scope: 'projet', projectId: 'etude-snds' },
        nir: true,
        plan: ['sources pseudonymisées du projet', 'Le responsable du projet, INSERM, est informé de votre demande, sans votre nom ni votre numéro.'],
        not: ['reçoit votre identité, sans votre numéro'],
      },
      {
        scope: { scope: 'projet', projectId: 'ns-park' },
        nir: false,
        plan: [
          'Le responsable du projet, INSERM, reçoit votre identité, sans votre numéro de sécurité sociale, pour les sources où il connaît votre nom : Cohorte NS-PARK.',
        ],
        not: ['CNAM'],
      },
      {
        scope: { scope: 'projet', projectId: 'etude-mixte' },
        nir: true,
        plan: ['Votre demande part vers deux organismes.', 'Entrepôt de test', 'Base principale du SNDS', 'sans votre nom ni votre numéro'],
        not: [],
      },
      {
        scope: { scope: 'responsable', organisationId: 'inserm' },
        nir: false,
        plan: ['L’organisme choisi, INSERM, reçoit votre identité, sans votre numéro de sécurité sociale.'],
        not: ['CNAM'],
      },
    ];
    for (const k of cases) {
      const c = client(t);
      await answer(c, [
        ['type', { kind: 'effacement' }],
        ['portee', k.scope],
        ['pour-qui', { onBehalf: 'self' }],
      ]);
      const step = await c.get('/demande/identite');
      expect(step.html.includes('id="f-nir"'), JSON.stringify(k.scope)).toBe(k.nir);
      // Without the NIR the birth place is required; with it, optional (the NIR encodes it).
      const noPlace = await c.post('/demande/identite', { ...person, birthPlace: '' });
      expect(noPlace.status).toBe(422);
      expect(noPlace.html.includes('href="#f-nir"')).toBe(k.nir);
      expect(noPlace.html.includes('href="#f-birthPlace"')).toBe(!k.nir);
      const ok = await c.post('/demande/identite', { ...person, ...(k.nir ? { nir: NIR, birthPlace: '' } : {}) });
      expect(ok.status, JSON.stringify(k.scope)).toBe(303);
      await c.post('/demande/contact', { email: `routing.${Math.random()}@example.org` });
      await c.post('/demande/details', {});
      const check = await c.get('/demande/verifier');
      const plan = check.html.slice(check.html.indexOf('class="route-plan"'));
      for (const p of k.plan) expect(plan, JSON.stringify(k.scope)).toContain(p);
      for (const p of k.not) expect(plan.slice(0, plan.indexOf('</section>')), JSON.stringify(k.scope)).not.toContain(p);
      // Erasure on data reaching the SNDS: told before sending that the main base cannot be erased.
      expect(check.html.includes('Les données de la base principale du SNDS ne peuvent pas être effacées'), JSON.stringify(k.scope)).toBe(k.nir);
      expect(check.html.includes('Numéro de sécurité sociale')).toBe(k.nir);
    }
  });

  it('asks who acts and their tie for a protected adult or a deceased relative', async () => {
    for (const onBehalf of ['protected_adult', 'deceased', 'child', 'mandate']) {
      const c = client(t);
      await answer(c, [
        ['type', { kind: 'acces' }],
        ['portee', { scope: 'snds' }],
      ]);
      const page = await c.get('/demande/pour-qui');
      expect(page.html).toContain('id="f-requesterName"');
      const missing = await c.post('/demande/pour-qui', { onBehalf });
      expect(missing.status).toBe(422);
      expect(missing.html).toContain('href="#f-requesterName"');
      expect(missing.html).toContain('href="#f-relationship"');
      const ok = await c.post('/demande/pour-qui', { onBehalf, requesterName: 'Jean Testeur', relationship: 'tuteur' });
      expect(ok.location).toBe('/demande/identite');
    }
  });

  it('speaks English when asked, errors included', async () => {
    const c = client(t);
    await c.get('/demande?lang=en');
    await c.post('/demande', {});
    await c.get('/demande/type');
    const p = await c.post('/demande/type', {});
    expect(p.status).toBe(422);
    expect(p.html).toContain('<title>Error: What do you want to ask for?');
    expect(p.html).toContain('Choose what you want to ask for');
  });

  it('says “None” for an answer left empty on the English check page', async () => {
    const c = client(t);
    const check = await walk(c, { kind: 'opposition', scope: 'snds', nir: true, lang: 'en', email: 'none-en@example.org' });
    expect(check.status).toBe(200);
    expect(check.html).toMatch(/Postal address<\/dt>\s*<dd class="summary-list__value">None<\/dd>/);
    expect(check.html).not.toContain('>Nothing<');
  });

  it('asks for the declaration on honour before sending', async () => {
    const c = client(t);
    await walk(c, { kind: 'limitation', scope: 'projet', projectId: 'ns-park', email: 'declaration@example.org' });
    const p = await c.post('/demande/verifier', {});
    expect(p.status).toBe(422);
    expect(p.html).toContain('href="#f-declaration"');
  });

  it('pre-fills the project from /demande?projet=', async () => {
    const c = client(t);
    const start = await c.get('/demande?projet=ns-park');
    expect(start.html).toContain('NS-PARK : prédire l’évolution');
    await c.post('/demande', { projet: 'ns-park' });
    await c.get('/demande/type');
    await c.post('/demande/type', { kind: 'acces' });
    const scope = await c.get('/demande/portee');
    expect(scope.html).toMatch(/value="projet" checked/);
    expect(scope.html).toMatch(/name="projectId" value="ns-park" checked/);
  });

  it('finds a project by words on the scope step, without JavaScript and through htmx', async () => {
    const c = client(t);
    await answer(c, [['type', { kind: 'opposition' }]]);
    await c.get('/demande/portee');
    const found = await c.post('/demande/portee', { scope: 'projet', projectQuery: 'prédire', _action: 'search' });
    expect(found.status).toBe(200);
    expect(found.html).toMatch(/name="projectId" value="ns-park"/);
    expect(found.html).toContain('value="prédire"');
    const none = await c.post('/demande/portee', { scope: 'projet', projectQuery: 'xylophone', _action: 'search' });
    expect(none.html).toContain('Aucun projet ne correspond à ces mots.');
    const chosen = await c.post('/demande/portee', { scope: 'projet', projectQuery: 'prédire', projectId: 'ns-park' });
    expect(chosen.location).toBe('/demande/pour-qui');
    const fragment = await c.get('/demande/projets/suggestions?projectQuery=evolution', { 'HX-Request': 'true' });
    expect(fragment.html).not.toContain('<html');
    expect(fragment.html).toMatch(/^<div id="project-choices"/);
    expect(fragment.html).toContain('value="ns-park"');
    const missing = await c.post('/demande/portee', { scope: 'projet', projectQuery: '' });
    expect(missing.status).toBe(422);
    expect(missing.html).toContain('Cherchez puis choisissez un projet');
  });
});

describe('tracking', () => {
  it('sends a one-time link when reference and e-mail match, and says the same otherwise', async () => {
    const row = t.deps.database.db
      .select()
      .from(rightsRequests)
      .all()
      .find((r) => r.kind === 'opposition')!;
    const c = client(t);
    await c.get('/suivi');
    const before = smtp.messages.length;
    const wrong = await c.post('/suivi', { reference: row.reference, email: 'someone.else@example.org' });
    const right = await c.post('/suivi', { reference: row.reference.toLowerCase().replace(/-/g, ' '), email: `  ${person.email.toUpperCase()} ` });
    expect(wrong.location).toBe('/suivi/envoye');
    expect(right.location).toBe('/suivi/envoye');
    // Once the outbox is empty, every mail the two posts queued has been accepted: one, not two.
    await flushMail(t.deps);
    const tracking = smtp.messages.slice(before).filter((m) => m.subject === 'Votre lien pour suivre votre demande');
    expect(tracking).toHaveLength(1);
    expect(tracking[0]!.to && 'text' in tracking[0]!.to ? tracking[0]!.to.text : '').toBe(person.email);
    const link = linkIn(tracking[0]!, 'http://localhost:3000/suivi/');
    const opened = await c.get(new URL(link).pathname);
    expect(opened.location).toBe('/suivi/demande');
    const page = await c.get('/suivi/demande');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.html).toContain(row.reference);
    expect(page.html).toContain('Reçue et confirmée');
    expect(page.html).toContain('Adresse e-mail confirmée');
    // the link works once
    expect((await client(t).get(new URL(link).pathname)).status).toBe(404);
  });

  it('lets the person withdraw after a confirmation step', async () => {
    const row = t.deps.database.db
      .select()
      .from(rightsRequests)
      .all()
      .find((r) => r.kind === 'opposition')!;
    const c = client(t);
    await c.get('/suivi');
    const before = smtp.messages.length;
    await c.post('/suivi', { reference: row.reference, email: person.email });
    const mail = await smtp.mail({ subject: 'Votre lien pour suivre votre demande' }, { after: before });
    await c.get(new URL(linkIn(mail, 'http://localhost:3000/suivi/')).pathname);
    const ask = await c.get('/suivi/retirer');
    expect(ask.html).toContain('Retirer votre demande ?');
    const done = await c.post('/suivi/retirer', {});
    expect(done.location).toBe('/suivi/demande');
    expect((await c.get('/suivi/demande')).html).toContain('Retirée à votre demande');
  });

  it('shows the controller’s question and takes the person’s answer; offers a reminder text when overdue', async () => {
    const { eq } = await import('drizzle-orm');
    const { addMessageEvent } = await import('../../server/services/tracking');
    const { requestEvents } = await import('../../server/db/schema');
    const c = client(t);
    const check = await walk(c, { kind: 'acces', scope: 'projet', projectId: 'ns-park', email: 'precision@example.org' });
    await c.post('/demande/verifier', { declaration: 'oui', idempotencyKey: /name="idempotencyKey" value="([^"]+)"/.exec(check.html)![1]! });
    const row = t.deps.database.db
      .select()
      .from(rightsRequests)
      .all()
      .find((r) => r.emailIndex === t.deps.index.email('precision@example.org'))!;
    const db = t.deps.database.db;
    db.update(rightsRequests).set({ status: 'precision_demandee' }).where(eq(rightsRequests.id, row.id)).run();
    const deps = {
      db,
      cipher: t.deps.cipher,
      index: t.deps.index,
      mailer: t.deps.mailer,
      config: t.deps.config,
      logger: t.deps.logger,
      now: () => new Date(),
      i18n: t.deps.i18n,
      kickMail: () => {},
    };
    addMessageEvent(deps, row.id, 'clarification_asked', 'dpo', 'Sur quelle période portent les données demandées ?');
    const before = smtp.messages.length;
    await c.post('/suivi', { reference: row.reference, email: 'precision@example.org' });
    const mail = await smtp.mail({ subject: 'Votre lien pour suivre votre demande', text: row.reference }, { after: before });
    await c.get(new URL(linkIn(mail, 'http://localhost:3000/suivi/')).pathname);
    const page = await c.get('/suivi/demande');
    expect(page.html).toContain('Sur quelle période portent les données demandées ?');
    const empty = await c.follow(await c.post('/suivi/precision', { answer: '   ' }));
    expect(empty.html).toContain('Écrivez votre réponse avant de l’envoyer');
    expect(db.select().from(rightsRequests).where(eq(rightsRequests.id, row.id)).get()!.status).toBe('precision_demandee');
    await c.post('/suivi/precision', { answer: 'De 2019 à 2021.' });
    expect(db.select().from(rightsRequests).where(eq(rightsRequests.id, row.id)).get()!.status).toBe('accusee');
    const answered = db
      .select()
      .from(requestEvents)
      .where(eq(requestEvents.requestId, row.id))
      .all()
      .find((e) => e.kind === 'clarification_answered')!;
    expect(answered.messageEnc).not.toContain('2019');
    expect((await c.get('/suivi/demande')).html).toContain('Précision apportée');

    db.update(rightsRequests)
      .set({ status: 'transmise', receivedOn: '2026-01-05', dueOn: '2026-02-05', extendedDueOn: '2026-04-07', answerDueOn: '2026-02-05' })
      .where(eq(rightsRequests.id, row.id))
      .run();
    const overdue = await c.get('/suivi/demande');
    expect(overdue.html).toContain('Le délai de réponse est dépassé');
    expect(overdue.html).toContain(`(référence ${row.reference})`);
    expect(overdue.html).toContain('a expiré le 5 février 2026');
    expect(overdue.html).toContain('href="https://www.cnil.fr/fr/plaintes"');
  });

  it('refuses the tracking page without a valid session', async () => {
    expect((await client(t).get('/suivi/demande')).location).toBe('/suivi');
    const c = client(t);
    c.jar.set('suivi', 'forged.99999999999999.signature');
    expect((await c.get('/suivi/demande')).location).toBe('/suivi');
  });
});
