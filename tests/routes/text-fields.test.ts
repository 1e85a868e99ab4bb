/**
 * Through HTTP, as a person and a DPO would see it: a field holding invisible or control characters
 * (NUL, a right-to-left override) is refused with a message naming it, on the request form, on the
 * DPO's question and on the person's answer to it; nothing is stored, and the text sent once corrected
 * is plain text.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestById } from '../../server/db/requests';
import { requestEvents } from '../../server/db/schema';
import { makeTestApp, type TestApp } from '../helpers/app';
import { client } from '../helpers/client';
import { walkFixtures, type WalkFixtures } from '../helpers/walk';

let t: TestApp;
let f: WalkFixtures;
beforeAll(async () => {
  t = makeTestApp({ LOG_LEVEL: 'warn' });
  f = await walkFixtures(t);
});
afterAll(() => t.close());

const RLO = '\u202e';
const post = (path: string, cookie: string, fields: Record<string, string>) =>
  t.app.request(path, {
    method: 'POST',
    headers: { cookie, origin: t.deps.config.publicUrl.origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: f.csrfToken, ...fields }).toString(),
  });

describe('invisible and control characters', () => {
  it('the request form: the identity step refuses a name with a right-to-left override, names the field, shows it without', async () => {
    const c = client(t);
    await c.get('/demande');
    await c.post('/demande', {});
    for (const [step, fields] of [
      ['type', { kind: 'opposition' }],
      ['portee', { scope: 'snds' }],
      ['pour-qui', { onBehalf: 'self' }],
    ] as const) {
      await c.get(`/demande/${step}`);
      expect((await c.post(`/demande/${step}`, fields)).status).toBe(303);
    }
    await c.get('/demande/identite');
    const page = await c.post('/demande/identite', {
      lastName: `Du${RLO}rand`,
      firstNames: 'Paule\u0000',
      birthDay: '12',
      birthMonth: '10',
      birthYear: '1995',
      nir: '2 95 10 99 126 111 93',
    });
    expect(page.status).toBe(422);
    expect(page.html).toContain('Le nom contenait des caractères invisibles ou de contrôle');
    expect(page.html).toContain('Les prénoms contenaient des caractères invisibles ou de contrôle');
    expect(page.html).toContain('href="#f-lastName"');
    expect(page.html).toMatch(/id="f-lastName"[^>]*value="Durand"|value="Durand"[^>]*id="f-lastName"/);
    expect(page.html).not.toContain(RLO);
    expect(page.html).not.toContain('\u0000');
  });

  it('a DPO’s question and the person’s answer: refused with their message, nothing stored; once plain, sent as typed', async () => {
    const dpo = f.cookie(f.otherUserId);
    const refused = await post(`/espace-pro/demandes/${f.requestId}/precision`, dpo, { question: `Quel ${RLO}séjour ?` });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('Votre question contenait des caractères invisibles ou de contrôle');
    expect(html).not.toContain(RLO);
    expect(requestById(t.deps.database.db, f.requestId)!.status).toBe('transmise');

    const asked = await post(`/espace-pro/demandes/${f.requestId}/precision`, dpo, { question: 'Quel séjour ?\r\nEn 2024 ?' });
    expect(asked.status).toBe(303);
    expect(requestById(t.deps.database.db, f.requestId)!.status).toBe('precision_demandee');

    const person = f.cookie();
    const events = () => t.deps.database.db.select().from(requestEvents).where(eq(requestEvents.requestId, f.requestId)).all().length;
    const before = events();
    for (const answer of ['Mon séjour\u0000 de mars', `Mon séjour ${RLO}de mars`, 'Mon\u0007 séjour']) {
      const res = await post('/suivi/precision', person, { answer });
      expect(res.status, JSON.stringify(answer)).toBe(422);
      expect(await res.text()).toContain('Votre réponse contient des caractères invisibles ou de contrôle');
    }
    expect(events()).toBe(before);
    expect(requestById(t.deps.database.db, f.requestId)!.status).toBe('precision_demandee');

    const sent = await post('/suivi/precision', person, { answer: 'Mon séjour de mars\r\nà Lyon' });
    expect(sent.status).toBe(303);
    expect(requestById(t.deps.database.db, f.requestId)!.status).not.toBe('precision_demandee');
  });
});
