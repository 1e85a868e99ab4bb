/**
 * Following the register by e-mail (issue 14), through HTTP as a person and their mail client use it,
 * the mails read on a real SMTP server: the Follow links and forms of a project, an organisation and a
 * source; bad input (a clear message in the person's language, 422, nothing stored or sent); links
 * unknown, used or expired (404 with what to do, nothing changed); a GET of the unsubscribe link changes
 * nothing (mail scanners); the 7-day purge of unconfirmed follows; the rate limits per client and per
 * address; daily against weekly digests; the management page opened by a one-time link (change the
 * rhythm, stop one, stop all); a follow asked again; mails in English; no address in logs, subjects or
 * the outbox once sent.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrganisation } from '../../server/db/register';
import { follows, followTokens, mailOutbox } from '../../server/db/schema';
import { FOLLOW_LIMIT_PER_CLIENT, FOLLOW_LIMIT_PER_EMAIL } from '../../server/routes/follow';
import { runDueDigests } from '../../server/services/follow-digests';
import { runHousekeeping } from '../../server/services/housekeeping';
import { makeTestApp, type TestApp } from '../helpers/app';
import { client } from '../helpers/client';
import { flushMail } from '../helpers/mail';
import { importRows, projectRow } from '../helpers/register';
import { linkIn, startSmtp, type TestSmtp } from '../helpers/smtp';

const DAY = 86_400_000;
const START = new Date('2026-11-22T10:00:00Z');
let now = START;
let t: TestApp;
let smtp: TestSmtp;
const db = () => t.deps.database.db;
const origin = () => t.deps.config.publicUrl.origin;
const later = (ms: number) => (now = new Date(now.getTime() + ms));
const digests = () => runDueDigests({ db: db(), cipher: t.deps.cipher, config: t.deps.config, now: () => now, i18n: t.deps.i18n });
const pathOf = (link: string) => {
  const u = new URL(link);
  return `${u.pathname}${u.search}`;
};

/** A fresh service (its own rate limiters), a project of an organisation fed by one source. */
function freshService() {
  beforeAll(async () => {
    now = START;
    smtp = await startSmtp();
    t = makeTestApp({ SMTP_URL: smtp.url, LOG_LEVEL: 'warn' }, { now: () => now });
    upsertOrganisation(db(), { id: 'organisme-test', name: 'Organisme de test' }, now.toISOString());
    importRows(t, [projectRow({ id: 'p-suivi', titre_clair: 'Parcours après un infarctus' })], now);
  });
  afterAll(async () => {
    t?.close();
    await smtp?.stop();
  });
}

