import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentUrls } from '../../server/routes/content-pages';
import { cookiesFrom, makeTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(() => {
  t = makeTestApp({ BODY_LIMIT: '2048' });
});
afterAll(() => t.close());

function expectSecurityHeaders(res: Response) {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(res.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('same-origin');
}

describe('security headers', () => {
  it.each([...contentUrls(), '/nulle-part', '/healthz'])('are on %s', async (url) => {
    expectSecurityHeaders(await t.app.request(url));
  });

  it('use a new nonce on each response, the one the page script carries', async () => {
    const a = await t.app.request('/');
    const b = await t.app.request('/');
    const nonceA = /'nonce-([^']+)'/.exec(a.headers.get('content-security-policy')!)![1];
    const nonceB = /'nonce-([^']+)'/.exec(b.headers.get('content-security-policy')!)![1];
    expect(nonceA).not.toBe(nonceB);
    expect(await a.text()).toContain(`nonce="${nonceA}"`);
  });

  it('are on error pages too', async () => {
    const res = await t.app.request('/', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(res.status).toBe(403);
    expectSecurityHeaders(res);
  });
});

describe('CSRF', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  it('refuses a cross-site form POST with 403 and a localized page', async () => {
    const res = await t.app.request('/?lang=en', {
      method: 'POST',
      headers: { ...form, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      body: 'x=1',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Sending refused');
  });

  it('refuses a POST announced as cross-site by Fetch Metadata even without Origin', async () => {
    const res = await t.app.request('/', { method: 'POST', headers: { ...form, 'sec-fetch-site': 'cross-site' }, body: 'x=1' });
    expect(res.status).toBe(403);
  });

  it('refuses a same-origin POST without the token, or with a token from another visitor', async () => {
    const page = await t.app.request('/');
    const cookie = cookiesFrom(page);
    const none = await t.app.request('/nulle-part', { method: 'POST', headers: { ...form, cookie, origin: t.deps.config.publicUrl.origin }, body: 'x=1' });
    expect(none.status).toBe(403);
    const forged = await t.app.request('/nulle-part', {
      method: 'POST',
      headers: { ...form, cookie: 'csrf=someone-else', origin: t.deps.config.publicUrl.origin },
      body: '_csrf=' + 'A'.repeat(43),
    });
    expect(forged.status).toBe(403);
  });

  it('lets a same-origin POST with its token through to routing', async () => {
    const { csrfTokenFor } = await import('../helpers/csrf');
    const { cookie, token } = await csrfTokenFor(t);
    const res = await t.app.request('/nulle-part', {
      method: 'POST',
      headers: { ...form, cookie, origin: t.deps.config.publicUrl.origin },
      body: `_csrf=${encodeURIComponent(token)}`,
    });
    expect(res.status).toBe(404);
    const viaHeader = await t.app.request('/nulle-part', { method: 'DELETE', headers: { cookie, 'x-csrf-token': token } });
    expect(viaHeader.status).toBe(404);
  });
});

describe('body size limit', () => {
  it('answers 413 with a localized page to an oversized body', async () => {
    const res = await t.app.request('/?lang=en', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'x=' + 'a'.repeat(5000),
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('Too much sent');
  });

  it('keeps the ordinary limit on the document upload path for a browser without a staff session', async () => {
    const res = await t.app.request('/espace-pro/demandes/x/repondre', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'x=' + 'a'.repeat(5000),
    });
    expect(res.status).toBe(413);
  });
});
