/**
 * "Report an error on this record" (issue 14), through HTTP as a visitor and an editor would use it: the
 * short form on every project page (each visitor's own CSRF token, though the page is cached), bad input
 * answered with the form again and nothing stored, the hidden field and the rate limit; the report in the
 * editors' queue, which a DPO cannot see; each change of state audited; the mail that says it was handled,
 * read on a real SMTP server in the person's language with nothing personal in its subject; the address
 * erased from the report, and from the outbox once the mail is sent.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrganisation } from '../../server/db/register';
import { auditLog, mailOutbox, recordReports } from '../../server/db/schema';
import { verifyAudit, auditKey } from '../../server/services/audit';
import { REPORTS_PER_HOUR } from '../../server/routes/record-reports';
import { makeTestApp, type TestApp } from '../helpers/app';
import { client } from '../helpers/client';
import { flushMail } from '../helpers/mail';
import { importRows, projectRow } from '../helpers/register';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { signedIn, staffUser } from '../helpers/staff';

const PROJECT = 'p-signale';
const TITLE = 'Étude des parcours après un infarctus';
const QUEUE = '/espace-pro/signalements';
const clock = new Date('2026-11-22T10:00:00Z');

let t: TestApp;
let smtp: TestSmtp;
const db = () => t.deps.database.db;
const reports = () => db().select().from(recordReports).all();
const audits = (action: string) =>
  db()
    .select()
    .from(auditLog)
    .all()
    .filter((a) => a.action === action);

/** A visitor who opened the project page, then sends the form it holds. */
async function visitor(lang: 'fr' | 'en' = 'fr') {
  const c = client(t);
  const page = await c.get(`/projets/${PROJECT}?lang=${lang}`);
  expect(page.status).toBe(200);
  return { c, page, send: (fields: Record<string, string>) => c.post(`/projets/${PROJECT}/signaler`, fields) };
}

beforeAll(async () => {
  smtp = await startSmtp();
  t = makeTestApp({ SMTP_URL: smtp.url, LOG_LEVEL: 'warn' }, { now: () => clock });
  upsertOrganisation(db(), { id: 'organisme-test', name: 'Organisme de test' }, clock.toISOString());
  importRows(t, [projectRow({ id: PROJECT, titre_clair: TITLE })]);
});
afterAll(async () => {
  t?.close();
  await smtp?.stop();
});

describe('the form on the project page', () => {
  it('is on every project page, with the visitor’s own CSRF token although the page is cached', async () => {
    const a = await visitor();
    const b = await visitor();
    for (const { page } of [a, b]) {
      expect(page.html).toContain('<h2 id="signaler">Signaler une erreur sur cette fiche</h2>');
      expect(page.html).toContain(`action="/projets/${PROJECT}/signaler"`);
      expect(page.html).toContain('RGPD), article 5, paragraphe 1, c et e');
      expect(page.html).not.toContain('csrf-slot-');
    }
    const token = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
    expect(token(a.page.html)).not.toBe(token(b.page.html));
    // Each token is the one of its own visitor: b's token does not pass with a's cookie.
    const crossed = await a.c.post(`/projets/${PROJECT}/signaler`, { message: 'x' }, { token: token(b.page.html) });
    expect(crossed.status).toBe(403);
    const en = await visitor('en');
    expect(en.page.html).toContain('Report an error on this record');
    expect(en.page.html).toContain('General Data Protection Regulation (GDPR), Article 5(1)(c) and (e)');
  });

  it('answers bad input with the form again, its errors and the text typed, and stores nothing', async () => {
    const { send } = await visitor();
    const cases: [Record<string, string>, string, string][] = [
      [{ message: '   ' }, 'Décrivez ce qui est faux ou manque sur cette fiche.', 'Describe what is wrong or missing on this record.'],
      [{ message: 'a'.repeat(2001) }, 'Votre message fait 2 001 caractères : 2 000 au plus.', 'Your message is 2,001 characters long: 2,000 at most.'],
      [{ message: 'La date\u202e est fausse' }, 'caractères invisibles ou de contrôle', 'invisible or control characters'],
      [{ message: 'La date est fausse', email: 'pas-une-adresse' }, 'Saisissez une adresse e-mail valable', 'Enter a valid email address'],
      [{ message: 'La date est fausse', email: `${'a'.repeat(250)}@exemple.fr` }, '254 au plus', '254 at most'],
    ];
    for (const [fields, fr] of cases) {
      const res = await send(fields);
      expect(res.status, JSON.stringify(fields).slice(0, 80)).toBe(422);
      // Numbers are written with the language's own spaces (U+202F in French).
      expect(res.html.replace(/[\u202f\u00a0]/g, ' ')).toContain(fr);
      expect(res.html).toMatch(/<title>Erreur : /);
      expect(res.html).toContain('href="#f-');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    const typed = await send({ message: 'La date du dépôt est fausse', email: 'faux' });
    expect(typed.html).toContain('La date du dépôt est fausse</textarea>');
    const en = await visitor('en');
    for (const [fields, , english] of cases) expect((await en.send(fields)).html.replace(/[\u202f\u00a0]/g, ' ')).toContain(english);
    expect(reports()).toEqual([]);
    expect((await client(t).get('/projets/pas-de-projet/signaler')).status).toBe(404);
    expect((await client(t).get('/projets/Pas_Un_Id/signaler')).status).toBe(404);
  });

  it('stores a report, encrypted, and says what comes next', async () => {
    const { send } = await visitor();
    const res = await send({ message: 'Le partenaire indiqué\r\nn’est pas le bon.', email: ' Lea.Martin@exemple.fr ' });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/projets/${PROJECT}/signaler/merci`);
    const sent = await client(t).get(res.location!);
    expect(sent.html).toContain('Signalement envoyé');
    expect(sent.html).toContain('vous recevrez un message quand il aura été traité');
    expect(sent.headers.get('cache-control')).toBe('no-store');
    const [stored] = reports();
    expect(stored).toMatchObject({ projectId: PROJECT, status: 'nouveau', lang: 'fr', handledAt: null });
    expect(JSON.stringify(stored)).not.toContain('Lea.Martin');
    expect(JSON.stringify(stored)).not.toContain('partenaire');
    expect(stored!.emailEnc).toMatch(/^v1\./);
  });

  it('a robot filling the hidden field gets the same answer, and nothing is kept', async () => {
    const { send } = await visitor();
    const before = reports().length;
    const res = await send({ message: 'Achetez nos montres', website: 'https://spam.example' });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/projets/${PROJECT}/signaler/merci`);
    expect(reports().length).toBe(before);
  });

  it('limits reports per address: past the limit, the form again with a message, nothing stored', async () => {
    const local = makeTestApp({ LOG_LEVEL: 'warn' });
    try {
      importRows(local, [projectRow({ id: PROJECT })]);
      const c = client(local);
      await c.get(`/projets/${PROJECT}`);
      for (let i = 0; i < REPORTS_PER_HOUR; i += 1) expect((await c.post(`/projets/${PROJECT}/signaler`, { message: `Erreur ${i}` })).status).toBe(303);
      const refused = await c.post(`/projets/${PROJECT}/signaler`, { message: 'Encore une' });
      expect(refused.status).toBe(429);
      expect(refused.html).toContain('Vous avez envoyé beaucoup de signalements en peu de temps. Rien n’a été enregistré.');
      expect(refused.html).toContain('Encore une</textarea>');
      expect(local.deps.database.db.select().from(recordReports).all()).toHaveLength(REPORTS_PER_HOUR);
    } finally {
      local.close();
    }
  });
});

