/**
 * The register's search on either engine (issue 16), for suites parameterised with describe.each:
 * the same projects, written through the real import path, searched through each engine's
 * searchProjectIds. On PostgreSQL the imported rows are copied table by table from the SQLite import
 * into a database of the run's throwaway cluster (the schemas have the same columns and JavaScript
 * types: tests/db/pg-schema-parity.test.ts), then indexed by server/db/pg/register-search.ts. Once the
 * data layer is asynchronous, the import itself runs on PostgreSQL and this copy goes away.
 */
import { projectRows, searchProjectIds, type RegisterQuery } from '../../server/db/register';
import { openPostgres } from '../../server/db/pg/client';
import { indexProject, searchProjectIds as searchProjectIdsPg } from '../../server/db/pg/register-search';
import * as pgSchema from '../../server/db/pg/schema';
import * as sqliteSchema from '../../server/db/schema';
import type { ProjectRow } from '../../server/domain/register-schema';
import { makeTestApp, type TestApp } from './app';
import { testDatabase } from './postgres-run';
import { importRows } from './register';

export type SearchResult = { total: number; ids: string[] };
export type SearchSubject = {
  search: (query: Partial<RegisterQuery>) => Promise<SearchResult>;
  close: () => Promise<void>;
};
export type SearchEngine = { name: string; open: (rows: ProjectRow[]) => Promise<SearchSubject> };

const withDefaults = (query: Partial<RegisterQuery>): RegisterQuery => ({
  sort: query.q ? 'pertinence' : 'recent',
  page: 1,
  pageSize: null,
  ...query,
});

/** The tables a search reads, in an order their foreign keys allow. */
const COPIED = ['organisations', 'dataSources', 'projects', 'projectOrganisations', 'projectSources'] as const;

function imported(rows: ProjectRow[]): TestApp {
  const t = makeTestApp({}, { now: () => new Date('2026-11-22T10:00:00Z') });
  importRows(t, rows);
  return t;
}

export const SQLITE: SearchEngine = {
  name: 'SQLite',
  async open(rows) {
    const t = imported(rows);
    return {
      search: async (query) => searchProjectIds(t.deps.database.db, withDefaults(query)),
      close: async () => t.close(),
    };
  },
};

export const POSTGRES: SearchEngine = {
  name: 'PostgreSQL',
  async open(rows) {
    const t = imported(rows);
    const database = await testDatabase();
    const pg = await openPostgres(database.url, { migrate: false, max: 2 });
    try {
      await pg.db.transaction(async (tx) => {
        for (const name of COPIED) {
          const records = t.deps.database.db.select().from(sqliteSchema[name]).all() as Record<string, unknown>[];
          const values = name === 'projects' ? records.map((r) => ({ ...r, searchRowid: null })) : records;
          if (values.length > 0) await tx.insert(pgSchema[name]).values(values as never);
        }
        for (const row of projectRows(t.deps.database.db)) await indexProject(tx, row);
      });
    } finally {
      t.close();
    }
    return {
      search: (query) => searchProjectIdsPg(pg.db, withDefaults(query)),
      close: async () => {
        await pg.close();
        await database.drop();
      },
    };
  },
};

export const ENGINES = [SQLITE, POSTGRES];
