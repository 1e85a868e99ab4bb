/**
 * /assets/<name> serves the files the service has, and nothing else: the names every JavaScript object
 * inherits (`__proto__`, `constructor`, `toString`...) are not files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAssets } from '../../server/routes/assets';
import { makeTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(() => {
  t = makeTestApp();
});
afterAll(() => t.close());

const INHERITED = [...new Set(['__proto__', ...Object.getOwnPropertyNames(Object.prototype)])];

describe('/assets/<name>', () => {
  it.each(Object.keys(loadAssets()))('serves %s with its type', async (name) => {
    const res = await t.app.request(`/assets/${name}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/(css|javascript); charset=utf-8$/);
    expect((await res.text()).length).toBeGreaterThan(100);
  });

  it.each(INHERITED)('answers 404 to %s', async (name) => {
    const res = await t.app.request(`/assets/${encodeURIComponent(name)}?v=1`);
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control') ?? '').not.toMatch(/immutable/);
    expect(await res.text()).toContain('Page introuvable');
  });

  it('answers 404 to a name it does not have', async () => {
    expect((await t.app.request('/assets/app.css.map')).status).toBe(404);
  });
});
