/**
 * Opens the SQLite database and applies migrations.
 *
 * WAL lets readers work while a write commits; synchronous=FULL makes every commit durable before it
 * returns (nothing a person submitted is lost, even on kill -9).
 */
import Database, { type RunResult } from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { fileURLToPath } from 'node:url';
import { createGroupCommit, type GroupCommit } from './group-commit';
import * as schema from './schema';
import { timeStatements, type Timings } from '../timings';

/**
 * The handle every db function takes: the opened database or a transaction inside it (both are this
 * drizzle type), so a transaction passes its own handle to everything done inside it, with no cast.
 */
export type Db = BaseSQLiteDatabase<'sync', RunResult, typeof schema>;
/** The opened database itself (with `$client`), for what only the connection can do. */
export type OpenedDb = BetterSQLite3Database<typeof schema>;
export type DbHandle = {
  db: OpenedDb;
  sqlite: Database.Database;
  /** Runs a write in the next shared durable commit (server/db/group-commit.ts); `batches()`: the sizes of the commits so far. */
  groupCommit: GroupCommit & { batches: () => number[] };
  close: () => void;
};

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

export function openDatabase(file: string, options: { migrate?: boolean; timings?: Timings } = {}): DbHandle {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  cachePreparedStatements(sqlite);
  if (options.timings) timeStatements(sqlite, options.timings);
  const db = drizzle(sqlite, { schema });
  if (options.migrate !== false) migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return {
    db,
    sqlite,
    groupCommit: createGroupCommit(sqlite),
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}

/**
 * drizzle asks better-sqlite3 to prepare (parse and plan) every query on every call; this keeps the
 * prepared statements of the most recent SQL texts and hands them back. Safe because queries here
 * run synchronously to completion (no iterators), and a reused statement is put back in object mode,
 * the state drizzle expects before it asks for raw rows.
 */
function cachePreparedStatements(sqlite: Database.Database, max = 500): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement) {
      cache.delete(source);
      cache.set(source, statement);
      if (statement.reader) statement.raw(false);
      return statement;
    }
    statement = prepare(source);
    cache.set(source, statement);
    if (cache.size > max) cache.delete(cache.keys().next().value!);
    return statement;
  }) as typeof sqlite.prepare;
}

/** The database check behind /healthz: a real read through the same connection. */
/** The health check's two statements, prepared once per connection (GET /healthz runs them on every probe). */
const healthStatements = new WeakMap<Database.Database, { one: Database.Statement; journal: Database.Statement }>();

export function checkDatabase(sqlite: Database.Database): { ok: boolean; journalMode?: string; error?: string } {
  try {
    let prepared = healthStatements.get(sqlite);
    if (!prepared) {
      prepared = { one: sqlite.prepare('select 1 as ok').pluck(), journal: sqlite.prepare('pragma journal_mode').pluck() };
      healthStatements.set(sqlite, prepared);
    }
    const ok = prepared.one.get() as number;
    const journalMode = prepared.journal.get() as string;
    return { ok: ok === 1, journalMode };
  } catch {
    return { ok: false, error: 'database unavailable' };
  }
}
