/**
 * What the person sees and receives once the organisation answers: the mails that tell each step, and
 * the tracking page that shows the organisation's reason, answer, outcome or refusal, with the way to
 * complain to the CNIL (Commission nationale de l'informatique et des libertés), in French and English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEvent, updateRequest, type RequestRecord } from '../../server/db/requests';
import type { Status } from '../../server/domain/rights-request';
import type { EventKind } from '../../server/domain/status-machine';
import { createI18n } from '../../server/i18n';
import { renderMail } from '../../server/services/mail-outbox';
import { confirmRequest, readDraft, submitDraft, writeDraft, type RequestDeps } from '../../server/services/rights-requests';
import { addMessageEvent, requestTrackingLink } from '../../server/services/tracking';
import { makeTestApp, type TestApp } from '../helpers/app';
import { client } from '../helpers/client';
import { linkIn, startSmtp, type TestSmtp, tokenOf } from '../helpers/smtp';

let smtp: TestSmtp;
let t: TestApp;
let deps: RequestDeps;
let clock = new Date('2026-03-02T09:00:00Z');
const later = (days: number) => (clock = new Date(clock.getTime() + days * 86_400_000));

beforeAll(async () => {
  smtp = await startSmtp();
  t = makeTestApp({ SMTP_URL: smtp.url }, { now: () => clock });
  deps = {
    db: t.deps.database.db,
    cipher: t.deps.cipher,
    index: t.deps.index,
    mailer: t.deps.mailer,
    config: t.deps.config,
    logger: t.deps.logger,
    now: () => clock,
    i18n: t.deps.i18n,
    kickMail: t.deps.mailWorker.kick,
  };
  // The `detail` column comes with the forwarding migration; until it is there, this test adds it.
  const columns = t.deps.database.sqlite.prepare('PRAGMA table_info(request_events)').all() as { name: string }[];
  if (!columns.some((c) => c.name === 'detail')) t.deps.database.sqlite.exec('ALTER TABLE request_events ADD COLUMN detail text');
});
afterAll(async () => {
  t.close();
  await smtp.stop();
});

/** A request submitted and confirmed by its mail link, then forwarded to the CNAM (as the delivery worker would). */
async function forwardedRequest(email: string): Promise<RequestRecord> {
  const before = smtp.messages.length;
  const draft = writeDraft(deps, undefined, {
    kind: 'acces',
    scope: 'snds',
    onBehalf: 'self',
    lastName: 'Durand',
    firstNames: 'Paule',
    birthDate: '1995-10-12',
    birthPlace: 'Lyon',
    nir: '295109912611193',
    insuranceScheme: 'cpam',
    email,
    done: ['type', 'portee', 'pour-qui', 'identite', 'contact', 'details'],
  });
  const out = await submitDraft(deps, readDraft(deps, draft)!, { lang: 'fr' });
  if (out.outcome !== 'created') throw new Error(out.outcome);
  const link = linkIn(
    await smtp.mail({ to: email, subject: 'Confirmez votre demande sur vos données de santé' }, { after: before }),
    new URL('/demande/confirmer/', t.deps.config.publicUrl).href,
  );
  const confirmed = confirmRequest(deps, tokenOf(link));
  expect(confirmed?.status).toBe('recue');
  updateRequest(deps.db, out.request.id, {
    status: 'transmise',
    receivedOn: '2026-03-02',
    dueOn: '2026-04-02',
    extendedDueOn: '2026-06-02',
    answerDueOn: '2026-04-02',
  });
  addEvent(deps.db, { requestId: out.request.id, kind: 'forwarded', at: clock.toISOString(), actor: 'system' });
  return out.request;
}

/** The organisation's step with its message and, when given, its detail (outcome or refusal code). */
function organisationSays(request: RequestRecord, kind: EventKind, status: Status, message: string, detail?: string) {
  later(1);
  addMessageEvent(deps, request.id, kind, 'organisation', message);
  if (detail) t.deps.database.sqlite.prepare('UPDATE request_events SET detail = ? WHERE request_id = ? AND kind = ?').run(detail, request.id, kind);
  updateRequest(deps.db, request.id, { status });
}

/** Opens the tracking page as the person does: reference and e-mail, then the link received by mail. */
async function openTracking(request: RequestRecord, email: string) {
  const before = smtp.messages.length;
  await requestTrackingLink(deps, request.reference, email);
  const link = linkIn(
    await smtp.mail({ to: email, subject: 'Votre lien pour suivre votre demande' }, { after: before }),
    new URL('/suivi/', t.deps.config.publicUrl).href,
  );
  const c = client(t);
  expect((await c.get(new URL(link).pathname)).location).toBe('/suivi/demande');
  return c;
}

/** The timeline list of the tracking page. */
const timeline = (html: string) => /<ol class="timeline">[\s\S]*?<\/ol>/.exec(html)?.[0] ?? '';