/** Asks to follow `path` and returns the confirmation link read on the SMTP server. */
async function askToFollow(path: string, email: string, frequency = 'daily', lang = 'fr'): Promise<string> {
  const person = client(t);
  await person.get(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
  const before = smtp.messages.length;
  const res = await person.post(path, { email, frequency });
  expect(res.status).toBe(303);
  await flushMail(t.deps);
  return linkIn(await smtp.mail({ to: email }, { after: before }), `${origin()}/suivre/confirmer/`);
}

async function follow(path: string, email: string, frequency = 'daily', lang = 'fr'): Promise<void> {
  const link = await askToFollow(path, email, frequency, lang);
  const person = client(t);
  await person.get(pathOf(link));
  expect((await person.post(new URL(link).pathname, {})).status).toBe(303);
}

describe('the Follow links and forms', () => {
  freshService();

  it('are on the project, organisation and source pages, and the form says what will be followed', async () => {
    for (const [page, form, what] of [
      ['/projets/p-suivi', '/suivre/projet/p-suivi', 'le projet « Parcours après un infarctus »'],
      ['/organisations/organisme-test', '/suivre/organisation/organisme-test', 'les projets'],
      ['/sources/snds', '/suivre/source/snds', 'les projets qui utilisent la source « Base principale du SNDS »'],
    ] as const) {
      expect((await client(t).get(page)).html).toContain(`href="${form}"`);
      const res = await client(t).get(form);
      expect(res.status).toBe(200);
      expect(res.html).toContain(what);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    const en = await client(t).get('/suivre/projet/p-suivi?lang=en');
    expect(en.html).toContain('Follow by e-mail');
  });

  it('answer 404 for a target the register does not have', async () => {
    for (const path of [
      '/suivre/projet/inconnu',
      '/suivre/organisation/inconnu',
      '/suivre/source/inconnu',
      '/suivre/projet/Pas%20un%20id',
      '/suivre/autre/p-suivi',
    ])
      expect((await client(t).get(path)).status).toBe(404);
  });

  it('refuse a bad address or rhythm with a clear message in the person’s language, storing and sending nothing', async () => {
    const person = client(t);
    await person.get('/suivre/projet/p-suivi');
    const cases: [Record<string, string>, string][] = [
      [{ email: '', frequency: 'daily' }, 'Indiquez votre adresse e-mail'],
      [{ email: 'pas-une-adresse', frequency: 'daily' }, 'Indiquez une adresse e-mail valide, comme nom@exemple.fr'],
      [{ email: `${'a'.repeat(250)}@example.org`, frequency: 'weekly' }, 'L’adresse e-mail doit faire au plus 254 caractères'],
      [{ email: 'ok@example.org', frequency: 'monthly' }, 'Choisissez un résumé par jour ou par semaine'],
      [{ email: 'ok@example.org' }, 'Choisissez un résumé par jour ou par semaine'],
    ];
    for (const [fields, message] of cases) {
      const res = await person.post('/suivre/projet/p-suivi', fields);
      expect(res.status).toBe(422);
      expect(res.html).toContain(message);
    }
    const en = client(t);
    await en.get('/suivre/projet/p-suivi?lang=en');
    const res = await en.post('/suivre/projet/p-suivi', { email: 'nope', frequency: 'daily' });
    expect(res.status).toBe(422);
    expect(res.html).toContain('Enter a valid e-mail address');
    expect(db().select().from(follows).all()).toEqual([]);
    expect(db().select().from(mailOutbox).all()).toEqual([]);
  });

  it('refuse a post without the CSRF token (only the unsubscribe link is exempt)', async () => {
    const res = await t.app.request('/suivre/projet/p-suivi', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=x%40example.org&frequency=daily',
    });
    expect(res.status).toBe(403);
    expect(db().select().from(follows).all()).toEqual([]);
  });
});

describe('the links of the mails', () => {
  freshService();
  afterEach(() => {
    now = START;
  });

  it('unknown or malformed: 404 with what to do, for every kind of link, GET and POST', async () => {
    const token = 'A'.repeat(43);
    for (const kind of ['confirmer', 'desabonner', 'gerer']) {
      for (const tok of [token, 'court', '%3Cscript%3E']) {
        const get = await client(t).get(`/suivre/${kind}/${tok}`);
        expect(get.status).toBe(404);
        expect(get.html).toContain(kind === 'desabonner' ? 'Ce lien d’arrêt ne fonctionne plus' : 'Ce lien ne fonctionne plus');
      }
    }
    const person = client(t);
    await person.get('/suivre/gerer');
    expect((await person.post(`/suivre/confirmer/${token}`, {})).status).toBe(404);
    expect((await person.post(`/suivre/gerer/${token}`, {})).status).toBe(404);
    const oneClick = await t.app.request(`/suivre/desabonner/${token}`, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(oneClick.status).toBe(404);
    expect(await oneClick.text()).toContain('Ce lien d’arrêt ne fonctionne plus');
  });

  it('a confirmation link expires after 7 days: 404, the follow stays unconfirmed', async () => {
    const link = await askToFollow('/suivre/projet/p-suivi', 'tard@example.org');
    later(7 * DAY + 60_000);
    const person = client(t);
    const page = await person.get(pathOf(link));
    expect(page.status).toBe(404);
    expect(page.html).toContain('Ce lien ne fonctionne plus');
    const fresh = client(t);
    await fresh.get('/suivre/gerer');
    expect((await fresh.post(new URL(link).pathname, {})).status).toBe(404);
    expect(db().select().from(follows).get()?.confirmedAt).toBeNull();
  });

  it('a GET of the unsubscribe link only shows its button (a mail scanner stops nothing)', async () => {
    await follow('/suivre/projet/p-suivi', 'scanne@example.org');
    importRows(t, [projectRow({ id: 'p-suivi', titre_clair: 'Parcours après un infarctus', statut: 'autorise' })], later(60_000));
    later(DAY);
    expect((await digests()).digestsQueued).toBe(1);
    await flushMail(t.deps);
    const digest = await smtp.mail({ to: 'scanne@example.org', subject: 'Du nouveau dans le registre des projets que vous suivez' });
    const link = linkIn(digest, `${origin()}/suivre/desabonner/`);
    for (let i = 0; i < 3; i += 1) {
      const page = await client(t).get(pathOf(link));
      expect(page.status).toBe(200);
      expect(page.html).toContain('Arrêter ce suivi');
      expect(page.html).not.toContain('name="_csrf"');
    }
    const mine = () =>
      db()
        .select()
        .from(follows)
        .all()
        .filter((f) => f.emailIndex === t.deps.index.email('scanne@example.org'));
    const [followed] = mine();
    expect(followed?.confirmedAt).not.toBeNull();
    // The button posts, with no token, and stops it; posting again says it is already stopped.
    expect((await client(t).post(new URL(link).pathname, {}, { token: '' })).status).toBe(200);
    expect(mine()).toEqual([]);
    expect(
      db()
        .select()
        .from(followTokens)
        .all()
        .filter((k) => k.followId === followed!.id),
    ).toEqual([]);
    expect((await client(t).post(new URL(link).pathname, {}, { token: '' })).status).toBe(404);
    // Sent: the outbox keeps neither the address nor the headers carrying the token.
    for (const row of db().select().from(mailOutbox).all()) {
      expect(row.sentAt).not.toBeNull();
      expect(row.recipientEnc).toBeNull();
      expect(row.headersEnc).toBeNull();
    }
  });
});

describe('housekeeping', () => {
  freshService();

  it('deletes the follows left unconfirmed for 7 days, and only those', async () => {
    await askToFollow('/suivre/projet/p-suivi', 'jamais@example.org');
    await follow('/suivre/source/snds', 'confirme@example.org');
    later(6 * DAY);
    await askToFollow('/suivre/organisation/organisme-test', 'recent@example.org');
    const housekeeping = () =>
      runHousekeeping({
        db: db(),
        cipher: t.deps.cipher,
        index: t.deps.index,
        mailer: t.deps.mailer,
        config: t.deps.config,
        logger: t.deps.logger,
        now: () => now,
        i18n: t.deps.i18n,
        kickMail: () => {},
      });
    expect((await housekeeping()).followsDeleted).toBe(0);
    later(DAY + 60_000);
    expect((await housekeeping()).followsDeleted).toBe(1);
    expect(
      db()
        .select({ kind: follows.kind })
        .from(follows)
        .all()
        .map((f) => f.kind)
        .sort(),
    ).toEqual(['organisation', 'source']);
    expect((await housekeeping()).followsDeleted).toBe(0);
  });
});

describe('rate limits', () => {
  freshService();

  it(`per address: ${FOLLOW_LIMIT_PER_EMAIL} asks in 15 minutes, then 429 with a message and nothing stored`, async () => {
    const person = client(t);
    await person.get('/suivre/projet/p-suivi');
    for (let i = 0; i < FOLLOW_LIMIT_PER_EMAIL; i += 1)
      expect((await person.post('/suivre/projet/p-suivi', { email: 'Meme@example.org', frequency: 'daily' })).status).toBe(303);
    const refused = await person.post('/suivre/source/snds', { email: 'meme@example.org', frequency: 'daily' });
    expect(refused.status).toBe(429);
    expect(refused.html).toContain('Trop de demandes en peu de temps');
    expect(db().select().from(follows).all()).toHaveLength(1);
    later(15 * 60_000 + 1);
    expect((await person.post('/suivre/source/snds', { email: 'meme@example.org', frequency: 'daily' })).status).toBe(303);
  });

  it(`per client: ${FOLLOW_LIMIT_PER_CLIENT} asks in 15 minutes whatever the addresses, the management form too`, async () => {
    later(15 * 60_000 + 1);
    const person = client(t);
    await person.get('/suivre/gerer');
    for (let i = 0; i < FOLLOW_LIMIT_PER_CLIENT; i += 1) expect((await person.post('/suivre/gerer', { email: `n${i}@example.org` })).status).toBe(303);
    const refused = await person.post('/suivre/projet/p-suivi', { email: 'autre@example.org', frequency: 'daily' });
    expect(refused.status).toBe(429);
    expect(db().select().from(follows).all().length).toBe(2);
    expect((await person.post('/suivre/gerer', { email: 'autre@example.org' })).status).toBe(429);
  });
});

describe('daily and weekly digests, the management page, mails in English', () => {
  freshService();

  it('a daily follow is told the next day, a weekly one at the end of its week, each change once', async () => {
    await follow('/suivre/projet/p-suivi', 'jour@example.org', 'daily');
    await follow('/suivre/projet/p-suivi', 'semaine@example.org', 'weekly');
    importRows(
      t,
      [projectRow({ id: 'p-suivi', titre_clair: 'Parcours après un infarctus', resume: 'Un résumé revu de ce projet de recherche.' })],
      later(60_000),
    );
    later(DAY);
    expect(await digests()).toEqual({ digestsQueued: 1, followsChecked: 1 });
    await flushMail(t.deps);
    const daily = await smtp.mail({ to: 'jour@example.org', text: 'informations modifiées' });
    expect(daily.text).toContain('Parcours après un infarctus');
    expect(smtp.to('semaine@example.org').filter((m) => m.subject?.startsWith('Du nouveau'))).toEqual([]);
    later(6 * DAY);
    expect(await digests()).toEqual({ digestsQueued: 1, followsChecked: 2 });
    await flushMail(t.deps);
    await smtp.mail({ to: 'semaine@example.org', text: 'informations modifiées' });
    expect(smtp.to('jour@example.org').filter((m) => m.subject?.startsWith('Du nouveau'))).toHaveLength(1);
  });

  it('asking again to follow what one follows sends a management link, and nothing else changes', async () => {
    const before = smtp.messages.length;
    const person = client(t);
    await person.get('/suivre/projet/p-suivi');
    expect((await person.post('/suivre/projet/p-suivi', { email: 'jour@example.org', frequency: 'weekly' })).status).toBe(303);
    await flushMail(t.deps);
    const mail = await smtp.mail({ to: 'jour@example.org' }, { after: before });
    expect(mail.subject).toBe('Vous suivez déjà cela dans le registre');
    expect(mail.text).toContain(`${origin()}/suivre/gerer/`);
    expect(
      db()
        .select()
        .from(follows)
        .all()
        .find((f) => f.frequency === 'daily'),
    ).toBeDefined();
  });

  it('the management page, through a one-time link: every follow, change the rhythm, stop one, stop all', async () => {
    await follow('/suivre/source/snds', 'jour@example.org', 'weekly');
    const person = client(t);
    await person.get('/suivre/gerer');
    let before = smtp.messages.length;
    expect((await person.post('/suivre/gerer', { email: 'personne@example.org' })).location).toBe('/suivre/gerer/envoye');
    expect((await person.post('/suivre/gerer', { email: 'jour@example.org' })).location).toBe('/suivre/gerer/envoye');
    await flushMail(t.deps);
    const mail = await smtp.mail({ to: 'jour@example.org' }, { after: before });
    expect(smtp.messages.slice(before).map((m) => m.to && 'text' in m.to && m.to.text)).toEqual(['jour@example.org']);
    const link = linkIn(mail, `${origin()}/suivre/gerer/`);
    // Without the cookie the page sends to the form; the GET of the link only shows its button.
    expect((await person.get('/suivre/mes-suivis')).location).toBe('/suivre/gerer');
    expect((await person.get(pathOf(link))).html).toContain('Voir mes suivis');
    const page = await person.follow(await person.post(new URL(link).pathname, {}));
    expect(page.html).toContain('le projet « Parcours après un infarctus »');
    expect(page.html).toContain('les projets qui utilisent la source « Base principale du SNDS »');
    expect(page.html).not.toContain('jour@example.org');
    const [project, source] = db()
      .select()
      .from(follows)
      .all()
      .filter((f) => f.kind !== 'project' || f.frequency === 'daily')
      .sort((a, b) => a.kind.localeCompare(b.kind));
    expect((await client(t).get(pathOf(link))).status).toBe(404);

    const changed = await person.follow(await person.post('/suivre/mes-suivis/frequence', { id: project!.id, frequency: 'weekly' }));
    expect(changed.html).toContain('Le rythme a été changé.');
    expect(
      db()
        .select()
        .from(follows)
        .all()
        .find((f) => f.id === project!.id)?.frequency,
    ).toBe('weekly');
    // Someone else's follow, or a rhythm that does not exist: 400, nothing changed.
    const other = db()
      .select()
      .from(follows)
      .all()
      .find((f) => f.emailIndex !== project!.emailIndex)!;
    expect((await person.post('/suivre/mes-suivis/frequence', { id: other.id, frequency: 'weekly' })).status).toBe(400);
    expect((await person.post('/suivre/mes-suivis/frequence', { id: project!.id, frequency: 'hourly' })).status).toBe(400);
    expect((await person.post('/suivre/mes-suivis/arreter', { id: other.id })).status).toBe(400);
    expect(
      db()
        .select()
        .from(follows)
        .all()
        .find((f) => f.id === other.id),
    ).toBeDefined();

    expect((await person.follow(await person.post('/suivre/mes-suivis/arreter', { id: source!.id }))).html).toContain('Le suivi a été arrêté.');
    expect(
      db()
        .select()
        .from(follows)
        .all()
        .some((f) => f.id === source!.id),
    ).toBe(false);
    before = db().select().from(follows).all().length;
    const all = await person.follow(await person.post('/suivre/mes-suivis/tout-arreter', {}));
    expect(all.html).toContain('Tous vos suivis ont été arrêtés.');
    expect(all.html).toContain('Votre adresse ne suit plus rien.');
    expect(db().select().from(follows).all().length).toBe(before - 1);
  });

  it('a follow asked in English is confirmed and told in English', async () => {
    const link = await askToFollow('/suivre/recherche?q=infarctus', 'reader@example.org', 'daily', 'en');
    const confirmation = smtp.to('reader@example.org')[0]!;
    expect(confirmation.subject).toBe('Confirm your follow of the register');
    expect(confirmation.headers.get('content-language')).toBe('en');
    const person = client(t);
    expect((await person.get(pathOf(link))).html).toContain('Confirm my follow');
    await person.post(new URL(link).pathname, {});
    importRows(t, [projectRow({ id: 'p-suivi', titre_clair: 'Parcours après un infarctus', statut: 'termine' })], later(60_000));
    later(DAY);
    await digests();
    await flushMail(t.deps);
    const digest = await smtp.mail({ to: 'reader@example.org', subject: 'News in the register of projects you follow' });
    expect(digest.text).toContain('Here is what changed since');
    expect(digest.text).toMatch(/step: “[^”]+” becomes “[^”]+”/);
  });

  it('never writes an address in the logs', () => {
    for (const line of t.logLines) expect(line).not.toMatch(/@example\.org/);
  });
});
