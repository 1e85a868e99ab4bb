/**
 * Compression: text answers are gzipped when the client asks, small ones are left as they are, and a
 * compressed page still carries the nonce its Content-Security-Policy names.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app';
import { importRows, projectRow } from '../helpers/register';

let t: TestApp;
beforeAll(() => {
  t = makeTestApp();
  importRows(
    t,
    Array.from({ length: 5 }, (_, i) => projectRow({ id: `projet-${i + 1}` })),
  );
});
afterAll(() => t.close());

const get = (url: string, acceptEncoding?: string) => t.app.request(url, { headers: acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {} });

describe('compression', () => {
  it('gzips a page when asked, and the page keeps the nonce of its CSP', async () => {
    const plain = await get('/projets');
    const plainHtml = await plain.text();
    for (let i = 0; i < 2; i++) {
      // Twice: the second page comes from the render cache, with its own nonce put back in.
      const res = await get('/projets', 'gzip, deflate, br');
      expect(res.headers.get('content-encoding')).toBe('gzip');
      expect(res.headers.get('vary')).toMatch(/Accept-Encoding/);
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.length).toBeLessThan(plainHtml.length / 3);
      const html = gunzipSync(body).toString('utf8');
      const nonce = /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy')!)![1]!;
      expect(html).toContain(`nonce="${nonce}"`);
      expect(html).toContain('5 projets trouvés');
    }
  });

  it('compresses CSS, CSV, JSON and Atom, and deflates when only deflate is accepted', async () => {
    for (const url of ['/assets/app.css', '/projets.csv', '/projets.json', '/projets.atom']) {
      const res = await get(url, 'gzip');
      expect(res.headers.get('content-encoding'), url).toBe('gzip');
      expect(gunzipSync(Buffer.from(await res.arrayBuffer())).length).toBeGreaterThan(1024);
    }
    const res = await get('/projets.json', 'deflate');
    expect(res.headers.get('content-encoding')).toBe('deflate');
    expect(JSON.parse(inflateSync(Buffer.from(await res.arrayBuffer())).toString('utf8')).count).toBe(5);
  });

  it('leaves small answers, clients that do not ask, and HEAD requests as they are', async () => {
    for (const url of ['/healthz', '/favicon.svg']) {
      const small = await get(url, 'gzip');
      expect(small.headers.get('content-encoding'), url).toBeNull();
      expect(Number(small.headers.get('content-length'))).toBeLessThan(1024);
      expect((await small.text()).length).toBeGreaterThan(10);
    }
    const plain = await get('/projets');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toContain('<html');
    const head = await t.app.request('/projets', { method: 'HEAD', headers: { 'Accept-Encoding': 'gzip' } });
    expect(head.headers.get('content-encoding')).toBeNull();
  });
});