describe('the editors’ queue', () => {
  it('is for editors and administrators only: a DPO, the CNAM and visitors do not see it', async () => {
    const dpo = staffUser(t, 'dpo', 'organisme-test', clock);
    const cnam = staffUser(t, 'cnam', 'organisme-test', clock);
    const id = reports()[0]!.id;
    for (const who of [dpo, cnam]) {
      const browser = signedIn(t, who, clock);
      expect((await browser.get(QUEUE)).status).toBe(404);
      expect((await browser.get(`${QUEUE}/${id}`)).status).toBe(404);
      await browser.get('/espace-pro');
      expect((await browser.post(`${QUEUE}/${id}/etat`, { status: 'traite' })).status).toBe(404);
      expect((await browser.get('/espace-pro')).html).not.toContain(`href="${QUEUE}"`);
    }
    expect(
      audits('access.refused')
        .filter((a) => a.actor === `user:${dpo.id}`)
        .map((a) => a.targetId),
    ).toEqual([QUEUE, `${QUEUE}/${id}`, `${QUEUE}/${id}/etat`]);
    const anonymous = await client(t).get(QUEUE);
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toMatch(/^\/espace-pro\/connexion/);
    expect(reports()[0]!.status).toBe('nouveau');
  });

  it('lists the new report for an editor, without the address', async () => {
    const editor = signedIn(t, staffUser(t, 'editor', null, clock), clock);
    expect((await editor.get('/espace-pro')).html).toContain(`href="${QUEUE}"`);
    const queue = await editor.get(QUEUE);
    expect(queue.status).toBe(200);
    expect(queue.html).toContain(TITLE);
    expect(queue.html).toContain('Le partenaire indiqué');
    expect(queue.html).toContain('À traiter (1)');
    expect(queue.html).not.toContain('Lea.Martin');
    const page = await editor.get(`${QUEUE}/${reports()[0]!.id}`);
    expect(page.html).toContain('Le partenaire indiqué\nn’est pas le bon.');
    expect(page.html).toContain('Laissée : la personne sera prévenue');
    expect(page.html).not.toContain('Lea.Martin');
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a state it does not know, changing nothing', async () => {
    const editor = signedIn(t, staffUser(t, 'editor', null, clock), clock);
    const id = reports()[0]!.id;
    await editor.get(`${QUEUE}/${id}`);
    for (const status of ['', 'ferme', 'nouveau']) {
      const res = await editor.post(`${QUEUE}/${id}/etat`, { status });
      expect(res.status, status).toBe(422);
      expect(res.html).toMatch(status === 'nouveau' ? /déjà dans cet état/ : /Choisissez le nouvel état/);
    }
    expect(reports()[0]!.status).toBe('nouveau');
    expect(audits('record_report.status')).toEqual([]);
    expect((await editor.post(`${QUEUE}/no-such-report/etat`, { status: 'traite' })).status).toBe(404);
  });

  it('each change of state is audited; once handled, the person gets a mail and the address is erased', async () => {
    const editor = staffUser(t, 'editor', null, clock);
    const browser = signedIn(t, editor, clock);
    const id = reports()[0]!.id;
    await browser.get(`${QUEUE}/${id}`);
    const progress = await browser.post(`${QUEUE}/${id}/etat`, { status: 'en_cours' });
    expect(progress.location).toBe(`${QUEUE}/${id}?fait=saved`);
    expect(reports()[0]).toMatchObject({ status: 'en_cours', handledAt: null });
    expect(reports()[0]!.emailEnc).not.toBeNull();
    await flushMail(t.deps);
    expect(smtp.messages).toHaveLength(0);

    await browser.get(`${QUEUE}/${id}`);
    const handled = await browser.post(`${QUEUE}/${id}/etat`, { status: 'traite' });
    expect(handled.location).toBe(`${QUEUE}/${id}?fait=mailed`);
    expect((await browser.follow(handled)).html).toContain('La personne va recevoir un e-mail ; son adresse est effacée.');
    expect(reports()[0]).toMatchObject({ status: 'traite', handledAt: clock.toISOString(), emailEnc: null });

    const mail = await smtp.mail({ to: 'Lea.Martin@exemple.fr' });
    expect(mail.subject).toBe('Votre signalement sur le registre a été traité');
    expect(mail.text).toContain(`« ${TITLE} »`);
    expect(mail.text).toContain(`${t.deps.config.publicUrl.origin}/projets/${PROJECT}`);
    expect(mail.text).toContain('Nous avons effacé votre adresse e-mail');
    await flushMail(t.deps);
    const [row] = db().select().from(mailOutbox).where(eq(mailOutbox.template, 'record_report_handled')).all();
    expect(row).toMatchObject({ requestId: null, recipientEnc: null, lang: 'fr' });
    expect(row!.sentAt).not.toBeNull();

    const entries = audits('record_report.status');
    expect(entries.map((e) => [e.actor, e.targetType, e.targetId, JSON.parse(e.detail!)])).toEqual([
      [`user:${editor.id}`, 'record_report', id, { project: PROJECT, from: 'nouveau', to: 'en_cours', mailed: false }],
      [`user:${editor.id}`, 'record_report', id, { project: PROJECT, from: 'en_cours', to: 'traite', mailed: true }],
    ]);
    expect(JSON.stringify(entries)).not.toContain('Lea.Martin');
    expect(verifyAudit(db(), auditKey(t.deps.config.sessionSecret))).toMatchObject({ ok: true });

    // Reopened then rejected: nobody to tell any more, no second mail.
    await browser.get(`${QUEUE}/${id}`);
    await browser.post(`${QUEUE}/${id}/etat`, { status: 'en_cours' });
    expect(reports()[0]!.handledAt).toBeNull();
    await browser.get(`${QUEUE}/${id}`);
    expect((await browser.post(`${QUEUE}/${id}/etat`, { status: 'rejete' })).location).toBe(`${QUEUE}/${id}?fait=saved`);
    await flushMail(t.deps);
    expect(smtp.messages).toHaveLength(1);
  });

  it('a report sent in English is answered in English; one without an address sends nothing', async () => {
    const en = await visitor('en');
    expect((await en.send({ message: 'The CNIL decision number is wrong.', email: 'sam@example.org' })).status).toBe(303);
    const fr = await visitor();
    expect((await fr.send({ message: 'Sans adresse.' })).status).toBe(303);
    const [withAddress, without] = ['The CNIL decision', 'Sans adresse.'].map((m) => {
      const editor = signedIn(t, staffUser(t, 'editor', null, clock), clock);
      return { editor, id: reports().find((r) => r.lang === (m === 'Sans adresse.' ? 'fr' : 'en') && r.status === 'nouveau')!.id };
    });
    await withAddress!.editor.get(`${QUEUE}/${withAddress!.id}`);
    expect((await withAddress!.editor.post(`${QUEUE}/${withAddress!.id}/etat`, { status: 'rejete' })).location).toContain('fait=mailed');
    const mail = await smtp.mail({ to: 'sam@example.org' });
    expect(mail.subject).toBe('Your report on the register has been looked into');
    expect(mail.text).toContain(`“${TITLE}”`);
    expect(mail.text).toContain('did not change the record');

    const sentBefore = smtp.messages.length;
    await without!.editor.get(`${QUEUE}/${without!.id}`);
    expect((await without!.editor.post(`${QUEUE}/${without!.id}/etat`, { status: 'traite' })).location).toContain('fait=saved');
    await flushMail(t.deps);
    expect(smtp.messages.length).toBe(sentBefore);
  });
});
