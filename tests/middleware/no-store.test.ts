/**
 * Every form and personal page answers `Cache-Control: no-store`: each GET and POST route of the app under
 * /demande, /suivi and /espace-pro (taken from the app's own routes), with a visitor's cookies and
 * without, whatever it answers (page, redirect, error).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAL_PATHS } from '../../server/middleware/no-store';
import { makeTestApp, type TestApp } from '../helpers/app';
import { routePaths, walkFixtures, type WalkFixtures } from '../helpers/walk';

let t: TestApp;
let f: WalkFixtures;
beforeAll(async () => {
  t = makeTestApp({ LOG_LEVEL: 'warn' });
  f = await walkFixtures(t);
});
afterAll(() => t.close());

const personal = (method: 'GET' | 'POST') => routePaths(t, method).filter((p) => PERSONAL_PATHS.test(p));

describe('Cache-Control: no-store on form and personal pages', () => {
  it('covers the form, the tracking pages and the back office', () => {
    const paths = personal('GET');
    for (const p of [
      '/demande',
      '/demande/identite',
      '/demande/verifier',
      '/demande/recu',
      '/suivi',
      '/suivi/envoye',
      '/suivi/demande',
      '/suivi/:token',
      '/espace-pro',
      '/espace-pro/connexion',
      '/espace-pro/demandes/:id',
    ])
      expect(paths).toContain(p);
    expect(PERSONAL_PATHS.test('/projets')).toBe(false);
    expect(PERSONAL_PATHS.test('/demandes-anciennes')).toBe(false);
  });

  it('on every GET, with a visitor’s cookies and without', async () => {
    const missing: string[] = [];
    for (const route of personal('GET')) {
      const path = f.concrete(route);
      for (const cookie of [f.cookie(), '']) {
        const res = await t.app.request(path, { headers: { cookie } });
        await res.arrayBuffer();
        if (res.headers.get('cache-control') !== 'no-store')
          missing.push(`${route} (${cookie ? 'cookies' : 'none'}): ${res.status} ${res.headers.get('cache-control')}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('on every POST answer: redirect, form with errors, refusal', async () => {
    const missing: string[] = [];
    for (const route of personal('POST')) {
      const res = await t.app.request(f.concrete(route), {
        method: 'POST',
        headers: { cookie: f.cookie(), origin: t.deps.config.publicUrl.origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: `_csrf=${encodeURIComponent(f.csrfToken)}`,
      });
      await res.arrayBuffer();
      if (res.headers.get('cache-control') !== 'no-store') missing.push(`${route}: ${res.status} ${res.headers.get('cache-control')}`);
    }
    const refused = await t.app.request('/suivi', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'reference=x' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(missing).toEqual([]);
  });

  it('the tracking form’s “sent” page', async () => {
    const res = await t.app.request('/suivi/envoye');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
