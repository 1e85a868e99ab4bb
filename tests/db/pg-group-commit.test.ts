/**
 * Group commit on PostgreSQL (server/db/pg/group-commit.ts), held to the promise of SQLite's
 * (tests/db/group-commit.test.ts): a unit's promise settles once its write is committed (another
 * process sees it), and a unit that throws is rolled back alone while the others commit.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgres, type PgHandle } from '../../server/db/pg/client';
import { createPgGroupCommit } from '../../server/db/pg/group-commit';
import { meta } from '../../server/db/pg/schema';
import { PG_HOOK_TIMEOUT_MS, testDatabase, type TestDatabase } from '../helpers/postgres-run';

let database: TestDatabase;
let web: PgHandle;
let other: PgHandle;
beforeAll(async () => {
  database = await testDatabase();
  web = await openPostgres(database.url, { migrate: false, max: 4 });
  other = await openPostgres(database.url, { migrate: false, max: 1 });
}, PG_HOOK_TIMEOUT_MS);
afterAll(async () => {
  await web?.close();
  await other?.close();
  await database?.drop();
});

it('commits each unit on its own: settled means visible to another process, a failure rolls back only its unit', async () => {
  const group = createPgGroupCommit(web.db);
  const write = (key: string, fail = false) =>
    group(async (tx) => {
      await tx.insert(meta).values({ key, value: '1', updatedAt: '2026-12-03T10:00:00Z' });
      if (fail) throw new Error(`unit ${key} failed`);
      return key;
    });
  const results = await Promise.allSettled([write('a'), write('b', true), write('c'), write('d')]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'unit b failed' });
  const seen = await other.db.select({ key: meta.key }).from(meta).orderBy(meta.key);
  expect(seen.map((r) => r.key)).toEqual(['a', 'c', 'd']);
  expect(await other.db.select().from(meta).where(eq(meta.key, 'b'))).toEqual([]);
});
