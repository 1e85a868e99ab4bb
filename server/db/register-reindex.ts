/**
 * Rebuilding the register's full-text index at start (server/db/register-search.ts holds the index
 * itself): apart from it because it reads whole projects through server/db/register.ts, which writes
 * the index through register-search.ts, and an import each way would be a cycle.
 */
import { eq, isNull, sql } from 'drizzle-orm';
import type { Db } from './client';
import { meta, projects } from './schema';
import { projectRows } from './register';
import { indexProject } from './register-search';

/**
 * What the index was built with. When it changes (another stemmer, a new column), the next start
 * rebuilds the whole index: stems computed one way never match a query stemmed another way.
 */
export const SEARCH_INDEX_VERSION = 'fts5-unicode61-snowball-fr-1';
const SEARCH_INDEX_KEY = 'register.search_index';

/**
 * Indexes projects that have no index row (after a migration, for instance), reindexes every project when
 * the index was built another way, and drops orphan index rows. Runs at start, inside a transaction.
 */
export function indexMissingProjects(db: Db, now: Date = new Date()): number {
  const built = db.select({ value: meta.value }).from(meta).where(eq(meta.key, SEARCH_INDEX_KEY)).get()?.value;
  if (built !== SEARCH_INDEX_VERSION) {
    db.run(sql`DELETE FROM projects_fts`);
    db.update(projects).set({ searchRowid: null }).run();
    db.insert(meta)
      .values({ key: SEARCH_INDEX_KEY, value: SEARCH_INDEX_VERSION, updatedAt: now.toISOString() })
      .onConflictDoUpdate({ target: meta.key, set: { value: SEARCH_INDEX_VERSION, updatedAt: now.toISOString() } })
      .run();
  }
  db.run(sql`DELETE FROM projects_fts WHERE rowid NOT IN (SELECT search_rowid FROM projects WHERE search_rowid IS NOT NULL)`);
  const ids = db
    .select({ id: projects.id })
    .from(projects)
    .where(isNull(projects.searchRowid))
    .all()
    .map((r) => r.id);
  for (const row of projectRows(db, ids)) indexProject(db, row);
  return ids.length;
}
