import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(() => {
  t = makeTestApp();
});
afterAll(() => t.close());

describe('/healthz', () => {
  it('answers 200 JSON with the database state', async () => {
    const res = await t.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { status: string; database: { ok: boolean; journalMode: string } };
    expect(body.status).toBe('ok');
    expect(body.database).toEqual({ ok: true, journalMode: 'wal' });
  });

  it('answers 503 when the database is gone', async () => {
    const other = makeTestApp();
    other.deps.database.sqlite.close();
    const res = await other.app.request('/healthz');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { status: string }).status).toBe('error');
    other.close();
  });
});
