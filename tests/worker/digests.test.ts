/**
 * The digest worker (server/worker/digests.ts) queues the digests that are due and wakes the mail worker:
 * a confirmed follow of a project that changed gets its digest on a real SMTP server without anyone
 * calling the service, and a run with nothing due queues nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrganisation } from '../../server/db/register';
import { follows } from '../../server/db/schema';
import { startDigests } from '../../server/worker/digests';
import { makeTestApp, type TestApp } from '../helpers/app';
import { client } from '../helpers/client';
import { flushMail } from '../helpers/mail';
import { importRows, projectRow } from '../helpers/register';
import { linkIn, startSmtp, type TestSmtp } from '../helpers/smtp';
import { waitFor } from '../helpers/wait';

const EMAIL = 'worker.suivi@example.org';
let now = new Date('2026-11-22T10:00:00Z');
let t: TestApp;
let smtp: TestSmtp;

beforeAll(async () => {
  smtp = await startSmtp();
  t = makeTestApp({ SMTP_URL: smtp.url, LOG_LEVEL: 'warn' }, { now: () => now });
  upsertOrganisation(t.deps.database.db, { id: 'organisme-test', name: 'Organisme de test' }, now.toISOString());
  importRows(t, [projectRow({ id: 'p-worker', titre_clair: 'Suivi par le worker' })], now);
});
afterAll(async () => {
  t?.close();
  await smtp?.stop();
});

describe('the digest worker', () => {
  it('queues a due digest on its own and the mail worker sends it', async () => {
    const person = client(t);
    await person.get('/suivre/projet/p-worker');
    await person.post('/suivre/projet/p-worker', { email: EMAIL, frequency: 'daily' });
    await flushMail(t.deps);
    const link = new URL(linkIn(await smtp.mail({ to: EMAIL }), `${t.deps.config.publicUrl.origin}/suivre/confirmer/`));
    await person.get(`${link.pathname}${link.search}`);
    await person.post(link.pathname, {});
    expect(t.deps.database.db.select().from(follows).get()?.confirmedAt).not.toBeNull();
    importRows(t, [projectRow({ id: 'p-worker', titre_clair: 'Suivi par le worker', statut: 'autorise' })], new Date(now.getTime() + 60_000));
    now = new Date(now.getTime() + 86_400_000 + 120_000);
    const stop = startDigests(
      {
        db: t.deps.database.db,
        cipher: t.deps.cipher,
        config: t.deps.config,
        now: () => now,
        i18n: t.deps.i18n,
        logger: t.deps.logger,
        kickMail: t.deps.mailWorker.kick,
      },
      50,
    );
    try {
      const digest = await smtp.mail({ to: EMAIL, subject: 'Du nouveau dans le registre des projets que vous suivez' });
      expect(digest.text).toContain('Suivi par le worker');
      await waitFor(() => t.deps.database.db.select().from(follows).get()!.lastDigestAt === now.toISOString(), { what: 'the follow moved on' });
    } finally {
      stop();
    }
    await flushMail(t.deps);
    expect(smtp.to(EMAIL)).toHaveLength(2);
  });
});
