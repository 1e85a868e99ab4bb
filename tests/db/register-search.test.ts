/**
 * Rebuilding the register's search index at start: after migration 0010 (the index table recreated and every
 * project without an index row) and whenever the index was built another way (another stemmer).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexMissingProjects, SEARCH_INDEX_VERSION } from '../../server/db/register-reindex';
import { searchProjectIds } from '../../server/db/register';
import { makeTestApp, type TestApp } from '../helpers/app';
import { importRows, projectRow } from '../helpers/register';

let t: TestApp;
const found = (q: string) => searchProjectIds(t.deps.database.db, { q, sort: 'pertinence', page: 1, pageSize: null }).ids.sort();
const rebuild = () => t.deps.database.db.transaction((tx) => indexMissingProjects(tx as unknown as typeof t.deps.database.db), { behavior: 'immediate' });

beforeAll(() => {
  t = makeTestApp();
  importRows(t, [
    projectRow({ id: 'a', titre_clair: 'Les cancers de la gorge' }),
    projectRow({ id: 'b', titre_clair: 'Hospitalisations évitables' }),
    projectRow({ id: 'c' }),
  ]);
});
afterAll(() => t.close());

describe('indexMissingProjects', () => {
  it('indexes every project left without an index row by the migration, with stems', () => {
    const db = t.deps.database.db;
    // The state migration 0010 leaves on an existing database.
    db.run(sql`DELETE FROM projects_fts`);
    db.run(sql`UPDATE projects SET search_rowid = NULL`);
    expect(found('cancer')).toEqual([]);
    expect(rebuild()).toBe(3);
    expect(found('cancer')).toEqual(['a']);
    expect(found('hospitalisation')).toEqual(['b']);
    expect(rebuild()).toBe(0);
  });

  it('rebuilds the whole index when it was built another way', () => {
    const db = t.deps.database.db;
    db.run(sql`UPDATE projects_fts SET titles = 'autre chose', words = 'autre chose'`);
    db.run(sql`UPDATE meta SET value = 'an-older-index' WHERE key = 'register.search_index'`);
    expect(found('cancers')).toEqual([]);
    expect(rebuild()).toBe(3);
    expect(found('cancers')).toEqual(['a']);
    expect(db.get<{ value: string }>(sql`SELECT value FROM meta WHERE key = 'register.search_index'`)?.value).toBe(SEARCH_INDEX_VERSION);
    expect(db.get<{ n: number }>(sql`SELECT count(*) AS n FROM projects_fts`)?.n).toBe(3);
  });
});
