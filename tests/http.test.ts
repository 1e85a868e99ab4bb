/**
 * One safe reader of posted forms (server/http.ts readForm), shared by the CSRF check and every route:
 * every POST route of the app, taken from the app's own routes, gets a malformed multipart body, an
 * empty multipart body and a url-encoded body with NUL bytes, with the CSRF token in the form (the CSRF
 * check reads the body) and in the header (the route reads it). None answers 500, none logs an
 * unhandled error or a stack; a body that does not parse is a 400 with the localized error page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from './helpers/app';
import { routePaths, walkFixtures, type WalkFixtures } from './helpers/walk';

let t: TestApp;
let f: WalkFixtures;
beforeAll(async () => {
  t = makeTestApp();
  f = await walkFixtures(t);
});
afterAll(() => t.close());

const BOUNDARY = 'walkBoundary7MA4YWxk';
/** Parts without their closing delimiter, a header line without a colon, then nothing. */
const malformedMultipart = (token: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--${BOUNDARY}\r\nContent-Disposition form-data name=document\r\n\r\nabc`;
const BODIES = [
  { name: 'malformed multipart', type: `multipart/form-data; boundary=${BOUNDARY}`, body: malformedMultipart, malformed: true },
  { name: 'empty multipart', type: `multipart/form-data; boundary=${BOUNDARY}`, body: () => '', malformed: true },
  { name: 'multipart without a boundary', type: 'multipart/form-data', body: () => '', malformed: true },
  {
    name: 'url-encoded with NUL bytes',
    type: 'application/x-www-form-urlencoded',
    body: (token: string) => `_csrf=${encodeURIComponent(token)}&name=a%00b&message=\u0000&%00=1&answer=x%00y`,
    malformed: false,
  },
] as const;

/** Exempt from the CSRF check: they authenticate each request by signature and read the raw body. */
const SIGNED = (path: string) => path.startsWith('/api/v1/callbacks/') || path.startsWith('/demo/webhooks/');

describe('every POST route, bad bodies', () => {
  it('finds the POST routes in the app (forms, back office, API)', () => {
    const paths = routePaths(t, 'POST');
    expect(paths.length).toBeGreaterThan(30);
    for (const known of [
      '/demande/identite',
      '/suivi/precision',
      '/espace-pro/demandes/:id/:action',
      '/espace-pro/registre/projets/:id',
      '/api/v1/callbacks/:organisation',
    ])
      expect(paths).toContain(known);
  });

  for (const { name, type, body, malformed } of BODIES) {
    for (const via of ['form', 'header'] as const) {
      it(`${name}, token in the ${via}: never a 500, no stack in the log`, async () => {
        const origin = t.deps.config.publicUrl.origin;
        const failures: string[] = [];
        for (const route of routePaths(t, 'POST')) {
          const path = f.concrete(route);
          const before = t.logLines.length;
          const res = await t.app.request(path, {
            method: 'POST',
            headers: { cookie: f.cookie(), origin, 'content-type': type, ...(via === 'header' ? { 'x-csrf-token': f.csrfToken } : {}) },
            body: body(via === 'form' ? f.csrfToken : ''),
          });
          const html = await res.text();
          const logged = t.logLines.slice(before).filter((l) => /"msg":"unhandled error"|"stack"/.test(l));
          if (res.status >= 500 || logged.length > 0) failures.push(`${route}: ${res.status} ${logged.join(' ').slice(0, 300)}`);
          // Read by the CSRF check (token in the form): a body that does not parse is refused there, for
          // every route, with the page that says so.
          if (malformed && via === 'form' && !SIGNED(route)) {
            if (res.status !== 400) failures.push(`${route}: ${res.status}, expected 400`);
            else if (!html.includes('Demande incomprise')) failures.push(`${route}: 400 without the localized page`);
          }
        }
        expect(failures).toEqual([]);
      });
    }
  }

  it('a malformed body read by the route itself is a 400 page too (the answer with a document)', async () => {
    const before = t.logLines.length;
    const res = await t.app.request(`/espace-pro/demandes/${f.requestId}/repondre?lang=en`, {
      method: 'POST',
      headers: {
        cookie: f.cookie(),
        origin: t.deps.config.publicUrl.origin,
        'x-csrf-token': f.csrfToken,
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      },
      body: malformedMultipart(''),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Request not understood');
    const logged = t.logLines.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.find((l) => l.msg === 'refused')).toMatchObject({ level: 'warn', status: 400, reason: 'Malformed request body' });
    expect(logged.filter((l) => l.msg === 'unhandled error' || 'stack' in l)).toEqual([]);
  });
});
