/**
 * Issue 14, Done-when 1: following a register search by e-mail, end to end as a person and their mail
 * client see it. Follow the search of /projets, confirm by the link read on a real SMTP server, import a
 * change that the search finds (the register import's service), run the digest on a controlled clock,
 * read the digest on the SMTP server with its List-Unsubscribe and List-Unsubscribe-Post headers (RFC
 * 8058), unsubscribe with the one-click POST a mail client sends (no cookie, no CSRF token), run the next
 * digest: nothing sent.
 */
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrganisation } from '../../server/db/register';
import { follows } from '../../server/db/schema';
import { runDueDigests } from '../../server/services/follow-digests';
import { makeTestApp, type TestApp } from '../helpers/app';
import { client } from '../helpers/client';
import { flushMail } from '../helpers/mail';
import { importRows, projectRow } from '../helpers/register';
import { linkIn, startSmtp, type TestSmtp } from '../helpers/smtp';

const EMAIL = 'camille.suivi@example.org';
const DAY = 86_400_000;
let now = new Date('2026-11-22T10:00:00Z');
let t: TestApp;
let smtp: TestSmtp;
const db = () => t.deps.database.db;
const digests = () => runDueDigests({ db: db(), cipher: t.deps.cipher, config: t.deps.config, now: () => now, i18n: t.deps.i18n });
const header = (m: ParsedMail, name: string) =>
  m.headerLines
    .find((h) => h.key === name.toLowerCase())
    ?.line.slice(name.length + 1)
    .trim();

beforeAll(async () => {
  smtp = await startSmtp();
  t = makeTestApp({ SMTP_URL: smtp.url, LOG_LEVEL: 'warn' }, { now: () => now });
  upsertOrganisation(db(), { id: 'organisme-test', name: 'Organisme de test' }, now.toISOString());
  importRows(
    t,
    [
      projectRow({ id: 'p-cancer-sein', titre_clair: 'Parcours de soins dans le cancer du sein' }),
      projectRow({ id: 'p-diabete', titre_clair: 'Diabète et activité physique' }),
    ],
    now,
  );
});
afterAll(async () => {
  t?.close();
  await smtp?.stop();
});

describe('following a register search by e-mail (issue 14, Done-when 1)', () => {
  it('follows, confirms, gets a digest of a matching change with one-click unsubscribe, unsubscribes, then gets nothing', async () => {
    // The search's page links to the follow form of exactly its filters.
    const person = client(t);
    const search = await person.get('/projets?q=cancer&finalite=recherche');
    expect(search.html).toContain('href="/suivre/recherche?q=cancer&amp;finalite=recherche"');
    const form = await person.get('/suivre/recherche?q=cancer&finalite=recherche');
    expect(form.status).toBe(200);
    expect(form.html).toContain('« cancer »');
    const sent = await person.post('/suivre/recherche?q=cancer&finalite=recherche', { email: EMAIL, frequency: 'daily' });
    expect(sent.status).toBe(303);
    expect(sent.location).toBe('/suivre/envoye');

    // Double opt-in: one mail, the confirmation; nothing is active until its link's button is used.
    await flushMail(t.deps);
    const confirmation = await smtp.mail({ to: EMAIL });
    expect(confirmation.subject).toBe('Confirmez votre suivi du registre');
    expect(confirmation.subject).not.toContain(EMAIL);
    const link = linkIn(confirmation, `${t.deps.config.publicUrl.origin}/suivre/confirmer/`);
    const path = new URL(link).pathname;
    const opened = await person.get(path);
    expect(opened.status).toBe(200);
    expect(db().select().from(follows).get()?.confirmedAt).toBeNull();
    const confirmed = await person.follow(await person.post(path, {}));
    expect(confirmed.status).toBe(200);
    expect(confirmed.html).toContain('Votre suivi est confirmé');
    expect(db().select().from(follows).get()?.confirmedAt).toBe(now.toISOString());
    // The link works once.
    expect((await client(t).get(path)).status).toBe(404);

    // A day with no change: nothing is sent.
    now = new Date(now.getTime() + DAY + 60_000);
    expect(await digests()).toEqual({ digestsQueued: 0, followsChecked: 1 });

    // A new project the search finds, a step of one it already found, and a change it does not find.
    const before = smtp.messages.length;
    now = new Date(now.getTime() + 3_600_000);
    importRows(
      t,
      [
        projectRow({ id: 'p-cancer-sein', titre_clair: 'Parcours de soins dans le cancer du sein', statut: 'autorise' }),
        projectRow({ id: 'p-cancer-colon', titre_clair: 'Dépistage du cancer colorectal', statut: 'en_instruction' }),
        projectRow({ id: 'p-diabete', titre_clair: 'Diabète et activité physique', statut: 'autorise' }),
      ],
      now,
    );
    now = new Date(now.getTime() + DAY);
    expect(await digests()).toEqual({ digestsQueued: 1, followsChecked: 1 });
    await flushMail(t.deps);
    const digest = await smtp.mail({ to: EMAIL }, { after: before });
    expect(digest.subject).toBe('Du nouveau dans le registre des projets que vous suivez');
    expect(digest.text).toContain('Dépistage du cancer colorectal');
    expect(digest.text).toContain(`${t.deps.config.publicUrl.origin}/projets/p-cancer-colon`);
    expect(digest.text).toContain('nouveau projet dans le registre');
    expect(digest.text).toContain('Parcours de soins dans le cancer du sein');
    expect(digest.text).toMatch(/étape : « [^»]+ » devient « [^»]+ »/);
    // The change the search does not find is not told.
    expect(digest.text).not.toContain('Diabète');
    expect(digest.text).toContain('/suivre/gerer/');

    // RFC 8058: an https-or-http URL of this service in List-Unsubscribe, and the one-click marker.
    const unsubscribeHeader = header(digest, 'List-Unsubscribe');
    expect(unsubscribeHeader).toMatch(new RegExp(`^<${t.deps.config.publicUrl.origin}/suivre/desabonner/[A-Za-z0-9_-]{40,64}\\?lang=fr>$`));
    expect(header(digest, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const unsubscribeUrl = unsubscribeHeader!.slice(1, -1);
    expect(digest.text).toContain(unsubscribeUrl);

    // The mail client posts on its own: no cookie, no CSRF token, no Origin.
    const res = await t.app.request(unsubscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Votre suivi est arrêté');
    expect(db().select().from(follows).all()).toEqual([]);

    // Another matching change, another day: nothing is sent.
    const after = smtp.messages.length;
    importRows(t, [projectRow({ id: 'p-cancer-prostate', titre_clair: 'Cancer de la prostate et qualité de vie' })], now);
    now = new Date(now.getTime() + 2 * DAY);
    expect(await digests()).toEqual({ digestsQueued: 0, followsChecked: 0 });
    await flushMail(t.deps);
    expect(smtp.messages.slice(after)).toEqual([]);
  });
});