describe('the tracking page shows what the organisation said', () => {
  it('the reason for an extension, then the answer and its outcome, its text escaped', async () => {
    const email = 'reponse@example.org';
    const request = await forwardedRequest(email);
    organisationSays(request, 'extended', 'prolongee', 'Nous devons interroger trois bases de données.');
    organisationSays(request, 'answered', 'repondue', 'Vos données de 2019 sont jointes.\nCelles de 2020 <b>ne sont plus</b> conservées.', 'partial');
    const c = await openTracking(request, email);

    const fr = await c.get('/suivi/demande');
    expect(fr.status).toBe(200);
    expect(fr.html).toContain('Réponse donnée');
    const list = timeline(fr.html);
    expect(list).toContain('Délai prolongé');
    expect(list).toContain('Raison donnée par l’organisme :');
    expect(list).toContain('<p>Nous devons interroger trois bases de données.</p>');
    expect(list).toContain('Réponse de l’organisme :');
    expect(list).toContain('Votre demande est satisfaite en partie.');
    expect(list).toContain('<p>Vos données de 2019 sont jointes.</p>');
    expect(list).toContain('Celles de 2020 &lt;b&gt;ne sont plus&lt;/b&gt; conservées.');
    expect(list).not.toContain('<b>');
    // The organisation's words are quoted as written, in whatever language it used: no lang claimed.
    expect(list).toMatch(/<blockquote>/);

    const en = await c.get('/suivi/demande?lang=en');
    expect(en.html).toContain('Answered');
    expect(timeline(en.html)).toContain('Reason given by the organisation:');
    expect(timeline(en.html)).toContain('The organisation’s answer:');
    expect(timeline(en.html)).toContain('Your request is partly granted.');
    expect(timeline(en.html)).toContain('Nous devons interroger trois bases de données.');
  });

  it('a refusal: its reason in plain words, the organisation’s message, and the right to complain to the CNIL', async () => {
    const email = 'refus@example.org';
    const request = await forwardedRequest(email);
    organisationSays(request, 'refused', 'refusee', 'Aucun dossier ne correspond à ce numéro de sécurité sociale.', 'no_data_held');
    const c = await openTracking(request, email);

    const fr = timeline((await c.get('/suivi/demande')).html);
    expect(fr).toContain('Demande refusée');
    expect(fr).toContain('Motif du refus :');
    expect(fr).toContain('L’organisme dit n’avoir aucune donnée sur vous.');
    expect(fr).toContain('Message de l’organisme :');
    expect(fr).toContain('Aucun dossier ne correspond à ce numéro de sécurité sociale.');
    expect(fr).toContain('vous pouvez adresser une plainte à la Commission nationale de l’informatique et des libertés (CNIL)');
    expect(fr).toContain('href="https://www.cnil.fr/fr/plaintes"');

    const en = timeline((await c.get('/suivi/demande?lang=en')).html);
    expect(en).toContain('Request refused');
    expect(en).toContain('Reason for the refusal:');
    expect(en).toContain('The organisation says it holds no data about you.');
    expect(en).toContain('If you disagree, you can complain to the French data protection authority (CNIL).');
    expect(en).toContain('href="https://www.cnil.fr/en/complaints"');
  });
});

describe('mails about the organisation’s steps', () => {
  const i18n = createI18n();
  const trackUrl = 'http://localhost:3000/suivi';
  const person = { reference: 'DS-7KQ2-M9PX', organisation: 'Caisse nationale de l’Assurance maladie', trackUrl };
  const templates: [string, Record<string, string | number>][] = [
    ['forwarded', { ...person, due: '2026-04-02' }],
    ['acknowledged', person],
    ['clarification', person],
    ['extended', { ...person, extendedDue: '2026-06-02' }],
    ['answered', person],
    ['refused', person],
    [
      'delivery_dead',
      {
        reference: 'DS-7KQ2-M9PX',
        organisation: 'INSERM',
        channel: 'webhook',
        error: 'http 503',
        attempts: 8,
        attemptsText: 'après 8 tentatives',
        command: 'npm run deliveries -- retry 42',
      },
    ],
  ];

  it.each(templates.flatMap(([name, vars]) => (['fr', 'en'] as const).map((lang) => [name, lang, vars] as const)))(
    '%s in %s: every key and every value, no placeholder left, nothing personal in the subject',
    (name, lang, vars) => {
      const mail = renderMail(i18n, lang, name, vars);
      expect(mail.lang).toBe(lang);
      expect(mail.subject).not.toBe(`mail:${name}.subject`);
      expect(mail.text.split('\n\n').length).toBeGreaterThanOrEqual(4);
      for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toContain('{{');
      for (const key of Object.keys(vars).filter((k) => k !== 'due' && k !== 'extendedDue')) expect(mail.text, key).toContain(String(vars[key]));
      expect(mail.subject).not.toContain(String(vars.reference));
      expect(mail.subject).not.toContain(String(vars.organisation));
      if (name !== 'delivery_dead') {
        // The last paragraph before the signature says how to follow the request.
        expect(mail.text.split('\n\n').at(-2)).toContain(trackUrl);
        expect(mail.html).toContain(`<a href="${trackUrl}">${trackUrl}</a>`);
      }
    },
  );

  it('writes the due dates for people, in the mail’s language', () => {
    expect(renderMail(i18n, 'fr', 'forwarded', { ...person, due: '2026-04-02' }).text).toContain('au plus tard le 2 avril 2026');
    expect(renderMail(i18n, 'en', 'forwarded', { ...person, due: '2026-04-02' }).text).toContain('by 2 April 2026');
    expect(renderMail(i18n, 'fr', 'extended', { ...person, extendedDue: '2026-06-02' }).text).toContain('au plus tard le 2 juin 2026');
    expect(renderMail(i18n, 'en', 'extended', { ...person, extendedDue: '2026-06-02' }).text).toContain('by 2 June 2026');
  });

  it('points to the CNIL complaint page after an answer or a refusal', () => {
    for (const name of ['answered', 'refused']) {
      expect(renderMail(i18n, 'fr', name, person).html).toContain('<a href="https://www.cnil.fr/fr/plaintes">');
      expect(renderMail(i18n, 'en', name, person).html).toContain('<a href="https://www.cnil.fr/en/complaints">');
    }
  });
});
